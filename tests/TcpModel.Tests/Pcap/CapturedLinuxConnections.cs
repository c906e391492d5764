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
