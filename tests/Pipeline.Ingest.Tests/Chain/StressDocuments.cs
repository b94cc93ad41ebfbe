using Pipeline.Ingest.Reading;

namespace Pipeline.Ingest.Tests.Chain;

/// <summary>
/// Corpus documents with tricky fragments spliced in at seeded positions, so the golden digest also
/// covers what the bundled corpus rarely has: PII shapes, toxic words and phrases, Cyrillic, Han and
/// kana, odd whitespace and invisible characters, repeated lines, C4's drop triggers, case variants.
/// </summary>
internal static class StressDocuments
{
    private static readonly string[] Fragments =
    [
        "Write to jane.doe@example.org today.", "From: <exmh-workers-admin@redhat.com>", "Server 192.168.10.25 is down.",
        "Use 2001:db8:85a3::8a2e:370:7334 now.", "Card 4111 1111 1111 1111 on file.", "Call +1 (555) 123-4567 now.",
        "Ruf 030 1234 5678 an.", "Version 2.4.1 shipped on 2023-04-05.", "At 12:36:23 the job ran, see std::vector and a::b.",
        "Order 1234567890 and ISBN 978-3-16-148410-0 are ids.", "a@b c@d.e x@y.zz @@ foo@@bar.com",
        "You stupid idiot, this is crap and you are a moron.", "What a dumb, stupid mess. Alligator bait!", "Damn.",
        "SHE said HE was an American Christian; They met two Gay WOMEN and non-binary African-American friends.",
        "Eres un abanto y un adefesio.", "Der dicke Hund schläft. Straße, Größe, Übermaß.",
        "Привет, как дела? Это не так, и мы все были там.", "这是一个中文句子，我们今天去公园。", "これは日本語の文です。",
        "Lorem Ipsum dolor sit amet.", "function() { return 1; }", "Enable JavaScript to view this page.",
        "Read our Privacy Policy and Terms of Use.", "This site uses cookies", "• bullet one\n• bullet two\n* bullet three",
        "and so on...\nwait for it…\n", "#hashtag #another ### ...", "repeat this line\nrepeat this line\nrepeat this line",
        "word word word word word word word word word word word word", "\r\n\r\n\r\n", "\t \u00a0\u2003 spaced\u200b out\ufeff\u00ad",
        "line\u2028separated\u2029para\u0085next", "İstanbul ÇAĞRI ǅemal ΣΊΣΥΦΟΣ Ærø", "don't won't rock'n'roll o'clock ''quoted''",
        "e.g. 3.5 i.e. Mr. Smith... yes! No? 。！？", "😀 emoji 👩‍💻 with joiner", "http://example.com:8080/path?q=1",
        "fe80::1ff:fe23:4567:890a", "::1", "+49 (0)30 123456", "(030) 1234567", "12.03.2024", "5500-0000-0000-0004",
    ];

    public static IEnumerable<RawDocument> From(IReadOnlyList<RawDocument> corpus, int count, int seed)
    {
        var random = new Random(seed);
        for (var n = 0; n < count; n++)
        {
            var source = corpus[random.Next(corpus.Count)];
            var text = source.Text;
            var inserts = random.Next(1, 8);
            for (var k = 0; k < inserts; k++)
            {
                var fragment = Fragments[random.Next(Fragments.Length)];
                var at = text.Length == 0 ? 0 : random.Next(text.Length + 1);
                var separator = random.Next(3) switch { 0 => " ", 1 => "\n", _ => "\n\n" };
                text = text[..at] + separator + fragment + separator + text[at..];
            }
            if (random.Next(4) == 0) text = text.Length > 400 ? text[..random.Next(text.Length)] : text;
            yield return new RawDocument($"stress-{n}-{source.Id}", text, source.Source, null);
        }
    }
}
