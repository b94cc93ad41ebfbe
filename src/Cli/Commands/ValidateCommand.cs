using System.CommandLine;
using Pipeline.Cli.Output;
using Pipeline.Contracts.Schemas;
using Pipeline.Contracts.Schemas.Validation;

namespace Pipeline.Cli.Commands;

/// <summary>`pipeline validate`: checks JSONL files against a data schema and lists every problem by line.</summary>
internal static class ValidateCommand
{
    public static Command Create()
    {
        var schema = new Option<string>("--schema")
        {
            Description = "document | sft | preference",
            Required = true,
        };
        schema.AcceptOnlyFromAmong("document", "sft", "preference");
        var files = new Argument<FileInfo[]>("files") { Description = "JSONL files to check.", Arity = ArgumentArity.OneOrMore };
        var command = new Command("validate", "Check JSONL files against the document, SFT or preference schema; print every problem with its line.");
        command.Options.Add(schema);
        command.Arguments.Add(files);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var json = parse.GetValue(CommonOptions.Json);
            IRecordSchema recordSchema = parse.GetValue(schema) switch
            {
                "sft" => new SftExampleSchema(),
                "preference" => new PreferencePairSchema(),
                _ => new DocumentSchema(),
            };
            var results = new List<FileValidation>();
            foreach (var file in parse.GetValue(files)!)
            {
                if (!file.Exists) return CliOutput.Fail($"{file.FullName}: no such file", json);
                await using var stream = file.OpenRead();
                var problems = await JsonlValidator.ValidateAsync(stream, recordSchema, cancellationToken: cancellationToken);
                results.Add(new FileValidation(file.FullName, problems.Count == 0, problems));
            }
            CliOutput.Write(new ValidationReport(recordSchema.Name, results), json, report =>
            {
                foreach (var result in report.Files)
                {
                    Console.WriteLine(result.Valid ? $"{result.File}: valid" : $"{result.File}: {result.Problems.Count} problem(s)");
                    foreach (var problem in result.Problems) Console.WriteLine($"  {result.File}:{problem}");
                }
            });
            return results.All(r => r.Valid) ? 0 : 1;
        });
        return command;
    }

    private sealed record ValidationReport(string Schema, IReadOnlyList<FileValidation> Files);

    private sealed record FileValidation(string File, bool Valid, IReadOnlyList<SchemaProblem> Problems);
}
