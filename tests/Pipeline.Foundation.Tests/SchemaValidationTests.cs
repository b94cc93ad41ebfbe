using System.Text;
using Pipeline.Contracts.Schemas.Validation;

namespace Pipeline.Foundation.Tests;

public sealed class SchemaValidationTests
{
    private static Task<IReadOnlyList<Pipeline.Contracts.Schemas.SchemaProblem>> Validate(string jsonl, IRecordSchema schema, int maxLineBytes = 1 << 20)
        => JsonlValidator.ValidateAsync(new MemoryStream(Encoding.UTF8.GetBytes(jsonl)), schema, maxLineBytes);

    [Fact]
    public async Task Every_bad_document_line_is_reported_with_its_line_number_and_good_lines_pass()
    {
        var jsonl = string.Join("\n",
            """{"id":"a","text":"fine"}""",
            """{"id":"b","text":42}""",
            """{"text":"no id"}""",
            """not json""",
            """[1,2]""",
            """{"id":"c","text":"fine","meta":"x"}""",
            """{"id":7,"text":"numeric ids are fine","source":"s"}""");

        var problems = await Validate(jsonl, new DocumentSchema());

        Assert.Equal([2L, 3L, 4L, 5L, 6L], problems.Select(p => p.Line).ToArray());
        Assert.Contains(problems, p => p is { Line: 2, Field: "text" } && p.Message.Contains("must be a string"));
        Assert.Contains(problems, p => p is { Line: 3, Field: "id" } && p.Message == "is required");
        Assert.Contains(problems, p => p is { Line: 4 } && p.Message.StartsWith("malformed JSON"));
        Assert.Contains(problems, p => p is { Line: 6, Field: "meta" });
    }

    [Fact]
    public async Task Configurable_text_field_is_the_one_required()
    {
        var problems = await Validate("""{"id":"a","content":"x"}""", new DocumentSchema("content"));
        Assert.Empty(problems);
        problems = await Validate("""{"id":"a","content":"x"}""", new DocumentSchema());
        Assert.Single(problems);
    }

    [Fact]
    public async Task Sft_examples_need_known_roles_and_messages()
    {
        var jsonl = string.Join("\n",
            """{"messages":[{"role":"user","content":"hi"},{"role":"assistant","content":"hello"}],"category":"helpfulness"}""",
            """{"messages":[{"role":"robot","content":"hi"}]}""",
            """{"messages":[]}""",
            """{"messages":[{"role":"user"}],"category":"fun"}""");

        var problems = await Validate(jsonl, new SftExampleSchema());

        Assert.DoesNotContain(problems, p => p.Line == 1);
        Assert.Contains(problems, p => p is { Line: 2, Field: "messages[0].role" } && p.Message.Contains("robot"));
        Assert.Contains(problems, p => p is { Line: 3, Field: "messages" });
        Assert.Contains(problems, p => p is { Line: 4, Field: "content" });
        Assert.Contains(problems, p => p is { Line: 4, Field: "category" } && p.Message.Contains("unknown label 'fun'"));
    }

    [Fact]
    public async Task Preference_pairs_check_labels_and_prompt_or_messages()
    {
        var jsonl = string.Join("\n",
            """{"prompt":"p","chosen":"a","rejected":"b","strength":"better","safety":"both_safe","category":"safety"}""",
            """{"messages":[{"role":"user","content":"p"}],"chosen":"a","rejected":"b","strength":"negligibly_better"}""",
            """{"chosen":"a","rejected":"b","strength":"better"}""",
            """{"prompt":"p","messages":[{"role":"user","content":"p"}],"chosen":"a","rejected":"b","strength":"better"}""",
            """{"prompt":"p","chosen":"a","rejected":"b","strength":"much_better","safety":"unsafe"}""",
            """{"prompt":"p","chosen":"same","rejected":"same","strength":"better"}""");

        var problems = await Validate(jsonl, new PreferencePairSchema());

        Assert.DoesNotContain(problems, p => p.Line is 1 or 2);
        Assert.Contains(problems, p => p is { Line: 3 } && p.Message == "prompt or messages is required");
        Assert.Contains(problems, p => p is { Line: 4 } && p.Message.Contains("not both"));
        Assert.Contains(problems, p => p is { Line: 5, Field: "strength" } && p.Message.Contains("much_better"));
        Assert.Contains(problems, p => p is { Line: 5, Field: "safety" });
        Assert.Contains(problems, p => p is { Line: 6, Field: "rejected" } && p.Message.Contains("identical"));
    }

    [Fact]
    public async Task Huge_line_is_reported_without_parsing_and_the_next_line_is_still_checked()
    {
        var huge = "{\"id\":\"big\",\"text\":\"" + new string('x', 5000) + "\"}";
        var problems = await Validate(huge + "\n" + """{"id":"ok","text":"fine"}""" + "\n" + """{"id":1}""", new DocumentSchema(), maxLineBytes: 1000);

        Assert.Equal(2, problems.Count);
        Assert.Contains(problems, p => p is { Line: 1 } && p.Message.Contains("1000-byte limit"));
        Assert.Contains(problems, p => p is { Line: 3, Field: "text" });
    }
}
