using TcpModel.Conformance.Packetdrill;
using TcpModel.Wire;

namespace TcpModel.Cli;

/// <summary><c>tcpmodel packetdrill [--profile NAME] [--json] PATH...</c>: runs packetdrill
/// scripts (files, or directories searched recursively for *.pkt) against the model.</summary>
public static class PacketdrillCommand
{
    /// <summary>What <c>--help</c> prints after the generated option list.</summary>
    public const string Details = """
        Runs packetdrill scripts (files, or directories searched recursively for *.pkt) with the
        model as the system under test, and prints a verdict per script, the first divergence of a
        failing one (script line, expected vs actual, the connection's state), and a last line
        'N passed, N failed[, N unsupported]'; a script needing a feature the
        model does not have ends 'UNSUPPORTED' with the feature named. Profiles select the script's
        #ifdef branches: standard and the RFC profiles STANDARD, freebsd FreeBSD, linux Linux (the
        shell setup of Linux scripts, defaults.sh and set_sysctls.py, is interpreted).

        A directory is searched for *.pkt files (symbolic links followed, each directory once); a file
        reached twice is run once; only regular files are read (a FIFO, device or unreadable file is that
        entry's FAIL); a script with no events FAILs. On a terminal, PASS/FAIL are coloured and a
        progress line (count, rate) is kept on stderr.

        Exit codes: 0 all passed, 1 some failed or no scripts found, 2 bad command line or missing file.
        """;

    /// <summary>Runs <c>tcpmodel packetdrill ARGS</c>; exit code 0 when every script passed, 1 when any failed, 2 on bad usage.</summary>
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        ArgumentNullException.ThrowIfNull(args);
        return CliMain.Run(["packetdrill", .. args], stdout, stderr);
    }

    internal static int Run(CliArgs args, CliContext ctx)
    {
        var stdout = ctx.Stdout;
        string profile = args.Get("--profile") ?? "standard";
        bool json = args.Has("--json");
        var paths = args.Positional;
        if (!PacketdrillProfiles.Accepted.Contains(profile, StringComparer.OrdinalIgnoreCase))
            throw new UsageException($"unknown profile '{profile}' ({string.Join(", ", PacketdrillProfiles.Accepted)})");
        if (paths.Count == 0) throw new UsageException("no PATH given (try 'tcpmodel packetdrill --help')");
        var files = new List<ScriptFile>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var visitedDirectories = new HashSet<string>(StringComparer.Ordinal);
        foreach (var p in paths)
        {
            switch (FileProbe.KindOf(p))
            {
                case FileKind.Directory:
                    CollectDirectory(p, files, seen, visitedDirectories);
                    break;
                case FileKind.Missing when !IsLink(p):
                    throw new UsageException($"{p}: no such file or directory");
                default:
                    AddFile(p, files, seen); // a named file is run whatever its name; a non-regular one fails below
                    break;
            }
        }
        if (files.Count == 0)
            throw new CommandFailedException($"no scripts found (no *.pkt file under {string.Join(", ", paths)})");
        int passed = 0, failed = 0, unsupported = 0;
        using var progress = ctx.Progress("packetdrill", files.Count);
        foreach (var script in files)
        {
            string file = script.Shown;
            PacketdrillVerdict verdict;
            string? error = null;
            var (text, unreadable) = ReadScript(script.Path);
            if (text is null)
            {
                error = $"{file}:1:1: {unreadable}";
                verdict = new PacketdrillVerdict(file, profile, new PacketdrillDivergence(new SourcePosition(file, 1, 1), "a readable regular file", unreadable!, "CLOSED"));
            }
            else
            {
                try
                {
                    verdict = PacketdrillRunner.Run(PacketdrillParser.Parse(text, file), new PacketdrillRunOptions { Profile = profile });
                }
                catch (PacketdrillSyntaxException ex)
                {
                    error = ex.Message;
                    verdict = new PacketdrillVerdict(file, profile, new PacketdrillDivergence(ex.Position, "a well-formed script", ex.Detail, "CLOSED"));
                }
            }
            if (verdict.Passed) passed++; else if (verdict.Unsupported is not null) unsupported++; else failed++;
            progress.Step(file);
            bool c = ctx.Color;
            if (json)
            {
                var d = verdict.Divergence;
                JsonOutput.WriteLine(stdout, w =>
                {
                    w.WriteString("type", "script");
                    w.WriteString("file", file);
                    w.WriteString("profile", profile);
                    w.WriteString("verdict", verdict.Passed ? "pass" : verdict.Unsupported is not null ? "unsupported" : "fail");
                    w.WriteBoolean("passed", verdict.Passed);
                    w.WriteString("unsupported", verdict.Unsupported);
                    w.WriteString("syntaxError", error);
                    if (d is null) w.WriteNull("divergence");
                    else
                    {
                        w.WriteStartObject("divergence");
                        w.WriteNumber("line", d.Position.Line);
                        w.WriteNumber("column", d.Position.Column);
                        w.WriteString("expected", d.Expected);
                        w.WriteString("actual", d.Actual);
                        w.WriteString("state", d.State);
                        w.WriteEndObject();
                    }
                });
            }
            else if (verdict.Passed) stdout.WriteLine($"{Colors.Verdict("PASS", c)} {ErrorText.Path(file)}");
            else if (error is not null) stdout.WriteLine($"{Colors.Verdict("FAIL", c)} {ErrorText.Path(file)}\n  {Clean(error)}");
            else if (verdict.Unsupported is { } feature) stdout.WriteLine($"{Colors.Verdict("UNSUPPORTED", c)} {ErrorText.Path(file)}\n  {verdict.Divergence!.Position}: unsupported: {Clean(feature)}");
            else stdout.WriteLine($"{Colors.Verdict("FAIL", c)} {ErrorText.Path(file)}\n  {Clean(verdict.Divergence!.ToString())}");
        }
        progress.Dispose();
        if (json)
        {
            JsonOutput.WriteLine(stdout, w =>
            {
                w.WriteString("type", "summary");
                w.WriteString("schema", "tcpmodel-packetdrill/1");
                w.WriteString("profile", profile);
                w.WriteStartArray("notCompared");
                foreach (var n in PacketdrillVerdict.NotCompared) w.WriteStringValue(n);
                w.WriteEndArray();
                w.WriteNumber("scripts", files.Count);
                w.WriteNumber("passed", passed);
                w.WriteNumber("failed", failed);
                w.WriteNumber("unsupported", unsupported);
            });
        }
        else
        {
            stdout.WriteLine("not compared: " + string.Join("; ", PacketdrillVerdict.NotCompared));
            stdout.WriteLine(unsupported == 0 ? $"{passed} passed, {failed} failed" : $"{passed} passed, {failed} failed, {unsupported} unsupported");
        }
        return failed == 0 && unsupported == 0 ? 0 : 1;
    }

    /// <summary>A script to run: the path to open and the path to show.</summary>
    private sealed record ScriptFile(string Path, string Shown);

    private static string Clean(string text) => ErrorText.Clean(text);

    private static bool IsLink(string path)
    {
        try { return new FileInfo(path).LinkTarget is not null; }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException) { return false; }
    }

    /// <summary>Adds a file unless the same file (by real path) is already listed.</summary>
    private static void AddFile(string path, List<ScriptFile> files, HashSet<string> seen)
    {
        if (seen.Add(FileProbe.RealPath(path))) files.Add(new ScriptFile(path, path));
    }

    /// <summary>Every *.pkt under <paramref name="directory"/>, in ordinal order, descending into
    /// subdirectories (and symbolic links to them) but never into one already visited, so a symbolic-link
    /// loop is walked once. An unreadable directory becomes a failing entry of its own.</summary>
    private static void CollectDirectory(string directory, List<ScriptFile> files, HashSet<string> seen, HashSet<string> visited)
    {
        if (!visited.Add(FileProbe.RealPath(directory))) return;
        string[] entries;
        try
        {
            entries = Directory.GetFileSystemEntries(directory);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            files.Add(new ScriptFile(directory, directory)); // reading it fails with the reason
            return;
        }
        Array.Sort(entries, StringComparer.Ordinal);
        foreach (var entry in entries)
        {
            var kind = FileProbe.KindOf(entry);
            if (kind == FileKind.Directory) CollectDirectory(entry, files, seen, visited);
            else if (entry.EndsWith(".pkt", StringComparison.Ordinal)) AddFile(entry, files, seen);
        }
    }

    /// <summary>The text of a script, or why it cannot be read: only regular files are opened (a FIFO
    /// would block, a device never ends).</summary>
    private static (string? Text, string? Why) ReadScript(string path)
    {
        var kind = FileProbe.KindOf(path);
        string? why = kind switch
        {
            FileKind.Regular => null,
            FileKind.Missing => IsLink(path) ? "dangling symbolic link" : "no such file",
            FileKind.Directory => "cannot read directory",
            FileKind.Fifo => "not a regular file (a FIFO)",
            FileKind.CharacterDevice or FileKind.BlockDevice => "not a regular file (a device)",
            _ => "not a regular file",
        };
        if (why is not null) return (null, why);
        try
        {
            return (File.ReadAllText(path), null);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return (null, "cannot read: " + e.Message);
        }
    }
}
