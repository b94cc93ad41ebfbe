using Pipeline.Ingest.Steps;
using Pipeline.Ingest.Text;

namespace Pipeline.Ingest.Tests.Steps;

public sealed class C4FilterTests
{
    private readonly C4Filter _filter = new(new C4Options());

    private C4Result Apply(string text, bool english = true) => _filter.Apply(new DocumentView(text), english);

    [Fact]
    public void Five_sentences_pass_and_four_are_too_few()
    {
        var five = string.Join('\n', Enumerable.Range(1, 5).Select(i => $"This is sentence number {i} here."));
        Assert.Null(Apply(five).Verdict);
        Assert.Equal("c4:too_few_sentences", Apply(string.Join('\n', five.Split('\n').Take(4))).Verdict?.Reason);
    }

    [Fact]
    public void Lines_without_terminal_punctuation_or_with_fewer_than_three_words_are_removed()
    {
        var text = "Menu\nHome page link without a stop\nThis line stays in the text.\nOk.\nThe second kept sentence is here. And a third one! Is this the fourth? Yes, the fifth.";
        var result = Apply(text);
        Assert.Null(result.Verdict);
        Assert.Equal(3, result.LinesRemoved);
        Assert.Equal("This line stays in the text.\nThe second kept sentence is here. And a third one! Is this the fourth? Yes, the fifth.", result.Text);
    }

    [Fact]
    public void Javascript_and_policy_lines_are_removed_in_English_only()
    {
        var body = string.Join('\n', Enumerable.Range(1, 5).Select(i => $"Plain sentence number {i} is fine."));
        var text = "Please enable JavaScript to view this page.\nRead our privacy policy before you continue.\n" + body;
        Assert.Equal(2, Apply(text).LinesRemoved);
        Assert.Equal(0, Apply(text, english: false).LinesRemoved);
    }

    [Fact]
    public void Lorem_ipsum_and_curly_brackets_drop_the_document()
    {
        var body = string.Join('\n', Enumerable.Range(1, 5).Select(i => $"Plain sentence number {i} is fine."));
        Assert.Equal("c4:lorem_ipsum", Apply(body + "\nLorem ipsum dolor sit amet.").Verdict?.Reason);
        Assert.Equal("c4:curly_bracket", Apply(body + "\nif (x) { y(); } is code.").Verdict?.Reason);
    }
}
