using Pipeline.Ingest.Text;

namespace Pipeline.Ingest.Steps;

public enum PiiKind { Email, IpAddress, CreditCard, Phone }

public static class PiiPlaceholders
{
    public static string For(PiiKind kind) => kind switch
    {
        PiiKind.Email => "<EMAIL>",
        PiiKind.IpAddress => "<IP_ADDRESS>",
        PiiKind.CreditCard => "<CREDIT_CARD>",
        _ => "<PHONE>",
    };

    public static string Key(PiiKind kind) => kind switch
    {
        PiiKind.Email => "email",
        PiiKind.IpAddress => "ip_address",
        PiiKind.CreditCard => "credit_card",
        _ => "phone",
    };
}

/// <summary>The text with PII replaced and how many of each kind were found.</summary>
public sealed record PiiResult(string Text, int Emails, int IpAddresses, int CreditCards, int Phones)
{
    public int Total => Emails + IpAddresses + CreditCards + Phones;
    /// <summary>Where the input changed, in order (empty when nothing was found), so that data about the input can follow the edit.</summary>
    public IReadOnlyList<TextReplacement> Replacements { get; init; } = [];
}
