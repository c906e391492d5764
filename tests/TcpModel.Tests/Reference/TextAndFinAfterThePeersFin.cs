using TcpModel.Machine;
using TcpModel.Reference;
using TcpModel.Wire;
using static TcpModel.Tests.Reference.TimedKit;

namespace TcpModel.Tests.Reference;

/// <summary>RFC 9293 §3.10.7.4 seventh and eighth steps once the peer's FIN has been received: in CLOSE-WAIT,
/// CLOSING and LAST-ACK text is ignored ("This should not occur since a FIN has been received from the remote
/// side. Ignore the segment text.") and not acknowledged; a FIN after the FIN follows POLICY fin-after-fin.
/// TIME-WAIT keeps time-wait-ack-rule.</summary>
public sealed class TextAndFinAfterThePeersFin
{
    /// <summary>The ACK field of the peer's segments below: acknowledges nothing of ours (SND.UNA).</summary>
    private const uint Una = 4294967291;

    /// <summary>The state after the peer's FIN at 0: RCV.NXT = 1. CLOSE-WAIT: SND.NXT = 4294967291; CLOSING
    /// (our FIN at 4294967291 crossed the peer's) and LAST-ACK (our FIN after the peer's): SND.NXT = 4294967292.</summary>
    private static ReferenceTcp AfterPeersFin(RefState state, bool acknowledgeFinAfterFin)
    {
        var t = Established(Rfc9293 with { AcknowledgeFinAfterFin = acknowledgeFinAfterFin });
        if (state == RefState.Closing) Sent(t.Close(), "<SEQ=4294967291><ACK=0><CTL=FIN,ACK>");
        Sent(t.SegmentArrives(Ack(0, Una, extra: Control.FIN)),
            state == RefState.Closing ? "<SEQ=4294967292><ACK=1><CTL=ACK>" : "<SEQ=4294967291><ACK=1><CTL=ACK>");
        if (state == RefState.LastAck) Sent(t.Close(), "<SEQ=4294967291><ACK=1><CTL=FIN,ACK>");
        Assert.Equal(state, t.State);
        Assert.Equal(new SeqNum(1), t.RcvNxt);
        return t;
    }

    private static string AckOf(ReferenceTcp t) => $"<SEQ={t.SndNxt.Value}><ACK=1><CTL=ACK>";

    public static TheoryData<RefState, bool> StatesAndPolicy()
    {
        var data = new TheoryData<RefState, bool>();
        foreach (var s in new[] { RefState.CloseWait, RefState.Closing, RefState.LastAck })
        {
            data.Add(s, true);
            data.Add(s, false);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(StatesAndPolicy))]
    [Trait("RFC", "9293 §3.10.7.4 seventh")]
    public void TextAtRcvNxtIsIgnoredAndNotAcknowledged(RefState state, bool acknowledgeFinAfterFin)
    {
        var t = AfterPeersFin(state, acknowledgeFinAfterFin);
        Sent(t.SegmentArrives(Ack(1, Una, data: "x")));
        Assert.Equal(state, t.State);
        Assert.Equal(new SeqNum(1), t.RcvNxt);
        Assert.Empty(t.Received);
    }

    [Theory]
    [MemberData(nameof(StatesAndPolicy))]
    [Trait("RFC", "9293 §3.10.7.4 eighth")]
    public void AFinAtRcvNxtIsAcknowledgedOnceWithRcvNxtUnchangedOnlyUnderFinAfterFin(RefState state, bool acknowledgeFinAfterFin)
    {
        var t = AfterPeersFin(state, acknowledgeFinAfterFin);
        var reply = t.SegmentArrives(Ack(1, Una, extra: Control.FIN));
        if (acknowledgeFinAfterFin) Sent(reply, AckOf(t));
        else Sent(reply);
        Assert.Equal(state, t.State);
        Assert.Equal(new SeqNum(1), t.RcvNxt);
        Assert.Equal(["connection closing"], t.Notifications); // no second notice
    }

    [Theory]
    [MemberData(nameof(StatesAndPolicy))]
    [Trait("RFC", "9293 §3.10.7.4 seventh, eighth")]
    public void AFinAfterTextBeyondRcvNxtFollowsFinAfterFinAndTheTextIsIgnored(RefState state, bool acknowledgeFinAfterFin)
    {
        var t = AfterPeersFin(state, acknowledgeFinAfterFin);
        var reply = t.SegmentArrives(Ack(3, Una, data: "yz", extra: Control.FIN));
        if (acknowledgeFinAfterFin) Sent(reply, AckOf(t));
        else Sent(reply);
        Assert.Equal(state, t.State);
        Assert.Equal(new SeqNum(1), t.RcvNxt);
        Assert.Empty(t.Received);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    [Trait("RFC", "9293 §3.10.7.4 first, fifth, seventh")]
    public void InCloseWaitASegmentPartlyBeforeRcvNxtIsAcceptableAndOnlyItsAckFieldAndFinCount(bool acknowledgeFinAfterFin)
    {
        var t = AfterPeersFin(RefState.CloseWait, acknowledgeFinAfterFin);
        Sent(t.Send("ab"u8), "<SEQ=4294967291><ACK=1><CTL=ACK>" + Data("ab"));
        // Seq 0: the old FIN's place, the octet at 1 is in the window; acknowledges "ab".
        Sent(t.SegmentArrives(Ack(0, 4294967293, data: "xy")));
        Assert.Equal(new SeqNum(4294967293), t.SndUna);
        Assert.Null(t.RetransmissionDeadline);
        // Text at 0 and a FIN at 1 = RCV.NXT.
        var reply = t.SegmentArrives(Ack(0, 4294967293, data: "x", extra: Control.FIN));
        if (acknowledgeFinAfterFin) Sent(reply, "<SEQ=4294967293><ACK=1><CTL=ACK>");
        else Sent(reply);
        Assert.Equal(RefState.CloseWait, t.State);
        Assert.Equal(new SeqNum(1), t.RcvNxt);
        Assert.Empty(t.Received);
    }

    [Theory]
    [MemberData(nameof(StatesAndPolicy))]
    [Trait("RFC", "9293 §3.10.7.4 first")]
    public void TheRepeatedFinBeforeRcvNxtIsStillAnsweredByTheFirstCheck(RefState state, bool acknowledgeFinAfterFin)
    {
        var t = AfterPeersFin(state, acknowledgeFinAfterFin);
        Sent(t.SegmentArrives(Ack(0, Una, extra: Control.FIN)), AckOf(t));
        Assert.Equal(state, t.State);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    [Trait("RFC", "9293 §3.10.7.4 fifth CLOSING, eighth")]
    public void InClosingAFinAfterTheFinThatAcknowledgesOursEntersTimeWaitAndFollowsFinAfterFin(bool acknowledgeFinAfterFin)
    {
        var t = AfterPeersFin(RefState.Closing, acknowledgeFinAfterFin);
        var reply = t.SegmentArrives(Ack(1, 4294967292, extra: Control.FIN));
        if (acknowledgeFinAfterFin) Sent(reply, "<SEQ=4294967292><ACK=1><CTL=ACK>");
        else Sent(reply);
        Assert.Equal(RefState.TimeWait, t.State);
        Assert.Equal(new SeqNum(1), t.RcvNxt);
        Assert.Equal(240 * Second, t.TimeWaitDeadline);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    [Trait("RFC", "9293 §3.10.7.4 fifth CLOSING, seventh")]
    public void InClosingTextWithTheAckOfOurFinEntersTimeWaitAndIsNotAcknowledged(bool acknowledgeFinAfterFin)
    {
        var t = AfterPeersFin(RefState.Closing, acknowledgeFinAfterFin);
        Sent(t.SegmentArrives(Ack(1, 4294967292, data: "x")));
        Assert.Equal(RefState.TimeWait, t.State);
        Assert.Empty(t.Received);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    [Trait("RFC", "9293 §3.10.7.4 seventh, eighth TIME-WAIT")]
    public void InTimeWaitTextAndAFinAtRcvNxtAreStillAcknowledgedUnderTheFinOnlyRule(bool acknowledgeFinAfterFin)
    {
        var t = Established(Rfc9293 with { AcknowledgeFinAfterFin = acknowledgeFinAfterFin, TimeWaitAckRule = TimeWaitAckRule.FinOnly });
        t.Close();
        Sent(t.SegmentArrives(Ack(0, 4294967292)));
        Sent(t.SegmentArrives(Ack(0, 4294967292, extra: Control.FIN)), "<SEQ=4294967292><ACK=1><CTL=ACK>");
        Assert.Equal(RefState.TimeWait, t.State);
        t.AdvanceTo(10 * Second);
        Sent(t.SegmentArrives(Ack(1, 4294967292, data: "x")), "<SEQ=4294967292><ACK=1><CTL=ACK>");
        Assert.Equal(240 * Second, t.TimeWaitDeadline); // text alone does not restart 2 MSL
        Sent(t.SegmentArrives(Ack(1, 4294967292, extra: Control.FIN)), "<SEQ=4294967292><ACK=1><CTL=ACK>");
        Assert.Equal(250 * Second, t.TimeWaitDeadline);
        Assert.Equal(new SeqNum(1), t.RcvNxt);
        Assert.Equal(RefState.TimeWait, t.State);
    }
}
