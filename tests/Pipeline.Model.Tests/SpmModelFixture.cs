namespace Pipeline.Model.Tests;

/// <summary>
/// Trains a small Llama-style SentencePiece model once (BPE, byte fallback, digits split, no
/// whitespace normalisation — the flags of Llama 2's tokenizer) on a generated corpus.
/// </summary>
public sealed class SpmModelFixture
{
    public SpmModelFixture()
    {
        Dir = Tiny.TempDir("spm-");
        if (SentencePieceTools.Find("spm_train") is null) return;
        File.WriteAllText(Path.Combine(Dir, "corpus.txt"), Corpus());
        SentencePieceTools.Run("spm_train",
            "--input=corpus.txt --model_prefix=tok --vocab_size=600 --model_type=bpe --byte_fallback=true "
            + "--split_digits=true --normalization_rule_name=identity --remove_extra_whitespaces=false "
            + "--hard_vocab_limit=false --character_coverage=1.0 --minloglevel=2", workingDir: Dir);
    }

    public string Dir { get; }
    public string ModelPath => Path.Combine(Dir, "tok.model");

    /// <summary>Reference ids: one line per input (spm_encode reads lines).</summary>
    public IReadOnlyList<int[]> Reference(IReadOnlyList<string> lines) =>
        SentencePieceTools.Run("spm_encode", $"--model={ModelPath} --output_format=id", string.Join("\n", lines) + "\n")
            .Split('\n')[..lines.Count]
            .Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(int.Parse).ToArray())
            .ToList();

    private static string Corpus()
    {
        var words = ("the of and to in is was for on that with as by at from his her they this which had not are but "
            + "model training language data token reward policy safety helpful answer question river mountain city "
            + "people number learning running jumped happily über café naïve 2023 1999 42 3.14 hello world Llama chat")
            .Split(' ');
        var random = new Random(7);
        var lines = new List<string>();
        for (var i = 0; i < 1500; i++)
        {
            var n = random.Next(4, 16);
            var line = string.Join(random.Next(10) == 0 ? "  " : " ", Enumerable.Range(0, n).Select(_ => words[random.Next(words.Length)]));
            lines.Add(char.ToUpperInvariant(line[0]) + line[1..] + (random.Next(3) == 0 ? "?" : "."));
        }
        return string.Join("\n", lines);
    }
}
