using System.Text.Json;
using TcpModel.Conformance.Pcap;

namespace TcpModel.Cli;

/// <summary><c>tcpmodel check-pcap</c>: checks captures against the model (issue 11).</summary>
internal static class CheckPcapCommand
{
    /// <summary>What <c>--help</c> prints after the generated option list.</summary>
    public const string Details = """
        Reads pcap or pcapng captures (Ethernet, Linux cooked SLL/SLL2, raw IP, BSD loopback; IPv4 and
        IPv6), splits the TCP packets into connections (4-tuple and incarnation) and replays each side
        through the model under the profile, inferring the applications' calls, timer expiries and
        packets lost after the capture point. A connection is accepted when some choice explains every
        segment; otherwise the first unexplained segment is reported with the states possible before
        it, why each fails and the RFC clause or policy that decides it. Every file is read and decoded
        before any connection is checked, so a malformed file stops the run before any output.

        Exit codes: 0 every connection accepted, 1 a connection rejected or a file unreadable
        (one line naming the file and record), 2 bad command line.
        """;

    public static int Run(CliArgs args, CliContext ctx)
    {
        var stdout = ctx.Stdout;
        var files = args.Positional;
        if (files.Count == 0) throw new UsageException("check-pcap: no capture file given (try 'tcpmodel check-pcap --help')");
        if (args.Has("--json") && args.Has("--json-lines")) throw new UsageException("check-pcap: --json and --json-lines cannot be combined");
        var profile = CommonOptions.Profile(args);
        var checker = new TraceChecker(profile);
        // read and split every file first: a malformed one is one error line and no output at all
        var read = new List<(string File, IReadOnlyList<CaptureRecord> Records)>();
        foreach (var f in files)
        {
            try
            {
                var records = CaptureReader.ReadFile(f);
                foreach (var r in records) PacketDecoder.CheckLinkType(r, f);
                read.Add((f, records));
            }
            catch (CaptureFormatException e) { throw new CommandFailedException(e.Message); }
        }
        if (args.Has("--json-lines")) return Stream(read, checker, ctx);
        var results = new List<FileResult>();
        using (var progress = ctx.Progress("check-pcap", read.Count))
        {
            foreach (var (f, records) in read)
            {
                try { results.Add(checker.Check(records, f)); }
                catch (CaptureFormatException e) { throw new CommandFailedException(e.Message); }
                progress.Step(f);
            }
        }
        foreach (var w in results.SelectMany(r => r.Warnings)) ctx.Stderr.WriteLine("tcpmodel check-pcap: warning: " + Wire.ErrorText.Clean(w));
        string text = args.Has("--json") ? CheckReport.Json(results, profile.Name) : Paint(CheckReport.Text(results), ctx.Color);
        if (args.Get("--ladder") is { } ladder) OutputFile.Write(ladder, CheckReport.Mermaid(results), stdout);
        stdout.Write(text);
        return results.All(r => r.AllAccepted) ? ExitCode.Ok : ExitCode.Failure;
    }

    /// <summary>The verdict of each connection line coloured.</summary>
    private static string Paint(string text, bool color)
    {
        if (!color) return text;
        var lines = text.Split('\n');
        for (int i = 0; i < lines.Length; i++)
            foreach (var v in new[] { "ACCEPTED", "REJECTED", "UNCHECKED" })
                if (lines[i].StartsWith("connection ", StringComparison.Ordinal) && lines[i].EndsWith(": " + v, StringComparison.Ordinal))
                    lines[i] = lines[i][..^v.Length] + Colors.Verdict(v, true);
        return string.Join('\n', lines);
    }

    /// <summary>JSON Lines: one <c>connection</c> record per connection as soon as it is checked (the
    /// connection object of tcpmodel-check/1 with <c>type</c> and <c>file</c> added), a <c>file</c> record
    /// after each file, and a <c>summary</c> record last.</summary>
    private static int Stream(List<(string File, IReadOnlyList<CaptureRecord> Records)> read, TraceChecker checker, CliContext ctx)
    {
        var stdout = ctx.Stdout;
        bool allAccepted = true;
        int connections = 0, rejected = 0;
        var decoded = new List<(string File, int Records, SortedDictionary<string, int> Skipped, List<string> Warnings, List<Connection> Connections)>();
        foreach (var (f, records) in read)
        {
            // as TraceChecker.Check does: decode every record, count the skipped ones, split the TCP packets
            var skipped = new SortedDictionary<string, int>(StringComparer.Ordinal);
            var warnings = new List<string>();
            var packets = new List<TcpPacket>();
            foreach (var r in records)
            {
                Decoded d;
                try { d = PacketDecoder.Decode(r); }
                catch (CaptureFormatException e) { throw new CommandFailedException(e.Message); }
                if (d.Warning is not null) warnings.Add($"{f}: {d.Warning}");
                if (d.Tcp is not null) packets.Add(d.Tcp);
                else skipped[d.Skipped!] = skipped.GetValueOrDefault(d.Skipped!) + 1;
            }
            decoded.Add((f, records.Count, skipped, warnings, ConnectionSplitter.Split(packets).ToList()));
        }
        using var progress = ctx.Progress("check-pcap", decoded.Sum(d => d.Connections.Count));
        foreach (var (f, records, skipped, warnings, conns) in decoded)
        {
            foreach (var w in warnings) ctx.Stderr.WriteLine("tcpmodel check-pcap: warning: " + Wire.ErrorText.Clean(w));
            int fileRejected = 0;
            foreach (var conn in conns)
            {
                var result = checker.Check(conn);
                connections++;
                if (result.Verdict == Verdict.Rejected) { rejected++; fileRejected++; allAccepted = false; }
                var one = new FileResult(f, checker.Profile.Name, records, conn.Packets.Count, skipped, [], [result]);
                using var doc = JsonDocument.Parse(CheckReport.Json([one], checker.Profile.Name));
                var connection = doc.RootElement.GetProperty("files")[0].GetProperty("connections")[0];
                JsonOutput.WriteLine(stdout, w =>
                {
                    w.WriteString("type", "connection");
                    w.WriteString("file", f);
                    foreach (var p in connection.EnumerateObject()) p.WriteTo(w);
                });
                progress.Step(f);
            }
            JsonOutput.WriteLine(stdout, w =>
            {
                w.WriteString("type", "file");
                w.WriteString("file", f);
                w.WriteNumber("records", records);
                w.WriteNumber("tcp_packets", conns.Sum(c => c.Packets.Count));
                w.WriteStartObject("skipped");
                foreach (var (k, v) in skipped) w.WriteNumber(k, v);
                w.WriteEndObject();
                w.WriteStartArray("warnings");
                foreach (var x in warnings) w.WriteStringValue(x);
                w.WriteEndArray();
                w.WriteNumber("connections", conns.Count);
                w.WriteNumber("rejected", fileRejected);
            });
        }
        progress.Dispose();
        JsonOutput.WriteLine(stdout, w =>
        {
            w.WriteString("type", "summary");
            w.WriteString("schema", "tcpmodel-check-lines/1");
            w.WriteString("profile", checker.Profile.Name);
            w.WriteBoolean("accepted", allAccepted);
            w.WriteNumber("files", read.Count);
            w.WriteNumber("connections", connections);
            w.WriteNumber("rejected", rejected);
        });
        return allAccepted ? ExitCode.Ok : ExitCode.Failure;
    }
}
