using System.Text.Json;
using Pipeline.Ingest.Reading;

namespace Pipeline.Ingest.Processing;

/// <summary>How kept, rejected and quarantined records look on disk.</summary>
internal static class DocumentJson
{
    private static readonly HashSet<string> OwnKeys = ["language", "language_score", "toxicity", "pii", "c4_lines_removed", "reject_reason", "reject_detail", "shard"];

    /// <summary><c>{id, text, source?, meta: {input meta..., language, language_score, toxicity, pii, ...}}</c>.</summary>
    public static void WriteDocument(Utf8JsonWriter writer, ProcessedDocument document, string shardId)
    {
        writer.WriteString("id", document.Source.Id);
        writer.WriteString("text", document.Text);
        if (document.Source.Source is not null) writer.WriteString("source", document.Source.Source);
        writer.WriteStartObject("meta");
        if (document.Source.MetaJson is not null)
        {
            using var meta = JsonDocument.Parse(document.Source.MetaJson);
            foreach (var property in meta.RootElement.EnumerateObject())
            {
                if (!OwnKeys.Contains(property.Name)) property.WriteTo(writer);
            }
        }
        writer.WriteString("language", document.Language.Language);
        writer.WriteNumber("language_score", Math.Round(document.Language.Score, 4));
        writer.WriteNumber("toxicity", Math.Round(document.Toxicity, 4));
        if (document.Pii is { Total: > 0 } pii)
        {
            writer.WriteStartObject("pii");
            if (pii.Emails > 0) writer.WriteNumber("email", pii.Emails);
            if (pii.IpAddresses > 0) writer.WriteNumber("ip_address", pii.IpAddresses);
            if (pii.CreditCards > 0) writer.WriteNumber("credit_card", pii.CreditCards);
            if (pii.Phones > 0) writer.WriteNumber("phone", pii.Phones);
            writer.WriteEndObject();
        }
        if (document.C4LinesRemoved > 0) writer.WriteNumber("c4_lines_removed", document.C4LinesRemoved);
        if (document.Rejection is { } rejection)
        {
            writer.WriteString("reject_reason", rejection.Reason);
            writer.WriteString("reject_detail", rejection.ToString());
        }
        writer.WriteString("shard", shardId);
        writer.WriteEndObject();
    }

    public static void WriteQuarantine(Utf8JsonWriter writer, string file, ReadItem item)
    {
        writer.WriteString("file", file);
        writer.WriteNumber("line", item.Line);
        writer.WriteString("reason", item.QuarantineReason);
        if (item.Snippet is not null) writer.WriteString("snippet", item.Snippet);
    }
}
