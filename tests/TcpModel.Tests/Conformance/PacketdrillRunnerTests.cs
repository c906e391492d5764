using TcpModel.Cli;
using TcpModel.Conformance.Packetdrill;
using TcpModel.Machine;

namespace TcpModel.Tests.Conformance;

/// <summary>The runner: own scenarios, ISN independence, failures it must report.</summary>
public sealed class PacketdrillRunnerTests
{
    private static string ScenarioDir
    {
        get
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir is not null && !Directory.Exists(Path.Combine(dir.FullName, "spec", "scenarios"))) dir = dir.Parent;
            return Path.Combine(dir!.FullName, "spec", "scenarios");
        }
    }

    public static TheoryData<string, string, uint, uint> Scenarios()
    {
        var data = new TheoryData<string, string, uint, uint>();
        foreach (var f in Directory.EnumerateFiles(ScenarioDir, "*.pkt").Order(StringComparer.Ordinal))
            foreach (var profile in PacketdrillProfiles.Names)
                foreach (var (scriptIsn, sutIsn) in new[] { (0u, 100u), (0xFFFF_FFF0u, 0xFFFF_FFFEu), (123_456_789u, 0x8000_0000u) })
                    data.Add(Path.GetFileName(f), profile, scriptIsn, sutIsn);
        return data;
    }

    [Theory]
    [MemberData(nameof(Scenarios))]
    public void ScenarioPasses_WhateverTheIsns(string file, string profile, uint scriptIsn, uint sutIsn)
    {
        var script = PacketdrillParser.ParseFile(Path.Combine(ScenarioDir, file));
        var verdict = PacketdrillRunner.Run(script, new PacketdrillRunOptions
        {
            Profile = profile, ScriptIsn = scriptIsn, SutIsn = new FixedIsnSource(sutIsn),
        });
        Assert.True(verdict.Passed, verdict.Divergence?.ToString());
    }

    private static PacketdrillVerdict RunText(string text) =>
        PacketdrillRunner.Run(PacketdrillParser.Parse(text, "t.pkt"));

    private const string Connect = """
         0.00 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3
        +0.00 fcntl(3, F_SETFL, O_RDWR | O_NONBLOCK) = 0
        +0.00 connect(3, ..., ...) = -1 EINPROGRESS (Operation now in progress)

        """;

    private const string Listen = """
         0.00 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3
        +0.00 setsockopt(3, SOL_SOCKET, SO_REUSEADDR, [1], 4) = 0
        +0.00 bind(3, ..., ...) = 0
        +0.00 listen(3, 1) = 0

        """;

    [Fact]
    public void AfterTheSyn_SequenceNumbersAreRelativeToEachSidesIsn()
    {
        // packetdrill socket.h: "sequence numbers and ACK numbers are relative to the first SYN" — a SYN's SEQ is
        // absolute, every other SEQ relative to its sender's ISN, an ACK relative to the other side's ISN
        var v = RunText(Listen + """
            +0.00 < S 999000:999000(0) win 32792 <mss 1460>
            +0.00 > S. 1234:1234(0) ack 999001 <mss 1460>
            +0.10 < . 1:1(0) ack 1 win 32792
            +0.00 accept(3, ..., ...) = 4
            +0.00 < P. 1:4(3) ack 1 win 32792
            +0.00 > . 1:1(0) ack 4
            +0.00 write(4, ..., 2) = 2
            +0.00 > P. 1:3(2) ack 4
            """);
        Assert.True(v.Passed, v.Divergence?.ToString());
    }

    [Fact]
    public void ASecondChildOfAListener_IsASocketWithItsOwnRemotePort()
    {
        // packetdrill handle_listen_for_script_packet: each child gets next_ephemeral_port, so the second SYN is a
        // new connection, not a SYN into the first one (which would get a challenge ACK)
        var v = RunText(Listen + """
            +0.00 < S 0:0(0) win 32792 <mss 1460>
            +0.00 > S. 0:0(0) ack 1 <mss 1460>
            +0.10 < . 1:1(0) ack 1 win 32792
            +0.00 accept(3, ..., ...) = 4
            +0.00 close(3) = 0
            +0.00 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3
            +0.00 setsockopt(3, SOL_SOCKET, SO_REUSEADDR, [1], 4) = 0
            +0.00 bind(3, ..., ...) = 0
            +0.00 listen(3, 1) = 0
            +0.00 < S 0:0(0) win 32792 <mss 1460>
            +0.00 > S. 0:0(0) ack 1 <mss 1460>
            """);
        Assert.True(v.Passed, v.Divergence?.ToString());
    }

    [Fact]
    public void WrongSequenceNumber_FailsAtThatLine()
    {
        var v = RunText(Connect + "+0.00 > S 1:1(0) win 65535 <mss 1460,nop,wscale 6,sackOK,TS val 1 ecr 0>\n+0.00 > S 1:1(0) win 65535\n");
        Assert.False(v.Passed);
        Assert.Equal(5, v.Divergence!.Position.Line);
    }

    [Fact]
    public void SegmentNotInTheScript_FailsAsUnexpected()
    {
        var v = RunText(Connect);
        Assert.False(v.Passed);
        Assert.Contains("unexpected segment", v.Divergence!.Actual);
    }

    [Fact]
    public void SegmentSentOutsideTheTolerance_Fails()
    {
        var v = RunText("--tolerance_usecs=1000\n" + Connect + "+0.50 > S 0:0(0) win 65535 <mss 1460,nop,wscale 6,sackOK,TS val 1 ecr 0>\n");
        Assert.False(v.Passed);
    }

    [Fact]
    public void WrongReturnValue_Fails()
    {
        var v = RunText(" 0.00 socket(..., SOCK_STREAM, IPPROTO_TCP) = -1\n");
        Assert.False(v.Passed);
        Assert.Equal("= 3", v.Divergence!.Actual);
    }

    [Fact]
    public void DescriptorsAreNames_AScriptsFourIsTheHostsThree()
    {
        var v = RunText(" 0.00 socket(..., SOCK_STREAM, IPPROTO_TCP) = 4\n+0 fcntl(4, F_GETFL) = 0x2\n+0 close(4) = 0\n+0 close(4) = -1 EBADF\n");
        Assert.True(v.Passed, v.Divergence?.ToString());
    }

    [Fact]
    public void UnknownShellCommand_FailsAsUnsupported()
    {
        var v = RunText(" 0.00 `echo hi`\n");
        Assert.False(v.Passed);
        Assert.Contains("unsupported", v.Divergence!.Actual);
    }

    [Fact]
    public void MalformedScript_GivesFileLineColumn_AndNonZeroExit()
    {
        var path = Path.Combine(Path.GetTempPath(), $"bad-{Guid.NewGuid():N}.pkt");
        File.WriteAllText(path, " 0.00 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n+0.00 > Q 0:0(0) win 1\n");
        try
        {
            var stdout = new StringWriter();
            int code = PacketdrillCommand.Run([path], stdout, new StringWriter());
            Assert.NotEqual(0, code);
            Assert.Matches(@"bad-[0-9a-f]+\.pkt:2:\d+: ", stdout.ToString());
            Assert.Contains("0 passed, 1 failed", stdout.ToString());
        }
        finally
        {
            File.Delete(path);
        }
    }
}
