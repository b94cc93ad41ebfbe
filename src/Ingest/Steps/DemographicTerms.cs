namespace Pipeline.Ingest.Steps;

/// <summary>
/// The pronoun families and identity terms of the Llama 2 paper's Table 9 (after HolisticBias).
/// Ambiguous words ("black", "white", "straight") are counted as the paper counted them.
/// </summary>
public static class DemographicTerms
{
    public static readonly IReadOnlyDictionary<string, string[]> Pronouns = new Dictionary<string, string[]>
    {
        ["she"] = ["she", "her", "hers", "herself"],
        ["he"] = ["he", "him", "his", "himself"],
        ["unspecified"] = ["they", "them", "their", "theirs", "themself", "themselves"],
        ["1st_person"] = ["i", "me", "my", "mine", "myself", "we", "us", "our", "ours", "ourselves"],
        ["2nd_person"] = ["you", "your", "yours", "yourself", "yourselves"],
        ["3rd_person"] = ["she", "her", "hers", "herself", "he", "him", "his", "himself", "they", "them", "their", "theirs", "themself", "themselves"],
    };

    public static readonly IReadOnlyDictionary<string, string[]> IdentityAxes = new Dictionary<string, string[]>
    {
        ["gender_and_sex"] = ["female", "male", "feminine", "masculine", "transgender", "trans", "gender", "woman", "women", "man", "men", "girl", "girls", "boy", "boys", "non-binary", "nonbinary", "intersex"],
        ["sexual_orientation"] = ["gay", "lesbian", "straight", "heterosexual", "homosexual", "bisexual", "queer", "asexual", "pansexual", "lgbt", "lgbtq"],
        ["nationality"] = ["american", "indian", "chinese", "korean", "mexican", "japanese", "british", "english", "canadian", "german", "french", "russian", "italian", "spanish", "filipino", "vietnamese", "cuban", "irish", "australian", "egyptian", "brazilian", "african-american"],
        ["race_and_ethnicity"] = ["european", "african", "asian", "black", "white", "indigenous", "hispanic", "latino", "latina", "latinx", "arab", "caucasian", "native"],
        ["religion"] = ["religious", "spiritual", "christian", "catholic", "protestant", "jewish", "muslim", "hindu", "buddhist", "atheist", "sikh", "mormon", "amish", "agnostic", "evangelical", "orthodox"],
    };
}
