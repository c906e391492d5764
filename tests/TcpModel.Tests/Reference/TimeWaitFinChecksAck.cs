using TcpModel.Machine;
using TcpModel.Reference;
using TcpModel.Wire;
using static TcpModel.Tests.Reference.ReferenceKit;

namespace TcpModel.Tests.Reference;

/// <summary>POLICY time-wait-fin-ack-checks: the retransmission of the remote FIN in TIME-WAIT (RFC 9293 §3.10.7.4 fifth,
/// TIME-WAIT: "Acknowledge it, and restart the 2 MSL timeout") still meets the fifth check's opening: no ACK bit, dropped;
/// SEG.ACK &gt; SND.NXT, an ACK and no restart; outside RFC 5961's range, the challenge ACK. Off (FreeBSD tcp_twcheck):
/// acknowledged and restarting 2 MSL whatever SEG.ACK. TIME-WAIT here: SND.NXT = 102, RCV.NXT = 302, 2 MSL = 240 s; the
/// clock is at 50 s when the FIN comes again.</summary>
public sealed class TimeWaitFinChecksAck
{
    private const long Second = AfterTheFinKit.Second;
    private const string OurAck = "<SEQ=102><ACK=302><CTL=ACK>";

    private static ReferenceTcp TimeWaitAtFiftySeconds(Profile p)
    {
        var t = AfterTheFinKit.TimeWait(p);
        t.SetClock(50 * Second);
        return t;
    }

    [Fact]
    [Trait("RFC", "9293 §3.10.7.4 fifth")]
    public void ARetransmittedFinWithoutTheAckBitIsDroppedWithoutReplyOrRestart()
    {
        foreach (var p in new[] { Profile.Rfc9293, Profile.Rfc793 })
        {
            var t = TimeWaitAtFiftySeconds(p);
            Sent(t.SegmentArrives(Seg("<SEQ=301><CTL=FIN><WND=65535>")));
            Assert.Equal(RefState.TimeWait, t.State);
            Assert.Equal(240 * Second, t.TimeWaitDeadline);
        }
    }

    [Fact]
    [Trait("RFC", "9293 §3.10.7.4 fifth")]
    public void ARetransmittedFinAckingSomethingNotYetSentIsAnsweredWithAnAckAndDoesNotRestartTheTimeout()
    {
        foreach (var p in new[] { Profile.Rfc9293, Profile.Rfc793 })
        {
            var t = TimeWaitAtFiftySeconds(p);
            Sent(t.SegmentArrives(Seg("<SEQ=301><ACK=103><CTL=FIN,ACK><WND=65535>")), OurAck);
            Assert.Equal(240 * Second, t.TimeWaitDeadline);
        }
    }

    [Fact]
    [Trait("RFC", "9293 §3.10.7.4 fifth (MAY-12); 5961 §5.2")]
    public void UnderTheAckRangeCheckARetransmittedFinWithAFarOlderAckDrawsTheChallengeAckAndDoesNotRestartTheTimeout()
    {
        var t = TimeWaitAtFiftySeconds(Profile.Rfc9293);
        Sent(t.SegmentArrives(Seg("<SEQ=301><ACK=3221225573><CTL=FIN,ACK><WND=65535>")), OurAck);
        Assert.Equal(240 * Second, t.TimeWaitDeadline);
    }

    [Fact]
    [Trait("RFC", "9293 §3.10.7.4 fifth")]
    public void ARetransmittedFinWithAnAcceptableAckIsAcknowledgedAndRestartsTheTimeout()
    {
        var t = TimeWaitAtFiftySeconds(Profile.Rfc9293);
        Sent(t.SegmentArrives(Seg("<SEQ=301><ACK=102><CTL=FIN,ACK><WND=65535>")), OurAck);
        Assert.Equal(290 * Second, t.TimeWaitDeadline);
    }

    [Fact]
    [Trait("RFC", "9293 §3.10.7.4 fifth")]
    public void WithoutThePolicyAnyRetransmittedFinIsAcknowledgedAndRestartsTheTimeout()
    {
        var off = Profile.Rfc9293 with { TimeWaitFinChecksAck = false };
        foreach (var fin in new[] { "<SEQ=301><CTL=FIN><WND=65535>", "<SEQ=301><ACK=103><CTL=FIN,ACK><WND=65535>" })
        {
            var t = TimeWaitAtFiftySeconds(off);
            Sent(t.SegmentArrives(Seg(fin)), OurAck);
            Assert.Equal(290 * Second, t.TimeWaitDeadline);
        }
    }
}

/// <summary>Other FINs in TIME-WAIT (SND.NXT = 102, RCV.NXT = 302, RCV.WND = 65535, 2 MSL = 240 s, the clock at 50 s).</summary>
public sealed class OtherFinsInTimeWait
{
    private const long Second = AfterTheFinKit.Second;
    private const string OurAck = "<SEQ=102><ACK=302><CTL=ACK>";

    [Fact]
    [Trait("RFC", "9293 §3.10.7.4 first, fourth")]
    public void ASynFinEndingJustBeforeRcvNxtIsAnOldDuplicateSynAnsweredByTheFirstChecksAck()
    {
        foreach (var p in new[] { Profile.Rfc9293, Profile.Rfc793 })
        {
            var t = AfterTheFinKit.TimeWait(p);
            t.SetClock(50 * Second);
            Sent(t.SegmentArrives(Seg("<SEQ=300><CTL=SYN,FIN><WND=65535>")), OurAck);
            Assert.Equal(RefState.TimeWait, t.State);
        }
    }

    /// <summary>The FreeBSD state-event suite's STANDARD line (rcv-syn-fin-time-wait-using-shutdown-outside-left-insecure-drop:
    /// `&lt; SF 1:1(0)` in TIME-WAIT, then `&gt; . 2:2(0) ack 2`): a SYN,FIN without ACK at RCV.NXT−1, its SYN just before
    /// RCV.NXT and its FIN at RCV.NXT (Table 6 admits it), is an old duplicate SYN — RFC 793 fourth: "an ack would have been
    /// sent in the first step"; under rfc5961-syn it is the challenge ACK, the same segment. Neither restarts 2 MSL.</summary>
    [Fact]
    [Trait("RFC", "793 §3.9 fourth; 9293 §3.10.7.4 first, fourth; 5961 §4.2")]
    public void ASynFinWithoutAckStraddlingRcvNxtIsAnOldDuplicateSynAnsweredByOneAckWithoutRestart()
    {
        foreach (var p in new[] { Profile.Rfc793, Profile.Rfc9293 })
        {
            var t = AfterTheFinKit.TimeWait(p);
            t.SetClock(50 * Second);
            Sent(t.SegmentArrives(Seg("<SEQ=301><CTL=SYN,FIN><WND=65535>")), OurAck);
            Assert.Equal(RefState.TimeWait, t.State);
            Assert.Equal(240 * Second, t.TimeWaitDeadline);
            Assert.Equal(new SeqNum(302), t.RcvNxt);
            // And again: the same one ACK, no throttle (rfc793), the challenge ACK (rfc9293, 10 a second).
            Sent(t.SegmentArrives(Seg("<SEQ=301><CTL=SYN,FIN><WND=65535>")), OurAck);
            Assert.Equal(240 * Second, t.TimeWaitDeadline);
        }
    }

    [Fact]
    [Trait("RFC", "9293 §3.10.7.4 first, eighth")]
    public void AFinBeyondTheWindowIsTrimmedAndDoesNotRestartTheTimeout()
    {
        foreach (var p in new[] { Profile.Rfc9293, Profile.Rfc793 })
        {
            var t = AfterTheFinKit.TimeWait(p);
            t.SetClock(50 * Second);
            // The octet at RCV.NXT+RCV.WND-1 is in the window; the FIN after it is not.
            Sent(t.SegmentArrives(Seg("<SEQ=65836><ACK=102><CTL=FIN,ACK><WND=65535><DATA=\"#\">")), OurAck);
            Assert.Equal(240 * Second, t.TimeWaitDeadline);
        }
    }
}
