using System.Text;

namespace TcpModel.Cli;

/// <summary>
/// Writes command output to stdout or to a file, never replacing what the user named by something else.
/// The whole output is made before the file is touched, so a failing command (a bad option, <c>dot</c>
/// failing or timing out) leaves the target as it was. Then:
/// <list type="bullet">
/// <item>a new file is written to a temporary file in the same directory and moved into place;</item>
/// <item>an existing regular file — also through symbolic links, to their final target — is rewritten
/// in place, so its mode, owner, hard links and the link itself stay, and a writable file in a directory
/// the user cannot write works; if writing fails midway its old content is put back;</item>
/// <item>a FIFO, device or other non-regular file is opened and written through (never truncated,
/// never replaced);</item>
/// <item>a directory is an error.</item>
/// </list>
/// </summary>
internal static class OutputFile
{
    /// <summary>Writes <paramref name="text"/> to <paramref name="path"/>, or to stdout when it is null.</summary>
    public static void Write(string? path, string text, TextWriter stdout)
    {
        if (path is null)
        {
            stdout.Write(text);
            return;
        }
        string full;
        try { full = Path.GetFullPath(path); }
        catch (Exception e) when (e is ArgumentException or NotSupportedException or PathTooLongException)
        {
            throw new UsageException($"--out: '{path}' is not a file path");
        }
        var bytes = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false).GetBytes(text);
        try
        {
            switch (FileProbe.KindOf(full))
            {
                case FileKind.Directory:
                    throw new CommandFailedException($"cannot write '{path}': it is a directory");
                case FileKind.Regular:
                    RewriteInPlace(FileProbe.RealPath(full), bytes);
                    break;
                case FileKind.Missing:
                    CreateNew(DanglingTarget(full) ?? full, bytes);
                    break;
                default:
                    WriteThrough(full, bytes);
                    break;
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CommandFailedException($"cannot write '{path}': {e.Message}");
        }
    }

    /// <summary>Where a dangling symbolic link points (the file to create), or null if it is no link.</summary>
    private static string? DanglingTarget(string link)
    {
        var target = new FileInfo(link).LinkTarget;
        return target is null ? null : Path.GetFullPath(target, Path.GetDirectoryName(link) ?? ".");
    }

    private static void CreateNew(string full, byte[] bytes)
    {
        string dir = Path.GetDirectoryName(full) ?? ".";
        string temp = Path.Combine(dir, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
        try
        {
            File.WriteAllBytes(temp, bytes);
            File.Move(temp, full, overwrite: false);
        }
        catch
        {
            TryDelete(temp);
            throw;
        }
    }

    private static void RewriteInPlace(string full, byte[] bytes)
    {
        FileStream fs;
        byte[]? old = null;
        try
        {
            fs = new FileStream(full, FileMode.Open, FileAccess.ReadWrite, FileShare.Read);
        }
        catch (UnauthorizedAccessException)
        {
            fs = new FileStream(full, FileMode.Open, FileAccess.Write, FileShare.Read); // write-only: no copy to restore
        }
        using (fs)
        {
            if (fs.CanRead)
            {
                old = new byte[fs.Length];
                fs.ReadExactly(old);
            }
            try
            {
                fs.Position = 0;
                fs.Write(bytes);
                fs.SetLength(bytes.Length);
                fs.Flush(flushToDisk: true);
            }
            catch (IOException) when (old is not null)
            {
                try
                {
                    fs.Position = 0;
                    fs.Write(old);
                    fs.SetLength(old.Length);
                    fs.Flush(flushToDisk: true);
                }
                catch (IOException) { }
                throw;
            }
        }
    }

    private static void WriteThrough(string full, byte[] bytes)
    {
        using var fs = new FileStream(full, FileMode.Open, FileAccess.Write, FileShare.ReadWrite, bufferSize: 0);
        fs.Write(bytes);
    }

    private static void TryDelete(string path)
    {
        try { File.Delete(path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
    }
}
