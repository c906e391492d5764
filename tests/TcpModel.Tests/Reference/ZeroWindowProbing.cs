using TcpModel.Reference;
using TcpModel.Wire;
using static TcpModel.Tests.Reference.TimedKit;

namespace TcpModel.Tests.Reference;

/// <summary>The persist timer and zero-window probes, RFC 9293 §3.8.6.1 (MUST-35, MUST-36, SHLD-29, SHLD-30).</summary>
public sealed class ZeroWindowProbing
{
    private const string ProbeA = "<SEQ=4294967291><ACK=0><CTL=ACK><DATA=\"a\">";

    [Fact]
    [Trait("RFC", "9293 §3.8.6.1")]
    public void DataQueuedBehindAZeroWindowIsProbedWithOneOctetAfterTheRto()
    {
        var t = Established(Rfc9293, peerWindow: 0);
        Sent(t.Send("abc"u8));
        Assert.Equal(3, t.Unsent);
        Assert.Equal(1 * Second, t.PersistDeadline);
        Sent(t.AdvanceTo(1 * Second - 1));
        Sent(t.AdvanceTo(1 * Second), ProbeA);
        Assert.Equal(new SeqNum(4294967291), t.SndNxt); // the probe does not advance SND.NXT
    }

    [Fact]
    [Trait("RFC", "9293 §3.8.6.1")]
    public void WhileTheWindowStaysZeroTheSameOctetIsRetransmittedAtExponentiallyGrowingIntervals()
    {
        var t = Established(Rfc9293, peerWindow: 0);
        t.Send("abc"u8);
        long[] probes = [1, 3, 7, 15, 31, 63];
        foreach (var at in probes)
        {
            Sent(t.AdvanceTo(at * Second - 1));
            Sent(t.AdvanceTo(at * Second), ProbeA);
            Sent(t.SegmentArrives(Ack(0, 4294967291, wnd: 0))); // probe refused, window still zero
        }
        Assert.Equal(123 * Second, t.PersistDeadline); // the interval is bounded by the maximum RTO (60 s)
    }

    [Fact]
    [Trait("RFC", "9293 §3.8.6.1 (MUST-36)")]
    public void TheConnectionStaysOpenIndefinitelyWhileTheProbesAreAcknowledged()
    {
        // R2 (100 s) is far exceeded; the user timeout is switched off by the profile.
        var t = Established(Rfc9293 with { UserTimeout = 0 }, peerWindow: 0);
        t.Send("abc"u8);
        int probes = 0;
        while (t.Now < 1000 * Second)
        {
            var sent = t.AdvanceTo(t.NextDeadline!.Value);
            Sent(sent, ProbeA);
            probes++;
            Sent(t.SegmentArrives(Ack(0, 4294967291, wnd: 0)));
        }
        Assert.Equal(RefState.Established, t.State);
        Assert.True(probes > 10);
        // The window opens: the queued octets leave from SND.UNA, the probe's octet first.
        Sent(t.SegmentArrives(Ack(0, 4294967291, wnd: 10)), "<SEQ=4294967291><ACK=0><CTL=ACK><DATA=\"abc\">");
        Assert.Null(t.PersistDeadline);
    }

    [Fact]
    [Trait("RFC", "9293 §3.8.6.1")]
    public void AProbeOctetTheReceiverAcceptsCountsAsSentAndTheNextProbeCarriesTheNextOctet()
    {
        var t = Established(Rfc9293, peerWindow: 0);
        t.Send("abc"u8);
        Sent(t.AdvanceTo(1 * Second), ProbeA);
        Sent(t.SegmentArrives(Ack(0, 4294967292, wnd: 0))); // "a" accepted, window zero again
        Assert.Equal(new SeqNum(4294967292), t.SndUna);
        Assert.Equal(2, t.Unsent);
        Sent(t.AdvanceTo(t.NextDeadline!.Value), "<SEQ=4294967292><ACK=0><CTL=ACK><DATA=\"b\">");
    }

    [Fact]
    [Trait("RFC", "1122 §4.2.2.17, §4.2.3.5")]
    public void ProbesThatNoAckAnswersAreGivenUpAfterR2()
    {
        var t = Established(Rfc9293, peerWindow: 0);
        t.Send("abc"u8);
        // Probes at 1, 3, 7, 15, 31, 63 s; at 123 s the first unanswered probe (1 s) is 122 s old > R2.
        Assert.Equal(6, t.AdvanceTo(123 * Second - 1).Count);
        Sent(t.AdvanceTo(123 * Second));
        Assert.Equal(RefState.Closed, t.State);
        Assert.Equal([ReferenceTcp.RetransmitGiveUpNotice], t.Notifications);
    }

    [Fact]
    [Trait("RFC", "9293 §3.8.6.1")]
    public void NoProbeIsSentWhenNothingIsQueuedOrWhileDataIsInFlight()
    {
        var idle = Established(Rfc9293, peerWindow: 0);
        Assert.Null(idle.NextDeadline);

        var t = Established(Rfc9293, peerWindow: 2);
        Sent(t.Send("abc"u8), "<SEQ=4294967291><ACK=0><CTL=ACK><DATA=\"ab\">");
        Assert.Null(t.PersistDeadline); // the retransmission timer covers the outstanding octets
        Assert.Equal(1 * Second, t.RetransmissionDeadline);
        Sent(t.SegmentArrives(Ack(0, 4294967293, wnd: 0)));
        Assert.Equal(1 * Second, t.PersistDeadline); // now (0) + RTO
    }

    [Fact]
    [Trait("RFC", "9293 §3.8.6.1, §3.10.8")]
    public void TheUserTimeoutStillAbortsAConnectionWhoseWindowStaysZero()
    {
        var t = Established(Rfc9293 with { UserTimeout = 100 * Second, R2 = 1000 * Second }, peerWindow: 0);
        t.Send("abc"u8);
        while (t.NextDeadline is { } d && d < 100 * Second)
        {
            Sent(t.AdvanceTo(d), ProbeA);
            t.SegmentArrives(Ack(0, 4294967291, wnd: 0));
        }
        Sent(t.AdvanceTo(100 * Second));
        Assert.Equal(RefState.Closed, t.State);
        Assert.Equal([ReferenceTcp.UserTimeoutNotice], t.Notifications);
    }

    // ---------------------------------------------------------------- the window closes on data outstanding

    /// <summary>"abc" sent at 0 into a window of 65535 (the retransmission timer due at 1 s), then at 0.5 s an ACK
    /// acknowledging nothing closes the window.</summary>
    private static ReferenceTcp WindowClosedOnAbc(TcpModel.Machine.Profile profile)
    {
        var t = Established(profile);
        Sent(t.Send("abc"u8), "<SEQ=4294967291><ACK=0><CTL=ACK>" + Data("abc"));
        Assert.Equal(1 * Second, t.RetransmissionDeadline);
        Sent(t.AdvanceTo(Second / 2));
        Sent(t.SegmentArrives(Ack(0, 4294967291, wnd: 0)));
        return t;
    }

    [Fact]
    [Trait("RFC", "9293 §3.8.6.1 (MUST-35, SHLD-29); 6298 §5.1")]
    public void WhenTheWindowClosesOnOutstandingDataThePersistTimerReplacesTheRetransmissionTimer()
    {
        var t = WindowClosedOnAbc(Rfc9293);
        Assert.Null(t.RetransmissionDeadline);
        Assert.Equal(Second / 2 + 1 * Second, t.PersistDeadline); // a zero window for one RTO
        Sent(t.AdvanceTo(Second / 2 + Second - 1));                // the RTO instant (1 s) passes: nothing
        Sent(t.AdvanceTo(Second / 2 + Second), ProbeA);            // the first unacknowledged octet again
        Assert.Equal(new SeqNum(4294967294), t.SndNxt);            // still outstanding, not pulled back
        Assert.Null(t.RetransmissionDeadline);
        // The window opens at 1.7 s: retransmission resumes — the timer starts afresh, "abc" goes at its expiry.
        t.AdvanceTo(1_700_000);
        Sent(t.SegmentArrives(Ack(0, 4294967291, wnd: 10)));
        Assert.Null(t.PersistDeadline);
        Assert.Equal(1_700_000 + t.Rto, t.RetransmissionDeadline);
        Sent(t.AdvanceTo(1_700_000 + t.Rto - 1));
        Sent(t.AdvanceTo(2_700_000), "<SEQ=4294967291><ACK=0><CTL=ACK>" + Data("abc"));
        // Karn (RFC 6298 §3): "abc" was sent more than once, its ACK gives no RTT sample.
        Sent(t.SegmentArrives(Ack(0, 4294967294)));
        Assert.Equal(0, t.Srtt);
        Assert.Null(t.NextDeadline);
    }

    [Fact]
    [Trait("RFC", "9293 §3.8.6.1 (SHLD-30)")]
    public void AProbeOfOutstandingDataTheReceiverAcceptsIsFollowedByTheNextOctetThenWhatRemainsAfterTheWindowOpens()
    {
        var t = WindowClosedOnAbc(Rfc9293);
        Sent(t.AdvanceTo(Second / 2 + Second), ProbeA);
        Sent(t.SegmentArrives(Ack(0, 4294967292, wnd: 0)));          // "a" accepted, the window zero again
        Assert.Equal(new SeqNum(4294967292), t.SndUna);
        Assert.Null(t.RetransmissionDeadline);
        Assert.Equal(3_500_000, t.PersistDeadline); // backed off: 1.5 s + 2 × RTO
        Sent(t.AdvanceTo(3_500_000), "<SEQ=4294967292><ACK=0><CTL=ACK>" + Data("b"));
        Sent(t.SegmentArrives(Ack(0, 4294967292, wnd: 10)));
        Assert.Null(t.PersistDeadline);
        Sent(t.AdvanceTo(t.RetransmissionDeadline!.Value), "<SEQ=4294967292><ACK=0><CTL=ACK>" + Data("bc"));
    }

    [Fact]
    [Trait("RFC", "9293 §3.8.6.1 (MUST-36, MUST-37); 1122 §4.2.3.5")]
    public void AWindowClosedOnOutstandingDataMayStayClosedIndefinitelyWhileTheProbesAreAnswered()
    {
        var t = WindowClosedOnAbc(Rfc9293 with { UserTimeout = 0 }); // R2 = 100 s is far exceeded below
        int probes = 0;
        while (t.Now < 1000 * Second)
        {
            Sent(t.AdvanceTo(t.NextDeadline!.Value), ProbeA);
            probes++;
            Sent(t.SegmentArrives(Ack(0, 4294967291, wnd: 0)));
        }
        Assert.Equal(RefState.Established, t.State);
        Assert.True(probes > 10);
        Sent(t.SegmentArrives(Ack(0, 4294967291, wnd: 10)));
        // R2 counts from the window's opening: the retransmission is not an abort.
        Sent(t.AdvanceTo(t.RetransmissionDeadline!.Value), "<SEQ=4294967291><ACK=0><CTL=ACK>" + Data("abc"));
        Assert.Equal(RefState.Established, t.State);
        Assert.Empty(t.Notifications);
    }

    [Fact]
    [Trait("RFC", "9293 §3.8.6.1, §3.8.6.2.1")]
    public void OctetsQueuedBehindTheOutstandingOnesGoOutWhenTheWindowOpensTheOutstandingOnesAtTheRto()
    {
        var t = WindowClosedOnAbc(Rfc9293);
        Sent(t.Send("de"u8));
        Sent(t.AdvanceTo(Second / 2 + Second), ProbeA);
        // The usable window SND.UNA + SND.WND − SND.NXT is 7: "de" goes at once (the timer is already restarted).
        Sent(t.SegmentArrives(Ack(0, 4294967291, wnd: 10)), "<SEQ=4294967294><ACK=0><CTL=ACK>" + Data("de"));
        Assert.Equal(Second / 2 + Second + t.Rto, t.RetransmissionDeadline);
        Sent(t.AdvanceTo(t.RetransmissionDeadline!.Value), "<SEQ=4294967291><ACK=0><CTL=ACK>" + Data("abcde"));
    }

    [Fact]
    [Trait("RFC", "9293 §3.8.6.1, 1122 §4.2.3.5")]
    public void UnansweredProbesOfOutstandingDataAreGivenUpAfterR2()
    {
        var t = WindowClosedOnAbc(Rfc9293);
        // Probes at 1.5, 3.5, 7.5, 15.5, 31.5, 63.5 s; at 123.5 s the first unanswered one is 122 s old > R2.
        Assert.Equal(6, t.AdvanceTo(123_500_000 - 1).Count);
        Sent(t.AdvanceTo(123_500_000));
        Assert.Equal(RefState.Closed, t.State);
        Assert.Equal([ReferenceTcp.RetransmitGiveUpNotice], t.Notifications);
    }

    [Fact]
    [Trait("RFC", "9293 §3.10.7.4 fifth, §3.8.6.1 (SHLD-29)")]
    public void AnAckOfOctetsSentBeforeTheWindowClosedLeavesThePersistTimerRunningAndAtItsDeadlineNothingIsSent()
    {
        var t = WindowClosedOnAbc(Rfc9293);
        Sent(t.SegmentArrives(Ack(0, 4294967294, wnd: 0)));
        Assert.Equal(new SeqNum(4294967294), t.SndUna);
        Assert.Equal(0, t.Unacknowledged);
        Assert.Null(t.RetransmissionDeadline);
        Assert.Equal(Second / 2 + Second, t.PersistDeadline); // kept while the window stays zero
        Sent(t.AdvanceTo(Second / 2 + Second));               // nothing at all is left to send: no probe
        Assert.Null(t.PersistDeadline);                       // and not re-armed
        Assert.Null(t.NextDeadline);
    }

    // ------------------------------------------- the persist timer keeps its deadline while the window stays zero

    /// <summary>"a" sent at 0, the window closed at 0.5 s with "a" outstanding (the persist timer due at 1.5 s),
    /// then at 0.6 s "a" acknowledged with the window still zero.</summary>
    private static ReferenceTcp WindowClosedThenAAcknowledged()
    {
        var t = Established(Rfc9293);
        Sent(t.Send("a"u8), "<SEQ=4294967291><ACK=0><CTL=ACK>" + Data("a"));
        Sent(t.AdvanceTo(Second / 2));
        Sent(t.SegmentArrives(Ack(0, 4294967291, wnd: 0)));
        Assert.Equal(Second / 2 + Second, t.PersistDeadline);
        Sent(t.AdvanceTo(600_000));
        Sent(t.SegmentArrives(Ack(0, 4294967292, wnd: 0)));
        Assert.Equal(0, t.Unacknowledged);
        return t;
    }

    [Fact]
    [Trait("RFC", "9293 §3.8.6.1 (SHLD-29)")]
    public void TextSentAfterTheOutstandingOctetsAreAcknowledgedIntoTheStillZeroWindowIsProbedAtTheDeadlineSetWhenTheWindowClosed()
    {
        var t = WindowClosedThenAAcknowledged();
        Sent(t.AdvanceTo(800_000));
        Sent(t.Send("b"u8));                                  // the window is still zero: nothing goes
        Assert.Equal(Second / 2 + Second, t.PersistDeadline); // not pushed to the SEND + RTO
        Sent(t.AdvanceTo(Second / 2 + Second - 1));
        Sent(t.AdvanceTo(Second / 2 + Second), "<SEQ=4294967292><ACK=0><CTL=ACK>" + Data("b"));
        Assert.Equal(Second / 2 + Second + 2 * t.Rto, t.PersistDeadline); // SHLD-30: backed off
    }

    [Fact]
    [Trait("RFC", "9293 §3.8.6.1 (SHLD-29)")]
    public void ASendAfterThePersistTimerFellDueWithNothingToSendArmsItAfreshOneRtoLater()
    {
        var t = WindowClosedThenAAcknowledged();
        Sent(t.AdvanceTo(Second / 2 + Second));               // due, nothing left: no probe, not re-armed
        Assert.Null(t.PersistDeadline);
        Sent(t.AdvanceTo(2 * Second));
        Sent(t.Send("b"u8));
        Assert.Equal(2 * Second + t.Rto, t.PersistDeadline); // one RTO, the backoff not carried over
        Sent(t.AdvanceTo(2 * Second + t.Rto - 1));
        Sent(t.AdvanceTo(2 * Second + t.Rto), "<SEQ=4294967292><ACK=0><CTL=ACK>" + Data("b"));
    }

    [Fact]
    [Trait("RFC", "9293 §3.8.6.1, §3.10.7.4 fifth")]
    public void AWindowThatOpensStopsThePersistTimerKeptWhileItWasZero()
    {
        var t = WindowClosedThenAAcknowledged();
        Sent(t.SegmentArrives(Ack(0, 4294967292, wnd: 10)));
        Assert.Null(t.PersistDeadline);
        Assert.Null(t.NextDeadline);
        Sent(t.Send("b"u8), "<SEQ=4294967292><ACK=0><CTL=ACK>" + Data("b"));
        Assert.Null(t.PersistDeadline);
        Assert.Equal(t.Now + t.Rto, t.RetransmissionDeadline);
    }

    [Fact]
    [Trait("RFC", "9293 §3.8.6.1 (SHLD-29)")]
    public void AProbedOctetAcceptedWithTheWindowStillZeroLeavesTheBackedOffDeadlineForTextSentNext()
    {
        var t = Established(Rfc9293, peerWindow: 0);
        Sent(t.Send("a"u8));
        Sent(t.AdvanceTo(1 * Second), ProbeA);
        Sent(t.SegmentArrives(Ack(0, 4294967292, wnd: 0))); // "a" accepted, the window zero again
        Assert.Equal(0, t.Unacknowledged);
        Assert.Equal(3 * Second, t.PersistDeadline);        // 1 s + 2 × RTO, kept
        Sent(t.AdvanceTo(2 * Second));
        Sent(t.Send("b"u8));
        Assert.Equal(3 * Second, t.PersistDeadline);
        Sent(t.AdvanceTo(3 * Second), "<SEQ=4294967292><ACK=0><CTL=ACK>" + Data("b"));
    }

    [Fact]
    [Trait("RFC", "9293 §3.8.6.1, §3.10.4")]
    public void OurFinOutstandingWithTheDataIsRetransmittedWithThemAfterTheWindowOpens()
    {
        var t = Established(Rfc9293);
        Sent(t.Send("abc"u8), "<SEQ=4294967291><ACK=0><CTL=ACK>" + Data("abc"));
        Sent(t.Close(), "<SEQ=4294967294><ACK=0><CTL=FIN,ACK>");
        Sent(t.SegmentArrives(Ack(0, 4294967291, wnd: 0)));
        Assert.Null(t.RetransmissionDeadline);
        Sent(t.AdvanceTo(t.PersistDeadline!.Value), ProbeA);
        Sent(t.SegmentArrives(Ack(0, 4294967291, wnd: 10)));
        Sent(t.AdvanceTo(t.RetransmissionDeadline!.Value), "<SEQ=4294967291><ACK=0><CTL=FIN,ACK>" + Data("abc"));
        Sent(t.SegmentArrives(Ack(0, 4294967295)));
        Assert.Equal(RefState.FinWait2, t.State);
        Assert.Null(t.NextDeadline);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    [Trait("RFC", "9293 §3.8.6.1, 1122 §4.2.2.17")]
    public void UnderTheOldSequenceProbeFormTheProbeIsAnAckBelowSndUnaWithoutData(bool outstanding)
    {
        var profile = Rfc9293 with { ZeroWindowProbeForm = TcpModel.Machine.ZeroWindowProbeForm.OldSequence, UserTimeout = 0 };
        var t = outstanding ? WindowClosedOnAbc(profile) : Established(profile, peerWindow: 0);
        if (!outstanding) Sent(t.Send("abc"u8));
        var sndNxt = t.SndNxt;
        for (int k = 0; k < 8; k++) // 8 probes, well beyond R2 = 100 s: each is answered
        {
            Sent(t.AdvanceTo(t.NextDeadline!.Value), "<SEQ=4294967290><ACK=0><CTL=ACK>");
            Assert.Equal(sndNxt, t.SndNxt);
            Sent(t.SegmentArrives(Ack(0, 4294967291, wnd: 0)));
        }
        Assert.Equal(RefState.Established, t.State);
        var opened = t.SegmentArrives(Ack(0, 4294967291, wnd: 10));
        if (outstanding)
        {
            Sent(opened);
            Sent(t.AdvanceTo(t.RetransmissionDeadline!.Value), "<SEQ=4294967291><ACK=0><CTL=ACK>" + Data("abc"));
        }
        else
        {
            Sent(opened, "<SEQ=4294967291><ACK=0><CTL=ACK>" + Data("abc"));
        }
    }
}
