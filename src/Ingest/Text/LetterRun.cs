namespace Pipeline.Ingest.Text;

/// <summary>
/// A run of letters: where it starts, its length, its lower-cased <see cref="WordHash"/>, and the
/// joiner ('\'' or '-') when exactly that character separates it from the run before, else '\0'.
/// </summary>
public readonly record struct LetterRun(int Start, int Length, ulong Hash, char Joiner);
