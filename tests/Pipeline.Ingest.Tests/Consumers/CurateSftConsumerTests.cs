using System.Text;
using System.Text.Json;
using MassTransit.Testing;
using Pipeline.BlobStorage;
using Pipeline.Contracts.Messages;
using Pipeline.Contracts.Schemas;
using Pipeline.Contracts.Storage;
using Pipeline.Ingest.Sft;

namespace Pipeline.Ingest.Tests.Consumers;

public sealed class CurateSftConsumerTests
{
    private const string BadFile = """
        {"messages":[{"role":"user","content":"How do I install a package from a .deb file on Debian?"},{"role":"assistant","content":"Use apt install ./file.deb so that apt resolves the dependencies for you."}],"category":"helpfulness"}
        {"messages":[{"role":"assistant","content":"I answer first."},{"role":"user","content":"Then the question?"}]}
        not json at all
        {"instruction":"Say something."}
        {"prompt":"What is dpkg?","response":"dpkg is the low-level package manager of Debian systems.","category":"fun"}
        {"messages":[{"role":"user","content":"How do I install a package from a .deb file on Debian, please?"},{"role":"assistant","content":"Run apt install with the path of the file, for example apt install ./file.deb."}]}
        """;

    [Fact]
    public async Task Debian_faq_and_other_forms_are_curated_with_bad_records_quarantined_by_line()
    {
        await using var host = await IngestHarness.StartAsync();
        var files = new List<BlobReference>();
        foreach (var name in new[] { "debian-faq.jsonl", "safety-instructions.jsonl", "prompt-response.jsonl" })
        {
            await using var file = File.OpenRead(Samples.Sft(name));
            files.Add(await host.Store.WriteAsync("raw", $"sft/{name}", file));
        }
        files.Add(await host.Store.WriteTextAsync("raw", "sft/bad.jsonl", BadFile));
        var runId = Guid.NewGuid();

        await host.Harness.Bus.Publish(new CurateSft { RunId = runId, Files = files, SafetyRatio = 0.1, EvalFraction = 0.1 });

        Assert.True(await host.Harness.Published.Any<SftDatasetCurated>());
        var curated = host.Harness.Published.Select<SftDatasetCurated>().Single().Context.Message;
        Assert.Equal(69 + 8 + 5 + 6, curated.ExamplesRead);
        Assert.Equal(4, curated.QuarantinedExamples);
        var quarantine = (await host.Store.ReadBytesAsync("sft", curated.Quarantined!.Name)).AsSpan();
        var lines = Encoding.UTF8.GetString(quarantine).Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal([2L, 3L, 4L, 5L], lines.Select(l => l.GetProperty("line").GetInt64()));
        Assert.Contains("expected user but found assistant", lines[0].GetProperty("reason").GetString());
        Assert.Contains("unknown category 'fun'", lines[3].GetProperty("reason").GetString());

        var summary = await host.Store.ReadJsonAsync<SftCurationSummary>("sft", curated.Summary!.Name);
        Assert.Equal(1, summary.ExactDuplicates);
        Assert.Equal(1, summary.NearDuplicates);
        Assert.Equal(1, summary.Filtered["answer:too_short"]);
        Assert.InRange(summary.SafetyRatio, 0.05, 0.1);
        Assert.True(summary.DroppedForBalance > 0);
        Assert.Equal(curated.TrainExamples + curated.EvalExamples, summary.Categories.Values.Sum());
        Assert.InRange(curated.EvalExamples, 1, curated.TrainExamples / 3);

        var train = Encoding.UTF8.GetString(await host.Store.ReadBytesAsync("sft", curated.Train.Name)).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(curated.TrainExamples, train.Length);
        Assert.All(train, l =>
        {
            var example = JsonSerializer.Deserialize<SftExample>(l)!;
            Assert.Null(SftRecordParser.CheckTurns(example.Messages));
        });
    }

    [Theory]
    [InlineData("""{"instruction":"List files","input":"in /tmp","output":"Run ls /tmp to list them all."}""", "List files\n\nin /tmp")]
    [InlineData("""{"prompt":"Hi there","response":"Hello! How can I help you today?"}""", "Hi there")]
    [InlineData("""{"messages":[{"role":"system","content":"Be brief."},{"role":"user","content":"Q?"},{"role":"assistant","content":"A."}]}""", "Q?")]
    public void Accepted_forms_become_user_then_assistant_messages(string line, string user)
    {
        var (example, problem) = SftRecordParser.Parse(line);
        Assert.Null(problem);
        Assert.Equal(user, example!.Messages.Single(m => m.Role == ChatRoles.User).Content);
        Assert.Equal(ChatRoles.Assistant, example.Messages[^1].Role);
        Assert.Equal("helpfulness", example.Category);
    }

    [Theory]
    [InlineData("""{"messages":[{"role":"user","content":"Q?"}]}""", "needs at least one user and one assistant")]
    [InlineData("""{"messages":[{"role":"user","content":"Q?"},{"role":"assistant","content":"A."},{"role":"user","content":"And?"}]}""", "last message must be the assistant")]
    [InlineData("""{"messages":[{"role":"user","content":"Q?"},{"role":"robot","content":"A."}]}""", "unknown role 'robot'")]
    [InlineData("""{"messages":[{"role":"user","content":"  "},{"role":"assistant","content":"A."}]}""", "empty user content")]
    public void Bad_turns_are_reported(string line, string problem) =>
        Assert.Contains(problem, SftRecordParser.Parse(line).Problem);
}
