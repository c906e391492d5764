using TcpModel.Machine;
using static TcpModel.Tests.Machine.Fixtures;

namespace TcpModel.Tests.Machine.Fidelity;

/// <summary>POLICY quick-ack (Linux tcp_event_data_recv, tcp_incr_quickack, tcp_measure_rcv_mss), with delayed ACKs
/// (RFC 1122 §4.2.3.2): the first text of a connection, and text after a silence longer than the RTO, grant
/// rcv_wnd / (2 · rcv_mss) quick ACKs (at most TCP_MAX_QUICKACKS = 16), rcv_mss being the peer's segment size
/// capped by the MSS we announced and at least TCP_MSS_DEFAULT (536); once they are used up, ACKs are delayed.</summary>
public sealed class QuickAcks
{
    private static Profile QuickAck(int receiveBuffer = 65535) =>
        Profile.Rfc9293 with { Name = "rfc9293+quick-ack", QuickAcks = 16, DelayedAck = 40_000, ReceiveBuffer = receiveBuffer };

    /// <summary>Active OPEN with our MSS 1460; the peer's SYN,ACK 10 ms later (RTO 1 s).</summary>
    private static Conn Open(Profile p)
    {
        var c = new Conn(new Endpoint(p, new EndpointOptions { Isn = new FixedIsnSource(OurIss) }));
        c.User(Input.OpenActive);
        c.Now += PeerDelay;
        c.Arrive($"<SEQ={Irs}><ACK={Iss + 1}><CTL=SYN,ACK><WND={PeerWnd}><OPT=MSS:1460>");
        Assert.Equal(TcpState.Established, c.State);
        c.PeerNxt = Irs + 1;
        c.OurNxt = Iss + 1;
        return c;
    }

    /// <summary>In-order text of <paramref name="octets"/> octets; true when it was acknowledged at once.</summary>
    private static bool AckedAtOnce(Conn c, int octets)
    {
        var sent = c.Arrive($"<SEQ={c.PeerNxt}><ACK={c.OurNxt}><CTL=ACK><WND={PeerWnd}><DATA=\"{Text(octets)}\">");
        c.PeerNxt += octets;
        if (sent.Count == 0) return false;
        AssertSent(sent, $"<SEQ={c.OurNxt}><ACK={c.PeerNxt}><CTL=ACK>");
        return true;
    }

    /// <summary>Sends up to <paramref name="segments"/> segments of <paramref name="octets"/> octets at one instant and
    /// returns how many were acknowledged at once before the first whose ACK was delayed (40 ms).</summary>
    private static int QuickAcksGiven(Conn c, int segments, int octets)
    {
        for (int k = 0; k < segments; k++)
        {
            if (!AckedAtOnce(c, octets))
            {
                Assert.Equal(c.Now + 40_000, c.Deadline(TimerKind.DelayedAck));
                return k;
            }
        }
        return segments;
    }

    [Fact, Trait("RFC", "1122 §4.2.3.2")]
    public void TheFirstText_GrantsTheReceiveWindowOverTwiceTheDefaultMss_ForSmallSegments()
    {
        // 100-octet segments: rcv_mss = max(536, 100) = 536; after the first, RCV.WND = 8660: 8660 / 1072 = 8
        var c = Open(QuickAck(receiveBuffer: 8760));
        Assert.Equal(8, QuickAcksGiven(c, 12, 100));
    }

    [Fact, Trait("RFC", "1122 §4.2.3.2")]
    public void TheFirstText_CountsThePeersSegmentSizeAtMostTheMssWeAnnounced()
    {
        // a first segment of 2920 octets (twice our MSS, as a peer's GSO burst arrives): rcv_mss = min(2920, 1460);
        // RCV.WND = 20000 - 2920 = 17080: 17080 / 2920 = 5 quick ACKs (with 2920 it would be 2)
        var c = Open(QuickAck(receiveBuffer: 20000));
        Assert.True(AckedAtOnce(c, 2920));
        Assert.Equal(4, QuickAcksGiven(c, 8, 100));
    }

    [Fact, Trait("RFC", "1122 §4.2.3.2")]
    public void TheQuickAcks_AreAtMostSixteen_AndTheNextAckIsDelayed()
    {
        var c = Open(QuickAck());
        Assert.Equal(16, QuickAcksGiven(c, 20, 100));
    }

    /// <summary>Sixteen quick ACKs used up at once, the seventeenth segment's ACK delayed and sent 40 ms later;
    /// returns when that text arrived.</summary>
    private static long QuickAcksUsedUp(Conn c)
    {
        Assert.Equal(16, QuickAcksGiven(c, 17, 100));
        long lastText = c.Now;
        AssertSent(c.FireNextTimer(), $"<SEQ={c.OurNxt}><ACK={c.PeerNxt}><CTL=ACK>");
        return lastText;
    }

    [Fact, Trait("RFC", "1122 §4.2.3.2")]
    public void TextAfterASilenceLongerThanTheRto_RefillsTheQuickAcks()
    {
        // tcp_event_data_recv: "else if (m > icsk->icsk_rto) { /* Too long gap ... */ tcp_incr_quickack(sk, TCP_MAX_QUICKACKS); }"
        var c = Open(QuickAck());
        long lastText = QuickAcksUsedUp(c);
        c.Now = lastText + c.Tcb.Rto + 1;
        Assert.True(AckedAtOnce(c, 100));
    }

    [Fact, Trait("RFC", "1122 §4.2.3.2")]
    public void TextAfterASilenceOfExactlyTheRto_IsStillAcknowledgedLate()
    {
        var c = Open(QuickAck());
        long lastText = QuickAcksUsedUp(c);
        c.Now = lastText + c.Tcb.Rto;
        Assert.False(AckedAtOnce(c, 100));
        Assert.Equal(c.Now + 40_000, c.Deadline(TimerKind.DelayedAck));
    }

    [Fact, Trait("RFC", "1122 §4.2.3.2")]
    public void ADelayedAckTimeout_EndsPingPongMode_SoTheNextTextIsAcknowledgedAtOnce()
    {
        // tcp_event_data_sent: our text within the delayed-ACK time of the peer's enters pingpong mode, whose ACKs wait
        // to ride on the next reply; tcp_delack_timer_handler: "Delayed ACK missed: leave pingpong mode"
        var c = Open(QuickAck());
        Assert.True(AckedAtOnce(c, 100));
        AssertSent(c.Send("reply"), $"<SEQ={c.OurNxt}><ACK={c.PeerNxt}><CTL=PSH,ACK><DATA=\"reply\">");
        c.OurNxt += 5;
        Assert.False(AckedAtOnce(c, 100)); // quick ACKs remain, but pingpong holds the ACK back
        AssertSent(c.FireNextTimer(), $"<SEQ={c.OurNxt}><ACK={c.PeerNxt}><CTL=ACK>");
        Assert.True(AckedAtOnce(c, 100));
    }
}
