using TcpModel.Machine;
using TcpModel.Reference;
using TcpModel.Wire;
using static TcpModel.Tests.Reference.TimedKit;

namespace TcpModel.Tests.Reference;

/// <summary>The reference honours the profile's policies (spec/policies.md) where the RFCs leave a choice.</summary>
public sealed class ProfilePolicyCells
{
    private static ReferenceTcp TimeWait(Profile profile)
    {
        var t = Established(profile);
        t.Close();
        t.SegmentArrives(Ack(0, 4294967292));
        Sent(t.SegmentArrives(Ack(0, 4294967292, extra: Control.FIN)), "<SEQ=4294967292><ACK=1><CTL=ACK>");
        Assert.Equal(RefState.TimeWait, t.State);
        return t;
    }

    [Theory]
    [Trait("RFC", "9293 §3.10.7")]
    [InlineData(true)]
    [InlineData(false)]
    public void WithDropSynFinASegmentCarryingSynAndFinIsDroppedSilently(bool drop)
    {
        var t = new ReferenceTcp(Rfc9293 with { DropSynFin = drop }, new SeqNum(Iss));
        t.OpenPassive();
        var reply = t.SegmentArrives(Seg("<SEQ=4294967295><CTL=SYN,FIN><WND=65535>"));
        Assert.Equal(drop ? 0 : 1, reply.Count);
        Assert.Equal(drop ? RefState.Listen : RefState.SynReceived, t.State);
    }

    [Theory]
    [Trait("RFC", "9293 §3.10.7.4")]
    [InlineData(true)]
    [InlineData(false)]
    public void WithTimeWaitDropWithoutAckASegmentWithoutAckInTimeWaitIsDroppedSilently(bool dropWithoutAck)
    {
        var t = TimeWait(Rfc9293 with { TimeWaitDropsSegmentsWithoutAck = dropWithoutAck, ReopenFromTimeWait = false });
        var reply = t.SegmentArrives(Seg("<SEQ=1><CTL=SYN><WND=65535>"));
        if (dropWithoutAck) Sent(reply);
        else Sent(reply, "<SEQ=4294967292><ACK=1><CTL=ACK>"); // RFC 5961 §4.2 challenge ACK
        Assert.Equal(RefState.TimeWait, t.State);
    }

    [Fact]
    [Trait("RFC", "9293 §3.10.7.4")]
    public void WithTheEveryAckTimeWaitRuleAPlainAckIsAcknowledgedAndRestartsTwoMsl()
    {
        var every = TimeWait(Rfc9293 with { TimeWaitAckRule = TimeWaitAckRule.EveryAck });
        every.AdvanceTo(50 * Second);
        Sent(every.SegmentArrives(Ack(1, 4294967292)), "<SEQ=4294967292><ACK=1><CTL=ACK>");
        Assert.Equal(290 * Second, every.TimeWaitDeadline);

        var finOnly = TimeWait(Rfc9293);
        finOnly.AdvanceTo(50 * Second);
        Sent(finOnly.SegmentArrives(Ack(1, 4294967292)));
        Assert.Equal(240 * Second, finOnly.TimeWaitDeadline);
    }

    [Theory]
    [Trait("RFC", "9293 §3.10.7.4")]
    [InlineData(true)]
    [InlineData(false)]
    public void WithTheSynReceivedRstAckCheckARstWhoseAckIsWrongIsDroppedAfterAnActiveOpen(bool check)
    {
        var t = new ReferenceTcp(Rfc9293 with { SynReceivedRstAckCheck = check }, new SeqNum(Iss));
        t.OpenActive();
        t.SegmentArrives(Seg("<SEQ=4294967295><CTL=SYN><WND=65535>"));
        Assert.Equal(RefState.SynReceived, t.State);
        Sent(t.SegmentArrives(Seg("<SEQ=0><ACK=12345><CTL=RST,ACK>")));
        Assert.Equal(check ? RefState.SynReceived : RefState.Closed, t.State);
    }

    [Theory]
    [Trait("RFC", "1122 §4.2.2.13")]
    [InlineData(true)]
    [InlineData(false)]
    public void WithResetOnCloseWithUnreadDataACloseWithOctetsUnreadSendsARst(bool reset)
    {
        var t = Established(Rfc9293 with { ResetOnCloseWithUnreadData = reset });
        t.SegmentArrives(Ack(0, 4294967291, data: "unread"));
        if (reset)
        {
            Sent(t.Close(), "<SEQ=4294967291><ACK=6><CTL=RST,ACK>");
            Assert.Equal(RefState.Closed, t.State);
        }
        else
        {
            Sent(t.Close(), "<SEQ=4294967291><ACK=6><CTL=FIN,ACK>");
            Assert.Equal(RefState.FinWait1, t.State);
        }
    }

    /// <summary>CLOSING at time 0.5 s: our FIN at 4294967291 (sent at 0, retransmission due at 1 s), the
    /// peer's crossing FIN at 0. SND.NXT = 4294967292, RCV.NXT = 1.</summary>
    private static ReferenceTcp Closing(Profile profile)
    {
        var t = Established(profile);
        Sent(t.Close(), "<SEQ=4294967291><ACK=0><CTL=FIN,ACK>");
        Sent(t.SegmentArrives(Ack(0, 4294967291, extra: Control.FIN)), "<SEQ=4294967292><ACK=1><CTL=ACK>");
        Assert.Equal(RefState.Closing, t.State);
        Sent(t.AdvanceTo(Second / 2));
        return t;
    }

    [Theory]
    [Trait("RFC", "9293 §3.10.7.4, Appendix A.2")]
    [InlineData(true)]
    [InlineData(false)]
    public void WithSimultaneousCloseFinAckTheRepeatedFinAcknowledgingOursInClosingEntersTimeWait(bool on)
    {
        var t = Closing(Rfc9293 with { SimultaneousCloseAckOfRepeatedFin = on });
        // The peer's FIN again (SEG.SEQ+SEG.LEN = RCV.NXT), now acknowledging our FIN: one ACK either way.
        Sent(t.SegmentArrives(Ack(0, 4294967292, extra: Control.FIN)), "<SEQ=4294967292><ACK=1><CTL=ACK>");
        if (on)
        {
            Assert.Equal(RefState.TimeWait, t.State);
            Assert.Equal(t.SndNxt, t.SndUna);
            Assert.Equal(Second / 2 + 240 * Second, t.TimeWaitDeadline);   // 2 MSL from the arrival
            Assert.Null(t.RetransmissionDeadline);
            Sent(t.AdvanceTo(Second / 2 + 240 * Second));
            Assert.Equal(RefState.Closed, t.State);
        }
        else
        {
            // The first check literally: ACK and drop; our FIN is still unacknowledged and retransmitted.
            Assert.Equal(RefState.Closing, t.State);
            Assert.Equal(new SeqNum(4294967291), t.SndUna);
            Assert.Null(t.TimeWaitDeadline);
            Assert.Equal(1 * Second, t.RetransmissionDeadline);
            Sent(t.AdvanceTo(1 * Second), "<SEQ=4294967291><ACK=1><CTL=FIN,ACK>");
            Sent(t.SegmentArrives(Ack(1, 4294967292)));
            Assert.Equal(RefState.TimeWait, t.State);
        }
    }

    [Theory]
    [Trait("RFC", "9293 §3.10.7.4, Appendix A.2")]
    [InlineData(true)]
    [InlineData(false)]
    public void UnderTheRfc793ProfileTheRepeatedFinInClosingIsOnlyAcknowledged(bool rfc793)
    {
        // The built-in profiles: rfc793 keeps the first check literally, rfc9293 processes the ACK.
        var t = Closing(rfc793 ? Profile.Rfc793 : Profile.Rfc9293);
        Sent(t.SegmentArrives(Ack(0, 4294967292, extra: Control.FIN)), "<SEQ=4294967292><ACK=1><CTL=ACK>");
        Assert.Equal(rfc793 ? RefState.Closing : RefState.TimeWait, t.State);
    }

    [Theory]
    [Trait("RFC", "9293 §3.10.7.4, §3.5.2")]
    [InlineData(SynResetForm.FromSegment, "<SEQ=5><CTL=SYN>", "<SEQ=0><ACK=6><CTL=RST,ACK>")]
    [InlineData(SynResetForm.FromSegment, "<SEQ=5><ACK=4294967291><CTL=SYN,ACK>", "<SEQ=4294967291><CTL=RST>")]
    [InlineData(SynResetForm.FromConnection, "<SEQ=5><CTL=SYN>", "<SEQ=4294967291><ACK=0><CTL=RST,ACK>")]
    public void UnderTheRfc793SynRuleTheResetHasTheProfilesForm(SynResetForm form, string syn, string reset)
    {
        var t = Established(Profile.Rfc793 with { SynResetForm = form });
        Sent(t.SegmentArrives(Seg(syn)), reset);
        Assert.Equal(RefState.Closed, t.State);
        Assert.Equal(["connection reset"], t.Notifications);
    }
}

/// <summary>The receiver's window update on RECEIVE (RFC 9293 §3.8.6.2.2), opt-in.</summary>
public sealed class ReceiveWindowUpdates
{
    [Fact]
    [Trait("RFC", "9293 §3.8.6.2.2")]
    public void AReceiveAnnouncesTheWindowOnceTheRightEdgeMovesByHalfTheBufferOrOneMss()
    {
        var t = Established(Rfc9293 with { ReceiveBuffer = 4 });
        t.WindowUpdateOnReceive = true;
        Assert.Equal(["<SEQ=4294967291><ACK=4><CTL=ACK><WND=0>"], t.SegmentArrives(Ack(0, 4294967291, data: "abcd")).Select(s => s.ToString()));
        Sent(t.Receive(1, out _));            // the right edge would move by 1 < min(4/2, 1460)
        Assert.Equal(["<SEQ=4294967291><ACK=4><CTL=ACK><WND=2>"], t.Receive(1, out _).Select(s => s.ToString()));
        Sent(t.Receive(1, out _));            // 1 more than announced: not yet
        Assert.Equal(["<SEQ=4294967291><ACK=4><CTL=ACK><WND=4>"], t.Receive(1, out _).Select(s => s.ToString()));
    }

    [Fact]
    [Trait("RFC", "9293 §3.8.6.2.2")]
    public void WithoutTheOptionReceiveSendsNothing()
    {
        var t = Established(Rfc9293 with { ReceiveBuffer = 4 });
        t.SegmentArrives(Ack(0, 4294967291, data: "abcd"));
        Sent(t.Receive(4, out var data));
        Assert.Equal(4, data.Length);
    }
}
