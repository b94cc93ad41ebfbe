using Microsoft.ML.Tokenizers;
using Pipeline.Model.Tokenization;

namespace Pipeline.Model.Tests;

public sealed class TokenizerTests(SpmModelFixture spm) : IClassFixture<SpmModelFixture>
{
    private static readonly string[] Samples =
    [
        "Hello world",
        "the model was training on language data",
        "Llama chat: helpful answer?",
        "numbers 2023 and 1999 and 3.14159",
        "runs  of   spaces    here",
        "   leading and trailing spaces   ",
        "unknown bytes: 日本語 ✓ Ω emoji 🦙 end",
        "über café naïve",
        "x",
    ];

    [Fact]
    public void Gpt2_gives_the_known_ids_and_round_trips()
    {
        var tok = new Gpt2Tokenizer();
        Assert.Equal([15496, 995], tok.Encode("Hello world"));
        Assert.Equal([50256, 15496, 995], tok.Encode("Hello world", addBos: true));
        Assert.Equal(50257, tok.VocabSize);
        foreach (var s in Samples) Assert.Equal(s, tok.Decode(tok.Encode(s)));
    }

    [SpmFact]
    public void SentencePiece_model_reproduces_spm_encode_ids_exactly()
    {
        var tok = SentencePieceModelReader.Load(spm.ModelPath);
        var reference = spm.Reference(Samples);
        for (var i = 0; i < Samples.Length; i++) Assert.Equal(reference[i], tok.Encode(Samples[i]));
        Assert.Contains(reference[6], id => tok.Pieces[id].Type == PieceType.Byte);
    }

    [SpmFact]
    public void Converted_tokenizer_json_reproduces_spm_encode_ids_exactly()
    {
        var original = SentencePieceModelReader.Load(spm.ModelPath);
        var folder = Tiny.TempDir();
        original.SaveTo(folder);
        var tok = TokenizerLoader.Load(folder);
        Assert.Equal("hf-bpe", tok.Kind);
        var reference = spm.Reference(Samples);
        for (var i = 0; i < Samples.Length; i++) Assert.Equal(reference[i], tok.Encode(Samples[i]));
    }

    [SpmFact]
    public void Microsoft_LlamaTokenizer_agrees_on_the_same_model()
    {
        using var stream = File.OpenRead(spm.ModelPath);
        var ms = LlamaTokenizer.Create(stream, addBeginOfSentence: false);
        var ours = SentencePieceModelReader.Load(spm.ModelPath);
        foreach (var s in Samples.Where(s => !s.StartsWith(' ')))
            Assert.Equal(ms.EncodeToIds(s), ours.Encode(s));
    }

    [SpmFact]
    public void SentencePiece_decode_round_trips_including_bytes_and_spaces()
    {
        var tok = SentencePieceModelReader.Load(spm.ModelPath);
        foreach (var s in Samples) Assert.Equal(s, tok.Decode(tok.Encode(s, addBos: true)));
        Assert.Equal(1, tok.BosId);
        Assert.Equal(2, tok.EosId);
    }

    [Fact]
    public void Loader_reports_what_it_could_not_find()
    {
        var ex = Assert.Throws<FileNotFoundException>(() => TokenizerLoader.Load(Tiny.TempDir()));
        Assert.Contains("no tokenizer.json, tokenizer.model", ex.Message);
    }
}
