namespace Pipeline.Model.Tokenization;

public enum ChatRole
{
    /// <summary>BOS/EOS and template markup around turns.</summary>
    Template,
    System,
    User,
    Assistant,
}

public sealed record ChatTurn(string User, string? Assistant = null);

/// <summary>Token ids with the role that produced each one; trainers put loss only where Role is Assistant.</summary>
public sealed record ChatEncoding(IReadOnlyList<int> Ids, IReadOnlyList<ChatRole> Roles)
{
    public bool[] LossMask(ChatRole role = ChatRole.Assistant) => Roles.Select(r => r == role).ToArray();
}

/// <summary>
/// Llama 2's chat format, one BOS ... EOS per exchange:
/// <c>&lt;s&gt;[INST] &lt;&lt;SYS&gt;&gt;\n{system}\n&lt;&lt;/SYS&gt;&gt;\n\n{user} [/INST] {answer} &lt;/s&gt;&lt;s&gt;[INST] {user2} [/INST]</c>.
/// Segments are encoded separately (so each token has one role); a segment that continues a
/// sequence starts with its own space, which gives the same ids as encoding the joined string
/// because SentencePiece and GPT-2 pieces never span the space before a word.
/// The answer's closing EOS counts as Assistant: the model must learn to stop.
/// </summary>
public static class ChatTemplate
{
    public const string InstOpen = "[INST]";
    public const string InstClose = "[/INST]";
    public const string SysOpen = "<<SYS>>\n";
    public const string SysClose = "\n<</SYS>>\n\n";

    /// <summary>Encodes a dialogue; if the last turn has no answer, the result ends ready for generation after "[/INST]".</summary>
    public static ChatEncoding Encode(TextTokenizer tokenizer, IReadOnlyList<ChatTurn> turns, string? system = null)
    {
        if (turns.Count == 0) throw new ArgumentException("a dialogue needs at least one user turn", nameof(turns));
        var ids = new List<int>();
        var roles = new List<ChatRole>();
        void Add(IEnumerable<int> segment, ChatRole role)
        {
            foreach (var id in segment) { ids.Add(id); roles.Add(role); }
        }
        for (var i = 0; i < turns.Count; i++)
        {
            var turn = turns[i];
            if (tokenizer.BosId is int bos) Add([bos], ChatRole.Template);
            Add(tokenizer.Encode(InstOpen), ChatRole.Template);
            var user = turn.User.Trim();
            if (i == 0 && !string.IsNullOrWhiteSpace(system))
            {
                Add(tokenizer.Encode(" " + SysOpen, continuation: true), ChatRole.Template);
                Add(tokenizer.Encode(system.Trim(), continuation: true), ChatRole.System);
                Add(tokenizer.Encode(SysClose, continuation: true), ChatRole.Template);
                Add(tokenizer.Encode(user, continuation: true), ChatRole.User);
            }
            else
            {
                Add(tokenizer.Encode(" " + user, continuation: true), ChatRole.User);
            }
            Add(tokenizer.Encode(" " + InstClose, continuation: true), ChatRole.Template);
            if (turn.Assistant is null)
            {
                if (i != turns.Count - 1) throw new ArgumentException($"turn {i} has no answer but is not the last turn", nameof(turns));
                break;
            }
            Add(tokenizer.Encode(" " + turn.Assistant.Trim() + " ", continuation: true), ChatRole.Assistant);
            if (tokenizer.EosId is int eos) Add([eos], ChatRole.Assistant);
        }
        return new ChatEncoding(ids, roles);
    }

    /// <summary>The single-turn prompt used for generation.</summary>
    public static ChatEncoding Prompt(TextTokenizer tokenizer, string user, string? system = null) =>
        Encode(tokenizer, [new ChatTurn(user)], system);

    /// <summary>The same text as one string (for display and for checking the token layout).</summary>
    public static string Render(IReadOnlyList<ChatTurn> turns, string? system = null)
    {
        var sb = new System.Text.StringBuilder();
        for (var i = 0; i < turns.Count; i++)
        {
            sb.Append("<s>").Append(InstOpen).Append(' ');
            if (i == 0 && !string.IsNullOrWhiteSpace(system)) sb.Append(SysOpen).Append(system.Trim()).Append(SysClose);
            sb.Append(turns[i].User.Trim()).Append(' ').Append(InstClose);
            if (turns[i].Assistant is { } a) sb.Append(' ').Append(a.Trim()).Append(" </s>");
        }
        return sb.ToString();
    }
}
