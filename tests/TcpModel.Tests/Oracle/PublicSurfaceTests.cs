using System.Reflection;
using TcpModel.Machine;
using TcpModel.Wire;

namespace TcpModel.Tests.Oracle;

/// <summary>Issue 12's ergonomics: the public surface a user's tests touch.</summary>
public sealed class PublicSurfaceTests
{
    [Fact]
    public void TheOutboxSegments_AreAListAssertionsTakeAsTheyAre()
    {
        var ep = new Endpoint(Profile.Rfc9293, new EndpointOptions { Isn = new FixedIsnSource(100) });
        var outbox = new Outbox();
        ep.Step(Input.OpenActive, 0, outbox);
        var syn = Assert.Single(outbox.Segments);
        Assert.Equal("<SEQ=100><CTL=SYN><OPT=MSS:1460>", syn.ToShortString());
        IReadOnlyList<Segment> list = outbox.Segments;
        Assert.Single(list);
        Assert.Equal([syn], outbox.Segments.Where(s => s.Syn));
    }

    [Fact]
    public void ThePacketdrillComparer_IgnoresTimestampValuesAndPayloadOctets_ButNotTheirPresenceOrNumber()
    {
        var a = new Segment(new SeqNum(1), new SeqNum(2), Control.ACK, 100, new byte[] { 1, 2 }, new TcpOptions(timestamp: new TcpTimestamp(5, 6)));
        var otherTs = a.WithOptions(new TcpOptions(timestamp: new TcpTimestamp(7, 8))).WithPayload(new byte[] { 0, 0 });
        Assert.NotEqual(a, otherTs);
        Assert.Equal(a, otherTs, SegmentComparer.Packetdrill);
        Assert.Equal("timestamp values differ", SegmentComparer.Exact.Difference(a, otherTs));
        Assert.Equal("timestamp option presence differs", SegmentComparer.Packetdrill.Difference(a, a.WithOptions(default)));
        Assert.Equal("length differs", SegmentComparer.Packetdrill.Difference(a, a.WithPayload(new byte[3])));
        Assert.Equal("window differs", SegmentComparer.Packetdrill.Difference(a, a.WithWindow(99)));
        Assert.Null(SegmentComparer.Exchange.Difference(a, a.WithWindow(99)));
        Assert.Equal("payload differs", SegmentComparer.Exchange.Difference(a, a.WithPayload(new byte[] { 1, 3 })));
    }

    public static TheoryData<TcpState> States() => [.. Enum.GetValues<TcpState>()];

    [Theory]
    [MemberData(nameof(States))]
    public void TheFixture_ReachesEveryStateByRealSegments(TcpState state)
    {
        var ep = EndpointFixture.InState(state).WithIss(0xFFFF_FFFF).WithPeerIsn(0xFFFF_FFF0).Build();
        Assert.Equal(state, ep.State);
        var v = ep.View;
        Assert.Equal(state, v.State);
        if (state is TcpState.Closed or TcpState.Listen) return;
        if (state != TcpState.SynReceived) Assert.Equal(new SeqNum(0xFFFF_FFFF), v.Iss);
        if (state is not TcpState.SynSent) Assert.Equal(new SeqNum(0xFFFF_FFF0), v.Irs);
        bool peerFin = state is TcpState.CloseWait or TcpState.LastAck or TcpState.Closing or TcpState.TimeWait;
        if (state is not (TcpState.SynSent)) Assert.Equal(new SeqNum(0xFFFF_FFF0) + new SeqLen(peerFin ? 2u : 1u), v.RcvNxt);
        Assert.Equal(peerFin, v.FinReceived);
    }

    [Fact]
    public void TheFixture_SetsThePeersWindowAndOurBuffer()
    {
        var v = EndpointFixture.InState(TcpState.Established).WithPeerWindow(1000).WithReceiveBuffer(4096).Build().View;
        Assert.Equal(1000u, v.SndWnd);
        Assert.Equal(4096u, v.RcvWnd);
        Assert.Equal(new SeqNum(101), v.SndNxt);
    }

    [Fact]
    public void ReadersGetAnImmutableView_AndNoWayToForceAState()
    {
        Assert.Null(typeof(Endpoint).GetMethod("Force", BindingFlags.Public | BindingFlags.Instance));
        Assert.All(typeof(TcbView).GetProperties(), p => Assert.False(p.SetMethod?.IsPublic == true, p.Name + " has a public setter"));
        var ep = EndpointFixture.InState(TcpState.Established).Build();
        var before = ep.View;
        _ = before with { }; // a copy, never the endpoint
        Assert.Equal(before, ep.View);
    }
}
