using System.Runtime.InteropServices;

namespace Pipeline.BlobStorage;

/// <summary>
/// Moves a finished temp file to its final path only if nothing is there, as one atomic step, so that
/// of writers racing to create one blob exactly one wins. <see cref="File.Move(string, string, bool)"/>
/// without overwrite is not that on Unix: .NET checks that the target is missing (lstat) and then
/// renames, and two writers that both pass the check both "win", the second replacing the first
/// (seen as doubled stage announcements in the staged dedup under load).
/// </summary>
/// <remarks>
/// On Unix a hard link is the atomic create: link(2) fails with EEXIST when the target exists. Where
/// the file system has no hard links, the target is created with O_EXCL and the content copied into
/// it: still one winner, though a reader may then see the blob before its content is complete.
/// Windows' MoveFileEx without REPLACE_EXISTING is atomic already.
/// </remarks>
internal static partial class NoReplaceMove
{
    private const int EEXIST = 17; // the same on Linux and macOS

    /// <returns>False when <paramref name="target"/> already exists; <paramref name="temp"/> is then left in place.</returns>
    public static bool TryMove(string temp, string target)
    {
        if (OperatingSystem.IsWindows())
        {
            try
            {
                File.Move(temp, target, overwrite: false);
                return true;
            }
            catch (IOException) when (File.Exists(target))
            {
                return false;
            }
        }
        int result;
        try
        {
            result = Link(temp, target);
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
        {
            // A C library the runtime cannot bind "libc" to: still one winner, by O_EXCL.
            return TryCreateByCopy(temp, target);
        }
        if (result == 0)
        {
            File.Delete(temp);
            return true;
        }
        var error = Marshal.GetLastPInvokeError();
        if (error == EEXIST) return false;
        return TryCreateByCopy(temp, target);
    }

    /// <summary>The fallback where there are no hard links: the target created with O_EXCL, then the content copied in.</summary>
    internal static bool TryCreateByCopy(string temp, string target)
    {
        FileStream output;
        try
        {
            output = new FileStream(target, FileMode.CreateNew, FileAccess.Write, FileShare.None);
        }
        catch (IOException) when (File.Exists(target))
        {
            return false;
        }
        using (output)
        using (var input = File.OpenRead(temp))
        {
            input.CopyTo(output);
            output.Flush(flushToDisk: true);
        }
        File.Delete(temp);
        return true;
    }

    [LibraryImport("libc", EntryPoint = "link", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Link(string existing, string created);
}
