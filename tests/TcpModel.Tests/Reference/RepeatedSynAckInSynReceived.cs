using TcpModel.Machine;
using TcpModel.Reference;
using TcpModel.Wire;
using static TcpModel.Tests.Reference.ReferenceKit;

namespace TcpModel.Tests.Reference;

/// <summary>
/// SYN-RECEIVED, the event "a SYN,ACK at SEG.SEQ = IRS arrives" (RFC 9293 §3.5 Figure 7, §3.10.7.4 first and
/// fifth, Appendix A.2). POLICY synack-rule-after-syn-sent-only decides after which OPEN the Appendix A.2 / Figure 7
/// rule (the SYN trimmed as an old duplicate) applies, POLICY repeated-synack-bad-ack whether it applies to a
/// SYN,ACK whose ACK is not acceptable. Numbers of Figure 7: our ISS 100, the peer's 300, so in SYN-RECEIVED
/// SND.UNA = 100, SND.NXT = 101, IRS = 300, RCV.NXT = 301, whichever way SYN-RECEIVED was reached.
/// </summary>
public sealed class RepeatedSynAckInSynReceived
{
    /// <summary>How SYN-RECEIVED was reached.</summary>
    public enum Reached
    {
        /// <summary>From SYN-SENT: our SYN crossed the peer's (Figure 7).</summary>
        SimultaneousOpen,
        /// <summary>From LISTEN (§3.10.7.2).</summary>
        PassiveOpen,
        /// <summary>From TIME-WAIT by a new SYN (RFC 1122 §4.2.2.13), processed as in LISTEN.</summary>
        TimeWaitReopening,
    }

    /// <summary>The first check's reply to an unacceptable segment: &lt;SEQ=SND.NXT&gt;&lt;ACK=RCV.NXT&gt;&lt;CTL=ACK&gt;.</summary>
    private const string FirstCheckAck = "<SEQ=101><ACK=301><CTL=ACK>";

    private const string OurSynAck = "<SEQ=100><ACK=301><CTL=SYN,ACK><OPT=MSS:1460>";

    private static Segment PeersSynAck(uint ack) => Seg($"<SEQ=300><ACK={ack}><CTL=SYN,ACK><WND=65535>");

    private static Profile With(bool onlyAfterSynSent, bool resetBadAck) => Profile.Rfc9293 with
    {
        SynAckRuleOnlyAfterSynSent = onlyAfterSynSent,
        ResetRepeatedSynAckWithBadAck = resetBadAck,
        ReopenFromTimeWait = true,
    };

    private static ReferenceTcp InSynReceived(Reached reached, Profile profile, bool checkSynAck = true)
    {
        ReferenceTcp t;
        switch (reached)
        {
            case Reached.SimultaneousOpen:
                t = new ReferenceTcp(profile, new SeqNum(100));
                t.OpenActive();
                break;
            case Reached.PassiveOpen:
                t = new ReferenceTcp(profile, new SeqNum(100));
                t.OpenPassive();
                break;
            default:
                // An earlier incarnation (our ISS 50, the peer's 250) actively closed: TIME-WAIT with
                // SND.NXT = 52, RCV.NXT = 252. The peer's new SYN at 300 lies above RCV.NXT and reopens it;
                // NextIss 100 lies above the old SND.NXT, so the new ISS is 100.
                t = new ReferenceTcp(profile, new SeqNum(50));
                t.OpenActive();
                Sent(t.SegmentArrives(Seg("<SEQ=250><ACK=51><CTL=SYN,ACK><WND=65535>")), "<SEQ=51><ACK=251><CTL=ACK>");
                Sent(t.Close(), "<SEQ=51><ACK=251><CTL=FIN,ACK>");
                Sent(t.SegmentArrives(Seg("<SEQ=251><ACK=52><CTL=ACK><WND=65535>")));
                Sent(t.SegmentArrives(Seg("<SEQ=251><ACK=52><CTL=FIN,ACK><WND=65535>")), "<SEQ=52><ACK=252><CTL=ACK>");
                Assert.Equal(RefState.TimeWait, t.State);
                t.NextIss = new SeqNum(100);
                break;
        }
        var synAck = t.SegmentArrives(Seg("<SEQ=300><CTL=SYN><WND=65535>"));
        if (checkSynAck) Sent(synAck, OurSynAck);
        Assert.Equal(RefState.SynReceived, t.State);
        return t;
    }

    /// <summary>After the first check's ACK and drop, SYN-RECEIVED is as it was: the peer's plain ACK of our SYN
    /// still completes the handshake.</summary>
    private static void AssertHandshakeStillCompletes(ReferenceTcp t)
    {
        Sent(t.SegmentArrives(Seg("<SEQ=301><ACK=101><CTL=ACK><WND=65535>")));
        Assert.Equal(RefState.Established, t.State);
    }

    [Theory]
    [Trait("RFC", "9293 §3.5 Figure 7, Appendix A.2")]
    [InlineData(true, true)]
    [InlineData(true, false)]
    [InlineData(false, true)]
    [InlineData(false, false)]
    public void InASimultaneousOpenTheSynAckAcknowledgingOurSynEstablishesTheConnectionUnderEveryPolicy(
        bool onlyAfterSynSent, bool resetBadAck)
    {
        var t = InSynReceived(Reached.SimultaneousOpen, With(onlyAfterSynSent, resetBadAck));
        // Figure 7 line 6: "ESTABLISHED <-- <SEQ=300><ACK=101><CTL=SYN,ACK>" — nothing sent.
        Sent(t.SegmentArrives(PeersSynAck(101)));
        Assert.Equal(RefState.Established, t.State);
        Assert.Equal(new SeqNum(101), t.SndUna);
        Assert.Equal(new SeqNum(301), t.RcvNxt);
    }

    [Theory]
    [Trait("RFC", "9293 §3.10.7.4 first, fifth, Appendix A.2")]
    [InlineData(true, 100u)]  // SEG.ACK = SND.UNA: does not acknowledge our SYN
    [InlineData(true, 102u)]  // SEG.ACK > SND.NXT
    [InlineData(false, 100u)]
    [InlineData(false, 102u)]
    public void InASimultaneousOpenASynAckWithAnUnacceptableAckIsTrimmedAndResetByTheFifthCheckWithRepeatedSynAckBadAck(
        bool onlyAfterSynSent, uint ack)
    {
        var t = InSynReceived(Reached.SimultaneousOpen, With(onlyAfterSynSent, resetBadAck: true));
        // "If the segment acknowledgment is not acceptable, form a reset segment <SEQ=SEG.ACK><CTL=RST>".
        Sent(t.SegmentArrives(PeersSynAck(ack)), $"<SEQ={ack}><CTL=RST>");
        Assert.Equal(RefState.SynReceived, t.State);
        AssertHandshakeStillCompletes(t);
    }

    [Theory]
    [Trait("RFC", "9293 §3.10.7.4 first, Appendix A.2")]
    [InlineData(true, 100u)]
    [InlineData(true, 102u)]
    [InlineData(false, 100u)]
    [InlineData(false, 102u)]
    public void InASimultaneousOpenWithoutRepeatedSynAckBadAckASynAckWithAnUnacceptableAckMeetsTheFirstCheck(
        bool onlyAfterSynSent, uint ack)
    {
        var t = InSynReceived(Reached.SimultaneousOpen, With(onlyAfterSynSent, resetBadAck: false));
        // SEG.SEQ = IRS < RCV.NXT: not acceptable (Table 6), "an acknowledgment should be sent in reply ...
        // drop the unacceptable segment and return".
        Sent(t.SegmentArrives(PeersSynAck(ack)), FirstCheckAck);
        Assert.Equal(RefState.SynReceived, t.State);
        AssertHandshakeStillCompletes(t);
    }

    [Theory]
    [Trait("RFC", "9293 §3.10.7.4 first; RFC 1122 §4.2.2.13")]
    [InlineData(Reached.PassiveOpen, true, 101u)]
    [InlineData(Reached.PassiveOpen, true, 100u)]
    [InlineData(Reached.PassiveOpen, true, 102u)]
    [InlineData(Reached.PassiveOpen, false, 101u)]
    [InlineData(Reached.PassiveOpen, false, 100u)]
    [InlineData(Reached.PassiveOpen, false, 102u)]
    [InlineData(Reached.TimeWaitReopening, true, 101u)]
    [InlineData(Reached.TimeWaitReopening, true, 100u)]
    [InlineData(Reached.TimeWaitReopening, true, 102u)]
    [InlineData(Reached.TimeWaitReopening, false, 101u)]
    [InlineData(Reached.TimeWaitReopening, false, 100u)]
    [InlineData(Reached.TimeWaitReopening, false, 102u)]
    public void AfterAPassiveOpenOrATimeWaitReopeningWithSynAckRuleAfterSynSentOnlyAnySynAckAtIrsMeetsTheFirstCheck(
        Reached reached, bool resetBadAck, uint ack)
    {
        var t = InSynReceived(reached, With(onlyAfterSynSent: true, resetBadAck));
        // The peer never sent us a SYN,ACK to repeat: Table 6, SEG.SEQ = IRS < RCV.NXT — ACK and drop,
        // whatever the ACK field.
        Sent(t.SegmentArrives(PeersSynAck(ack)), FirstCheckAck);
        Assert.Equal(RefState.SynReceived, t.State);
        AssertHandshakeStillCompletes(t);
    }

    [Theory]
    [Trait("RFC", "9293 §3.10.7.4 fifth, Appendix A.2")]
    [InlineData(Reached.PassiveOpen, true)]
    [InlineData(Reached.PassiveOpen, false)]
    [InlineData(Reached.TimeWaitReopening, true)]
    [InlineData(Reached.TimeWaitReopening, false)]
    public void AfterAPassiveOpenOrATimeWaitReopeningWithoutSynAckRuleAfterSynSentOnlyTheSynAckAcknowledgingOurSynEstablishesTheConnection(
        Reached reached, bool resetBadAck)
    {
        var t = InSynReceived(reached, With(onlyAfterSynSent: false, resetBadAck));
        // The SYN trimmed, SEG.SEQ = RCV.NXT: "If SND.UNA < SEG.ACK =< SND.NXT, then enter ESTABLISHED state".
        Sent(t.SegmentArrives(PeersSynAck(101)));
        Assert.Equal(RefState.Established, t.State);
        Assert.Equal(new SeqNum(101), t.SndUna);
    }

    [Theory]
    [Trait("RFC", "9293 §3.10.7.4 fifth, Appendix A.2")]
    [InlineData(Reached.PassiveOpen, 100u)]
    [InlineData(Reached.PassiveOpen, 102u)]
    [InlineData(Reached.TimeWaitReopening, 100u)]
    [InlineData(Reached.TimeWaitReopening, 102u)]
    public void AfterAPassiveOpenOrATimeWaitReopeningWithoutSynAckRuleAfterSynSentOnlyAnUnacceptableAckIsResetWithRepeatedSynAckBadAck(
        Reached reached, uint ack)
    {
        var t = InSynReceived(reached, With(onlyAfterSynSent: false, resetBadAck: true));
        Sent(t.SegmentArrives(PeersSynAck(ack)), $"<SEQ={ack}><CTL=RST>");
        Assert.Equal(RefState.SynReceived, t.State);
        AssertHandshakeStillCompletes(t);
    }

    [Theory]
    [Trait("RFC", "9293 §3.10.7.4 first, Appendix A.2")]
    [InlineData(Reached.PassiveOpen, 100u)]
    [InlineData(Reached.PassiveOpen, 102u)]
    [InlineData(Reached.TimeWaitReopening, 100u)]
    [InlineData(Reached.TimeWaitReopening, 102u)]
    public void AfterAPassiveOpenOrATimeWaitReopeningWithNeitherPolicyAnUnacceptableAckMeetsTheFirstCheck(
        Reached reached, uint ack)
    {
        var t = InSynReceived(reached, With(onlyAfterSynSent: false, resetBadAck: false));
        Sent(t.SegmentArrives(PeersSynAck(ack)), FirstCheckAck);
        Assert.Equal(RefState.SynReceived, t.State);
        AssertHandshakeStillCompletes(t);
    }

    public static TheoryData<string> BuiltInProfileNames => ["rfc9293", "rfc793", "standard", "freebsd", "linux"];

    [Theory]
    [Trait("RFC", "9293 §3.10.7.4 first, fifth, Appendix A.2")]
    [MemberData(nameof(BuiltInProfileNames))]
    public void UnderTheBuiltInProfilesASimultaneousOpensBadAckIsResetExceptUnderLinuxAndAPassiveOpensSynAckIsAcknowledged(string name)
    {
        var profile = name switch
        {
            "rfc9293" => Profile.Rfc9293,
            "rfc793" => Profile.Rfc793,
            "standard" => Profile.Standard,
            "freebsd" => Profile.FreeBsd,
            _ => Profile.Linux,
        };
        // The SYN,ACK's options depend on the profile (MSS, window scale, SACK): not compared here.
        var simultaneous = InSynReceived(Reached.SimultaneousOpen, profile, checkSynAck: false);
        Sent(simultaneous.SegmentArrives(PeersSynAck(102)), name == "linux" ? FirstCheckAck : "<SEQ=102><CTL=RST>");
        Assert.Equal(RefState.SynReceived, simultaneous.State);

        var passive = InSynReceived(Reached.PassiveOpen, profile, checkSynAck: false);
        Sent(passive.SegmentArrives(PeersSynAck(101)), FirstCheckAck);
        Assert.Equal(RefState.SynReceived, passive.State);
    }
}
