using System.CommandLine;
using System.Text.Json.Nodes;
using Pipeline.Cli.Output;
using Pipeline.Model;
using Pipeline.Model.Llama;
using Pipeline.Model.Tokenization;

namespace Pipeline.Cli.Commands;

/// <summary>`pipeline model init|info`: create a randomly initialised model folder, describe one.</summary>
internal static class ModelCommand
{
    public static Command Create()
    {
        var command = new Command("model", "Create or inspect a model folder (Hugging Face layout).");
        command.Subcommands.Add(Init());
        command.Subcommands.Add(Info());
        return command;
    }

    private static Command Init()
    {
        var config = new Option<FileInfo?>("--config") { Description = "HF config.json to initialise (default: the demo's tiny preset)." };
        var tokenizer = new Option<string>("--tokenizer") { Description = "gpt2, tokenizer.json/.model or a folder; copied into the model folder.", DefaultValueFactory = _ => "gpt2" };
        var output = new Option<DirectoryInfo>("--out") { Description = "Folder to write.", Required = true };
        var seed = new Option<long>("--seed") { Description = "Initialisation seed.", DefaultValueFactory = _ => 0 };
        var dtype = new Option<string>("--dtype") { Description = "float32 | bfloat16 | float16", DefaultValueFactory = _ => "float32" };
        var command = new Command("init", "Write a randomly initialised (seeded) model folder.");
        foreach (var o in new Option[] { config, tokenizer, output, seed, dtype }) command.Options.Add(o);
        command.SetAction(parse =>
        {
            var json = parse.GetValue(CommonOptions.Json);
            try
            {
                var tok = TokenizerLoader.Load(parse.GetValue(tokenizer)!);
                var file = parse.GetValue(config);
                var cfg = file is null ? LlamaPresets.Tiny(tok) : LlamaConfig.Load(file.FullName);
                if (cfg.VocabSize < tok.VocabSize)
                    return CliOutput.Fail($"config vocab_size {cfg.VocabSize} is smaller than the tokenizer's {tok.VocabSize}", json);
                var dir = parse.GetValue(output)!.FullName;
                using var model = LlamaForCausalLM.Create(cfg, parse.GetValue(seed), dtype: TorchSetup.ParseDtype(parse.GetValue(dtype)));
                ModelFolder.Save(model, dir, tok);
                CliOutput.Write(new InitResult(dir, cfg.ParameterCount()), json, r => Console.WriteLine($"Wrote {r.Folder} ({r.Parameters:N0} parameters)"));
                return 0;
            }
            catch (Exception ex) when (ex is IOException or InvalidDataException or ArgumentException or NotSupportedException)
            {
                return CliOutput.Fail(ex.Message, json);
            }
        });
        return command;
    }

    private static Command Info()
    {
        var folder = new Argument<DirectoryInfo>("dir") { Description = "Model folder." };
        var command = new Command("info", "Parameter count by module and the config of a model folder.");
        command.Arguments.Add(folder);
        command.SetAction(parse =>
        {
            var json = parse.GetValue(CommonOptions.Json);
            var dir = parse.GetValue(folder)!.FullName;
            try
            {
                using var model = ModelFolder.LoadCausalLM(dir);
                var modules = ModelSummary.ParametersByModule(model);
                var config = JsonNode.Parse(model.Config.ToJson())!;
                var result = new InfoResult(model.parameters().Sum(p => p.numel()), config, modules);
                CliOutput.Write(result, json, r =>
                {
                    Console.WriteLine($"{dir}: {r.Parameters:N0} parameters");
                    foreach (var (name, n) in r.Modules) Console.WriteLine($"  {name,-32} {n,14:N0}");
                    Console.WriteLine(r.Config.ToJsonString());
                });
                return 0;
            }
            catch (Exception ex) when (ex is IOException or InvalidDataException or ArgumentException)
            {
                return CliOutput.Fail(ex.Message, json);
            }
        });
        return command;
    }

    private sealed record InitResult(string Folder, long Parameters);

    private sealed record InfoResult(long Parameters, JsonNode Config, IReadOnlyDictionary<string, long> Modules);
}
