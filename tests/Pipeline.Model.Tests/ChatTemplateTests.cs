using Pipeline.Model.Tokenization;

namespace Pipeline.Model.Tests;

public sealed class ChatTemplateTests(SpmModelFixture spm) : IClassFixture<SpmModelFixture>
{
    private static readonly ChatTurn[] Dialogue =
    [
        new("What is a llama?", "A llama is an animal."),
        new("Is it helpful?"),
    ];

    private const string System = "You are a helpful assistant.";

    [Fact]
    public void Gpt2_chat_layout_matches_llama2_reference_string_per_exchange() => AssertLayout(new Gpt2Tokenizer());

    [SpmFact]
    public void SentencePiece_chat_layout_matches_llama2_reference_string_per_exchange() =>
        AssertLayout(SentencePieceModelReader.Load(spm.ModelPath));

    [Fact]
    public void Rendered_text_is_the_llama2_format()
    {
        Assert.Equal(
            "<s>[INST] <<SYS>>\nYou are a helpful assistant.\n<</SYS>>\n\nWhat is a llama? [/INST] A llama is an animal. </s><s>[INST] Is it helpful? [/INST]",
            ChatTemplate.Render(Dialogue, System));
    }

    /// <summary>Meta's reference encodes each exchange as one string: bos + "[INST] {sys+user} [/INST] {answer} " + eos.</summary>
    private static void AssertLayout(TextTokenizer tok)
    {
        var enc = ChatTemplate.Encode(tok, Dialogue, System);
        var expected = new List<int> { tok.BosId!.Value };
        expected.AddRange(tok.Encode("[INST] <<SYS>>\nYou are a helpful assistant.\n<</SYS>>\n\nWhat is a llama? [/INST] A llama is an animal. "));
        expected.Add(tok.EosId!.Value);
        expected.Add(tok.BosId!.Value);
        expected.AddRange(tok.Encode("[INST] Is it helpful? [/INST]"));
        Assert.Equal(expected, enc.Ids);
        Assert.Equal(enc.Ids.Count, enc.Roles.Count);

        var assistant = enc.Ids.Where((_, i) => enc.Roles[i] == ChatRole.Assistant).ToList();
        Assert.Equal(tok.EosId, assistant[^1]);
        Assert.Equal("A llama is an animal.", tok.Decode(assistant).Trim());
        Assert.Equal(System, tok.Decode(enc.Ids.Where((_, i) => enc.Roles[i] == ChatRole.System)).Trim());
        Assert.Equal(ChatRole.Template, enc.Roles[0]);
        Assert.Equal(ChatRole.Template, enc.Roles[^1]);
        Assert.Equal(enc.Roles.Count(r => r == ChatRole.Assistant), enc.LossMask().Count(m => m));
    }
}
