namespace Pipeline.Model.Tests;

/// <summary>A fact that needs Debian's <c>sentencepiece</c> tools; skipped with a clear reason when they are absent.</summary>
public sealed class SpmFactAttribute : FactAttribute
{
    public SpmFactAttribute()
    {
        if (SentencePieceTools.Find("spm_train") is null || SentencePieceTools.Find("spm_encode") is null)
            Skip = "spm_train/spm_encode not found on PATH: install Debian's 'sentencepiece' package (listed in scripts/test-apt-packages.txt)";
    }
}
