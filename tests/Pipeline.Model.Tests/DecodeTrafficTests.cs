using Pipeline.Model.Benchmarks;
using Pipeline.Model.Llama;

namespace Pipeline.Model.Tests;

/// <summary>
/// The bytes `bench model` says a decode step reads, against a count by hand, and the memory-read
/// rate it sets them beside.
/// </summary>
public sealed class DecodeTrafficTests
{
    // Hidden 8, 2 heads of 4, 1 KV head, intermediate 16, 2 layers, vocabulary 10.
    private static readonly LlamaConfig Config = new()
    {
        HiddenSize = 8, IntermediateSize = 16, NumHiddenLayers = 2, NumAttentionHeads = 2, NumKeyValueHeads = 1, VocabSize = 10,
    };

    [Fact]
    public void A_step_reads_every_matmul_weight_once_and_each_rows_cached_keys_and_values()
    {
        // Per layer: q 8x8 + k 8x4 + v 8x4 + o 8x8 + gate, up, down 3 x 8x16 + two norms of 8 = 592 floats;
        // two layers, the final norm (8) and the LM head (10x8): 1,272 floats. The embedding's rows for
        // the new tokens are all a step reads of it.
        Assert.Equal(4 * 1272, DecodeTraffic.WeightBytes(Config));
        // Tied, the LM head is the embedding: the same bytes.
        Assert.Equal(4 * 1272, DecodeTraffic.WeightBytes(Config with { TieWordEmbeddings = true }));
        // Keys and values, 2 layers x 1 KV head x 4 dimensions x 4 bytes each: 64 bytes per position.
        Assert.Equal(64 * 10.0, DecodeTraffic.CacheBytes(Config, 10));
        // 3 rows after a 4-token prompt with 8 new tokens: 4 + 8 / 2 = 8 positions cached on average.
        Assert.Equal(4 * 1272 + 3 * 64 * 8.0, DecodeTraffic.StepBytes(Config, 3, 4, 8));
    }

    [Fact]
    public void Memory_read_bandwidth_is_measured_over_the_whole_buffer_on_any_thread_count()
    {
        // The measurement checks that the passes summed every element of the buffer (all ones); a part
        // skipped or read twice throws instead of returning a rate.
        foreach (var threads in new[] { 1, 2, 3 })
        {
            var rate = MemoryReadBandwidth.GigabytesPerSecond(threads, 8L << 20);
            Assert.True(double.IsFinite(rate) && rate > 0, $"{threads} threads: {rate} GB/s");
        }
        Assert.Throws<ArgumentOutOfRangeException>(() => MemoryReadBandwidth.GigabytesPerSecond(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => MemoryReadBandwidth.GigabytesPerSecond(1, 1024));
        Assert.Throws<ArgumentOutOfRangeException>(() => MemoryReadBandwidth.GigabytesPerSecond(1, 5L << 30));
    }
}
