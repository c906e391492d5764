using TcpModel.Conformance.Pcap;
using TcpModel.Machine;

namespace TcpModel.Tests.Pcap;

/// <summary>Real Linux loopback connections (tests/fixtures/pcap) checked against the model.</summary>
public sealed class CapturedLinuxConnections
{
    [Theory]
    [MemberData(nameof(Names))]
    public void EveryConnectionOfTheCaptureIsAccepted(string name)
    {
        var result = new TraceChecker(Fixtures.LinuxProfile).CheckFile(Fixtures.Pcap(name));
        Assert.NotEmpty(result.Connections);
        Assert.True(result.AllAccepted, CheckReport.Text([result]));
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void InferredStatesEqualTheKernelsAfterEveryStep(string name)
    {
        var result = new TraceChecker(Fixtures.LinuxProfile).CheckFile(Fixtures.Pcap(name));
        var errors = new List<string>();
        foreach (var step in Fixtures.Truth(name))
        {
            // the latest incarnation of each socket pair that has begun by this step
            var latest = new Dictionary<(string, string), (ConnectionResult C, PacketResult Last)>();
            foreach (var c in result.Connections)
            {
                var seen = c.Packets.Where(p => p.Record < step.Packets).ToList();
                if (seen.Count == 0) continue;
                var key = Key(c.Connection.A.ToString(), c.Connection.B.ToString());
                latest[key] = (c, seen[^1]);
            }
            foreach (var (c, last) in latest.Values)
            {
                foreach (var (me, peer, inferred) in new[]
                         {
                             (c.Connection.A.ToString(), c.Connection.B.ToString(), last.StateA),
                             (c.Connection.B.ToString(), c.Connection.A.ToString(), last.StateB),
                         })
                {
                    var sock = step.Sockets.FirstOrDefault(s => s.Local == me && s.Peer == peer);
                    var expected = sock is null ? TcpState.Closed : Fixtures.FromSs(sock.State);
                    if (sock is null && inferred == TcpState.Listen && step.Sockets.Any(s => s.Local == me && s.State == "LISTEN"))
                        expected = TcpState.Listen;
                    if (inferred != expected)
                        errors.Add($"after '{step.What}' (record {last.Record}): {me} is {expected.RfcName()} in the kernel, inferred {inferred?.RfcName() ?? "nothing"}");
                }
            }
        }
        Assert.True(errors.Count == 0, string.Join("\n", errors) + "\n" + CheckReport.Text([result]));
    }

    private static (string, string) Key(string x, string y) => string.CompareOrdinal(x, y) <= 0 ? (x, y) : (y, x);

    public static IEnumerable<object[]> Names() => Fixtures.Names();
}

/// <summary>Checking Linux captures under other profiles finds where they differ from Linux.</summary>
public sealed class ProfileDeviations
{
    [Fact]
    public void UnderStandardTheLinuxSimultaneousCloseIsRejectedAtThePlainAckOfTheCrossingFin()
    {
        // standard repeats the unacknowledged FIN on every ACK (POLICY fin-on-ack-while-fin-unacked, BSD
        // tcp_output); Linux answers the peer's FIN in FIN-WAIT-1 with a plain ACK (record 7)
        var r = new TraceChecker(Profile.Standard).CheckFile(Fixtures.Pcap("simultaneous-close"));
        var c = Assert.Single(r.Connections);
        Assert.Equal(Verdict.Rejected, c.Verdict);
        Assert.Equal(7, c.FirstUnexplained!.Record);
        Assert.Contains(c.FirstUnexplained.Before, s => s.State == TcpState.FinWait1 && s.Reason.Contains("CTL=FIN,ACK", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("rfc9293", "ABORT")]
    [InlineData("linux", "CLOSE")]
    public void CloseWithUnreadDataIsExplainedByTheProfilesRule(string profile, string call)
    {
        // linux: close() with unread data sends RST (POLICY reset-on-close-with-unread-data, RFC 1122
        // §4.2.2.13); under rfc9293 only an ABORT explains that RST
        if (!Profile.BuiltIn.TryGetValue(profile, out var p)) return;
        var r = new TraceChecker(p).CheckFile(Fixtures.Pcap("close-with-unread-data"));
        var c = Assert.Single(r.Connections);
        Assert.Equal(Verdict.Accepted, c.Verdict);
        var rst = c.Packets.Single(x => x.Segment.Contains("RST", StringComparison.Ordinal));
        Assert.Equal([call], rst.HiddenA);
    }
}
