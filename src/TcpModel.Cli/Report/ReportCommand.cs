using System.Text;
using System.Text.RegularExpressions;
using TcpModel.Machine;

namespace TcpModel.Cli.Report;

/// <summary><c>tcpmodel report</c>: the requirement matrix on stdout, or with <c>--out DIR</c> the static
/// report site (step-through, state graph, cells, requirements, profiles, conformance).</summary>
internal static partial class ReportCommand
{
    public const string Help = """
        Usage: tcpmodel report [--out DIR] [--profile P] [--rfc FILE] [--suites DIR]

        Without --out: prints RFC 9293's requirement matrix (Table 8) with how the model treats each
        id and the counts (implemented and tested / profile policy / out of scope / gap).

        With --out DIR: writes a static site into DIR (a new folder, or one an earlier report wrote)
        that opens from the file system with no server and no external resources:
          a step-through of named scenarios (the classic walk-through with its lost last ACK,
          simultaneous open and close, half-close, connection refused, half-open discovery, old
          duplicate SYN, TIME-WAIT reopening) and of inputs picked from any state's canonical TCB,
          each step showing both endpoints' states, TCB variables and timers, the segment in RFC
          notation and as seq=x+1 ack=y+1, and the cells fired with their RFC sentence; the state
          graph (Graphviz when 'dot' is on PATH), the searchable cell table, the requirement matrix,
          the profiles side by side, and conformance results when --suites is given.

          --profile P    the profile the step-through runs (default rfc9293)
          --rfc FILE     RFC 9293's text, for quoting the cells' sentences (default
                         $TCPMODEL_SHARED/rfc/rfc9293.txt or ../shared/rfc/rfc9293.txt when present)
          --suites DIR   run the shared suites in DIR (freebsd-tcp-testsuite/state-event-engine under
                         standard and freebsd; packetdrill-linux/gtests/net/tcp under linux) and show them

        Exit codes: 0 ok, 1 the site could not be written, 2 bad command line.
        """;

    /// <summary>The suite folders a report runs, each with its profiles (named explicitly: a new
    /// folder in shared/ never changes what a report shows).</summary>
    internal static readonly (string Folder, string[] Profiles)[] SuiteFolders =
    [
        ("freebsd-tcp-testsuite/state-event-engine", ["standard", "freebsd"]),
        ("packetdrill-linux/gtests/net/tcp", ["linux"]),
    ];

    public static int Run(CliArgs args, TextWriter stdout, CliEnvironment env)
    {
        var profile = CommonOptions.Profile(args);
        var requirements = Site.Requirements();
        var outDir = args.Get("--out");
        if (outDir is null)
        {
            stdout.WriteLine($"RFC 9293 requirements (Table 8): {Site.Counts(requirements)}");
            stdout.WriteLine();
            foreach (var r in requirements)
                stdout.WriteLine($"  {r.Id,-8} {r.Level,-10} {r.Status,-12} {Trim(r.Feature, 60)}");
            return ExitCode.Ok;
        }
        var rfcPath = args.Get("--rfc") ?? DefaultRfc();
        if (args.Get("--rfc") is { } given && !File.Exists(given)) throw new UsageException($"report: --rfc {given}: no such file");
        var quotes = rfcPath is not null && File.Exists(rfcPath) ? new RfcQuotes(File.ReadAllText(rfcPath)) : RfcQuotes.None;
        var conformance = new List<ConformanceRow>();
        if (args.Get("--suites") is { } suites)
        {
            if (!Directory.Exists(suites)) throw new UsageException($"report: --suites {suites}: no such folder");
            conformance.AddRange(RunSuites(suites));
        }
        var files = Site.Build(profile, quotes, Graphviz.FindDot(env.PathVariable), env.DotTimeout, conformance);
        Write(outDir, files);
        stdout.WriteLine($"tcpmodel report: wrote {files.Count - 1} files to {outDir} (open {Path.Combine(outDir, "index.html")})");
        return ExitCode.Ok;
    }

    private static string? DefaultRfc()
    {
        var shared = Environment.GetEnvironmentVariable("TCPMODEL_SHARED");
        foreach (var root in new[] { shared, Path.Combine("..", "shared") })
        {
            if (string.IsNullOrEmpty(root)) continue;
            var p = Path.Combine(root, "rfc", "rfc9293.txt");
            if (File.Exists(p)) return p;
        }
        return null;
    }

    internal static IEnumerable<ConformanceRow> RunSuites(string root)
    {
        foreach (var (folder, profiles) in SuiteFolders)
        {
            var dir = Path.Combine(root, folder);
            if (!Directory.Exists(dir)) continue;
            foreach (var p in profiles)
            {
                if (!Profile.BuiltIn.ContainsKey(p)) continue;
                var o = new StringWriter();
                var e = new StringWriter();
                PacketdrillCommand.Run(["--profile", p, dir], o, e);
                var text = o.ToString();
                var m = Summary().Match(text);
                var u = Unsupported().Match(text);
                if (m.Success)
                    yield return new ConformanceRow(folder, p, int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture),
                        int.Parse(m.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture),
                        u.Success ? int.Parse(u.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) : 0);
            }
        }
    }

    /// <summary>Writes the site into a fresh sibling folder first, then moves it into place: a failure
    /// leaves no half-written site, and an existing folder is replaced only when an earlier report
    /// wrote it (it holds <see cref="Site.Marker"/>).</summary>
    internal static void Write(string outDir, IReadOnlyDictionary<string, string> files)
    {
        var full = Path.GetFullPath(outDir);
        if (File.Exists(full)) throw new CommandFailedException($"report: --out {outDir} is a file, not a folder");
        bool replacing = Directory.Exists(full) && Directory.EnumerateFileSystemEntries(full).Any();
        if (replacing && !File.Exists(Path.Combine(full, Site.Marker)))
            throw new CommandFailedException($"report: --out {outDir} is a folder an earlier report did not write; choose a new or empty folder");
        var parent = Path.GetDirectoryName(full) ?? ".";
        if (!Directory.Exists(parent)) throw new CommandFailedException($"report: the folder {parent} does not exist");
        var staging = Path.Combine(parent, "." + Path.GetFileName(full) + ".partial-" + Environment.ProcessId);
        try
        {
            Directory.CreateDirectory(staging);
            foreach (var (name, text) in files) File.WriteAllText(Path.Combine(staging, name), text, new UTF8Encoding(false));
            if (Directory.Exists(full))
            {
                foreach (var name in files.Keys) File.Delete(Path.Combine(full, name));
                foreach (var name in files.Keys) File.Move(Path.Combine(staging, name), Path.Combine(full, name));
                Directory.Delete(staging);
            }
            else Directory.Move(staging, full);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            try { if (Directory.Exists(staging)) Directory.Delete(staging, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
            throw new CommandFailedException($"report: could not write {outDir}: {ex.Message}");
        }
    }

    private static string Trim(string s, int n) => s.Length <= n ? s : s[..(n - 1)] + "…";

    [GeneratedRegex(@"(?m)^(\d+) passed, (\d+) failed")]
    private static partial Regex Summary();

    [GeneratedRegex(@"(\d+) unsupported")]
    private static partial Regex Unsupported();
}
