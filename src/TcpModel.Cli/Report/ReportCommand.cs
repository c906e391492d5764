using System.Text;
using System.Text.RegularExpressions;
using TcpModel.Machine;

namespace TcpModel.Cli.Report;

/// <summary><c>tcpmodel report</c>: the requirement matrix on stdout, or with <c>--out DIR</c> the static
/// report site (step-through, state graph, cells, requirements, profiles, conformance).</summary>
internal static partial class ReportCommand
{
    /// <summary>What <c>--help</c> prints after the generated option list.</summary>
    public const string Details = """
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
          the profiles side by side, and conformance results when --suites is given
          (freebsd-tcp-testsuite/state-event-engine under standard and freebsd;
          packetdrill-linux/gtests/net/tcp under linux).

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
        bool json = args.Has("--json");
        if (outDir is null && json)
        {
            stdout.Write(Json(requirements, null, 0));
            return ExitCode.Ok;
        }
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
        if (json)
        {
            stdout.Write(Json(requirements, outDir, files.Count - 1));
            return ExitCode.Ok;
        }
        stdout.WriteLine($"tcpmodel report: wrote {files.Count - 1} files to {outDir} (open {Path.Combine(outDir, "index.html")})");
        return ExitCode.Ok;
    }

    /// <summary>The summary as one JSON document (schema <c>tcpmodel-report/1</c>, spec/tcpmodel-json.md).</summary>
    private static string Json(IReadOnlyList<RequirementRow> requirements, string? outDir, int written)
    {
        using var ms = new MemoryStream();
        using (var w = new System.Text.Json.Utf8JsonWriter(ms, JsonOutput.Indented))
        {
            w.WriteStartObject();
            w.WriteString("schema", "tcpmodel-report/1");
            w.WriteStartObject("counts");
            foreach (var g in requirements.GroupBy(r => r.Status).OrderBy(g => g.Key, StringComparer.Ordinal)) w.WriteNumber(g.Key, g.Count());
            w.WriteEndObject();
            w.WriteStartArray("requirements");
            foreach (var r in requirements)
            {
                w.WriteStartObject();
                w.WriteString("id", r.Id);
                w.WriteString("level", r.Level);
                w.WriteString("status", r.Status);
                w.WriteString("section", r.Section);
                w.WriteString("feature", r.Feature);
                w.WriteString("how", r.How);
                w.WriteString("tests", r.Tests);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            if (outDir is not null)
            {
                w.WriteString("out", outDir);
                w.WriteNumber("files", written);
                w.WriteString("index", Path.Combine(outDir, "index.html"));
            }
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(ms.ToArray()) + "\n";
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
