using TcpModel.Conformance.Pcap;

namespace TcpModel.Cli;

/// <summary><c>tcpmodel check-pcap</c>: checks captures against the model (issue 11).</summary>
internal static class CheckPcapCommand
{
    public const string Help = """
        Usage: tcpmodel check-pcap [--profile P] [--json] [--ladder FILE] FILE...

        Reads pcap or pcapng captures (Ethernet, Linux cooked SLL/SLL2, raw IP, BSD loopback; IPv4 and
        IPv6), splits the TCP packets into connections (4-tuple and incarnation) and replays each side
        through the model under the profile, inferring the applications' calls, timer expiries and
        packets lost after the capture point. A connection is accepted when some choice explains every
        segment; otherwise the first unexplained segment is reported with the states possible before
        it, why each fails and the RFC clause or policy that decides it.

        Options:
          --profile P     profile to check against (default rfc9293)
          --json          print JSON (schema tcpmodel-check/1, spec/tcpmodel-check.md) instead of text
          --ladder FILE   also write a ladder diagram: Mermaid sequenceDiagram (.mmd, .md)

        Exit codes: 0 every connection accepted, 1 a connection rejected or a file unreadable
        (one line naming the file and record), 2 bad command line.
        """;

    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        var files = new List<string>();
        var options = new List<string>();
        for (int i = 0; i < args.Length; i++)
        {
            if (args[i] is "--profile" or "--ladder" && i + 1 < args.Length) { options.Add(args[i]); options.Add(args[++i]); }
            else if (args[i].StartsWith("--", StringComparison.Ordinal)) options.Add(args[i]);
            else files.Add(args[i]);
        }
        var parsed = CliArgs.Parse("check-pcap", options, ["--profile", "--ladder"], ["--json"]);
        if (files.Count == 0) throw new UsageException("check-pcap: no capture file given (try 'tcpmodel help check-pcap')");
        var profile = CommonOptions.Profile(parsed);
        var checker = new TraceChecker(profile);
        var results = new List<FileResult>();
        foreach (var f in files)
        {
            try { results.Add(checker.CheckFile(f)); }
            catch (CaptureFormatException e) { throw new CommandFailedException(e.Message); }
        }
        foreach (var w in results.SelectMany(r => r.Warnings)) stderr.WriteLine("tcpmodel: warning: " + w);
        string text = parsed.Has("--json") ? CheckReport.Json(results, profile.Name) : CheckReport.Text(results);
        if (parsed.Get("--ladder") is { } ladder) OutputFile.Write(ladder, CheckReport.Mermaid(results), stdout);
        stdout.Write(text);
        return results.All(r => r.AllAccepted) ? ExitCode.Ok : ExitCode.Failure;
    }
}
