using System.Diagnostics;
using System.Net;
using TcpModel.Conformance.Pcap;
using TcpModel.Export;
using TcpModel.Machine;
using TcpModel.Network;
using TcpModel.Tests.Cli;

namespace TcpModel.Tests.Pcap;

/// <summary>The pcap writer: tshark decodes what it writes cleanly, and a simulated run written to
/// pcap and checked is accepted with the simulation's own states.</summary>
public sealed class WrittenCaptures
{
    private static readonly IPEndPoint A4 = new(IPAddress.Parse("192.0.2.1"), 49152), B4 = new(IPAddress.Parse("192.0.2.2"), 80);
    private static readonly IPEndPoint A6 = new(IPAddress.Parse("2001:db8::1"), 49152), B6 = new(IPAddress.Parse("2001:db8::2"), 80);

    /// <summary>The walkthrough's run: open, data, close, the last ACK lost, FIN retransmitted.</summary>
    internal static Simulator Run(Profile profile, bool ipv6 = false)
    {
        var a = new Endpoint(profile, new EndpointOptions { Isn = new FixedIsnSource(4294967000), IPv6 = ipv6 });
        var b = new Endpoint(profile, new EndpointOptions { Isn = new FixedIsnSource(300), IPv6 = ipv6 });
        var pair = new Simulator(a, b, latency: 10_000)
        {
            Lose = s => s.From == Side.A && a.State == TcpState.TimeWait && !s.Segment.Fin && s.Segment.Length.Value == 0 && s.First("last ACK"),
        };
        pair.User(Side.B, Input.OpenPassive(), "OPEN");
        pair.User(Side.A, Input.OpenActive, "OPEN");
        pair.RunUntil(100_000);
        pair.User(Side.A, Input.Send("hello"u8.ToArray()), "SEND");
        pair.RunUntil(200_000);
        pair.User(Side.B, Input.Receive(new byte[64]), "RECEIVE");
        pair.User(Side.B, Input.Send(new byte[3000]), "SEND");
        pair.RunUntil(300_000);
        pair.User(Side.A, Input.Close, "CLOSE");
        pair.RunUntil(400_000);
        pair.User(Side.B, Input.Close, "CLOSE");
        pair.RunUntil();
        Assert.Null(pair.Failure);
        return pair;
    }

    [Theory]
    [InlineData("rfc9293", false)]
    [InlineData("standard", false)]
    [InlineData("standard", true)]
    public void ASimulatedRunWrittenToPcapIsAcceptedWithTheSimulationsStates(string profileName, bool ipv6)
    {
        var profile = Profile.BuiltIn[profileName];
        var pair = Run(profile, ipv6);
        var bytes = PcapWriter.ToBytes(PcapWriter.FromRows(pair.Rows, ipv6 ? A6 : A4, ipv6 ? B6 : B4));
        var result = new TraceChecker(profile).Check(CaptureReader.Read(bytes, "sim.pcap"), "sim.pcap");
        var c = Assert.Single(result.Connections);
        Assert.True(c.Verdict == Verdict.Accepted, CheckReport.Text([result]));
        var sent = pair.Rows.Where(r => r.Event == "sends").ToList();
        Assert.Equal(sent.Count, c.Packets.Count);
        for (int i = 0; i < sent.Count; i++)
        {
            var row = sent[i];
            var inferred = row.Side == Side.A ? c.Packets[i].StateA : c.Packets[i].StateB;
            var simulated = row.Side == Side.A ? row.A : row.B;
            Assert.True(simulated == inferred, $"packet {i} ({row}): simulated {simulated.RfcName()}, inferred {inferred?.RfcName()}\n{CheckReport.Text([result])}");
            Assert.Equal(row.SentAndLost, c.Packets[i].AssumedLost);
        }
    }

    [Fact]
    public void ChecksumsOfWrittenPacketsVerify()
    {
        var pair = Run(Profile.Standard);
        foreach (var s in PcapWriter.FromRows(pair.Rows, A4, B4))
        {
            var p = PcapWriter.Packet(s.From, s.To, s.Segment);
            Assert.Equal(0, PcapWriter.Checksum(p.AsSpan(0, 20), 0)); // a correct IPv4 header sums to 0xFFFF
            uint pseudo = 0xC000 + 0x0201 + 0xC000 + 0x0202 + 6u + (uint)(p.Length - 20);
            Assert.Equal(0, PcapWriter.Checksum(p.AsSpan(20), pseudo));
        }
    }

    [SkippableFact]
    public void TsharkDecodesWrittenCapturesWithoutMalformedPacketsOrErrors()
    {
        bool ci = Environment.GetEnvironmentVariable("CI") == "true";
        string? tshark = FindOnPath("tshark");
        if (tshark is null && ci) Assert.Fail("tshark is not installed (.ci/run installs it)");
        Skip.If(tshark is null, "tshark is not installed");
        var file = Path.Combine(Path.GetTempPath(), $"tcpmodel-{Guid.NewGuid():N}.pcap");
        try
        {
            // one file (one tshark start): an IPv4 run under rfc9293 and an IPv6 run under standard (options on)
            var v4 = PcapWriter.FromRows(Run(Profile.Rfc9293).Rows, A4, B4);
            var v6 = PcapWriter.FromRows(Run(Profile.Standard, ipv6: true).Rows, A6, B6);
            PcapWriter.WriteFile(file, v4.Concat(v6).OrderBy(s => s.TimeMicros));
            var (code, output) = Tool(tshark!, "-n", "-r", file, "-o", "tcp.check_checksum:TRUE", "-o", "ip.check_checksum:TRUE",
                "-T", "fields", "-e", "frame.number", "-e", "_ws.malformed", "-e", "_ws.expert.severity", "-e", "_ws.expert.message");
            Assert.Equal(0, code);
            var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.NotEmpty(lines);
            foreach (var line in lines)
            {
                var f = line.Split('\t');
                Assert.True(f.Length < 2 || f[1].Length == 0, "malformed packet: " + line);
                // errors (severity 8388608 = PI_ERROR): none is caused on purpose by this run; the
                // retransmission under loss is a warning and allowed
                Assert.DoesNotContain("8388608", f.Length > 2 ? f[2] : "", StringComparison.Ordinal);
            }
        }
        finally { File.Delete(file); }
    }

    [Fact]
    public void WalkthroughWritesItsRunAsAPcapThatChecksAccepted()
    {
        var file = Path.Combine(Path.GetTempPath(), $"tcpmodel-{Guid.NewGuid():N}.pcap");
        try
        {
            var r = CliRun.Run("walkthrough", "--pcap", file);
            Assert.Equal(0, r.ExitCode);
            var check = CliRun.Run("check-pcap", file);
            Assert.True(check.ExitCode == 0, check.Stdout + check.Stderr);
            Assert.Contains("ACCEPTED", check.Stdout, StringComparison.Ordinal);
            Assert.Contains("(lost after capture)", check.Stdout, StringComparison.Ordinal);
        }
        finally { File.Delete(file); }
    }

    internal static string? FindOnPath(string tool) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator)
            .Select(d => Path.Combine(d, tool)).FirstOrDefault(File.Exists);

    internal static (int Code, string Output) Tool(string exe, params string[] args)
    {
        var psi = new ProcessStartInfo(exe) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var output = p.StandardOutput.ReadToEnd();
        p.StandardError.ReadToEnd();
        p.WaitForExit();
        return (p.ExitCode, output);
    }
}
