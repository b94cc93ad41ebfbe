using Pipeline.Dedup.Core;

namespace Pipeline.Dedup.Tests.Core;

public sealed class NormalizationTests
{
    [Fact]
    public void Default_normalisation_ignores_case_spacing_punctuation_and_compatibility_forms()
    {
        var normalizer = new TextNormalizer(NormalizationOptions.Default);
        Assert.Equal("the first end start 12", normalizer.Normalize("The  ﬁrst\tend.Start, ＂12＂!"));
        Assert.Equal(normalizer.Normalize("Hello,   World!"), normalizer.Normalize("hello world"));
    }

    [Fact]
    public void Each_normalisation_step_can_be_turned_off()
    {
        var none = new TextNormalizer(NormalizationOptions.None);
        Assert.Equal("A  b.", none.Normalize("A  b."));
        var caseOnly = new TextNormalizer(NormalizationOptions.None with { Lowercase = true });
        Assert.Equal("a  b.", caseOnly.Normalize("A  b."));
    }

    [Fact]
    public void Exact_hash_is_equal_for_texts_that_normalise_alike_and_differs_otherwise()
    {
        var normalizer = new TextNormalizer(NormalizationOptions.Default);
        Assert.Equal(ContentHash.Of(normalizer.Normalize("A cat sat.")), ContentHash.Of(normalizer.Normalize("a CAT  sat")));
        Assert.NotEqual(ContentHash.Of(normalizer.Normalize("A cat sat.")), ContentHash.Of(normalizer.Normalize("A cat sat down.")));
    }

    [Fact]
    public void Exact_duplicates_keep_the_first_occurrence()
    {
        var dedup = new InMemoryDeduplicator(new DedupSettings());
        var decisions = dedup.Deduplicate(["unique text one here", "Same text, again!", "unique text two here", "same text again", "SAME TEXT AGAIN"]);
        Assert.Equal([true, true, true, false, false], decisions.Select(d => d.Kept));
        Assert.All(decisions.Skip(3), d => Assert.Equal((1, DuplicateKind.Exact), (d.Cluster, d.Kind)));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Vector_fast_path_equals_the_per_character_definition(bool lower)
    {
        var options = NormalizationOptions.Default with { Lowercase = lower };
        var fast = new TextNormalizer(options);
        var scalar = new TextNormalizer(options) { ScalarOnly = true };
        var everyAscii = new string(Enumerable.Range(0, 128).Select(c => (char)c).ToArray());
        var texts = Support.SampleData.Brown().Take(50).Select(d => d.Text)
            .Concat([everyAscii, everyAscii + everyAscii + " tail", "", "   ", "...", "a", " Ab-Cd_ef\t\r\n42 ", "x\u0001y\u007Fz\u001Cw",
                "  Ünïcode—dash, ﬁne;  tabs\there… ok  ", "Straße ÄÖÜ «quoted» 𝔘𝔫𝔦 ＡＢＣ\u00A0nbsp\u2003em a-b c d e f g h i j k l m n o p q r s t u v w x y z",
                "averyveryverylongwordindeedmorethansixteenchars x ΑΒΓΔ ελληνικά123 " + everyAscii + " Ωmega ende."]);
        foreach (var text in texts)
        {
            Assert.Equal(scalar.Normalize(text), fast.Normalize(text));
            var fastWords = new WordShingles(5, 7);
            var scalarWords = new WordShingles(5, 7);
            char[] a = [], b = [];
            var fastLength = fast.Normalize(text, ref a, fastWords);
            var scalarLength = scalar.Normalize(text, ref b, scalarWords);
            Assert.Equal(new string(b, 0, scalarLength), new string(a, 0, fastLength));
            Assert.Equal(scalarWords.WordHashes.ToArray(), fastWords.WordHashes.ToArray());
        }
    }
}
