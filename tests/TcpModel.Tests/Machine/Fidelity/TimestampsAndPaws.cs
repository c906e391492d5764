using TcpModel.Machine;
using TcpModel.Wire;
using static TcpModel.Tests.Machine.Fixtures;

namespace TcpModel.Tests.Machine.Fidelity;

/// <summary>RFC 7323 §4.3 (TS.Recent, Last.ACK.sent) and §5.3 (PAWS) under POLICY timestamp-rule: Rfc7323 (the RFC's
/// R1–R3), FreeBsd (<c>tcp_do_segment</c>, <c>tcp_twcheck</c>) and Linux (<c>tcp_validate_incoming</c>,
/// <c>tcp_paws_discard</c>, <c>tcp_disordered_ack</c>, <c>tcp_ack</c> → <c>tcp_replace_ts_recent</c>). Every connection
/// here is ESTABLISHED by an active OPEN whose SYN,ACK carried TSval 100, so TS.Recent = 100 and Last.ACK.sent = IRS+1.</summary>
public sealed class TimestampsAndPaws
{
    private static Conn Established(TimestampRule rule)
    {
        var c = Closed(With(p => p with { Timestamps = true, TimestampRule = rule }));
        c.User(Input.OpenActive);
        c.Now += PeerDelay;
        c.Arrive($"<SEQ={Irs}><ACK={Iss + 1}><CTL=SYN,ACK><WND={PeerWnd}><OPT=MSS:1460,TS:100:100>");
        Assert.Equal(TcpState.Established, c.State);
        Assert.Equal(100u, c.Tcb.TsRecent);
        Assert.Equal(Irs + 1, c.Tcb.LastAckSent);
        c.PeerNxt = Irs + 1;
        return c;
    }

    private static string Data(SeqNum seq, uint tsval, string text = "hi") =>
        $"<SEQ={seq}><ACK={Iss + 1}><CTL=ACK><WND={PeerWnd}><OPT=TS:{tsval}:100><DATA=\"{text}\">";

    private static uint EchoOf(IReadOnlyList<Segment> sent) => Assert.Single(sent).Options.Timestamp!.Value.Echo;

    // ---- our TSval (RFC 7323 §5.4)

    [Fact, Trait("RFC", "7323 §5.4")]
    public void OurTsval_IsAMillisecondClock_SoTextSent2500MsLaterCarriesTsval2500MoreThanAtTheOpen()
    {
        var c = Established(TimestampRule.Rfc7323); // the SYN at time 0 carried TSval 100
        c.Now = 2_500_000;
        var sent = Assert.Single(c.Send("hi"));
        Assert.Equal(new TcpTimestamp(2600, 100), sent.Options.Timestamp);
    }

    // ---- PAWS (RFC 7323 §5.3 R1)

    [Theory, Trait("RFC", "7323 §5.3")]
    [InlineData(TimestampRule.Rfc7323)]
    [InlineData(TimestampRule.FreeBsd)]
    public void TextWithATsvalOlderThanTsRecent_IsAnsweredWithAnAckAndDropped(TimestampRule rule)
    {
        // "treat the arriving segment as not acceptable: Send an acknowledgment in reply ... and drop the segment"
        // (FreeBSD: "if (tlen) goto dropafterack")
        var c = Established(rule);
        var sent = c.Arrive(Data(Irs + 1, 99));
        Assert.Equal(Irs + 1, Assert.Single(sent).Ack);
        Assert.Equal(100u, EchoOf(sent));
        Assert.Equal(Irs + 1, c.Tcb.RcvNxt);
        Assert.Equal(0, c.Tcb.ReceiveQueue.Count);
    }

    [Fact, Trait("RFC", "7323 §5.3")]
    public void TextOneTickOlderThanTsRecent_PassesPawsUnderLinux()
    {
        // tcp_paws_check(rx_opt, TCP_PAWS_WINDOW): "(s32)(ts_recent - rcv_tsval) <= paws_win" with a window of 1
        var c = Established(TimestampRule.Linux);
        c.Arrive(Data(Irs + 1, 99));
        Assert.Equal(Irs + 3, c.Tcb.RcvNxt);
        var c2 = Established(TimestampRule.Linux);
        c2.Arrive(Data(Irs + 1, 98));
        Assert.Equal(Irs + 1, c2.Tcb.RcvNxt);
    }

    [Theory, Trait("RFC", "7323 §5.3")]
    [InlineData(TimestampRule.Rfc7323)]
    [InlineData(TimestampRule.FreeBsd)]
    [InlineData(TimestampRule.Linux)]
    public void TextWithTheSameTsvalAsTsRecent_IsAccepted(TimestampRule rule)
    {
        var c = Established(rule);
        c.Arrive(Data(Irs + 1, 100));
        Assert.Equal(Irs + 3, c.Tcb.RcvNxt);
    }

    [Theory, Trait("RFC", "7323 §5.3")]
    [InlineData(TimestampRule.Rfc7323)]
    [InlineData(TimestampRule.FreeBsd)]
    [InlineData(TimestampRule.Linux)]
    public void AnRstWithAnOlderTsval_IsNotRejectedByPaws(TimestampRule rule)
    {
        // R1: "... and RST bit is not set"
        var c = Established(rule);
        c.Arrive($"<SEQ={Irs + 1}><CTL=RST><OPT=TS:5:0>");
        Assert.Equal(TcpState.Closed, c.State);
        AssertNotices(c, Notice.ConnectionReset);
    }

    [Fact, Trait("RFC", "7323 §5.3")]
    public void APureAckWithAnOlderTsval_IsDroppedSilentlyUnderFreeBsd_AndAnsweredUnderTheRfc()
    {
        // FreeBSD tcp_do_segment: PAWS "goto drop" for a segment without text; RFC 7323 R1 answers any segment
        foreach (var rule in new[] { TimestampRule.FreeBsd, TimestampRule.Rfc7323 })
        {
            var c = Established(rule);
            c.Send("hello");
            var sent = c.Arrive($"<SEQ={Irs + 1}><ACK={Iss + 6}><CTL=ACK><WND={PeerWnd}><OPT=TS:50:100>");
            Assert.Equal(Iss + 1, c.Tcb.SndUna); // the ACK of "hello" is not taken
            Assert.Equal(rule == TimestampRule.FreeBsd ? 0 : 1, sent.Count);
        }
    }

    [Fact, Trait("RFC", "7323 §5.3")]
    public void AReorderedDuplicateAckWithAnOlderTsval_PassesPawsUnderLinux()
    {
        // tcp_disordered_ack: SEG.SEQ = RCV.NXT, SEG.ACK = SND.UNA, no text, no window update, within an RTO of TS.Recent
        var c = Established(TimestampRule.Linux);
        c.Arrive($"<SEQ={Irs + 1}><ACK={Iss + 1}><CTL=ACK><WND={PeerWnd}><OPT=TS:120:100>"); // SND.WL1 = IRS+1, TS.Recent 120
        Assert.Empty(c.Arrive($"<SEQ={Irs + 1}><ACK={Iss + 1}><CTL=ACK><WND={PeerWnd}><OPT=TS:110:100>"));
        // the same duplicate with a larger window would update it (tcp_may_update_window): PAWS rejects it with an ACK
        Assert.Single(c.Arrive($"<SEQ={Irs + 1}><ACK={Iss + 1}><CTL=ACK><WND={PeerWnd + 1}><OPT=TS:110:100>"));
        Assert.Equal((uint)PeerWnd, c.Tcb.SndWnd);
    }

    // ---- recording TS.Recent (RFC 7323 §4.3, §5.3 R3)

    [Theory, Trait("RFC", "7323 §4.3")]
    [InlineData(TimestampRule.Rfc7323)]
    [InlineData(TimestampRule.FreeBsd)]
    [InlineData(TimestampRule.Linux)]
    public void AnOutOfOrderSegment_DoesNotRecordItsTsval(TimestampRule rule)
    {
        // SEG.SEQ > Last.ACK.sent: "otherwise, it is ignored" — the duplicate ACK echoes the TSval of the segment
        // that last advanced the left edge (§4.3: the peer's RTT measurement must not be shortened)
        var c = Established(rule);
        var sent = c.Arrive(Data(Irs + 11, 200));
        Assert.Equal(Irs + 1, Assert.Single(sent).Ack);
        Assert.Equal(100u, EchoOf(sent));
        Assert.Equal(100u, c.Tcb.TsRecent);
    }

    [Theory, Trait("RFC", "7323 §4.3")]
    [InlineData(TimestampRule.Rfc7323, true)]
    [InlineData(TimestampRule.FreeBsd, true)]
    [InlineData(TimestampRule.Linux, false)]
    public void AnAckBeyondSndNxt_RecordsItsTsval_OnlyWhereTheAckIsNotChecked(TimestampRule rule, bool recorded)
    {
        // Linux tcp_ack: "if (after(ack, tp->snd_nxt)) ... return" before tcp_replace_ts_recent; FreeBSD records
        // before the ACK check; RFC 7323 §4.3's rule asks only SEG.SEQ =< Last.ACK.sent and TSval >= TS.Recent
        var c = Established(rule);
        var sent = c.Arrive($"<SEQ={Irs + 1}><ACK={Iss + 1000}><CTL=FIN,ACK><WND={PeerWnd}><OPT=TS:200000:100>");
        Assert.Equal(recorded ? 200000u : 100u, c.Tcb.TsRecent);
        Assert.Equal(recorded ? 200000u : 100u, EchoOf(sent));
        // the next in-order text, with the peer's real clock, is then taken (Linux) or rejected by PAWS
        c.Arrive(Data(Irs + 1, 201, "x"));
        Assert.Equal(recorded ? Irs + 1 : Irs + 2, c.Tcb.RcvNxt);
    }

    [Theory, Trait("RFC", "7323 §4.3")]
    [InlineData(TimestampRule.Rfc7323)]
    [InlineData(TimestampRule.FreeBsd)]
    [InlineData(TimestampRule.Linux)]
    public void InOrderTextWithANewerTsval_RecordsIt(TimestampRule rule)
    {
        var c = Established(rule);
        var sent = c.Arrive(Data(Irs + 1, 150));
        Assert.Equal(150u, c.Tcb.TsRecent);
        Assert.Equal(150u, EchoOf(sent));
        Assert.Equal(Irs + 3, c.Tcb.LastAckSent); // the ACK just sent
    }

    [Theory, Trait("RFC", "7323 §4.3"), Trait("RFC", "9293 §3.10.7.4")]
    [InlineData(TimestampRule.Rfc7323, 1009u)]
    [InlineData(TimestampRule.FreeBsd, 9u)]
    [InlineData(TimestampRule.Linux, 9u)]
    public void TheRetransmittedFinInTimeWait_RecordsItsTsval_OnlyUnderTheRfc(TimestampRule rule, uint echoed)
    {
        // FreeBSD tcp_twcheck: "ts_recent is never updated because we never accept new segments"; Linux
        // tcp_timewait_state_process records only from a segment at RCV.NXT, and the FIN again lies before it
        var c = TimeWaitWithTimestamps(rule, byTimestamp: false);
        c.Now += Second;
        var again = c.Arrive($"<SEQ={Irs + 1}><ACK={Iss + 2}><CTL=FIN,ACK><WND={PeerWnd}><OPT=TS:1009:110>");
        Assert.Equal(echoed, EchoOf(again));
    }

    // ---- reopening from TIME-WAIT by timestamp (RFC 6191, POLICY time-wait-reopen-by-timestamp)

    /// <summary>TIME-WAIT by an active close with timestamps: the SYN,ACK's TSval 7, the ACK of our FIN 8, the peer's FIN 9.</summary>
    private static Conn TimeWaitWithTimestamps(TimestampRule rule, bool byTimestamp)
    {
        var c = Closed(With(p => p with { Timestamps = true, TimestampRule = rule, ReopenByTimestamp = byTimestamp }));
        c.User(Input.OpenActive);
        c.Now += PeerDelay;
        c.Arrive($"<SEQ={Irs}><ACK={Iss + 1}><CTL=SYN,ACK><WND={PeerWnd}><OPT=MSS:1460,TS:7:100>");
        c.User(Input.Close);
        c.Arrive($"<SEQ={Irs + 1}><ACK={Iss + 2}><CTL=ACK><WND={PeerWnd}><OPT=TS:8:110>");
        c.Arrive($"<SEQ={Irs + 1}><ACK={Iss + 2}><CTL=FIN,ACK><WND={PeerWnd}><OPT=TS:9:110>");
        Assert.Equal(TcpState.TimeWait, c.State);
        Assert.Equal(Irs + 2, c.Tcb.RcvNxt);
        return c;
    }

    [Theory, Trait("RFC", "6191 §2"), Trait("RFC", "9293 §3.6.1")]
    [InlineData(true)]
    [InlineData(false)]
    public void ASynBelowRcvNxtWithANewerTsval_ReopensFromTimeWait_OnlyByTimestamp(bool byTimestamp)
    {
        // Linux tcp_timewait_state_process: "after(seq, rcv_nxt) || (saw_tstamp && (s32)(tw_ts_recent - rcv_tsval) < 0)"
        var c = TimeWaitWithTimestamps(TimestampRule.Linux, byTimestamp);
        c.Now += Second;
        var sent = c.Arrive($"<SEQ={Irs - 5000}><CTL=SYN><WND={PeerWnd}><OPT=MSS:1460,TS:5000:0>");
        if (byTimestamp)
        {
            Assert.Equal(TcpState.SynReceived, c.State);
            var synAck = Assert.Single(sent);
            Assert.True(synAck.Syn && synAck.HasAck);
            Assert.Equal(Irs - 4999, synAck.Ack);
            Assert.True(synAck.Seq > Iss + 2); // RFC 1122 §4.2.2.13: an ISS above the old SND.NXT
        }
        else
        {
            Assert.Equal(TcpState.TimeWait, c.State);
            Assert.False(Assert.Single(sent).Syn);
        }
    }

    [Fact, Trait("RFC", "6191 §2")]
    public void ASynBelowRcvNxtWithAnOlderTsval_DoesNotReopen()
    {
        var c = TimeWaitWithTimestamps(TimestampRule.Linux, byTimestamp: true);
        c.Now += Second;
        c.Arrive($"<SEQ={Irs - 5000}><CTL=SYN><WND={PeerWnd}><OPT=MSS:1460,TS:9:0>"); // TSval = TS.Recent: not newer
        Assert.Equal(TcpState.TimeWait, c.State);
    }

    [Fact, Trait("RFC", "7323 §4.3")]
    public void TheBuiltInProfiles_NameTheirKernelsRule()
    {
        Assert.Equal(TimestampRule.FreeBsd, Profile.FreeBsd.TimestampRule);
        Assert.Equal(TimestampRule.Linux, Profile.Linux.TimestampRule);
        Assert.Equal(TimestampRule.Rfc7323, Profile.Standard.TimestampRule);
        Assert.True(Profile.Linux.ReopenByTimestamp);
        Assert.False(Profile.FreeBsd.ReopenByTimestamp);
    }
}
