namespace Pipeline.ServiceDefaults.Options;

public static class ConfigurationKeys
{
    /// <summary>"Bus:Host (env Bus__Host) is required ..." — the key as written in JSON and in compose.</summary>
    public static string Describe(string section, string property, string problem)
        => $"{section}:{property} (env {section.Replace(":", "__")}__{property}) {problem}";
}
