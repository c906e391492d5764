using TcpModel.Machine;
using TcpModel.Wire;
using static TcpModel.Tests.Machine.Fixtures;

namespace TcpModel.Tests.Machine.Fidelity;

/// <summary>POLICY tail-loss-probe (RFC 8985 §7.2–7.3; Linux <c>tcp_schedule_loss_probe</c>, <c>tcp_send_loss_probe</c>):
/// with SACK negotiated and no RTO since the last new ACK, sending new data sets the retransmission timer to the probe
/// timeout PTO = 2·SRTT + RTO.min with one segment outstanding, + 2 ms with more (TCP_TIMEOUT_MIN), 1 s without an RTT
/// sample (TCP_TIMEOUT_INIT), no later than the RTO; at the PTO the last segment sent is retransmitted, once per episode,
/// and the RTO restarts, neither backed off nor counted. The peer announces MSS 100, so 150 octets are two segments;
/// RTO.min is Linux's 200 ms over the variance (tcp_set_rto).</summary>
public sealed class TailLossProbe
{
    private static readonly Profile Tlp = With(p => p with { TailLossProbe = true, SackPermitted = true, RtoMin = 200_000, RtoMinOnVariance = true });

    /// <summary>Active OPEN with SACK-permitted offered and echoed; the peer's SYN,ACK arrives <paramref name="rtt"/> µs
    /// later (the first RTT sample: SRTT = R, RTTVAR = R/2, RTO = SRTT + max(4·RTTVAR, 200 ms)).</summary>
    private static Conn EstablishedWithSack(long rtt, Profile? profile = null)
    {
        var c = Closed(profile ?? Tlp);
        AssertSent(c.User(Input.OpenActive), $"<SEQ={Iss}><CTL=SYN><WND={OurWnd}><OPT=MSS:1460,SACKOK>");
        c.Now += rtt;
        AssertSent(c.Arrive($"<SEQ={Irs}><ACK={Iss + 1}><CTL=SYN,ACK><WND={PeerWnd}><OPT=MSS:100,SACKOK>"),
            $"<SEQ={Iss + 1}><ACK={Irs + 1}><CTL=ACK><WND={OurWnd}>");
        Assert.Equal(TcpState.Established, c.State);
        Assert.True(c.Tcb.SackPermittedOn);
        c.PeerNxt = Irs + 1;
        c.OurNxt = Iss + 1;
        return c;
    }

    private static string Seg(SeqNum seq, string ctl, int length) => $"<SEQ={seq}><ACK={Irs + 1}><CTL={ctl}><DATA=\"{Text(length)}\">";

    [Fact, Trait("RFC", "8985 §7.2")]
    public void TwoSegmentsSent_ArmThePtoAtTwiceTheSrttPlusTwoMilliseconds_AndItRetransmitsTheLastSegmentWithoutBackoff()
    {
        var c = EstablishedWithSack(10_000); // SRTT 10 ms, RTO 210 ms
        Assert.Equal(210_000, c.Tcb.Rto);
        AssertSent(c.Send(Text(150)), Seg(Iss + 1, "ACK", 100), Seg(Iss + 101, "PSH,ACK", 50));
        Assert.Equal(c.Now + 22_000, c.Deadline(TimerKind.Retransmit));
        // RFC 8985 §7.3: the most recently sent segment's worth — the last 100 octets before SND.NXT, PSH as first sent
        AssertSent(c.FireNextTimer(), Seg(Iss + 51, "PSH,ACK", 100));
        Assert.Equal(32_000, c.Now);
        Assert.Equal(c.Now + 210_000, c.Deadline(TimerKind.Retransmit)); // the RTO from now, not doubled
        Assert.Equal(210_000, c.Tcb.Rto);
        Assert.Equal(0, c.Tcb.Retransmissions);
        Assert.Empty(c.Notices);
        // the probe is not timed (Karn): its ACK gives no sample
        c.Now += 10_000;
        AssertSent(c.Arrive($"<SEQ={Irs + 1}><ACK={Iss + 151}><CTL=ACK><WND={PeerWnd}>"));
        Assert.Equal(10_000, c.Tcb.Srtt);
        Assert.Equal(TimerSet.Off, c.Deadline(TimerKind.Retransmit));
    }

    [Theory, Trait("RFC", "8985 §7.2")]
    [InlineData(50, 1_200_000)]  // one segment: 2·500 ms + RTO.min
    [InlineData(100, 1_200_000)] // exactly one MSS is still one segment
    [InlineData(101, 1_002_000)] // two segments: 2·500 ms + 2 ms
    public void ThePto_IsTwiceTheSrttPlusRtoMinForOneSegment_AndPlusTwoMillisecondsForMore(int octets, long pto)
    {
        var c = EstablishedWithSack(500_000); // SRTT 500 ms, RTTVAR 250 ms, RTO 1.5 s
        Assert.Equal(1_500_000, c.Tcb.Rto);
        c.Send(Text(octets));
        Assert.Equal(c.Now + pto, c.Deadline(TimerKind.Retransmit));
        var probe = Assert.Single(c.FireNextTimer());
        Assert.Equal(Iss + 1 + (octets - Math.Min(octets, 100)), probe.Seq);
        Assert.Equal(Math.Min(octets, 100), probe.Payload.Length);
        Assert.Equal(c.Now + 1_500_000, c.Deadline(TimerKind.Retransmit));
    }

    [Fact, Trait("RFC", "8985 §7.2")]
    public void WithoutAnRttSample_ThePtoIsOneSecond_BelowTheRto()
    {
        // the SYN timed out, so the handshake gave no sample (Karn) and the RTO is re-initialized to 3 s (RFC 6298 §5.7)
        var c = Closed(Tlp);
        c.User(Input.OpenActive);
        AssertSent(c.FireNextTimer(), $"<SEQ={Iss}><CTL=SYN><WND={OurWnd}><OPT=MSS:1460,SACKOK>");
        c.Now += PeerDelay;
        c.Arrive($"<SEQ={Irs}><ACK={Iss + 1}><CTL=SYN,ACK><WND={PeerWnd}><OPT=MSS:100,SACKOK>");
        Assert.Equal(TcpState.Established, c.State);
        Assert.Equal(-1, c.Tcb.Srtt);
        Assert.Equal(3_000_000, c.Tcb.Rto);
        c.Send(Text(150));
        Assert.Equal(c.Now + Second, c.Deadline(TimerKind.Retransmit));
    }

    [Fact, Trait("RFC", "8985 §7.2")]
    public void AnRttSampleOfZero_IsASample_SoThePtoIsTwiceTheSrttPlusTwoMilliseconds()
    {
        var c = EstablishedWithSack(0); // SRTT 0, RTO 200 ms
        Assert.Equal(0, c.Tcb.Srtt);
        c.Send(Text(150));
        Assert.Equal(c.Now + 2_000, c.Deadline(TimerKind.Retransmit)); // 2 · 0 + 2 ms (two segments out), before the RTO of 200 ms
    }

    [Fact, Trait("RFC", "8985 §7.2")]
    public void NewDataSentWhileThePtoRuns_KeepsItNoLaterThanTheRtoOfTheFirstSegment()
    {
        var c = EstablishedWithSack(10_000); // RTO 210 ms, one-segment PTO 220 ms: the RTO bounds it
        c.Send(Text(40));
        Assert.Equal(10_000 + 210_000, c.Deadline(TimerKind.Retransmit));
        c.Now = 100_000;
        c.Send(Text(40)); // still one segment outstanding; the timer started at 10 ms: its RTO ends at 220 ms
        Assert.Equal(220_000, c.Deadline(TimerKind.Retransmit));
    }

    [Fact, Trait("RFC", "8985 §7.2")]
    public void NewDataSentWhenTheRtoIsOverdue_ArmsTheTimerForTheNextMicrosecond_NotThePast()
    {
        var c = EstablishedWithSack(10_000);
        c.Send(Text(40)); // its RTO ends at 220 ms
        c.Now = 300_000;  // and no tick came
        c.Send(Text(40));
        Assert.Equal(300_001, c.Deadline(TimerKind.Retransmit));
    }

    [Fact, Trait("RFC", "8985 §7.2")]
    public void AFinSentWhileThePtoRuns_KeepsItNoLaterThanTheRtoOfTheFirstSegment()
    {
        var c = EstablishedWithSack(10_000);
        c.Send(Text(40));
        c.Now = 100_000;
        AssertSent(c.User(Input.Close), $"<SEQ={Iss + 41}><ACK={Irs + 1}><CTL=FIN,ACK>");
        Assert.Equal(220_000, c.Deadline(TimerKind.Retransmit));
    }

    [Fact, Trait("RFC", "8985 §7.3")]
    public void AFinAlone_IsProbedAtThePtoOfOneSegment_ByRetransmittingTheFin()
    {
        var c = EstablishedWithSack(500_000);
        AssertSent(c.User(Input.Close), $"<SEQ={Iss + 1}><ACK={Irs + 1}><CTL=FIN,ACK>");
        Assert.Equal(c.Now + 1_200_000, c.Deadline(TimerKind.Retransmit));
        AssertSent(c.FireNextTimer(), $"<SEQ={Iss + 1}><ACK={Irs + 1}><CTL=FIN,ACK>");
        Assert.Equal(0, c.Tcb.Retransmissions);
        Assert.Equal(c.Now + 1_500_000, c.Deadline(TimerKind.Retransmit));
    }

    [Fact, Trait("RFC", "8985 §7.3")]
    public void TextAndAFinOutstanding_AreProbedWithTheLastSegmentOfTextAndTheFin()
    {
        var c = EstablishedWithSack(500_000);
        c.Send(Text(150));
        AssertSent(c.User(Input.Close), $"<SEQ={Iss + 151}><ACK={Irs + 1}><CTL=FIN,ACK>");
        Assert.Equal(c.Now + 1_002_000, c.Deadline(TimerKind.Retransmit));
        AssertSent(c.FireNextTimer(), Seg(Iss + 51, "FIN,PSH,ACK", 100));
        Assert.Equal(Iss + 152, c.Tcb.TlpHighSeq);
    }

    [Fact, Trait("RFC", "8985 §7.2")]
    public void AnAckOfPartOfTheData_RestartsThePtoFromNow()
    {
        var c = EstablishedWithSack(500_000);
        c.Send(Text(250)); // 100, 100, 50
        c.Now += 100_000;  // a 100 ms sample: SRTT 450 ms, RTTVAR 287.5 ms, RTO 1.6 s
        AssertSent(c.Arrive($"<SEQ={Irs + 1}><ACK={Iss + 101}><CTL=ACK><WND={PeerWnd}>"));
        Assert.Equal(450_000, c.Tcb.Srtt);
        Assert.Equal(1_600_000, c.Tcb.Rto);
        Assert.Equal(c.Now + 902_000, c.Deadline(TimerKind.Retransmit)); // 150 octets out: two segments
    }

    [Fact, Trait("RFC", "8985 §7.3")]
    public void AfterTheProbe_NewDataArmsNoSecondProbe_AndTheRtoRetransmitsFromSndUnaBackedOff()
    {
        var c = EstablishedWithSack(10_000);
        c.Send(Text(150));
        c.FireNextTimer(); // the probe at 32 ms; the RTO runs to 242 ms
        c.Now += 8_000;
        AssertSent(c.Send(Text(30)), Seg(Iss + 151, "PSH,ACK", 30));
        Assert.Equal(242_000, c.Deadline(TimerKind.Retransmit)); // one probe per episode (TLPRxtOut)
        AssertSent(c.FireNextTimer(), Seg(Iss + 1, "ACK", 100));
        Assert.Equal(242_000, c.Now);
        Assert.Equal(1, c.Tcb.Retransmissions);
        Assert.Equal(420_000, c.Tcb.Rto);
    }

    [Fact, Trait("RFC", "8985 §7.2")]
    public void AfterAnRto_NewDataArmsNoProbe_UntilANewAck()
    {
        var c = EstablishedWithSack(10_000);
        c.Send(Text(150));
        c.FireNextTimer(); // probe
        c.FireNextTimer(); // RTO at 242 ms: retransmission, RTO 420 ms
        Assert.Equal(1, c.Tcb.Retransmissions);
        c.Now += 5_000;
        c.Send(Text(30));
        Assert.Equal(242_000 + 420_000, c.Deadline(TimerKind.Retransmit));
    }

    [Fact, Trait("RFC", "8985 §7.2")]
    public void WithoutSack_NewDataArmsOnlyTheRto()
    {
        var c = Closed(Tlp);
        c.User(Input.OpenActive);
        c.Now += PeerDelay;
        c.Arrive($"<SEQ={Irs}><ACK={Iss + 1}><CTL=SYN,ACK><WND={PeerWnd}><OPT=MSS:100>");
        Assert.False(c.Tcb.SackPermittedOn);
        c.Send(Text(150));
        Assert.Equal(c.Now + 210_000, c.Deadline(TimerKind.Retransmit));
    }
}
