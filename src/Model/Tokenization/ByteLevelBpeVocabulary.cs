namespace Pipeline.Model.Tokenization;

/// <summary>
/// What a byte-level BPE tokenizer (GPT-2's kind) consists of: token strings in
/// <see cref="ByteLevelAlphabet"/> form indexed by id, merge rules in priority order, and the ids of
/// special tokens (matched whole in the text, never merged). <see cref="AddPrefixSpace"/> is the
/// ByteLevel pre-tokenizer flag that prepends a space to text not starting with one.
/// </summary>
public sealed record ByteLevelBpeVocabulary(
    IReadOnlyList<string> Tokens,
    IReadOnlyList<(string Left, string Right)> Merges,
    IReadOnlySet<int> SpecialIds,
    int? BosId,
    int? EosId,
    bool AddPrefixSpace = false)
{
    public IReadOnlyDictionary<string, int> SpecialTokens() => SpecialIds.ToDictionary(id => Tokens[id], id => id, StringComparer.Ordinal);
}
