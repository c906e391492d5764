using TcpModel.Reference;
using TcpModel.Wire;
using static TcpModel.Tests.Reference.TimedKit;

namespace TcpModel.Tests.Reference;

/// <summary>Retransmission: the RTO of RFC 6298, Karn's algorithm, backoff, and R1/R2 of RFC 1122 §4.2.3.5.</summary>
public sealed class RetransmissionTimers
{
    private const string Syn = "<SEQ=4294967290><CTL=SYN><OPT=MSS:1460>";

    [Fact]
    [Trait("RFC", "6298 §2.1, §5.5")]
    public void AnUnansweredSynIsRetransmittedAfterOneSecondThenAtDoublingIntervals()
    {
        var t = new ReferenceTcp(Rfc9293, new SeqNum(Iss));
        Sent(t.OpenActive(), Syn);
        Assert.Equal(1 * Second, t.NextDeadline);
        Sent(t.AdvanceTo(1 * Second - 1));
        Sent(t.AdvanceTo(1 * Second), Syn);
        Assert.Equal(3 * Second, t.NextDeadline);
        Sent(t.AdvanceTo(3 * Second - 1));
        Sent(t.AdvanceTo(3 * Second), Syn);
        Assert.Equal(7 * Second, t.NextDeadline);
        Assert.Equal(RefState.SynSent, t.State);
    }

    [Fact]
    [Trait("RFC", "6298 §5.7")]
    public void AfterARetransmittedSynTheHandshakeLeavesTheRtoAtThreeSecondsAndTakesNoSample()
    {
        var t = new ReferenceTcp(Rfc9293, new SeqNum(Iss));
        t.OpenActive();
        Sent(t.AdvanceTo(1 * Second), Syn);
        t.AdvanceTo(1_500_000);
        Sent(t.SegmentArrives(Seg("<SEQ=4294967295><ACK=4294967291><CTL=SYN,ACK><WND=65535><OPT=MSS:1460>")),
            "<SEQ=4294967291><ACK=0><CTL=ACK>");
        Assert.Null(t.Srtt); // Karn: the SYN was sent twice, the sample is ambiguous
        Assert.Equal(3 * Second, t.Rto);
        Assert.Null(t.RetransmissionDeadline);
    }

    [Fact]
    [Trait("RFC", "6298 §2.2, §2.3, §2.4")]
    public void RttSamplesGiveSrttRttvarAndRtoByTheRfcFormulas()
    {
        var profile = Rfc9293 with { RtoMin = 200_000 };
        var t = new ReferenceTcp(profile, new SeqNum(Iss));
        t.OpenActive();
        t.AdvanceTo(100_000);
        t.SegmentArrives(Seg("<SEQ=4294967295><ACK=4294967291><CTL=SYN,ACK><WND=65535><OPT=MSS:1460>"));
        // First sample R = 100 ms: SRTT = R, RTTVAR = R/2, RTO = SRTT + max(G, 4 RTTVAR).
        Assert.Equal(100_000, t.Srtt);
        Assert.Equal(50_000, t.RttVar);
        Assert.Equal(300_000, t.Rto);

        t.AdvanceTo(200_000);
        Sent(t.Send("hello"u8), "<SEQ=4294967291><ACK=0><CTL=ACK>" + Data("hello"));
        Assert.Equal(500_000, t.RetransmissionDeadline);
        t.AdvanceTo(500_000 - 1);
        Sent(t.SegmentArrives(Ack(0, 4294967296L + 0)));
        // Second sample R' = 299999: RTTVAR = 3/4 * 50000 + 1/4 * |100000 - R'|, SRTT = 7/8 * 100000 + 1/8 * R'.
        long r = 299_999;
        long rttvar = (3 * 50_000 + (r - 100_000)) / 4;
        long srtt = (7 * 100_000 + r) / 8;
        Assert.Equal(rttvar, t.RttVar);
        Assert.Equal(srtt, t.Srtt);
        Assert.Equal(srtt + 4 * rttvar, t.Rto);
        Assert.Null(t.RetransmissionDeadline); // §5.2: all data acknowledged, timer off
    }

    [Fact]
    [Trait("RFC", "6298 §2.4")]
    public void AnRtoBelowTheMinimumIsRoundedUpToOneSecond()
    {
        var t = Established(Rfc9293);
        Assert.Equal(0, t.Srtt);
        Assert.Equal(1 * Second, t.Rto);
    }

    [Fact]
    [Trait("RFC", "6298 §3, §5")]
    public void KarnsAlgorithmTakesNoSampleFromARetransmittedSegmentAndKeepsTheBackoffUntilANewSample()
    {
        var t = Established(Rfc9293);
        Sent(t.Send("ab"u8), "<SEQ=4294967291><ACK=0><CTL=ACK>" + Data("ab"));
        Sent(t.AdvanceTo(1 * Second), "<SEQ=4294967291><ACK=0><CTL=ACK>" + Data("ab"));
        Assert.Equal(2 * Second, t.Rto);
        t.AdvanceTo(1_200_000);
        Sent(t.SegmentArrives(Ack(0, 4294967293)));
        Assert.Equal(0, t.Srtt);           // unchanged: no sample from the retransmitted segment
        Assert.Equal(2 * Second, t.Rto);   // backoff kept
        Sent(t.Send("c"u8), "<SEQ=4294967293><ACK=0><CTL=ACK>" + Data("c"));
        Assert.Equal(1_200_000 + 2 * Second, t.RetransmissionDeadline);
        t.AdvanceTo(1_400_000);
        Sent(t.SegmentArrives(Ack(0, 4294967294)));
        // A new sample R = 200 ms collapses the backed-off RTO (RFC 6298 §5, last paragraph).
        Assert.Equal((7 * 0 + 200_000) / 8, t.Srtt);
        Assert.Equal(1 * Second, t.Rto);
    }

    [Fact]
    [Trait("RFC", "6298 §5.3, §5.4")]
    public void AnAckOfNewDataRestartsTheTimerAndTheRetransmissionStartsAtSndUnaWithAtMostOneMss()
    {
        var t = Established(Rfc9293, peerOptions: "MSS:4");
        Sent(t.Send("abcdefghij"u8),
            "<SEQ=4294967291><ACK=0><CTL=ACK>" + Data("abcd"),
            "<SEQ=4294967295><ACK=0><CTL=ACK>" + Data("efgh"),
            "<SEQ=3><ACK=0><CTL=ACK>" + Data("ij"));
        t.AdvanceTo(600_000);
        Sent(t.SegmentArrives(Ack(0, 1))); // acknowledges "abcd" and "ef"
        Assert.Equal(1_600_000, t.RetransmissionDeadline);
        Sent(t.AdvanceTo(1_600_000), "<SEQ=1><ACK=0><CTL=ACK>" + Data("ghij"));
    }

    [Fact]
    [Trait("RFC", "6298 §5.4")]
    public void AnUnacknowledgedFinIsRetransmittedWithTheDataBeforeIt()
    {
        var t = Established(Rfc9293);
        t.Send("xy"u8);
        Sent(t.Close(), "<SEQ=4294967293><ACK=0><CTL=FIN,ACK>");
        Sent(t.AdvanceTo(1 * Second), "<SEQ=4294967291><ACK=0><CTL=FIN,ACK>" + Data("xy"));
        Sent(t.SegmentArrives(Ack(0, 4294967293)));
        Sent(t.AdvanceTo(t.RetransmissionDeadline!.Value), "<SEQ=4294967293><ACK=0><CTL=FIN,ACK>");
        Assert.Equal(RefState.FinWait1, t.State);
    }

    [Fact]
    [Trait("RFC", "1122 §4.2.3.5")]
    public void AfterR1RetransmissionsTheUserIsToldOnceAndAtTheFirstExpiryPastR2TheConnectionCloses()
    {
        var t = Established(Rfc9293);
        const string x = "<SEQ=4294967291><ACK=0><CTL=ACK><DATA=\"x\">";
        Sent(t.Send("x"u8), x);
        // Expiries at 1, 3, 7, 15, 31, 63 s (RTO doubling from 1 s), then 60 s (RTO max) later: 123 s.
        Sent(t.AdvanceTo(7 * Second - 1), x, x);
        Assert.DoesNotContain(ReferenceTcp.R1Notice, t.Notifications);
        Sent(t.AdvanceTo(7 * Second), x);
        Assert.Equal([ReferenceTcp.R1Notice], t.Notifications);
        Sent(t.AdvanceTo(123 * Second - 1), x, x, x);
        Assert.Equal(60 * Second, t.Rto);
        Assert.Equal(RefState.Established, t.State);
        Sent(t.AdvanceTo(123 * Second));
        Assert.Equal(RefState.Closed, t.State);
        Assert.Equal([ReferenceTcp.R1Notice, ReferenceTcp.RetransmitGiveUpNotice], t.Notifications);
        Assert.Null(t.NextDeadline);
    }

    [Fact]
    [Trait("RFC", "1122 §4.2.3.5")]
    public void ASynIsGivenUpAtTheFirstExpiryPastR2ForSyns()
    {
        var t = new ReferenceTcp(Rfc9293, new SeqNum(Iss));
        t.OpenActive();
        // 1, 3, 7, 15, 31, 63, 123 s: seven retransmissions; 183 s is past R2Syn = 180 s.
        Assert.Equal(7, t.AdvanceTo(183 * Second - 1).Count);
        Assert.Equal(RefState.SynSent, t.State);
        Sent(t.AdvanceTo(183 * Second));
        Assert.Equal(RefState.Closed, t.State);
        Assert.Contains(ReferenceTcp.RetransmitGiveUpNotice, t.Notifications);
    }

    [Fact]
    [Trait("RFC", "1122 §4.2.3.5")]
    public void R2CountsFromTheFirstTransmissionOfTheSegmentAtSndUna()
    {
        var t = Established(Rfc9293 with { R2 = 10 * Second });
        t.Send("a"u8);
        t.AdvanceTo(4 * Second);
        t.Send("b"u8); // first sent at 4 s
        t.AdvanceTo(5 * Second);
        Sent(t.SegmentArrives(Ack(0, 4294967292))); // "a" acknowledged: "b" is now the earliest
        // "b" retransmitted from 5 s + RTO 4 s (backed off twice, kept by Karn) = 9 s, then 17 s: 13 s after 4 s.
        Assert.Single(t.AdvanceTo(16 * Second));
        Sent(t.AdvanceTo(17 * Second));
        Assert.Equal(RefState.Closed, t.State);
    }

    [Fact]
    [Trait("RFC", "6298 §5.1, §5.2")]
    public void NoTimerRunsWhenNothingIsOutstanding()
    {
        var t = Established(Rfc9293);
        Assert.Null(t.NextDeadline);
        Sent(t.AdvanceTo(1000 * Second));
        Assert.Equal(RefState.Established, t.State);
    }

    [Fact]
    [Trait("RFC", "6298 §5")]
    public void APassiveEndRetransmitsItsSynAckUntilTheHandshakeAck()
    {
        var t = new ReferenceTcp(Rfc9293, new SeqNum(Iss));
        t.OpenPassive();
        const string synAck = "<SEQ=4294967290><ACK=0><CTL=SYN,ACK><OPT=MSS:1460>";
        Sent(t.SegmentArrives(Seg("<SEQ=4294967295><CTL=SYN><WND=65535><OPT=MSS:1460>")), synAck);
        Sent(t.AdvanceTo(1 * Second), synAck);
        Sent(t.AdvanceTo(3 * Second), synAck);
        Sent(t.SegmentArrives(Ack(0, 4294967291)));
        Assert.Equal(RefState.Established, t.State);
        Assert.Null(t.NextDeadline);
    }
}
