using System.Text.RegularExpressions;

namespace Pipeline.BlobStorage;

/// <summary>
/// Azure's naming rules, enforced for both stores so that a name that works embedded also works in
/// Azure — and so no name can escape the local store's root folder.
/// </summary>
public static partial class BlobNames
{
    [GeneratedRegex("^[a-z0-9](?!.*--)[a-z0-9-]{1,61}[a-z0-9]$")]
    private static partial Regex ContainerPattern();

    public static void ValidateContainer(string container)
    {
        if (string.IsNullOrEmpty(container) || !ContainerPattern().IsMatch(container))
            throw new InvalidBlobNameException(
                $"Invalid container name '{container}': use 3-63 lower-case letters, digits and single hyphens, starting and ending with a letter or digit.");
    }

    public static void ValidateName(string name)
    {
        if (string.IsNullOrEmpty(name) || name.Length > 1024)
            throw new InvalidBlobNameException($"Invalid blob name '{name}': it must have 1-1024 characters.");
        if (name.StartsWith('/') || name.EndsWith('/') || name.Contains('\\') || name.Contains('\0'))
            throw new InvalidBlobNameException($"Invalid blob name '{name}': no leading or trailing '/', backslashes or NUL characters.");
        foreach (var segment in name.Split('/'))
        {
            if (segment is "" or "." or "..")
                throw new InvalidBlobNameException($"Invalid blob name '{name}': empty, '.' and '..' path segments are not allowed.");
        }
    }

    /// <summary>A prefix naming a folder: empty, or a valid name followed by one '/'.</summary>
    public static void ValidateFolderPrefix(string prefix)
    {
        if (prefix.Length == 0) return;
        if (!prefix.EndsWith('/')) throw new InvalidBlobNameException($"Invalid folder prefix '{prefix}': it must be empty or end with '/'.");
        ValidateName(prefix[..^1]);
    }

    public static void ValidatePrefix(string prefix)
    {
        if (prefix.Length == 0) return;
        ValidateName(prefix.TrimEnd('/'));
    }
}
