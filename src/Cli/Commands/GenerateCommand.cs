using System.CommandLine;
using Pipeline.Cli.Output;
using Pipeline.Model;
using Pipeline.Model.Generation;
using Pipeline.Model.Tokenization;

namespace Pipeline.Cli.Commands;

/// <summary>`pipeline generate`: sample a reply from a model folder, in the Llama 2 chat format or raw.</summary>
internal static class GenerateCommand
{
    public static Command Create()
    {
        var model = new Option<DirectoryInfo>("--model") { Description = "Model folder (HF layout).", Required = true };
        var prompt = new Option<string>("--prompt") { Description = "User message (or raw text with --raw).", Required = true };
        var system = new Option<string?>("--system") { Description = "System prompt (chat format only)." };
        var raw = new Option<bool>("--raw") { Description = "Encode the prompt as plain text (BOS + tokens), no chat template." };
        var maxNew = new Option<int>("--max-new-tokens") { DefaultValueFactory = _ => 64 };
        var temperature = new Option<double>("--temperature") { Description = "0 = greedy.", DefaultValueFactory = _ => 0.8 };
        var topP = new Option<double>("--top-p") { DefaultValueFactory = _ => 0.95 };
        var topK = new Option<int>("--top-k") { Description = "0 = off.", DefaultValueFactory = _ => 0 };
        var seed = new Option<long>("--seed") { DefaultValueFactory = _ => 0 };
        var device = new Option<string>("--device") { Description = "cpu | cuda", DefaultValueFactory = _ => "cpu" };
        var threads = new Option<int>("--threads") { Description = "Torch threads (0 = default).", DefaultValueFactory = _ => 0 };
        var command = new Command("generate", "Generate a continuation with a model folder.");
        foreach (var o in new Option[] { model, prompt, system, raw, maxNew, temperature, topP, topK, seed, device, threads }) command.Options.Add(o);
        command.SetAction((parse, cancellationToken) =>
        {
            var json = parse.GetValue(CommonOptions.Json);
            try
            {
                TorchSetup.SetThreads(parse.GetValue(threads));
                var dir = parse.GetValue(model)!.FullName;
                var tok = ModelFolder.LoadTokenizer(dir);
                using var lm = ModelFolder.LoadCausalLM(dir, TorchSetup.ParseDevice(parse.GetValue(device)));
                var text = parse.GetValue(prompt)!;
                var ids = parse.GetValue(raw) ? tok.Encode(text, addBos: true) : ChatTemplate.Prompt(tok, text, parse.GetValue(system)).Ids;
                var options = new SamplingOptions
                {
                    MaxNewTokens = parse.GetValue(maxNew), Temperature = parse.GetValue(temperature), TopP = parse.GetValue(topP),
                    TopK = parse.GetValue(topK), Seed = parse.GetValue(seed), StopIds = tok.EosId is int e ? [e] : [],
                };
                var output = new TextGenerator(lm).Generate([ids], options, cancellationToken)[0];
                var result = new GenerateResult(ids, output.OutputIds, tok.Decode(output.OutputIds));
                CliOutput.Write(result, json, r => Console.WriteLine(r.Text));
                return Task.FromResult(0);
            }
            catch (Exception ex) when (ex is IOException or InvalidDataException or ArgumentException or NotSupportedException)
            {
                return Task.FromResult(CliOutput.Fail(ex.Message, json));
            }
        });
        return command;
    }

    private sealed record GenerateResult(IReadOnlyList<int> PromptIds, IReadOnlyList<int> OutputIds, string Text);
}
