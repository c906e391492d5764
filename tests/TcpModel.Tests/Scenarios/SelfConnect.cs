using TcpModel.Machine;
using TcpModel.Wire;

namespace TcpModel.Tests.Scenarios;

/// <summary>RFC 9293 Appendix A.2: a connection to itself (the same socket pair at both ends): its own
/// SYN makes it a simultaneous open, its own SYN,ACK completes it.</summary>
public sealed class SelfConnect
{
    [Theory, Trait("RFC", "9293 Appendix A.2")]
    [InlineData(100u)]
    [InlineData(4294967295u)]
    public void AnEndpointWhoseSegmentsComeBackToItReachesEstablished(uint iss)
    {
        var e = new Endpoint(Profile.Rfc9293, new EndpointOptions { Isn = new FixedIsnSource(iss) });
        var o = new Outbox();
        var trace = new List<string>();
        e.Step(Input.OpenActive, 0, o);
        var pending = new Queue<Segment>(o.Segments.ToArray());
        long now = 0;
        while (pending.TryDequeue(out var seg) && now < 10)
        {
            trace.Add(seg.ToShortString());
            e.Step(Input.Arrive(seg), ++now, o);
            foreach (var s in o.Segments) pending.Enqueue(s);
        }
        Assert.Equal(TcpState.Established, e.State);
        Assert.Equal(
            [$"<SEQ={iss}><CTL=SYN><OPT=MSS:1460>", $"<SEQ={iss}><ACK={unchecked(iss + 1)}><CTL=SYN,ACK><OPT=MSS:1460>"],
            trace);
    }
}
