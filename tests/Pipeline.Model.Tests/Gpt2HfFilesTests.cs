using System.Text.Json.Nodes;
using Pipeline.Model.Llama;
using Pipeline.Model.Tokenization;

namespace Pipeline.Model.Tests;

public sealed class Gpt2HfFilesTests
{
    private static readonly string[] Samples =
    [
        "Hello world",
        "The quick brown fox jumps over the lazy dog. It's what they'd've done!",
        "runs  of   spaces    here",
        "   leading and trailing spaces   ",
        "line one\nline two\n\n\tindented\r\nwindows",
        "über café naïve Ωmega 日本語のテキスト",
        "emoji 🦙🎉 and a lone 👍🏽 thumb",
        "numbers 2023 and 1999 and 3.14159 and 1,000,000",
        "code: if (x != null) { return x[0]; } // done",
        "x",
        "",
    ];

    private static readonly Lazy<string> SavedFolder = new(() =>
    {
        var folder = Tiny.TempDir();
        new Gpt2Tokenizer().SaveTo(folder);
        return folder;
    });

    [Fact]
    public void Saved_gpt2_folder_holds_the_hugging_face_files()
    {
        var folder = SavedFolder.Value;
        var vocab = JsonNode.Parse(File.ReadAllText(Path.Combine(folder, "vocab.json")))!.AsObject();
        Assert.Equal(50257, vocab.Count);
        Assert.Equal(50256, vocab["<|endoftext|>"]!.GetValue<int>());
        Assert.Equal(995, vocab["Ġworld"]!.GetValue<int>());
        Assert.Equal(198, vocab["Ċ"]!.GetValue<int>());

        var merges = File.ReadAllLines(Path.Combine(folder, "merges.txt"));
        Assert.Equal("#version: 0.2", merges[0]);
        Assert.Equal(50000, merges.Length - 1);
        Assert.Equal("Ġ t", merges[1]);

        var json = JsonNode.Parse(File.ReadAllText(Path.Combine(folder, "tokenizer.json")))!;
        Assert.Equal("BPE", json["model"]!["type"]!.GetValue<string>());
        Assert.Equal(50257, json["model"]!["vocab"]!.AsObject().Count);
        Assert.Equal(50000, json["model"]!["merges"]!.AsArray().Count);
        Assert.Equal("ByteLevel", json["pre_tokenizer"]!["type"]!.GetValue<string>());
        Assert.False(json["pre_tokenizer"]!["add_prefix_space"]!.GetValue<bool>());
        Assert.True(json["pre_tokenizer"]!["use_regex"]!.GetValue<bool>());
        Assert.Equal("ByteLevel", json["decoder"]!["type"]!.GetValue<string>());
        Assert.False(json["post_processor"]!["trim_offsets"]!.GetValue<bool>());
        var added = Assert.Single(json["added_tokens"]!.AsArray())!;
        Assert.Equal((50256, "<|endoftext|>", true), (added["id"]!.GetValue<int>(), added["content"]!.GetValue<string>(), added["special"]!.GetValue<bool>()));

        var config = JsonNode.Parse(File.ReadAllText(Path.Combine(folder, "tokenizer_config.json")))!;
        Assert.Equal("GPT2Tokenizer", config["tokenizer_class"]!.GetValue<string>());
        foreach (var key in new[] { "bos_token", "eos_token", "unk_token" }) Assert.Equal("<|endoftext|>", config[key]!.GetValue<string>());
        Assert.Equal(Gpt2Tokenizer.Marker, config["pipeline_tokenizer"]!.GetValue<string>());
    }

    [Fact]
    public void Saved_gpt2_files_load_back_with_the_bundled_ids_from_folder_and_from_tokenizer_json()
    {
        var bundled = new Gpt2Tokenizer();
        foreach (var loaded in new[] { TokenizerLoader.Load(SavedFolder.Value), TokenizerLoader.Load(Path.Combine(SavedFolder.Value, "tokenizer.json")) })
        {
            Assert.Equal("hf-byte-bpe", loaded.Kind);
            Assert.Equal((50257, 50256, 50256), (loaded.VocabSize, loaded.BosId, loaded.EosId));
            Assert.Equal([15496, 995], loaded.Encode("Hello world"));
            Assert.Equal([50256, 15496, 995], loaded.Encode("Hello world", addBos: true));
            Assert.Equal("Ġworld", loaded.IdToToken(995));
            Assert.Equal(bundled.Encode("end<|endoftext|>start"), loaded.Encode("end<|endoftext|>start"));
            foreach (var s in Samples)
            {
                Assert.Equal(bundled.Encode(s), loaded.Encode(s));
                Assert.Equal(s, loaded.Decode(loaded.Encode(s, addBos: true)));
            }
        }
    }

    [Fact]
    public void Loaded_gpt2_attributes_chat_segments_like_the_bundled_one()
    {
        var loaded = TokenizerLoader.Load(SavedFolder.Value);
        ChatTurn[] dialogue = [new("What is  a llama?\n", "A llama 🦙 is an animal."), new("Is it helpful?")];
        var expected = ChatTemplate.Encode(new Gpt2Tokenizer(), dialogue, "Be brief.");
        var actual = ChatTemplate.Encode(loaded, dialogue, "Be brief.");
        Assert.Equal(expected.Ids, actual.Ids);
        Assert.Equal(expected.Roles, actual.Roles);
    }

    [Fact]
    public void Model_folder_saved_with_gpt2_carries_tokenizer_json()
    {
        var folder = Tiny.TempDir();
        using (var model = LlamaForCausalLM.Create(Tiny.Config(vocab: 50257), seed: 1)) ModelFolder.Save(model, folder, new Gpt2Tokenizer());
        foreach (var file in new[] { "tokenizer.json", "vocab.json", "merges.txt", "tokenizer_config.json" })
            Assert.True(File.Exists(Path.Combine(folder, file)), file);
        Assert.Equal([15496, 995], ModelFolder.LoadTokenizer(folder).Encode("Hello world"));
    }

    [Fact]
    public void Folder_with_only_the_old_marker_still_loads_gpt2()
    {
        var folder = Tiny.TempDir();
        File.WriteAllText(Path.Combine(folder, "tokenizer_config.json"), $$"""{"pipeline_tokenizer": "{{Gpt2Tokenizer.Marker}}"}""");
        Assert.Equal("gpt2", TokenizerLoader.Load(folder).Kind);
    }

    [Fact]
    public void Merge_is_the_split_bpe_reaches_with_lower_ranks_not_the_first_known_split()
    {
        // "abc" (rank 5) splits as a|bc: with ranks below 5, bc (3) merges before ab (4), and nothing merges a+bc.
        var merges = TiktokenMerges.Derive(["a", "b", "c", "bc", "ab", "abc"]);
        Assert.Equal([("b", "c"), ("a", "b"), ("a", "bc")], merges);
    }

    [Fact]
    public void Byte_level_alphabet_is_gpt2s_bytes_to_unicode()
    {
        Assert.Equal('Ġ', ByteLevelAlphabet.Of((byte)' '));
        Assert.Equal('Ċ', ByteLevelAlphabet.Of((byte)'\n'));
        Assert.Equal('A', ByteLevelAlphabet.Of((byte)'A'));
        Assert.Equal('\u0100', ByteLevelAlphabet.Of(0));
        Assert.Equal('\u0143', ByteLevelAlphabet.Of(0xAD));
        Assert.Equal(256, Enumerable.Range(0, 256).Select(b => ByteLevelAlphabet.Of((byte)b)).Distinct().Count());
    }
}
