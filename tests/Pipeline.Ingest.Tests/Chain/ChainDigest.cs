using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Pipeline.Ingest.Processing;
using Pipeline.Ingest.Reading;
using Pipeline.Ingest.Steps;
using Pipeline.Ingest.Text;

namespace Pipeline.Ingest.Tests.Chain;

/// <summary>
/// One line per document: what the chain decided and annotated, plus what each filter decides when
/// run alone on the normalised text (the chain stops at the first rejection, so later filters would
/// otherwise go unchecked on many documents). Doubles are written in full ("R") and compared with a
/// tolerance; everything else must match exactly.
/// </summary>
internal static class ChainDigest
{
    public static string Of(IngestChain chain, RawDocument document)
    {
        var result = chain.Process(document);
        var fields = new List<string>
        {
            document.Id,
            Verdict(result.Rejection),
            result.Language.Language, Number(result.Language.Score),
            Number(result.Toxicity),
            Pii(result.Pii),
            Demographics(result.Demographics),
            result.C4LinesRemoved.ToString(CultureInfo.InvariantCulture),
            Hash(result.Text),
        };
        var normalised = chain.Normalizer.Normalize(document.Text);
        fields.Add(Hash(normalised));
        if (normalised.Length > 0)
        {
            var view = new DocumentView(normalised);
            fields.Add(Verdict(chain.GopherRepetition.Check(view)));
            fields.Add(Verdict(chain.GopherQuality.Check(view, english: true)));
            fields.Add(Verdict(chain.GopherQuality.Check(view, english: false)));
            var c4 = chain.C4.Apply(view, english: true);
            fields.Add($"{Verdict(c4.Verdict)}|{c4.LinesRemoved}|{Hash(c4.Text)}");
            fields.Add(Verdict(chain.FineWeb.Check(view)));
            var pii = chain.Pii.Redact(normalised);
            fields.Add($"{Pii(pii)}|{Hash(pii.Text)}");
            fields.Add(Number(chain.Toxicity.Score(normalised, "en")));
            fields.Add(Demographics(chain.Demographics.Count(normalised)));
        }
        return string.Join('\t', fields);
    }

    /// <summary>Fields equal, numbers (fields that parse as doubles on both sides) within 1e-9.</summary>
    public static bool Same(string expected, string actual)
    {
        if (expected == actual) return true;
        var a = expected.Split('\t');
        var b = actual.Split('\t');
        if (a.Length != b.Length) return false;
        for (var i = 0; i < a.Length; i++)
        {
            if (a[i] == b[i]) continue;
            var x = a[i].Split('|');
            var y = b[i].Split('|');
            if (x.Length != y.Length) return false;
            for (var j = 0; j < x.Length; j++)
            {
                if (x[j] == y[j]) continue;
                if (!double.TryParse(x[j], NumberStyles.Float, CultureInfo.InvariantCulture, out var u)
                    || !double.TryParse(y[j], NumberStyles.Float, CultureInfo.InvariantCulture, out var v)
                    || Math.Abs(u - v) > 1e-9) return false;
            }
        }
        return true;
    }

    private static string Verdict(FilterVerdict? verdict) => verdict is null ? "kept" : $"{verdict.Reason}|{Number(verdict.Value)}|{Number(verdict.Threshold)}";

    private static string Pii(PiiResult? pii) => pii is null ? "-" : $"{pii.Emails}|{pii.IpAddresses}|{pii.CreditCards}|{pii.Phones}";

    private static string Demographics(DemographicHits hits) =>
        string.Join(',', hits.PronounFamilies) + ";" + string.Join(',', hits.IdentityTerms.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}={string.Join('+', p.Value)}"));

    private static string Number(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    private static string Hash(string text) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..16];
}
