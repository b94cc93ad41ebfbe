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
/// Each exchange gives the same ids as encoding its joined string (Meta's reference does that);
/// every token carries the role of the text it came from (see <see cref="TextTokenizer.EncodeSegments"/>).
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
        for (var i = 0; i < turns.Count; i++)
        {
            var turn = turns[i];
            if (turn.Assistant is null && i != turns.Count - 1)
                throw new ArgumentException($"turn {i} has no answer but is not the last turn", nameof(turns));
            var segments = new List<(string Text, ChatRole Role)> { (InstOpen, ChatRole.Template) };
            if (i == 0 && !string.IsNullOrWhiteSpace(system))
            {
                segments.Add((" " + SysOpen, ChatRole.Template));
                segments.Add((system.Trim(), ChatRole.System));
                segments.Add((SysClose, ChatRole.Template));
                segments.Add((turn.User.Trim(), ChatRole.User));
            }
            else
            {
                segments.Add((" " + turn.User.Trim(), ChatRole.User));
            }
            segments.Add((" " + InstClose, ChatRole.Template));
            if (turn.Assistant is not null) segments.Add((" " + turn.Assistant.Trim() + " ", ChatRole.Assistant));

            if (tokenizer.BosId is int bos) { ids.Add(bos); roles.Add(ChatRole.Template); }
            foreach (var (id, segment) in tokenizer.EncodeSegments(segments.Select(x => x.Text).ToList()))
            {
                ids.Add(id);
                roles.Add(segments[segment].Role);
            }
            if (turn.Assistant is not null && tokenizer.EosId is int eos) { ids.Add(eos); roles.Add(ChatRole.Assistant); }
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
