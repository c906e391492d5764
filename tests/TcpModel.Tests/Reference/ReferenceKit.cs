using TcpModel.Reference;
using TcpModel.Wire;

namespace TcpModel.Tests.Reference;

/// <summary>
/// Helpers for driving <see cref="ReferenceTcp"/> endpoints, and one canonical fixture per state.
/// Fixture numbers: the local endpoint's ISS is 100 and the peer's ISS is 300, as in RFC 9293
/// Figure 6, so in the synchronized states SND.NXT is 101 (102 once our FIN is sent) and RCV.NXT is
/// 301 (302 once the peer's FIN is received).
/// </summary>
internal static class ReferenceKit
{
    public static Segment Seg(string notation) => Segment.Parse(notation);

    /// <summary>Delivers each segment in turn and returns everything the receiver sent back.</summary>
    public static IReadOnlyList<Segment> Deliver(IReadOnlyList<Segment> segments, ReferenceTcp to) =>
        segments.SelectMany(to.SegmentArrives).ToList();

    /// <summary>Asserts the exact segments, in RFC notation without WND, and that nothing else was sent.</summary>
    public static void Sent(IReadOnlyList<Segment> actual, params string[] expected) =>
        Assert.Equal(expected, actual.Select(s => s.ToShortString()).ToArray());

    /// <summary>Asserts the exact segments including WND.</summary>
    public static void SentWithWindow(IReadOnlyList<Segment> actual, params string[] expected) =>
        Assert.Equal(expected, actual.Select(s => s.ToString()).ToArray());

    /// <summary>Two endpoints ESTABLISHED through a real handshake, A active (ISS a) and B passive (ISS b).</summary>
    public static (ReferenceTcp A, ReferenceTcp B) EstablishedPair(uint issA, uint issB, RefConfig? configA = null, RefConfig? configB = null)
    {
        var a = new ReferenceTcp(configA ?? new RefConfig(), new SeqNum(issA));
        var b = new ReferenceTcp(configB ?? new RefConfig(), new SeqNum(issB));
        b.OpenPassive();
        Assert.Empty(Deliver(Deliver(Deliver(a.OpenActive(), b), a), b));
        Assert.Equal(RefState.Established, a.State);
        Assert.Equal(RefState.Established, b.State);
        return (a, b);
    }

    public static ReferenceTcp Closed(RefConfig c) => new(c, new SeqNum(100));

    public static ReferenceTcp Listen(RefConfig c)
    {
        var t = Closed(c);
        t.OpenPassive();
        return t;
    }

    public static ReferenceTcp SynSent(RefConfig c)
    {
        var t = Closed(c);
        t.OpenActive();
        return t;
    }

    /// <summary>SYN-RECEIVED after a passive OPEN.</summary>
    public static ReferenceTcp SynReceivedPassive(RefConfig c)
    {
        var t = Listen(c);
        Sent(t.SegmentArrives(Seg("<SEQ=300><CTL=SYN><WND=65535>")), "<SEQ=100><ACK=301><CTL=SYN,ACK><OPT=MSS:1460>");
        return t;
    }

    /// <summary>SYN-RECEIVED after an active OPEN (simultaneous open).</summary>
    public static ReferenceTcp SynReceivedActive(RefConfig c)
    {
        var t = SynSent(c);
        Sent(t.SegmentArrives(Seg("<SEQ=300><CTL=SYN><WND=65535>")), "<SEQ=100><ACK=301><CTL=SYN,ACK><OPT=MSS:1460>");
        return t;
    }

    public static ReferenceTcp Established(RefConfig c)
    {
        var t = SynSent(c);
        Sent(t.SegmentArrives(Seg("<SEQ=300><ACK=101><CTL=SYN,ACK><WND=65535>")), "<SEQ=101><ACK=301><CTL=ACK>");
        return t;
    }

    public static ReferenceTcp FinWait1(RefConfig c)
    {
        var t = Established(c);
        Sent(t.Close(), "<SEQ=101><ACK=301><CTL=FIN,ACK>");
        return t;
    }

    public static ReferenceTcp FinWait2(RefConfig c)
    {
        var t = FinWait1(c);
        Sent(t.SegmentArrives(Seg("<SEQ=301><ACK=102><CTL=ACK><WND=65535>")));
        return t;
    }

    public static ReferenceTcp CloseWait(RefConfig c)
    {
        var t = Established(c);
        Sent(t.SegmentArrives(Seg("<SEQ=301><ACK=101><CTL=FIN,ACK><WND=65535>")), "<SEQ=101><ACK=302><CTL=ACK>");
        return t;
    }

    public static ReferenceTcp Closing(RefConfig c)
    {
        var t = FinWait1(c);
        Sent(t.SegmentArrives(Seg("<SEQ=301><ACK=101><CTL=FIN,ACK><WND=65535>")), "<SEQ=102><ACK=302><CTL=ACK>");
        return t;
    }

    public static ReferenceTcp LastAck(RefConfig c)
    {
        var t = CloseWait(c);
        Sent(t.Close(), "<SEQ=101><ACK=302><CTL=FIN,ACK>");
        return t;
    }

    public static ReferenceTcp TimeWait(RefConfig c)
    {
        var t = FinWait2(c);
        Sent(t.SegmentArrives(Seg("<SEQ=301><ACK=102><CTL=FIN,ACK><WND=65535>")), "<SEQ=102><ACK=302><CTL=ACK>");
        return t;
    }

    /// <summary>The fixture for a state; SYN-RECEIVED here is the passive one.</summary>
    public static ReferenceTcp InState(RefState state, RefConfig c)
    {
        var t = state switch
        {
            RefState.Closed => Closed(c),
            RefState.Listen => Listen(c),
            RefState.SynSent => SynSent(c),
            RefState.SynReceived => SynReceivedPassive(c),
            RefState.Established => Established(c),
            RefState.FinWait1 => FinWait1(c),
            RefState.FinWait2 => FinWait2(c),
            RefState.CloseWait => CloseWait(c),
            RefState.Closing => Closing(c),
            RefState.LastAck => LastAck(c),
            RefState.TimeWait => TimeWait(c),
            _ => throw new ArgumentOutOfRangeException(nameof(state)),
        };
        Assert.Equal(state, t.State);
        return t;
    }

    /// <summary>SND.NXT of the fixture in a synchronized state.</summary>
    public static uint SndNxt(RefState s) => s is RefState.FinWait1 or RefState.FinWait2 or RefState.Closing
        or RefState.LastAck or RefState.TimeWait ? 102u : 101u;

    /// <summary>RCV.NXT of the fixture in a synchronized state.</summary>
    public static uint RcvNxt(RefState s) => s is RefState.CloseWait or RefState.Closing
        or RefState.LastAck or RefState.TimeWait ? 302u : 301u;
}
