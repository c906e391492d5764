namespace TcpModel.Cli;

/// <summary>
/// Writes command output to stdout or to a file. A file is written whole to a temporary file in
/// the same directory and then moved over the target, so a failure never leaves a half-written file.
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
        string dir = Path.GetDirectoryName(full) ?? ".";
        string temp = Path.Combine(dir, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
        try
        {
            File.WriteAllText(temp, text);
            File.Move(temp, full, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            TryDelete(temp);
            throw new CommandFailedException($"cannot write '{path}': {e.Message}");
        }
    }

    private static void TryDelete(string path)
    {
        try { File.Delete(path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
    }
}
