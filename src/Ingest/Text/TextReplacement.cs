namespace Pipeline.Ingest.Text;

/// <summary>Characters Start..End of a text replaced by <see cref="NewLength"/> characters.</summary>
public readonly record struct TextReplacement(int Start, int End, int NewLength);
