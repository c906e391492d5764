using System.Text.Json;
using TcpModel.Conformance.Packetdrill;

namespace TcpModel.Cli;

/// <summary><c>tcpmodel packetdrill [--profile NAME] [--json] PATH...</c>: runs packetdrill
/// scripts (files, or directories searched recursively for *.pkt) against the model.</summary>
public static class PacketdrillCommand
{
    /// <summary>Help text.</summary>
    public const string Help = """
        Usage: tcpmodel packetdrill [--profile NAME] [--json] PATH...

        Runs packetdrill scripts (files, or directories searched recursively for *.pkt) with the
        model as the system under test, and prints a verdict per script, the first divergence of a
        failing one (script line, expected vs actual, the connection's state), and a last line
        'N passed, N failed[, N unsupported]'; a script needing a feature the
        model does not have ends 'UNSUPPORTED' with the feature named.

          --profile standard   RFC 9293 with the RFC 5961 policies switched by the insecure_* sysctls
                               (selects the #ifdef STANDARD branches; the default)
          --profile freebsd    FreeBSD's behaviour (selects the #ifdef FreeBSD branches)
          --profile linux      Linux's behaviour (#ifdef Linux; the shell setup of Linux scripts,
                               defaults.sh and set_sysctls.py, is interpreted)
          --profile rfc9293|rfc793   the RFC profiles (#ifdef STANDARD)
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
        if (!PacketdrillProfiles.Accepted.Contains(profile, StringComparer.OrdinalIgnoreCase))
        {
            stderr.WriteLine($"tcpmodel packetdrill: unknown profile '{profile}' ({string.Join(", ", PacketdrillProfiles.Accepted)})");
            return 2;
        }
        if (paths.Count == 0)
        {
            stderr.WriteLine("usage: tcpmodel packetdrill [--profile NAME] [--json] PATH...");
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
        int passed = 0, failed = 0, unsupported = 0;
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
            if (verdict.Passed) passed++; else if (verdict.Unsupported is not null) unsupported++; else failed++;
            if (json)
            {
                var d = verdict.Divergence;
                results.Add(new
                {
                    file,
                    profile,
                    passed = verdict.Passed,
                    unsupported = verdict.Unsupported,
                    syntaxError = error,
                    divergence = d is null ? null : new { line = d.Position.Line, column = d.Position.Column, expected = d.Expected, actual = d.Actual, state = d.State },
                });
            }
            else if (verdict.Passed) stdout.WriteLine($"PASS {file}");
            else if (error is not null) stdout.WriteLine($"FAIL {file}\n  {error}");
            else if (verdict.Unsupported is { } feature) stdout.WriteLine($"UNSUPPORTED {file}\n  {verdict.Divergence!.Position}: unsupported: {feature}");
            else stdout.WriteLine($"FAIL {file}\n  {verdict.Divergence}");
        }
        if (json)
        {
            stdout.WriteLine(JsonSerializer.Serialize(new { profile, notCompared = PacketdrillVerdict.NotCompared, results, passed, failed, unsupported }));
        }
        else
        {
            stdout.WriteLine("not compared: " + string.Join("; ", PacketdrillVerdict.NotCompared));
            stdout.WriteLine(unsupported == 0 ? $"{passed} passed, {failed} failed" : $"{passed} passed, {failed} failed, {unsupported} unsupported");
        }
        return failed == 0 && unsupported == 0 ? 0 : 1;
    }
}
