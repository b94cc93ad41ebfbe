using System.IO.Compression;
using System.Text;
using Pipeline.Model.Llama;
using Pipeline.Model.Training;

namespace Pipeline.Model.Tests;

public sealed class CorpusAndConfigTests
{
    private const string Jsonl = "{\"id\":\"a\",\"text\":\"first doc\",\"meta\":{}}\n\n{\"id\":\"b\",\"text\":\"second\\ndoc\"}\n";

    [Fact]
    public void Corpus_jsonl_is_read_plain_and_gzipped()
    {
        var dir = Tiny.TempDir();
        var plain = Path.Combine(dir, "a.jsonl");
        File.WriteAllText(plain, Jsonl);
        var gz = Path.Combine(dir, "b.data");
        using (var file = File.Create(gz))
        using (var zip = new GZipStream(file, CompressionLevel.Fastest))
            zip.Write(Encoding.UTF8.GetBytes(Jsonl));
        Assert.Equal(["first doc", "second\ndoc"], CorpusDocuments.ReadFile(plain).ToList());
        Assert.Equal(["first doc", "second\ndoc"], CorpusDocuments.ReadFile(gz).ToList());
    }

    [Fact]
    public void Corpus_line_without_text_names_file_and_line()
    {
        var path = Path.Combine(Tiny.TempDir(), "bad.jsonl");
        File.WriteAllText(path, "{\"text\":\"ok\"}\n{\"id\":\"x\"}\n");
        var ex = Assert.Throws<InvalidDataException>(() => CorpusDocuments.ReadFile(path).ToList());
        Assert.Contains($"{path}:2", ex.Message);
    }

    [Fact]
    public void Config_uses_hugging_face_field_names_and_reports_all_problems()
    {
        var json = Tiny.Config().ToJson();
        foreach (var field in new[] { "hidden_size", "intermediate_size", "num_attention_heads", "num_key_value_heads", "num_hidden_layers", "rms_norm_eps", "rope_theta", "vocab_size", "max_position_embeddings" })
            Assert.Contains($"\"{field}\"", json);
        var path = Path.Combine(Tiny.TempDir(), "config.json");
        File.WriteAllText(path, "{\"hidden_size\":30,\"intermediate_size\":8,\"num_attention_heads\":4,\"num_key_value_heads\":3,\"num_hidden_layers\":1,\"vocab_size\":10,\"some_future_field\":1}");
        var ex = Assert.Throws<InvalidDataException>(() => LlamaConfig.Load(path));
        Assert.Contains("hidden_size 30 is not divisible by num_attention_heads 4", ex.Message);
        Assert.Contains("num_key_value_heads 3 must divide num_attention_heads 4", ex.Message);
        Assert.Contains(path, ex.Message);
    }
}
