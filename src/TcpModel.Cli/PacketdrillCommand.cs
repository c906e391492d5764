using System.Text.Json;
using TcpModel.Conformance.Packetdrill;

namespace TcpModel.Cli;

/// <summary><c>tcpmodel packetdrill [--profile standard|freebsd] [--json] PATH...</c>: runs packetdrill
/// scripts (files, or directories searched recursively for *.pkt) against the model.</summary>
public static class PacketdrillCommand
{
    /// <summary>Help text.</summary>
    public const string Help = """
        Usage: tcpmodel packetdrill [--profile standard|freebsd] [--json] PATH...

        Runs packetdrill scripts (files, or directories searched recursively for *.pkt) with the
        model as the system under test, and prints a verdict per script, the first divergence of a
        failing one (script line, expected vs actual, the connection's state), and a last line
        'N passed, N failed'.

          --profile standard   RFC 9293 with the RFC 5961 policies switched by the insecure_* sysctls
                               (selects the #ifdef STANDARD branches; the default)
          --profile freebsd    FreeBSD's behaviour (selects the #ifdef FreeBSD branches)
          --json               one JSON document for machines

        Exit codes: 0 all passed, 1 some failed, 2 bad command line or missing file.
        """;

    /// <summary>Runs the command; exit code 0 when every script passed, 1 when any failed, 2 on bad usage.</summary>
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(stdout);
        ArgumentNullException.ThrowIfNull(stderr);
        string profile = "standard";
        bool json = false;
        var paths = new List<string>();
        for (int i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--json": json = true; break;
                case "--profile" when i + 1 < args.Length: profile = args[++i]; break;
                case var a when a.StartsWith("--profile=", StringComparison.Ordinal): profile = a["--profile=".Length..]; break;
                case var a when a.StartsWith('-'):
                    stderr.WriteLine($"tcpmodel packetdrill: unknown option {a}");
                    return 2;
                default: paths.Add(args[i]); break;
            }
        }
        if (!PacketdrillProfiles.Names.Contains(profile, StringComparer.OrdinalIgnoreCase))
        {
            stderr.WriteLine($"tcpmodel packetdrill: unknown profile '{profile}' (standard, freebsd)");
            return 2;
        }
        if (paths.Count == 0)
        {
            stderr.WriteLine("usage: tcpmodel packetdrill [--profile standard|freebsd] [--json] PATH...");
            return 2;
        }
        var files = new List<string>();
        foreach (var p in paths)
        {
            if (Directory.Exists(p)) files.AddRange(Directory.EnumerateFiles(p, "*.pkt", SearchOption.AllDirectories).Order(StringComparer.Ordinal));
            else if (File.Exists(p)) files.Add(p);
            else
            {
                stderr.WriteLine($"{p}: no such file or directory");
                return 2;
            }
        }
        int passed = 0, failed = 0;
        var results = new List<object>();
        foreach (var file in files)
        {
            PacketdrillVerdict verdict;
            string? error = null;
            try
            {
                verdict = PacketdrillRunner.Run(PacketdrillParser.ParseFile(file), new PacketdrillRunOptions { Profile = profile });
            }
            catch (PacketdrillSyntaxException ex)
            {
                error = ex.Message;
                verdict = new PacketdrillVerdict(file, profile, new PacketdrillDivergence(ex.Position, "a well-formed script", ex.Detail, "CLOSED"));
            }
            if (verdict.Passed) passed++; else failed++;
            if (json)
            {
                var d = verdict.Divergence;
                results.Add(new
                {
                    file,
                    profile,
                    passed = verdict.Passed,
                    syntaxError = error,
                    divergence = d is null ? null : new { line = d.Position.Line, column = d.Position.Column, expected = d.Expected, actual = d.Actual, state = d.State },
                });
            }
            else if (verdict.Passed) stdout.WriteLine($"PASS {file}");
            else if (error is not null) stdout.WriteLine($"FAIL {file}\n  {error}");
            else stdout.WriteLine($"FAIL {file}\n  {verdict.Divergence}");
        }
        if (json)
        {
            stdout.WriteLine(JsonSerializer.Serialize(new { profile, notCompared = PacketdrillVerdict.NotCompared, results, passed, failed }));
        }
        else
        {
            stdout.WriteLine("not compared: " + string.Join("; ", PacketdrillVerdict.NotCompared));
            stdout.WriteLine($"{passed} passed, {failed} failed");
        }
        return failed == 0 ? 0 : 1;
    }
}
