using System.Text;
using TcpModel.Machine;
using static TcpModel.Tests.Machine.Fixtures;

namespace TcpModel.Tests.Machine;

/// <summary>ESTABLISHED, from <see cref="Fixtures.Established"/>: SND.NXT=ISS+1, RCV.NXT=IRS+1, peer WND 8192.</summary>
public sealed class InEstablished
{
    private static string Data(Conn c, uint offset, string text, string ctl = "ACK") =>
        $"<SEQ={c.PeerNxt + (int)offset}><ACK={c.OurNxt}><CTL={ctl}><WND={PeerWnd}><DATA=\"{text}\">";

    // ---- first, check sequence number

    [Fact, Trait("RFC", "9293 §3.10.7.4")]
    public void ReceivingTextAtRcvNxt_QueuesItForTheUserAndAcknowledges()
    {
        var c = Established();
        AssertSent(c.Arrive(Data(c, 0, "hello", "PSH,ACK")), $"<SEQ={c.OurNxt}><ACK={c.PeerNxt + 5}><CTL=ACK><WND={OurWnd - 5}>");
        AssertFired(c, TcpState.Established, Trigger.AckDuplicate);
        AssertSent(c.Receive());
        Assert.Equal("hello", Encoding.ASCII.GetString(c.Delivered));
        AssertFired(c, TcpState.Established, Trigger.Receive);
        Assert.Equal(TcpState.Established, c.State);
    }

    [Fact, Trait("RFC", "9293 §3.4")]
    public void ReceivingTextThatCrossesTwoToThe32_AcknowledgesTheWrappedSequenceNumber()
    {
        var c = Established();
        // IRS+1 = 4294967001; 400 octets end at 4294967401 mod 2^32 = 105
        AssertSent(c.Arrive(Data(c, 0, Text(400))), $"<SEQ={c.OurNxt}><ACK=105><CTL=ACK><WND={OurWnd - 400}>");
        Assert.Equal(105u, c.Tcb.RcvNxt.Value);
    }

    [Fact, Trait("RFC", "9293 §3.4")]
    public void AckOfOurTextThatCrossesTwoToThe32_AdvancesSndUnaPastZero()
    {
        var c = Established();
        AssertSent(c.Send(Text(200)), $"<SEQ={c.OurNxt}><ACK={c.PeerNxt}><CTL=PSH,ACK><WND={OurWnd}><DATA=\"{Text(200)}\">");
        // ISS+1 = 4294967201; 200 octets end at 105
        AssertSent(c.Arrive($"<SEQ={c.PeerNxt}><ACK=105><CTL=ACK><WND={PeerWnd}>"));
        Assert.Equal(105u, c.Tcb.SndUna.Value);
        Assert.Equal(TimerSet.Off, c.Deadline(TimerKind.Retransmit));
    }

    [Fact, Trait("RFC", "9293 §3.10.7.4")]
    [Trait("RFC", "SHLD-14")]
    [Trait("RFC", "SHLD-31")]
    [Trait("RFC", "MAY-13")]
    public void ReceivingTextAboveRcvNxt_HoldsItAndAcknowledgesRcvNxt_ThenTheGapFillDeliversBoth()
    {
        var c = Established();
        // octets held out of order do not shrink RCV.WND: the right edge never moves left (§3.8.6.2.2, SHLD-14)
        AssertSent(c.Arrive(Data(c, 5, "world")), $"<SEQ={c.OurNxt}><ACK={c.PeerNxt}><CTL=ACK><WND={OurWnd}>");
        AssertSent(c.Arrive(Data(c, 0, "hello")), $"<SEQ={c.OurNxt}><ACK={c.PeerNxt + 10}><CTL=ACK><WND={OurWnd - 10}>");
        c.Receive();
        Assert.Equal("helloworld", Encoding.ASCII.GetString(c.Delivered));
    }

    [Fact, Trait("RFC", "9293 §3.10.7.4")]
    public void ReceivingAnOldDuplicateBelowRcvNxt_SendsAckAndDropsIt()
    {
        var c = Established();
        AssertSent(c.Arrive(Data(c, 0, "hello")), $"<SEQ={c.OurNxt}><ACK={c.PeerNxt + 5}><CTL=ACK><WND={OurWnd - 5}>");
        AssertSent(c.Arrive(Data(c, 0, "hello")), $"<SEQ={c.OurNxt}><ACK={c.PeerNxt + 5}><CTL=ACK><WND={OurWnd - 5}>");
        c.Receive();
        Assert.Equal("hello", Encoding.ASCII.GetString(c.Delivered));
    }

    [Fact, Trait("RFC", "9293 §3.10.7.4")]
    public void ReceivingASegmentThatStraddlesRcvNxt_QueuesOnlyItsNewOctets()
    {
        // "If a segment's contents straddle the boundary between old and new, only the new parts are processed."
        var c = Established();
        AssertSent(c.Arrive(Data(c, 0, "hello")), $"<SEQ={c.OurNxt}><ACK={c.PeerNxt + 5}><CTL=ACK><WND={OurWnd - 5}>");
        AssertSent(c.Arrive(Data(c, 2, "lloworld")), $"<SEQ={c.OurNxt}><ACK={c.PeerNxt + 10}><CTL=ACK><WND={OurWnd - 10}>");
        c.Receive();
        Assert.Equal("helloworld", Encoding.ASCII.GetString(c.Delivered));
    }

    [Fact, Trait("RFC", "9293 §3.10.7.4")]
    public void ReceivingASegmentBeyondTheWindow_SendsAckAndDropsIt()
    {
        var c = Established();
        AssertSent(c.Arrive(Data(c, OurWnd, "late")), $"<SEQ={c.OurNxt}><ACK={c.PeerNxt}><CTL=ACK><WND={OurWnd}>");
        Assert.Equal(c.PeerNxt, c.Tcb.RcvNxt);
        Assert.Equal(0, c.Tcb.Reassembly.HeldOctets);
    }

    [Fact, Trait("RFC", "7323 §4.3"), Trait("RFC", "9293 §3.10.7.4")]
    public void ReceivingTextWithATimestamp_EchoesItsTsvalInTheAck()
    {
        // RFC 7323 §4.3: an acceptable segment at Last.ACK.sent has its TSval copied to TS.Recent, which the ACK echoes
        var c = Closed(With(p => p with { Timestamps = true }));
        c.User(Input.OpenActive);
        c.Now += PeerDelay;
        c.Arrive($"<SEQ={Irs}><ACK={Iss + 1}><CTL=SYN,ACK><WND={PeerWnd}><OPT=MSS:1460,TS:7:100>");
        var sent = c.Arrive($"<SEQ={Irs + 1}><ACK={Iss + 1}><CTL=ACK><WND={PeerWnd}><OPT=TS:50:100><DATA=\"hi\">");
        Assert.Equal(50u, Assert.Single(sent).Options.Timestamp?.Echo);
    }

    // ---- second, check the RST bit

    [Fact, Trait("RFC", "9293 §3.10.7.4")]
    [Trait("RFC", "MUST-12")]
    [Trait("RFC", "MUST-47")]
    public void ReceivingRstAtRcvNxt_ClosesWithConnectionReset()
    {
        var c = Established();
        AssertSent(c.Arrive($"<SEQ={c.PeerNxt}><CTL=RST>"));
        Assert.Equal(TcpState.Closed, c.State);
        AssertNotices(c, Notice.ConnectionReset);
    }

    [Fact, Trait("RFC", "5961 §3.2"), Trait("RFC", "9293 §3.10.7.4")]
    public void ReceivingRstInWindowNotAtRcvNxt_SendsChallengeAck_UnderRfc5961()
    {
        var c = Established();
        AssertSent(c.Arrive($"<SEQ={c.PeerNxt + 100}><CTL=RST>"), $"<SEQ={c.OurNxt}><ACK={c.PeerNxt}><CTL=ACK><WND={OurWnd}>");
        Assert.Equal(TcpState.Established, c.State);
        AssertNotices(c);
    }

    [Fact, Trait("RFC", "793 §3.4")]
    public void ReceivingRstInWindowNotAtRcvNxt_ResetsTheConnection_UnderRfc793()
    {
        var c = Established(Profile.Rfc793);
        AssertSent(c.Arrive($"<SEQ={c.PeerNxt + 100}><CTL=RST>"));
        Assert.Equal(TcpState.Closed, c.State);
        AssertNotices(c, Notice.ConnectionReset);
    }

    [Theory, Trait("RFC", "9293 §3.10.7.4")]
    [InlineData(-1)]
    [InlineData(OurWnd)]
    public void ReceivingRstOutsideTheWindow_IsDroppedSilently(int offset)
    {
        var c = Established();
        AssertSent(c.Arrive($"<SEQ={c.PeerNxt + new TcpModel.Wire.SeqLen(unchecked((uint)offset))}><CTL=RST>"));
        Assert.Equal(TcpState.Established, c.State);
    }

    [Fact, Trait("RFC", "5961 §7")]
    public void ChallengeAcks_AreLimitedToTenPerSecond_WhenTheLimitIsOn()
    {
        var c = Established();
        int sent = 0;
        for (int i = 0; i < 11; i++) sent += c.Arrive($"<SEQ={c.PeerNxt + 100 + i}><CTL=RST>").Count;
        Assert.Equal(10, sent);
        c.Now += Second;
        AssertSent(c.Arrive($"<SEQ={c.PeerNxt + 200}><CTL=RST>"), $"<SEQ={c.OurNxt}><ACK={c.PeerNxt}><CTL=ACK><WND={OurWnd}>");
    }

    [Fact, Trait("RFC", "5961 §7")]
    public void ChallengeAcks_AreLimitedToTenPerSecond_LongAfterTheConnectionOpened()
    {
        // the one-second window is measured from its own start, whatever the clock reads
        var c = Established();
        c.Now += 100 * Second;
        int sent = 0;
        for (int i = 0; i < 11; i++) sent += c.Arrive($"<SEQ={c.PeerNxt + 100 + i}><CTL=RST>").Count;
        Assert.Equal(10, sent);
        c.Now += Second - 1;
        AssertSent(c.Arrive($"<SEQ={c.PeerNxt + 200}><CTL=RST>"));
        c.Now += 1;
        AssertSent(c.Arrive($"<SEQ={c.PeerNxt + 201}><CTL=RST>"), $"<SEQ={c.OurNxt}><ACK={c.PeerNxt}><CTL=ACK><WND={OurWnd}>");
    }

    [Fact, Trait("RFC", "5961 §7")]
    public void ChallengeAcks_AreUnlimited_WhenTheLimitIsZero()
    {
        var c = Established(With(p => p with { ChallengeAckLimitPerSecond = 0 }));
        int sent = 0;
        for (int i = 0; i < 25; i++) sent += c.Arrive($"<SEQ={c.PeerNxt + 100 + i}><CTL=RST>").Count;
        Assert.Equal(25, sent);
    }

    [Fact, Trait("RFC", "5961 §7")]
    public void ChallengeAcks_AreSpacedByTheMinimumInterval_WhenTheIntervalIsOn()
    {
        // POLICY challenge-ack-interval (Linux tcp_send_challenge_ack → __tcp_oow_rate_limited: rate-limited while
        // "0 <= elapsed && elapsed < sysctl_tcp_invalid_ratelimit" since the last one sent; a suppressed one does not
        // move last_oow_ack_time), here without the per-second count, as under linux
        var c = Established(With(p => p with { ChallengeAckMinInterval = 500_000, ChallengeAckLimitPerSecond = 0 }));
        string rst(int k) => $"<SEQ={c.PeerNxt + 100 + k}><CTL=RST>";
        string challenge = $"<SEQ={c.OurNxt}><ACK={c.PeerNxt}><CTL=ACK><WND={OurWnd}>";
        long first = c.Now;
        AssertSent(c.Arrive(rst(0)), challenge);
        c.Now = first + 499_999;
        AssertSent(c.Arrive(rst(1)));
        c.Now = first + 500_000;
        AssertSent(c.Arrive(rst(2)), challenge);
        c.Now = first + 999_999;
        AssertSent(c.Arrive(rst(3)));
        c.Now = first + 1_000_000;
        AssertSent(c.Arrive(rst(4)), challenge);
        Assert.Equal(TcpState.Established, c.State);
    }

    // ---- fourth, check the SYN bit

    [Fact, Trait("RFC", "5961 §4.2"), Trait("RFC", "9293 §3.10.7.4")]
    public void ReceivingSynInWindow_SendsChallengeAck_UnderRfc5961()
    {
        var c = Established();
        AssertSent(c.Arrive($"<SEQ={c.PeerNxt + 100}><CTL=SYN><WND={PeerWnd}>"), $"<SEQ={c.OurNxt}><ACK={c.PeerNxt}><CTL=ACK><WND={OurWnd}>");
        Assert.Equal(TcpState.Established, c.State);
    }

    [Fact, Trait("RFC", "5961 §4.2"), Trait("RFC", "9293 §3.10.7.4")]
    public void ReceivingSynOutsideTheWindow_SendsAck_UnderRfc5961()
    {
        var c = Established();
        AssertSent(c.Arrive($"<SEQ={Irs - 1000}><CTL=SYN><WND={PeerWnd}>"), $"<SEQ={c.OurNxt}><ACK={c.PeerNxt}><CTL=ACK><WND={OurWnd}>");
        Assert.Equal(TcpState.Established, c.State);
    }

    [Fact, Trait("RFC", "5961 §4.2"), Trait("RFC", "5961 §7")]
    public void ReceivingSynsBeyondTheWindow_GetsChallengeAcks_ThrottledToTenPerSecond()
    {
        // "If the SYN bit is set, irrespective of the sequence number, TCP MUST send an ACK (also referred to as
        // challenge ACK)" — a SYN beyond the right edge too, so its answers count against the §7 limit (the first
        // check's ACK for an unacceptable segment would not)
        var c = Established();
        int sent = 0;
        for (int i = 0; i < 11; i++)
        {
            sent += c.Arrive($"<SEQ={c.PeerNxt + OurWnd + 100 + i}><CTL=SYN><WND={PeerWnd}>").Count;
            Assert.Equal(Trigger.Syn, c.FirstTrigger);
        }
        Assert.Equal(10, sent);
        Assert.Equal(TcpState.Established, c.State);
    }

    [Fact, Trait("RFC", "793 §3.4"), Trait("RFC", "9293 §3.5.2")]
    public void ReceivingSynInWindow_SendsResetFormedFromTheSegmentAndCloses_UnderRfc793()
    {
        var c = Established(Profile.Rfc793);
        AssertSent(c.Arrive($"<SEQ={c.PeerNxt + 100}><CTL=SYN><WND={PeerWnd}>"), $"<SEQ=0><ACK={c.PeerNxt + 101}><CTL=RST,ACK>");
        Assert.Equal(TcpState.Closed, c.State);
        AssertNotices(c, Notice.ConnectionReset);
    }

    [Fact, Trait("RFC", "793 §3.4"), Trait("RFC", "9293 §3.5.2")]
    public void ReceivingSynAckInWindow_SendsResetAtSegAckAndCloses_UnderRfc793()
    {
        var c = Established(Profile.Rfc793);
        AssertSent(c.Arrive($"<SEQ={c.PeerNxt + 100}><ACK={c.OurNxt}><CTL=SYN,ACK><WND={PeerWnd}>"), $"<SEQ={c.OurNxt}><CTL=RST>");
        Assert.Equal(TcpState.Closed, c.State);
    }

    [Fact, Trait("RFC", "793 §3.4")]
    public void ReceivingSynInWindow_SendsResetFromTheConnectionVariables_UnderSynResetFormFromConnection()
    {
        var c = Established(Profile.Rfc793 with { SynResetForm = SynResetForm.FromConnection });
        AssertSent(c.Arrive($"<SEQ={c.PeerNxt + 100}><CTL=SYN><WND={PeerWnd}>"), $"<SEQ={c.OurNxt}><ACK={c.PeerNxt}><CTL=RST,ACK>");
        Assert.Equal(TcpState.Closed, c.State);
        AssertNotices(c, Notice.ConnectionReset);
    }

    [Fact, Trait("RFC", "9293 §3.10.7.4")]
    public void ReceivingSynInWindow_Resets_WhenOnlyTheSynPolicyIsOff()
    {
        var syn = Established(With(p => p with { ChallengeAckOnSyn = false }));
        AssertSent(syn.Arrive($"<SEQ={syn.PeerNxt + 100}><CTL=RST>"), $"<SEQ={syn.OurNxt}><ACK={syn.PeerNxt}><CTL=ACK><WND={OurWnd}>");
        AssertSent(syn.Arrive($"<SEQ={syn.PeerNxt + 100}><CTL=SYN><WND={PeerWnd}>"), $"<SEQ=0><ACK={syn.PeerNxt + 101}><CTL=RST,ACK>");
        Assert.Equal(TcpState.Closed, syn.State);
    }

    [Fact, Trait("RFC", "9293 §3.10.7.4")]
    public void ReceivingRstInWindow_Resets_WhenOnlyTheRstPolicyIsOff()
    {
        var rst = Established(With(p => p with { ChallengeAckOnRst = false }));
        AssertSent(rst.Arrive($"<SEQ={rst.PeerNxt + 100}><CTL=SYN><WND={PeerWnd}>"), $"<SEQ={rst.OurNxt}><ACK={rst.PeerNxt}><CTL=ACK><WND={OurWnd}>");
        AssertSent(rst.Arrive($"<SEQ={rst.PeerNxt + 100}><CTL=RST>"));
        Assert.Equal(TcpState.Closed, rst.State);
    }

    [Fact, Trait("RFC", "9293 §3.10.7.4")]
    public void ReceivingAckOlderThanSndUnaMinusMaxSndWnd_IsADuplicate_WhenOnlyTheAckRangePolicyIsOff()
    {
        var ack = Established(With(p => p with { AckRangeCheck = false }));
        AssertSent(ack.Arrive($"<SEQ={ack.PeerNxt}><ACK={ack.OurNxt - (PeerWnd + 1)}><CTL=ACK><WND={PeerWnd}><DATA=\"hi\">"),
            $"<SEQ={ack.OurNxt}><ACK={ack.PeerNxt + 2}><CTL=ACK><WND={OurWnd - 2}>");
    }

    // ---- fifth, check the ACK field

    [Fact, Trait("RFC", "9293 §3.10.7.4")]
    public void ReceivingAckOfNewData_AdvancesSndUnaAndStopsTheRetransmissionTimer()
    {
        var c = Established();
        c.Send("hello");
        Assert.Equal(c.Now + Second, c.Deadline(TimerKind.Retransmit));
        AssertSent(c.Arrive($"<SEQ={c.PeerNxt}><ACK={c.OurNxt + 5}><CTL=ACK><WND={PeerWnd}>"));
        Assert.Equal(c.OurNxt + 5, c.Tcb.SndUna);
        Assert.Equal(TimerSet.Off, c.Deadline(TimerKind.Retransmit));
        Assert.Equal(0, c.Tcb.SendQueue.Count);
    }

    [Fact, Trait("RFC", "9293 §3.10.7.4")]
    public void ReceivingAckOfPartOfTheData_RestartsTheRetransmissionTimer()
    {
        var c = Established();
        c.Send("hello");
        c.Now += 500_000;
        AssertSent(c.Arrive($"<SEQ={c.PeerNxt}><ACK={c.OurNxt + 2}><CTL=ACK><WND={PeerWnd}>"));
        Assert.Equal(c.OurNxt + 2, c.Tcb.SndUna);
        Assert.Equal(c.Now + c.Tcb.Rto, c.Deadline(TimerKind.Retransmit));
        Assert.Equal(3, c.Tcb.SendQueue.Count);
    }

    [Fact, Trait("RFC", "9293 §3.10.7.4")]
    public void ReceivingDuplicateAck_IsIgnored()
    {
        var c = Established();
        c.Send("hello");
        AssertSent(c.Arrive($"<SEQ={c.PeerNxt}><ACK={c.OurNxt}><CTL=ACK><WND={PeerWnd}>"));
        Assert.Equal(c.OurNxt, c.Tcb.SndUna);
        Assert.Equal(TcpState.Established, c.State);
    }

    [Fact, Trait("RFC", "9293 §3.10.7.4")]
    public void ReceivingAckOfSomethingNotYetSent_SendsAckAndDropsTheSegmentText()
    {
        var c = Established();
        AssertSent(c.Arrive($"<SEQ={c.PeerNxt}><ACK={c.OurNxt + 10}><CTL=ACK><WND={PeerWnd}><DATA=\"hi\">"),
            $"<SEQ={c.OurNxt}><ACK={c.PeerNxt}><CTL=ACK><WND={OurWnd}>");
        Assert.Equal(c.PeerNxt, c.Tcb.RcvNxt);
        Assert.Equal(c.OurNxt, c.Tcb.SndUna);
    }

    [Fact, Trait("RFC", "5961 §5.2"), Trait("RFC", "9293 §3.10.7.4")]
    [Trait("RFC", "MAY-12")]
    public void ReceivingAckOlderThanSndUnaMinusMaxSndWnd_SendsChallengeAckAndDropsIt_UnderRfc5961()
    {
        var c = Established();
        AssertSent(c.Arrive($"<SEQ={c.PeerNxt}><ACK={c.OurNxt - (PeerWnd + 1)}><CTL=ACK><WND={PeerWnd}><DATA=\"hi\">"),
            $"<SEQ={c.OurNxt}><ACK={c.PeerNxt}><CTL=ACK><WND={OurWnd}>");
        Assert.Equal(c.PeerNxt, c.Tcb.RcvNxt);
    }

    [Fact, Trait("RFC", "5961 §5.2")]
    public void ReceivingAckExactlyMaxSndWndBelowSndUna_IsAnAcceptableDuplicate_UnderRfc5961()
    {
        var c = Established();
        AssertSent(c.Arrive($"<SEQ={c.PeerNxt}><ACK={c.OurNxt - PeerWnd}><CTL=ACK><WND={PeerWnd}><DATA=\"hi\">"),
            $"<SEQ={c.OurNxt}><ACK={c.PeerNxt + 2}><CTL=ACK><WND={OurWnd - 2}>");
    }

    [Fact, Trait("RFC", "793 §3.9")]
    public void ReceivingAckOlderThanSndUnaMinusMaxSndWnd_IsADuplicateAndTheTextIsAccepted_WithoutRangeCheck()
    {
        var c = Established(Profile.Rfc793);
        AssertSent(c.Arrive($"<SEQ={c.PeerNxt}><ACK={c.OurNxt - (PeerWnd + 1)}><CTL=ACK><WND={PeerWnd}><DATA=\"hi\">"),
            $"<SEQ={c.OurNxt}><ACK={c.PeerNxt + 2}><CTL=ACK><WND={OurWnd - 2}>");
    }

    [Fact, Trait("RFC", "9293 §3.10.7.4")]
    public void ReceivingSegmentWithoutAck_IsDropped()
    {
        var c = Established();
        AssertSent(c.Arrive($"<SEQ={c.PeerNxt}><WND={PeerWnd}><DATA=\"hi\">"));
        Assert.Equal(c.PeerNxt, c.Tcb.RcvNxt);
    }

    [Fact, Trait("RFC", "9293 §3.10.7.4")]
    [Trait("RFC", "MUST-1")]
    public void ReceivingANewerWindow_UpdatesSndWnd_AndSendingRespectsIt()
    {
        var c = Established();
        AssertSent(c.Arrive($"<SEQ={c.PeerNxt}><ACK={c.OurNxt}><CTL=ACK><WND=3>"));
        Assert.Equal(3u, c.Tcb.SndWnd);
        AssertSent(c.Send("hello"), $"<SEQ={c.OurNxt}><ACK={c.PeerNxt}><CTL=ACK><WND={OurWnd}><DATA=\"hel\">");
    }

    [Fact, Trait("RFC", "9293 §3.10.7.4")]
    public void ReceivingARetransmissionThatStartsBeforeTheLastWindowUpdate_DoesNotUpdateTheWindow()
    {
        // fifth: "If SND.WL1 < SEG.SEQ or (SND.WL1 = SEG.SEQ and SND.WL2 =< SEG.ACK), set SND.WND <- SEG.WND ...
        // This prevents using old segments to update the window."
        var c = Established();
        AssertSent(c.Arrive(Data(c, 0, "hello")), $"<SEQ={c.OurNxt}><ACK={c.PeerNxt + 5}><CTL=ACK><WND={OurWnd - 5}>");
        AssertSent(c.Arrive($"<SEQ={c.PeerNxt + 5}><ACK={c.OurNxt}><CTL=ACK><WND=100>"));
        Assert.Equal(100u, c.Tcb.SndWnd);
        // "helloworld" from the old SEG.SEQ: its new part is taken, its window is older than SND.WL1's
        AssertSent(c.Arrive(Data(c, 0, "helloworld")), $"<SEQ={c.OurNxt}><ACK={c.PeerNxt + 10}><CTL=ACK><WND={OurWnd - 10}>");
        Assert.Equal(100u, c.Tcb.SndWnd);
        Assert.Equal(c.PeerNxt + 5, c.Tcb.SndWl1);
    }

    // ---- sixth, check the URG bit

    [Fact, Trait("RFC", "9293 §3.10.7.4")]
    public void ReceivingTextWithUrg_AdvancesRcvUpToTheUrgentPointer()
    {
        // "If the URG bit is set, RCV.UP <- max(RCV.UP,SEG.UP)"; the urgent field "must be added to the segment sequence
        // number to yield the urgent pointer" (§3.8.5), the octet after the urgent data (RFC 6093). Only RCV.UP is kept:
        // signalling urgent data to the user is out of scope (spec/requirements/status.txt, MUST-30)
        var c = Established();
        Assert.Equal(c.PeerNxt, c.Tcb.RcvUp); // RCV.UP starts at RCV.NXT (the SYN's IRS + 1)
        AssertSent(c.Arrive($"<SEQ={c.PeerNxt}><ACK={c.OurNxt}><CTL=URG,ACK><WND={PeerWnd}><UP=3><DATA=\"abcde\">"),
            $"<SEQ={c.OurNxt}><ACK={c.PeerNxt + 5}><CTL=ACK><WND={OurWnd - 5}>");
        Assert.Equal(c.PeerNxt + 3, c.Tcb.RcvUp);
    }

    [Fact, Trait("RFC", "9293 §3.10.7.4")]
    public void ReceivingAnUrgentPointerBehindRcvUp_LeavesRcvUp()
    {
        // RCV.UP <- max(RCV.UP, SEG.UP): a later segment pointing before the urgent data already announced does not
        // pull RCV.UP back
        var c = Established();
        AssertSent(c.Arrive($"<SEQ={c.PeerNxt}><ACK={c.OurNxt}><CTL=URG,ACK><WND={PeerWnd}><UP=100><DATA=\"abcde\">"),
            $"<SEQ={c.OurNxt}><ACK={c.PeerNxt + 5}><CTL=ACK><WND={OurWnd - 5}>");
        AssertSent(c.Arrive($"<SEQ={c.PeerNxt + 5}><ACK={c.OurNxt}><CTL=URG,ACK><WND={PeerWnd}><UP=10><DATA=\"fghij\">"),
            $"<SEQ={c.OurNxt}><ACK={c.PeerNxt + 10}><CTL=ACK><WND={OurWnd - 10}>");
        Assert.Equal(c.PeerNxt + 100, c.Tcb.RcvUp);
    }

    [Fact, Trait("RFC", "9293 §3.10.7.4")]
    public void ReceivingAnUrgentPointerWithoutText_AdvancesRcvUp()
    {
        // the urgent pointer may point past the segment (the urgent data is still to come); a segment carrying only it
        // occupies no sequence space and is not acknowledged, but still meets the sixth check
        var c = Established();
        AssertSent(c.Arrive($"<SEQ={c.PeerNxt}><ACK={c.OurNxt}><CTL=URG,ACK><WND={PeerWnd}><UP=7>"));
        Assert.Equal(c.PeerNxt + 7, c.Tcb.RcvUp);
    }

    [Fact, Trait("RFC", "9293 §3.10.7.4")]
    public void ReceivingTextWithoutUrg_LeavesRcvUp()
    {
        var c = Established();
        AssertSent(c.Arrive(Data(c, 0, "hello")), $"<SEQ={c.OurNxt}><ACK={c.PeerNxt + 5}><CTL=ACK><WND={OurWnd - 5}>");
        AssertSent(c.Arrive(Data(c, 5, "world")), $"<SEQ={c.OurNxt}><ACK={c.PeerNxt + 10}><CTL=ACK><WND={OurWnd - 10}>");
        Assert.Equal(c.PeerNxt, c.Tcb.RcvUp);
    }

    // ---- seventh and eighth: text and FIN

    [Fact, Trait("RFC", "9293 §3.10.7.4")]
    public void ReceivingFin_EntersCloseWaitAndAcknowledgesIt()
    {
        var c = Established();
        AssertSent(c.Arrive($"<SEQ={c.PeerNxt}><ACK={c.OurNxt}><CTL=FIN,ACK><WND={PeerWnd}>"),
            $"<SEQ={c.OurNxt}><ACK={c.PeerNxt + 1}><CTL=ACK><WND={OurWnd}>");
        Assert.Equal(TcpState.CloseWait, c.State);
        AssertNotices(c, Notice.ConnectionClosing);
    }

    [Fact, Trait("RFC", "9293 §3.10.7.4")]
    public void ReceivingTextWithFin_DeliversTheTextAndAcknowledgesBoth()
    {
        var c = Established();
        AssertSent(c.Arrive(Data(c, 0, "bye", "FIN,ACK")), $"<SEQ={c.OurNxt}><ACK={c.PeerNxt + 4}><CTL=ACK><WND={OurWnd - 3}>");
        Assert.Equal(TcpState.CloseWait, c.State);
        c.Receive();
        Assert.Equal("bye", Encoding.ASCII.GetString(c.Delivered));
    }

    [Fact, Trait("RFC", "9293 §3.10.7.4")]
    public void ReceivingAFin_FiresTheFifthAndEighthChecksOnly()
    {
        // a FIN without text has nothing for the seventh check: the cells fired are the ACK's (fifth) and the FIN's
        var c = Established();
        c.Arrive($"<SEQ={c.PeerNxt}><ACK={c.OurNxt}><CTL=FIN,ACK><WND={PeerWnd}>");
        Assert.Equal([new CellKey(TcpState.Established, Trigger.AckDuplicate), new CellKey(TcpState.Established, Trigger.Fin)], c.Fired);
    }

    [Fact, Trait("RFC", "9293 §3.10.7.4")]
    public void ReceivingAFinWithoutTextAboveRcvNxt_IsHeldUntilTheGapIsFilled()
    {
        // the FIN occupies IRS+3, beyond RCV.NXT: it is held like out-of-order text ("segments with higher beginning
        // sequence numbers than expected may be held for later processing") and processed when the gap is filled
        var c = Established();
        AssertSent(c.Arrive($"<SEQ={c.PeerNxt + 2}><ACK={c.OurNxt}><CTL=FIN,ACK><WND={PeerWnd}>"), $"<SEQ={c.OurNxt}><ACK={c.PeerNxt}><CTL=ACK><WND={OurWnd}>");
        Assert.Equal(TcpState.Established, c.State);
        AssertSent(c.Arrive(Data(c, 0, "ab")), $"<SEQ={c.OurNxt}><ACK={c.PeerNxt + 3}><CTL=ACK><WND={OurWnd - 2}>");
        Assert.Equal(TcpState.CloseWait, c.State);
    }

    [Fact, Trait("RFC", "9293 §3.10.7.4")]
    public void ReceivingFinAboveRcvNxt_IsHeldUntilTheGapIsFilled()
    {
        var c = Established();
        AssertSent(c.Arrive(Data(c, 2, "cd", "FIN,ACK")), $"<SEQ={c.OurNxt}><ACK={c.PeerNxt}><CTL=ACK><WND={OurWnd}>");
        Assert.Equal(TcpState.Established, c.State);
        AssertSent(c.Arrive(Data(c, 0, "ab")), $"<SEQ={c.OurNxt}><ACK={c.PeerNxt + 5}><CTL=ACK><WND={OurWnd - 4}>");
        Assert.Equal(TcpState.CloseWait, c.State);
        c.Receive();
        Assert.Equal("abcd", Encoding.ASCII.GetString(c.Delivered));
    }

    // ---- user calls

    [Fact, Trait("RFC", "9293 §3.10.2")]
    [Trait("RFC", "MUST-60")]
    public void Send_SegmentizesTheDataAtSndNxtAndStartsTheRetransmissionTimer()
    {
        var c = Established();
        AssertSent(c.Send("hello"), $"<SEQ={c.OurNxt}><ACK={c.PeerNxt}><CTL=PSH,ACK><WND={OurWnd}><DATA=\"hello\">");
        Assert.Equal(5, c.Accepted);
        Assert.Equal(c.OurNxt + 5, c.Tcb.SndNxt);
        Assert.Equal(c.Now + Second, c.Deadline(TimerKind.Retransmit));
    }

    [Fact, Trait("RFC", "9293 §3.7.1")]
    [Trait("RFC", "MUST-61")]
    [Trait("RFC", "SHLD-28")]
    public void Send_LargerThanTheMss_IsSentInMssSizedSegmentsWithPshOnTheLast()
    {
        var c = Established();
        var sent = c.Send(Text(3000));
        Assert.Equal(["ACK", "ACK", "PSH,ACK"], sent.Select(s => s.ToShortString().Split("<CTL=")[1].Split('>')[0]));
        Assert.Equal([1460, 1460, 80], sent.Select(s => s.Payload.Length));
        Assert.Equal([c.OurNxt, c.OurNxt + 1460, c.OurNxt + 2920], sent.Select(s => s.Seq));
    }

    [Theory, Trait("RFC", "9293 §3.9.1"), Trait("RFC", "6298 §5.4")]
    [InlineData(3000, "ACK")]  // the first of three segments: sent without PSH, retransmitted without it
    [InlineData(1000, "PSH,ACK")] // the whole of what is queued: PSH, again on the retransmission
    public void RetransmissionTimeout_ResendsTheFirstSegmentWithPshOnlyWhenItReachesTheEndOfTheQueuedData(int octets, string ctl)
    {
        var c = Established();
        c.Send(Text(octets));
        var resent = c.TickAt(c.Deadline(TimerKind.Retransmit));
        Assert.Equal(c.OurNxt, resent[0].Seq);
        Assert.Equal(ctl, resent[0].ToShortString().Split("<CTL=")[1].Split('>')[0]);
    }

    [Fact, Trait("RFC", "9293 §3.8.6")]
    [Trait("RFC", "SHLD-15")]
    public void Send_MoreThanTheSendWindow_SendsOnlyWhatTheWindowAllows()
    {
        var c = Established();
        var sent = c.Send(Text(10000));
        Assert.Equal(10000, c.Accepted);
        Assert.Equal(PeerWnd, sent.Sum(s => s.Payload.Length));
        Assert.Equal(c.OurNxt + PeerWnd, c.Tcb.SndNxt);
        var more = c.Arrive($"<SEQ={c.PeerNxt}><ACK={c.OurNxt + PeerWnd}><CTL=ACK><WND={PeerWnd}>");
        Assert.Equal(10000 - PeerWnd, more.Sum(s => s.Payload.Length));
    }

    [Fact, Trait("RFC", "9293 §3.8.6.1"), Trait("RFC", "6298 §5.1")]
    public void Send_MoreThanAnOpenSendWindow_ArmsNoPersistTimer_TheRetransmissionTimerCoversWhatIsOutstanding()
    {
        // zero-window probing is for a window that is zero (§3.8.6.1); a window filled by our own unacknowledged
        // data opens again with their ACK, and the retransmission timer (RFC 6298 §5.1) covers it
        var c = Established();
        var sent = c.Send(Text(10000));
        Assert.Equal([1460, 1460, 1460, 1460, 1460, 892], sent.Select(s => s.Payload.Length));
        Assert.Equal(TimerSet.Off, c.Deadline(TimerKind.Persist));
        Assert.Equal(c.Now + Second, c.Deadline(TimerKind.Retransmit));
    }

    [Fact, Trait("RFC", "9293 §3.10.2")]
    public void Send_AcceptsOnlyWhatTheSendBufferHolds()
    {
        var c = Established(With(p => p with { SendBuffer = 100 }));
        var sent = c.Send(Text(150));
        Assert.Equal(100, c.Accepted);
        Assert.Equal(100, sent.Sum(s => s.Payload.Length));
    }

    [Fact, Trait("RFC", "9293 §3.10.3")]
    public void Receive_WithNothingQueued_DeliversNothingAndSendsNothing()
    {
        var c = Established();
        AssertSent(c.Receive());
        Assert.Empty(c.Delivered);
        AssertNotices(c);
    }

    [Fact, Trait("RFC", "9293 §3.8.6.2.2")]
    [Trait("RFC", "MUST-39")]
    public void Receive_ThatOpensTheWindowByAnMss_SendsAWindowUpdate()
    {
        var c = Established();
        c.Arrive(Data(c, 0, Text(1460)));
        c.Arrive(Data(c, 1460, Text(540)));
        AssertSent(c.Receive(), $"<SEQ={c.OurNxt}><ACK={c.PeerNxt + 2000}><CTL=ACK><WND={OurWnd}>");
        Assert.Equal(2000, c.Delivered.Length);
    }

    [Fact, Trait("RFC", "9293 §3.8.6.2.2")]
    [Trait("RFC", "MUST-39")]
    public void Receive_ThatOpensTheWindowByLessThanAnMss_SendsNothing()
    {
        var c = Established();
        c.Arrive(Data(c, 0, "hello"));
        AssertSent(c.Receive());
        Assert.Equal(5, c.Delivered.Length);
    }

    /// <summary>In-order text from the peer in full-sized segments, each acknowledged at once.</summary>
    private static void ArriveInFullSegments(Conn c, int octets)
    {
        for (int sent = 0; sent < octets; sent += 1460)
            c.Arrive(Data(c, (uint)sent, Text(Math.Min(1460, octets - sent))));
        c.PeerNxt += octets;
    }

    [Fact, Trait("RFC", "9293 §3.8.6.2.2")]
    public void Receive_ThatDoublesAWindowOfAtMostHalfTheBuffer_SendsAWindowUpdate_UnderWindowUpdateOnlyWhenDoubled()
    {
        // POLICY window-update-only-when-doubled (Linux tcp_cleanup_rbuf): "Lots" means "at least twice"
        var c = Established(With(p => p with { WindowUpdateOnlyWhenDoubled = true }));
        ArriveInFullSegments(c, 40000);
        Assert.Equal(OurWnd - 40000u, c.Tcb.RcvWnd); // 25535, at most half the buffer
        AssertSent(c.Receive(OurWnd - 40000), $"<SEQ={c.OurNxt}><ACK={c.PeerNxt}><CTL=ACK><WND={2 * (OurWnd - 40000)}>");
    }

    [Fact, Trait("RFC", "9293 §3.8.6.2.2")]
    public void Receive_ThatGrowsTheWindowByAnMssButLessThanDouble_SendsNothing_UnderWindowUpdateOnlyWhenDoubled()
    {
        var c = Established(With(p => p with { WindowUpdateOnlyWhenDoubled = true }));
        ArriveInFullSegments(c, 40000);
        // 2000 octets free more than an MSS (rfc9293 would announce them) but do not double 25535
        AssertSent(c.Receive(2000));
        Assert.Equal(2000, c.Delivered.Length);
    }

    [Fact, Trait("RFC", "9293 §3.8.6.2.2")]
    public void Receive_OfAWindowMoreThanHalfOpen_SendsNothing_UnderWindowUpdateOnlyWhenDoubled()
    {
        // tcp_cleanup_rbuf: only "if (2*rcv_window_now <= tp->window_clamp)" is a window update considered
        var c = Established(With(p => p with { WindowUpdateOnlyWhenDoubled = true }));
        ArriveInFullSegments(c, 30000);
        AssertSent(c.Receive());
        Assert.Equal(30000, c.Delivered.Length);
    }

    [Fact, Trait("RFC", "9293 §3.8.6.2.2")]
    public void Receive_ThatReadsNothingFromAZeroWindow_SendsNothing()
    {
        // the window does not grow, so there is nothing to announce
        var c = Established();
        ArriveInFullSegments(c, OurWnd);
        AssertSent(c.Receive(0));
        Assert.Equal(0u, c.Tcb.RcvWnd);
    }

    [Fact, Trait("RFC", "9293 §3.8.6.2.2"), Trait("RFC", "9293 §3.8.6.1")]
    public void Receive_ThatOpensAZeroWindow_SendsAWindowUpdate_UnderWindowUpdateOnlyWhenDoubled()
    {
        // any read doubles a zero window: the peer, probing, learns of it at once
        var c = Established(With(p => p with { WindowUpdateOnlyWhenDoubled = true }));
        ArriveInFullSegments(c, OurWnd);
        Assert.Equal(0u, c.Tcb.RcvWnd);
        AssertSent(c.Receive(), $"<SEQ={c.OurNxt}><ACK={c.PeerNxt}><CTL=ACK><WND={OurWnd}>");
    }

    [Fact, Trait("RFC", "9293 §3.8.6.2.2")]
    public void Receive_ThatReadsNothingFromAZeroWindow_SendsNothing_UnderWindowUpdateOnlyWhenDoubled()
    {
        var c = Established(With(p => p with { WindowUpdateOnlyWhenDoubled = true }));
        ArriveInFullSegments(c, OurWnd);
        AssertSent(c.Receive(0));
        Assert.Empty(c.Delivered);
        Assert.Equal(0u, c.Tcb.RcvWnd);
    }

    [Fact, Trait("RFC", "9293 §3.10.4")]
    public void Close_SendsFinAndEntersFinWait1()
    {
        var c = Established();
        AssertSent(c.User(Input.Close), $"<SEQ={c.OurNxt}><ACK={c.PeerNxt}><CTL=FIN,ACK><WND={OurWnd}>");
        Assert.Equal(TcpState.FinWait1, c.State);
        Assert.Equal(c.Now + Second, c.Deadline(TimerKind.Retransmit));
    }

    [Fact, Trait("RFC", "9293 §3.10.4")]
    public void Close_AfterSend_SendsTheFinAfterTheData()
    {
        var c = Established();
        c.Send("hello");
        AssertSent(c.User(Input.Close), $"<SEQ={c.OurNxt + 5}><ACK={c.PeerNxt}><CTL=FIN,ACK><WND={OurWnd}>");
        Assert.Equal(TcpState.FinWait1, c.State);
    }

    [Fact, Trait("RFC", "9293 §3.10.4")]
    public void Close_WithUnsentData_CarriesTheFinOnTheLastDataSegment()
    {
        var c = Established();
        c.Arrive($"<SEQ={c.PeerNxt}><ACK={c.OurNxt}><CTL=ACK><WND=0>");
        AssertSent(c.Send("hello"));
        AssertSent(c.User(Input.Close));
        Assert.Equal(TcpState.FinWait1, c.State);
        AssertSent(c.Arrive($"<SEQ={c.PeerNxt}><ACK={c.OurNxt}><CTL=ACK><WND={PeerWnd}>"),
            $"<SEQ={c.OurNxt}><ACK={c.PeerNxt}><CTL=FIN,PSH,ACK><WND={OurWnd}><DATA=\"hello\">");
    }

    [Fact, Trait("RFC", "9293 §3.10.4")]
    public void Close_WithUnreadData_SendsFin_WhenResetOnCloseIsOff()
    {
        var c = Established();
        c.Arrive(Data(c, 0, "hello"));
        AssertSent(c.User(Input.Close), $"<SEQ={c.OurNxt}><ACK={c.PeerNxt + 5}><CTL=FIN,ACK><WND={OurWnd - 5}>");
        Assert.Equal(TcpState.FinWait1, c.State);
    }

    [Fact, Trait("RFC", "1122 §4.2.2.13"), Trait("RFC", "9293 §3.6")]
    [Trait("RFC", "MAY-1")]
    [Trait("RFC", "SHLD-3")]
    public void Close_WithUnreadData_SendsRstAndCloses_WhenResetOnCloseIsOn()
    {
        var c = Established(With(p => p with { ResetOnCloseWithUnreadData = true }));
        c.Arrive(Data(c, 0, "hello"));
        AssertSent(c.User(Input.Close), $"<SEQ={c.OurNxt}><ACK={c.PeerNxt + 5}><CTL=RST,ACK>");
        Assert.Equal(TcpState.Closed, c.State);
    }

    [Fact, Trait("RFC", "1122 §4.2.2.13")]
    public void Close_WithAllDataRead_SendsFin_WhenResetOnCloseIsOn()
    {
        var c = Established(With(p => p with { ResetOnCloseWithUnreadData = true }));
        c.Arrive(Data(c, 0, "hello"));
        c.Receive();
        // POLICY receiver-sws-every-ack: reading 5 octets does not move the announced right edge (MUST-39)
        AssertSent(c.User(Input.Close), $"<SEQ={c.OurNxt}><ACK={c.PeerNxt + 5}><CTL=FIN,ACK><WND={OurWnd - 5}>");
        Assert.Equal(TcpState.FinWait1, c.State);
    }

    [Fact, Trait("RFC", "9293 §3.10.5")]
    public void Abort_SendsRstAtSndNxtAndCloses()
    {
        var c = Established();
        AssertSent(c.User(Input.Abort), $"<SEQ={c.OurNxt}><CTL=RST>");
        Assert.Equal(TcpState.Closed, c.State);
    }

    [Theory, Trait("RFC", "9293 §3.10.1")]
    [InlineData(true)]
    [InlineData(false)]
    public void Open_AnswersConnectionAlreadyExists(bool active)
    {
        var c = Established();
        AssertSent(c.User(active ? Input.OpenActive : Input.OpenPassive()));
        AssertNotices(c, Notice.ConnectionAlreadyExists);
        Assert.Equal(TcpState.Established, c.State);
    }

    [Fact, Trait("RFC", "9293 §3.10.6")]
    public void Status_ChangesNothing()
    {
        var c = Established();
        AssertSent(c.User(Input.Status));
        AssertNotices(c);
        c.CheckTcb(c.OurNxt, c.OurNxt, c.PeerNxt);
    }

    // ---- timeouts

    [Fact, Trait("RFC", "6298 §5")]
    [Trait("RFC", "SHLD-16")]
    public void RetransmissionTimeout_ResendsTheEarliestSegmentAndDoublesTheRto()
    {
        var c = Established();
        long sentAt = c.Now;
        c.Send("hello");
        string again = $"<SEQ={c.OurNxt}><ACK={c.PeerNxt}><CTL=PSH,ACK><WND={OurWnd}><DATA=\"hello\">";
        Assert.Equal(sentAt + 1 * Second, c.Endpoint.NextDeadline);
        AssertSent(c.FireNextTimer(), again);
        Assert.Equal(sentAt + 3 * Second, c.Endpoint.NextDeadline);
        AssertSent(c.FireNextTimer(), again);
        Assert.Equal(sentAt + 7 * Second, c.Endpoint.NextDeadline);
        AssertSent(c.FireNextTimer(), again);
        Assert.Equal(8 * Second, c.Tcb.Rto);
    }

    [Fact, Trait("RFC", "1122 §4.2.3.5")]
    [Trait("RFC", "MUST-21")]
    [Trait("RFC", "SHLD-11")]
    public void RetransmissionsForR2_CloseTheConnection()
    {
        var c = Established();
        long sentAt = c.Now;
        c.Send("hello");
        var times = new List<long>();
        while (c.State == TcpState.Established)
        {
            if (c.FireNextTimer().Count > 0) times.Add((c.Now - sentAt) / Second);
        }
        // RTO 1, 2, 4, 8, 16, 32, then 60 (RtoMax); the first timeout at or beyond R2 = 100 s gives up
        Assert.Equal([1L, 3, 7, 15, 31, 63], times);
        Assert.Equal(sentAt + 123 * Second, c.Now);
        Assert.Equal(TcpState.Closed, c.State);
        AssertNotices(c, Notice.RetransmissionTimeout);
    }

    [Fact, Trait("RFC", "9293 §3.10.8")]
    public void UserTimeout_AbortsWhenDataStaysUnacknowledged()
    {
        var c = Established(With(p => p with { UserTimeout = 5 * Second }));
        long sentAt = c.Now;
        c.Send("hello");
        while (c.State == TcpState.Established) c.FireNextTimer();
        Assert.Equal(sentAt + 5 * Second, c.Now);
        AssertNotices(c, Notice.UserTimeout);
    }

    [Fact, Trait("RFC", "9293 §3.10.8")]
    public void UserTimeoutOff_ArmsNoUserTimer()
    {
        var c = Established(With(p => p with { UserTimeout = 0 }));
        c.Send("hello");
        Assert.Equal(TimerSet.Off, c.Deadline(TimerKind.User));
        Assert.Equal(c.Now + Second, c.Endpoint.NextDeadline);
    }

    [Fact, Trait("RFC", "9293 §3.10.8")]
    public void UserTimeoutOn_IsArmedWithTheFirstUnacknowledgedSegment()
    {
        var c = Established();
        c.Send("hello");
        Assert.Equal(c.Now + 300 * Second, c.Deadline(TimerKind.User));
    }

    [Fact, Trait("RFC", "9293 §3.10.8"), Trait("RFC", "5482 §1")]
    public void UserTimeout_RunsFromTheLastAckOfNewData()
    {
        // the user timeout bounds how long transmitted data may stay unacknowledged (RFC 5482 §1): an ACK that
        // takes part of it is progress, and the timer starts again for the rest
        var c = Established(With(p => p with { UserTimeout = 5 * Second }));
        c.Send("hello");
        c.Now += 3 * Second;
        AssertSent(c.Arrive($"<SEQ={c.PeerNxt}><ACK={c.OurNxt + 2}><CTL=ACK><WND={PeerWnd}>"));
        long ackedAt = c.Now;
        Assert.Equal(ackedAt + 5 * Second, c.Deadline(TimerKind.User));
        while (c.State == TcpState.Established) c.FireNextTimer();
        Assert.Equal(ackedAt + 5 * Second, c.Now);
        AssertNotices(c, Notice.UserTimeout);
    }

    [Fact, Trait("RFC", "9293 §3.10.8")]
    public void UserTimeoutOff_IsNotArmedByAnAckOfPartOfTheData()
    {
        var c = Established(With(p => p with { UserTimeout = 0 }));
        c.Send("hello");
        AssertSent(c.Arrive($"<SEQ={c.PeerNxt}><ACK={c.OurNxt + 2}><CTL=ACK><WND={PeerWnd}>"));
        Assert.Equal(TimerSet.Off, c.Deadline(TimerKind.User));
        Assert.Equal(TcpState.Established, c.State);
    }

    [Fact, Trait("RFC", "9293 §3.10.8")]
    public void UserTimeout_StopsWhenEverythingIsAcknowledged()
    {
        var c = Established(With(p => p with { UserTimeout = 5 * Second }));
        c.Send("hello");
        AssertSent(c.Arrive($"<SEQ={c.PeerNxt}><ACK={c.OurNxt + 5}><CTL=ACK><WND={PeerWnd}>"));
        Assert.Equal(TimerSet.Off, c.Deadline(TimerKind.User));
        Assert.Equal(TimerSet.Off, c.Endpoint.NextDeadline);
    }

    [Fact, Trait("RFC", "9293 §3.9.1"), Trait("RFC", "9293 §3.10.8")]
    public void ChangingTheUserTimeout_GivesUpUnacknowledgedDataAfterTheNewTimeout()
    {
        // §3.9.1: "If specified, the current user timeout for this connection is changed to the new one"
        var c = Established();
        c.Endpoint.SetUserTimeout(5 * Second, c.Now);
        long sentAt = c.Now;
        c.Send("hello");
        Assert.Equal(sentAt + 5 * Second, c.Deadline(TimerKind.User));
        while (c.State == TcpState.Established) c.FireNextTimer();
        Assert.Equal(sentAt + 5 * Second, c.Now);
        AssertNotices(c, Notice.UserTimeout);
    }

    [Fact, Trait("RFC", "9293 §3.9.1"), Trait("RFC", "9293 §3.10.8")]
    public void ChangingTheUserTimeoutWhileItRuns_RestartsItWithTheNewTimeout()
    {
        var c = Established();
        c.Send("hello");
        Assert.Equal(c.Now + 300 * Second, c.Deadline(TimerKind.User));
        c.TickAt(c.Now + Second / 2);
        long changedAt = c.Now;
        c.Endpoint.SetUserTimeout(2 * Second, changedAt);
        Assert.Equal(changedAt + 2 * Second, c.Deadline(TimerKind.User));
        while (c.State == TcpState.Established) c.FireNextTimer();
        Assert.Equal(changedAt + 2 * Second, c.Now);
        AssertNotices(c, Notice.UserTimeout);
    }

    [Fact, Trait("RFC", "9293 §3.9.1"), Trait("RFC", "1122 §4.2.3.5")]
    public void ChangingTheUserTimeoutToZeroWhileItRuns_TurnsItOff_AndR2Decides()
    {
        var c = Established();
        long sentAt = c.Now;
        c.Send("hello");
        c.Endpoint.SetUserTimeout(0, c.Now);
        Assert.Equal(TimerSet.Off, c.Deadline(TimerKind.User));
        while (c.State == TcpState.Established) c.FireNextTimer();
        // no user timeout: the retransmissions go on until R2 (100 s) is passed, as in RetransmissionsForR2_CloseTheConnection
        Assert.Equal(sentAt + 123 * Second, c.Now);
        AssertNotices(c, Notice.RetransmissionTimeout);
    }

    [Fact, Trait("RFC", "1122 §4.2.3.2")]
    [Trait("RFC", "SHLD-18")]
    public void DelayedAckOff_AcknowledgesEveryDataSegmentAtOnce()
    {
        var c = Established();
        AssertSent(c.Arrive(Data(c, 0, "a")), $"<SEQ={c.OurNxt}><ACK={c.PeerNxt + 1}><CTL=ACK><WND={OurWnd - 1}>");
        Assert.Equal(TimerSet.Off, c.Deadline(TimerKind.DelayedAck));
    }

    [Fact, Trait("RFC", "1122 §4.2.3.2"), Trait("RFC", "9293 §3.8.6.3")]
    [Trait("RFC", "SHLD-18")]
    [Trait("RFC", "MUST-40")]
    public void DelayedAckOn_DefersTheAckAtMost500Ms_ThenSendsIt()
    {
        var c = Established(With(p => p with { DelayedAck = 200_000 }));
        AssertSent(c.Arrive(Data(c, 0, "a")));
        long deadline = c.Deadline(TimerKind.DelayedAck);
        Assert.InRange(deadline - c.Now, 1, 500_000);
        AssertSent(c.FireNextTimer(), $"<SEQ={c.OurNxt}><ACK={c.PeerNxt + 1}><CTL=ACK><WND={OurWnd - 1}>");
        Assert.Equal(c.Now, deadline);
    }

    [Fact, Trait("RFC", "1122 §4.2.3.2")]
    [Trait("RFC", "SHLD-19")]
    public void DelayedAckOn_AcknowledgesEverySecondSegmentAtOnce()
    {
        var c = Established(With(p => p with { DelayedAck = 200_000 }));
        AssertSent(c.Arrive(Data(c, 0, "a")));
        AssertSent(c.Arrive(Data(c, 1, "b")), $"<SEQ={c.OurNxt}><ACK={c.PeerNxt + 2}><CTL=ACK><WND={OurWnd - 2}>");
        Assert.Equal(TimerSet.Off, c.Deadline(TimerKind.DelayedAck));
    }

    [Fact, Trait("RFC", "1122 §4.2.3.2"), Trait("RFC", "5681 §4.2")]
    public void DelayedAckOn_AcknowledgesASegmentThatFillsAGapAtOnce()
    {
        // RFC 5681 §4.2: "an immediate ACK SHOULD be generated when a segment arrives that fills in all or part of a gap"
        var c = Established(With(p => p with { DelayedAck = 200_000 }));
        AssertSent(c.Arrive(Data(c, 5, "world")), $"<SEQ={c.OurNxt}><ACK={c.PeerNxt}><CTL=ACK><WND={OurWnd}>");
        AssertSent(c.Arrive(Data(c, 0, "hello")), $"<SEQ={c.OurNxt}><ACK={c.PeerNxt + 10}><CTL=ACK><WND={OurWnd - 10}>");
        Assert.Equal(TimerSet.Off, c.Deadline(TimerKind.DelayedAck));
    }

    [Fact, Trait("RFC", "9293 §3.8.4")]
    public void KeepAliveOff_ArmsNoTimerOnAnIdleConnection()
    {
        var c = Established();
        Assert.Equal(TimerSet.Off, c.Endpoint.NextDeadline);
    }

    [Fact, Trait("RFC", "9293 §3.8.4")]
    public void KeepAliveOn_ProbesWithSndNxtMinusOneAfterTheIdleTime()
    {
        const long twoHours = 7200 * Second;
        var c = Established(With(p => p with { KeepAliveIdle = twoHours }));
        Assert.Equal(c.Now + twoHours, c.Deadline(TimerKind.KeepAlive));
        AssertSent(c.FireNextTimer(), $"<SEQ={c.OurNxt - 1}><ACK={c.PeerNxt}><CTL=ACK><WND={OurWnd}>");
        Assert.Equal(c.Now + 75 * Second, c.Deadline(TimerKind.KeepAlive));
        AssertSent(c.Arrive($"<SEQ={c.PeerNxt}><ACK={c.OurNxt}><CTL=ACK><WND={PeerWnd}>"));
        Assert.Equal(c.Now + twoHours, c.Deadline(TimerKind.KeepAlive));
    }

    [Fact, Trait("RFC", "9293 §3.8.6.1")]
    [Trait("RFC", "MUST-36")]
    public void PersistTimeout_ProbesAZeroWindowWithOneOctet()
    {
        var c = Established();
        c.Arrive($"<SEQ={c.PeerNxt}><ACK={c.OurNxt}><CTL=ACK><WND=0>");
        AssertSent(c.Send("hello"));
        Assert.Equal(c.Now + Second, c.Deadline(TimerKind.Persist));
        AssertSent(c.FireNextTimer(), $"<SEQ={c.OurNxt}><ACK={c.PeerNxt}><CTL=ACK><WND={OurWnd}><DATA=\"h\">");
    }
}
