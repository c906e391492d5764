using System.Text;
using TcpModel.Machine;
using static TcpModel.Tests.Machine.Fixtures;
using static TcpModel.Tests.Machine.SynchronizedChecks;

namespace TcpModel.Tests.Machine;

/// <summary>FIN-WAIT-2, from <see cref="Fixtures.FinWait2"/>: our FIN is acknowledged,
/// SND.UNA=SND.NXT=ISS+2, RCV.NXT=IRS+1.</summary>
public sealed class InFinWait2
{
    [Fact, Trait("RFC", "9293 §3.10.7.4")]
    public void ReceivingFin_EntersTimeWaitAndAcknowledges()
    {
        var c = FinWait2();
        AssertSent(c.Arrive($"<SEQ={c.PeerNxt}><ACK={c.OurNxt}><CTL=FIN,ACK><WND={PeerWnd}>"),
            $"<SEQ={c.OurNxt}><ACK={c.PeerNxt + 1}><CTL=ACK><WND={OurWnd}>");
        Assert.Equal(TcpState.TimeWait, c.State);
        AssertNotices(c, Notice.ConnectionClosing);
        Assert.Equal(c.Now + 240 * Second, c.Deadline(TimerKind.TimeWait));
    }

    [Fact, Trait("RFC", "9293 §3.10.7.4"), Trait("RFC", "9293 §3.4.1")]
    public void ReceivingFin_RunsTheTimeWaitTimerForTwiceTheProfilesMsl()
    {
        var c = FinWait2(With(p => p with { Msl = 30 * Second }));
        c.Arrive($"<SEQ={c.PeerNxt}><ACK={c.OurNxt}><CTL=FIN,ACK><WND={PeerWnd}>");
        Assert.Equal(c.Now + 60 * Second, c.Deadline(TimerKind.TimeWait));
    }

    [Fact, Trait("RFC", "9293 §3.10.7.4")]
    public void ReceivingTextAndFin_DeliversTheTextAndEntersTimeWait()
    {
        var c = FinWait2();
        AssertSent(c.Arrive($"<SEQ={c.PeerNxt}><ACK={c.OurNxt}><CTL=FIN,ACK><WND={PeerWnd}><DATA=\"end\">"),
            $"<SEQ={c.OurNxt}><ACK={c.PeerNxt + 4}><CTL=ACK><WND={OurWnd - 3}>");
        Assert.Equal(TcpState.TimeWait, c.State);
    }

    [Fact, Trait("RFC", "9293 §3.10.7.4")]
    public void ReceivingText_DeliversItAndAcknowledges()
    {
        var c = FinWait2();
        AssertSent(c.Arrive($"<SEQ={c.PeerNxt}><ACK={c.OurNxt}><CTL=ACK><WND={PeerWnd}><DATA=\"more\">"),
            $"<SEQ={c.OurNxt}><ACK={c.PeerNxt + 4}><CTL=ACK><WND={OurWnd - 4}>");
        Assert.Equal(TcpState.FinWait2, c.State);
        AssertSent(c.Receive());
        Assert.Equal("more", Encoding.ASCII.GetString(c.Delivered));
    }

    [Fact, Trait("RFC", "9293 §3.10.7.4")]
    public void ReceivingTextWithUrg_AdvancesRcvUpToTheUrgentPointer()
    {
        // "ESTABLISHED STATE, FIN-WAIT-1 STATE, FIN-WAIT-2 STATE: If the URG bit is set, RCV.UP <- max(RCV.UP,SEG.UP)"
        var c = FinWait2();
        AssertSent(c.Arrive($"<SEQ={c.PeerNxt}><ACK={c.OurNxt}><CTL=URG,ACK><WND={PeerWnd}><UP=4><DATA=\"more\">"),
            $"<SEQ={c.OurNxt}><ACK={c.PeerNxt + 4}><CTL=ACK><WND={OurWnd - 4}>");
        Assert.Equal(c.PeerNxt + 4, c.Tcb.RcvUp);
    }

    [Fact, Trait("RFC", "9293 §3.10.7.4")]
    public void ReceivingDuplicateAck_IsIgnored() => DuplicateAckIsIgnored(FinWait2(), 1);

    [Fact, Trait("RFC", "9293 §3.10.7.4")]
    public void ReceivingAckOfSomethingNotYetSent_SendsAck() => AckAheadIsAcked(FinWait2());

    [Fact, Trait("RFC", "9293 §3.10.7.4")]
    public void ReceivingUnacceptableSegment_SendsAckAndDropsIt() => UnacceptableIsAcked(FinWait2());

    [Fact, Trait("RFC", "9293 §3.10.7.4")]
    public void ReceivingRstAtRcvNxt_ClosesWithConnectionReset() => RstAtRcvNxtCloses(FinWait2(), Notice.ConnectionReset);

    [Fact, Trait("RFC", "5961 §3.2")]
    public void ReceivingRstInWindow_SendsChallengeAck_UnderRfc5961() => RstInWindowIsChallenged(FinWait2());

    [Fact, Trait("RFC", "793 §3.4")]
    public void ReceivingRstInWindow_ResetsTheConnection_UnderRfc793() => RstInWindowCloses(FinWait2(Profile.Rfc793), Notice.ConnectionReset);

    [Fact, Trait("RFC", "9293 §3.10.7.4")]
    public void ReceivingRstOutsideTheWindow_IsDropped() => RstOutsideWindowIsDropped(FinWait2());

    [Fact, Trait("RFC", "5961 §4.2")]
    public void ReceivingSyn_SendsChallengeAck_UnderRfc5961() => SynIsChallenged(FinWait2());

    [Fact, Trait("RFC", "793 §3.4")]
    public void ReceivingSynInWindow_ResetsTheConnection_UnderRfc793() => SynResets(FinWait2(Profile.Rfc793));

    [Fact, Trait("RFC", "9293 §3.10.1")]
    public void Open_AnswersConnectionAlreadyExists() => OpenAnswersAlreadyExists(FinWait2());

    [Fact, Trait("RFC", "9293 §3.10.2")]
    public void Send_AnswersConnectionClosing() => UserCallAnswers(FinWait2(), Input.Send(Bytes("x")), Notice.ErrorConnectionClosing);

    [Fact, Trait("RFC", "9293 §3.10.3")]
    public void Receive_WithNothingQueued_DeliversNothing()
    {
        var c = FinWait2();
        AssertSent(c.Receive());
        Assert.Empty(c.Delivered);
        AssertNotices(c);
    }

    [Fact, Trait("RFC", "9293 §3.10.4")]
    public void Close_AnswersConnectionClosing() => UserCallAnswers(FinWait2(), Input.Close, Notice.ErrorConnectionClosing);

    [Fact, Trait("RFC", "9293 §3.10.5")]
    public void Abort_SendsRstAtSndNxtAndCloses() => AbortSendsRst(FinWait2());

    [Fact, Trait("RFC", "9293 §3.10.6")]
    public void Status_ChangesNothing() => StatusChangesNothing(FinWait2());

    [Fact, Trait("RFC", "9293 §3.10.8")]
    public void NoTimerIsArmed_TheStateWaitsForThePeersFin()
    {
        var c = FinWait2();
        Assert.Equal(TimerSet.Off, c.Endpoint.NextDeadline);
        AssertSent(c.TickAt(c.Now + 3600 * Second));
        Assert.Equal(TcpState.FinWait2, c.State);
    }
}
