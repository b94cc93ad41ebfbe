using System.Runtime.CompilerServices;
using Pipeline.Model.Kernels;
using Pipeline.Model.Llama;
using TorchSharp;
using static TorchSharp.torch;

namespace Pipeline.Model.Generation;

/// <summary>
/// The cached decode step (one new token per sequence) of a float32 model on the CPU, computed in C#
/// over packed copies of the weights and the <see cref="KvCache"/>'s own memory. Through libtorch the
/// same step is ~30 native calls per layer on tensors of a few hundred floats, each with its tensor
/// objects and, on two threads, an OpenMP wake-up: profiled on the development CPU, the 7M benchmark
/// model's step took 4.2 ms where its matrix products alone took 1.4-1.8 ms. Here a step is four
/// <see cref="SkinnyMatmul"/> products per layer (plus the LM head), attention and the elementwise
/// work in <see cref="DecodeMath"/>, shared between threads by <see cref="KernelThreads"/>, and no
/// native call. The prompt (prefill) still runs through the TorchSharp model and fills the same cache,
/// and other devices, dtypes and mixed precision keep the TorchSharp step; the logits equal
/// <see cref="LlamaForCausalLM.LastPositionLogits"/>'s up to float rounding (tested). The packed
/// copies cost one more set of the weights in memory while a Generate call runs.
/// </summary>
internal sealed unsafe class CpuDecoder : IDisposable
{
    /// <summary>Off (PIPELINE_FUSED_DECODE=0, or a test or benchmark) generation uses the TorchSharp step only.</summary>
    public static bool Enabled { get; set; } = Environment.GetEnvironmentVariable("PIPELINE_FUSED_DECODE") != "0";

    /// <summary>Above this many positions a head's attention scores go to the heap instead of the stack.</summary>
    private const int StackScores = 16_384;

    private readonly LlamaConfig config;
    private readonly int rows;
    private readonly int threads;
    private readonly int[] padding;
    private readonly Layer[] layers;
    private readonly NativeFloats finalNorm;
    private readonly PackedWeight lmHead;
    private readonly float* embeddings;
    private readonly float* cos;
    private readonly float* signedSin;
    // Keeps the tensors the pointers above read alive for the decoder's lifetime.
    private readonly Tensor[] borrowed;
    private readonly NativeFloats hidden, normed, qkv, attended, projected, gateUp, activated;

    public static bool CanRun(LlamaForCausalLM model, SamplingOptions options, Device device) =>
        Enabled && options.UseKvCache && device.type == DeviceType.CPU && SkinnyMatmul.IsSupported
        && model.ComputeDtype is null && model.parameters().All(p => p.dtype == ScalarType.Float32)
        && InferenceWeights.BytesOf(model) <= InferenceWeights.MaxBytes;

    /// <param name="padding">Per row, the left-padding columns of the prompt (see TextGenerator): its keys are never attended to.</param>
    public CpuDecoder(LlamaForCausalLM model, IReadOnlyList<int> padding)
    {
        config = model.Config;
        rows = padding.Count;
        this.padding = [.. padding];
        threads = LibtorchThreads.Count;
        var named = model.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        Tensor Named(string name) => named.TryGetValue(name, out var p) ? p : throw new InvalidOperationException($"model has no parameter {name}");
        using (no_grad())
        {
            layers = Enumerable.Range(0, config.NumHiddenLayers).Select(i =>
            {
                var prefix = $"model.layers.{i}.";
                return new Layer(
                    Pack(Named(prefix + "self_attn.q_proj.weight"), Named(prefix + "self_attn.k_proj.weight"), Named(prefix + "self_attn.v_proj.weight")),
                    Pack(Named(prefix + "self_attn.o_proj.weight")),
                    Pack(Named(prefix + "mlp.gate_proj.weight"), Named(prefix + "mlp.up_proj.weight")),
                    Pack(Named(prefix + "mlp.down_proj.weight")),
                    Copy(Named(prefix + "input_layernorm.weight")),
                    Copy(Named(prefix + "post_attention_layernorm.weight")));
            }).ToArray();
            finalNorm = Copy(Named("model.norm.weight"));
            var embedding = Named("model.embed_tokens.weight");
            lmHead = Pack(named.TryGetValue("lm_head.weight", out var head) ? head : embedding);
            borrowed = [embedding, model.Backbone.RotaryCos, model.Backbone.RotarySignedSin];
        }
        embeddings = HostFloats.Pointer(borrowed[0]);
        cos = HostFloats.Pointer(borrowed[1]);
        signedSin = HostFloats.Pointer(borrowed[2]);
        var (h, d) = (config.HiddenSize, config.HeadDim);
        hidden = new NativeFloats((long)rows * h);
        normed = new NativeFloats((long)rows * h);
        qkv = new NativeFloats((long)rows * QkvWidth);
        attended = new NativeFloats((long)rows * config.NumAttentionHeads * d);
        projected = new NativeFloats((long)rows * h);
        gateUp = new NativeFloats((long)rows * 2 * config.IntermediateSize);
        activated = new NativeFloats((long)rows * config.IntermediateSize);
    }

    private int QkvWidth => (config.NumAttentionHeads + 2 * config.KeyValueHeads) * config.HeadDim;

    /// <summary>
    /// Appends one token per row to <paramref name="cache"/> and returns the next-token logits,
    /// [rows, 1, vocab] (float32, CPU), as <see cref="LlamaForCausalLM.LastPositionLogits"/> would.
    /// </summary>
    public Tensor Step(ReadOnlySpan<long> tokens, KvCache cache)
    {
        if (tokens.Length != rows) throw new ArgumentException($"expected {rows} tokens (one per row), got {tokens.Length}", nameof(tokens));
        if (cache.KeysOf(0).shape[0] != rows) throw new ArgumentException($"cache holds {cache.KeysOf(0).shape[0]} rows, the decoder {rows}", nameof(cache));
        var past = cache.Length;
        if (past + 1 > cache.Capacity) throw new InvalidOperationException($"KV cache full: {past} + 1 tokens exceed capacity {cache.Capacity}");
        if (past + 1 > config.MaxPositionEmbeddings) throw new InvalidOperationException($"position {past} exceeds max_position_embeddings {config.MaxPositionEmbeddings}");
        var h = config.HiddenSize;
        var eps = (float)config.RmsNormEps;
        for (var r = 0; r < rows; r++)
        {
            var token = tokens[r];
            if (token < 0 || token >= config.VocabSize) throw new ArgumentOutOfRangeException(nameof(tokens), token, $"token id outside the vocabulary of {config.VocabSize}");
            new ReadOnlySpan<float>(embeddings + token * h, h).CopyTo(new Span<float>(hidden.Pointer + (long)r * h, h));
        }
        for (var i = 0; i < layers.Length; i++)
        {
            var layer = layers[i];
            NormRows(hidden.Pointer, layer.InputNorm.Pointer, eps);
            SkinnyMatmul.Multiply(normed.Pointer, rows, layer.Qkv, qkv.Pointer, threads);
            var keys = HostFloats.Pointer(cache.KeysOf(i));
            var values = HostFloats.Pointer(cache.ValuesOf(i));
            RotateAndCache(keys, values, cache.Capacity, past);
            Attend(keys, values, cache.Capacity, past);
            SkinnyMatmul.Multiply(attended.Pointer, rows, layer.Output, projected.Pointer, threads);
            DecodeMath.AddInPlace(hidden.Pointer, projected.Pointer, rows * h);
            NormRows(hidden.Pointer, layer.PostNorm.Pointer, eps);
            SkinnyMatmul.Multiply(normed.Pointer, rows, layer.GateUp, gateUp.Pointer, threads);
            var width = config.IntermediateSize;
            for (var r = 0; r < rows; r++)
            {
                var row = gateUp.Pointer + (long)r * 2 * width;
                DecodeMath.SwiGlu(row, row + width, activated.Pointer + (long)r * width, width);
            }
            SkinnyMatmul.Multiply(activated.Pointer, rows, layer.Down, projected.Pointer, threads);
            DecodeMath.AddInPlace(hidden.Pointer, projected.Pointer, rows * h);
        }
        NormRows(hidden.Pointer, finalNorm.Pointer, eps);
        var logits = empty([rows, 1, config.VocabSize], ScalarType.Float32);
        SkinnyMatmul.Multiply(normed.Pointer, rows, lmHead, HostFloats.Pointer(logits), threads);
        cache.Advance(1);
        return logits;
    }

    private void NormRows(float* x, float* weight, float eps)
    {
        var h = config.HiddenSize;
        for (var r = 0; r < rows; r++) DecodeMath.RmsNorm(x + (long)r * h, weight, normed.Pointer + (long)r * h, h, eps);
    }

    /// <summary>Rotates each row's q and k heads at the row's position and writes its k and v at column <paramref name="past"/> of the cache.</summary>
    private void RotateAndCache(float* keys, float* values, int capacity, int past)
    {
        var (heads, kvHeads, d) = (config.NumAttentionHeads, config.KeyValueHeads, config.HeadDim);
        for (var r = 0; r < rows; r++)
        {
            // Left padding: a row's first real token has position 0 (as the TorchSharp path derives it from the mask).
            var position = past - padding[r];
            var c = cos + (long)position * d;
            var s = signedSin + (long)position * d;
            var row = qkv.Pointer + (long)r * QkvWidth;
            for (var head = 0; head < heads + kvHeads; head++) DecodeMath.Rotate(row + (long)head * d, c, s, d);
            for (var kv = 0; kv < kvHeads; kv++)
            {
                var slot = (((long)r * kvHeads + kv) * capacity + past) * d;
                new ReadOnlySpan<float>(row + (long)(heads + kv) * d, d).CopyTo(new Span<float>(keys + slot, d));
                new ReadOnlySpan<float>(row + (long)(heads + kvHeads + kv) * d, d).CopyTo(new Span<float>(values + slot, d));
            }
        }
    }

    private void Attend(float* keys, float* values, int capacity, int past)
    {
        var job = new AttentionJob
        {
            Qkv = qkv.Pointer,
            QkvWidth = QkvWidth,
            Keys = keys,
            Values = values,
            Output = attended.Pointer,
            Heads = config.NumAttentionHeads,
            KvHeads = config.KeyValueHeads,
            HeadDim = config.HeadDim,
            Capacity = capacity,
            Past = past,
            Scale = 1f / MathF.Sqrt(config.HeadDim),
        };
        fixed (int* pad = padding)
        {
            job.Padding = pad;
            var parts = rows * config.NumAttentionHeads;
            var work = (long)parts * (past + 1) * config.HeadDim;
            KernelThreads.RunParts(parts, 1, work, threads, &AttendPart, &job);
        }
    }

    private struct AttentionJob
    {
        public float* Qkv;
        public int QkvWidth;
        public float* Keys;
        public float* Values;
        public float* Output;
        public int* Padding;
        public int Heads;
        public int KvHeads;
        public int HeadDim;
        public int Capacity;
        public int Past;
        public float Scale;
    }

    /// <summary>Part p = one (row, query head): GQA maps query head q to key/value head q / (heads / kvHeads).</summary>
    private static void AttendPart(void* state, int part)
    {
        ref var job = ref Unsafe.AsRef<AttentionJob>(state);
        var (row, head) = Math.DivRem(part, job.Heads);
        var kv = head / (job.Heads / job.KvHeads);
        var first = job.Padding[row];
        var count = job.Past + 1 - first;
        var d = job.HeadDim;
        var start = (((long)row * job.KvHeads + kv) * job.Capacity + first) * d;
        var query = job.Qkv + (long)row * job.QkvWidth + (long)head * d;
        var output = job.Output + ((long)row * job.Heads + head) * d;
        if (count <= StackScores)
        {
            var scores = stackalloc float[count];
            DecodeMath.Attend(query, job.Keys + start, job.Values + start, count, d, job.Scale, scores, output);
            return;
        }
        fixed (float* scores = new float[count])
            DecodeMath.Attend(query, job.Keys + start, job.Values + start, count, d, job.Scale, scores, output);
    }

    private static PackedWeight Pack(params Tensor[] weights)
    {
        using var transposed = InferenceWeights.Transposed(weights);
        return PackedWeight.FromTransposed(transposed);
    }

    private static NativeFloats Copy(Tensor vector)
    {
        var copy = new NativeFloats(vector.numel());
        HostFloats.Span(vector).CopyTo(new Span<float>(copy.Pointer, (int)copy.Length));
        return copy;
    }

    public void Dispose()
    {
        foreach (var layer in layers) layer.Dispose();
        finalNorm.Dispose();
        lmHead.Dispose();
        foreach (var buffer in new[] { hidden, normed, qkv, attended, projected, gateUp, activated }) buffer.Dispose();
    }

    private sealed record Layer(PackedWeight Qkv, PackedWeight Output, PackedWeight GateUp, PackedWeight Down, NativeFloats InputNorm, NativeFloats PostNorm) : IDisposable
    {
        public void Dispose()
        {
            Qkv.Dispose();
            Output.Dispose();
            GateUp.Dispose();
            Down.Dispose();
            InputNorm.Dispose();
            PostNorm.Dispose();
        }
    }
}
