using System.CommandLine;
using Pipeline.Cli.Output;
using Pipeline.Model.Tokenization;

namespace Pipeline.Cli.Commands;

/// <summary>`pipeline tokenize`: ids and token strings of a text, as the model would see it.</summary>
internal static class TokenizeCommand
{
    public static Command Create()
    {
        var tokenizer = new Option<string>("--tokenizer") { Description = "gpt2, a tokenizer.json / tokenizer.model, or a model folder.", Required = true };
        var text = new Option<string?>("--text") { Description = "Text to encode." };
        var file = new Option<FileInfo?>("--file") { Description = "UTF-8 file to encode." };
        var noBos = new Option<bool>("--no-bos") { Description = "Do not prepend BOS (Llama adds it by default)." };
        var command = new Command("tokenize", "Encode text with a tokenizer and print the ids (and tokens).");
        command.Options.Add(tokenizer);
        command.Options.Add(text);
        command.Options.Add(file);
        command.Options.Add(noBos);
        command.SetAction(parse =>
        {
            var json = parse.GetValue(CommonOptions.Json);
            var input = parse.GetValue(text);
            var path = parse.GetValue(file);
            if ((input is null) == (path is null)) return CliOutput.Fail("give exactly one of --text or --file", json);
            if (path is not null && !path.Exists) return CliOutput.Fail($"{path.FullName}: no such file", json);
            TextTokenizer tok;
            try
            {
                tok = TokenizerLoader.Load(parse.GetValue(tokenizer)!);
            }
            catch (Exception ex) when (ex is IOException or InvalidDataException or NotSupportedException)
            {
                return CliOutput.Fail(ex.Message, json);
            }
            var ids = tok.Encode(input ?? File.ReadAllText(path!.FullName), addBos: !parse.GetValue(noBos));
            var result = new TokenizeResult(ids, ids.Select(tok.IdToToken).ToList());
            CliOutput.Write(result, json, r =>
            {
                Console.WriteLine(string.Join(' ', r.Ids));
                Console.WriteLine(string.Join(' ', r.Tokens.Select(t => t.Replace("\n", "\\n"))));
            });
            return 0;
        });
        return command;
    }

    private sealed record TokenizeResult(IReadOnlyList<int> Ids, IReadOnlyList<string> Tokens);
}
