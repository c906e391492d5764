using TcpModel.Machine;
using TcpModel.Reference;
using TcpModel.Wire;
using static TcpModel.Tests.Reference.TimedKit;

namespace TcpModel.Tests.Reference;

/// <summary>POLICY syn-reset-form (RFC 9293 §3.10.7.4 fourth, §3.5.2): under the RFC 793 SYN rule an in-window SYN
/// in a synchronized state is answered by a reset — FromSegment: the §3.5.2 rule applied to the SYN
/// (<c>&lt;SEQ=SEG.ACK&gt;&lt;CTL=RST&gt;</c> with ACK, else <c>&lt;SEQ=0&gt;&lt;ACK=SEG.SEQ+SEG.LEN&gt;&lt;CTL=RST,ACK&gt;</c>);
/// FromConnection: <c>&lt;SEQ=SND.NXT&gt;&lt;ACK=RCV.NXT&gt;&lt;CTL=RST,ACK&gt;</c>. The user gets "connection reset".</summary>
public sealed class SynResetFormCells
{
    private static ReferenceTcp InState(RefState state, Profile profile)
    {
        if (state == RefState.SynReceived)
        {
            var s = new ReferenceTcp(profile, new SeqNum(Iss));
            s.OpenActive();
            s.SegmentArrives(Seg($"<SEQ={PeerIss}><CTL=SYN><WND=65535><OPT=MSS:1460>"));
            Assert.Equal(RefState.SynReceived, s.State);
            return s;
        }
        var t = Established(profile);
        switch (state)
        {
            case RefState.CloseWait:
                t.SegmentArrives(Ack(0, 4294967291, extra: Control.FIN));
                break;
            case RefState.FinWait1:
                t.Close();
                break;
            case RefState.FinWait2:
                t.Close();
                t.SegmentArrives(Ack(0, 4294967292));
                break;
        }
        Assert.Equal(state, t.State);
        return t;
    }

    [Theory]
    [Trait("RFC", "9293 §3.10.7.4, §3.5.2")]
    [InlineData(RefState.SynReceived, SynResetForm.FromSegment, "<SEQ=0><ACK=6><CTL=RST,ACK>")]
    [InlineData(RefState.SynReceived, SynResetForm.FromConnection, "<SEQ=4294967291><ACK=0><CTL=RST,ACK>")]
    [InlineData(RefState.Established, SynResetForm.FromSegment, "<SEQ=0><ACK=6><CTL=RST,ACK>")]
    [InlineData(RefState.FinWait1, SynResetForm.FromSegment, "<SEQ=0><ACK=6><CTL=RST,ACK>")]
    [InlineData(RefState.FinWait1, SynResetForm.FromConnection, "<SEQ=4294967292><ACK=0><CTL=RST,ACK>")]
    [InlineData(RefState.FinWait2, SynResetForm.FromSegment, "<SEQ=0><ACK=6><CTL=RST,ACK>")]
    [InlineData(RefState.FinWait2, SynResetForm.FromConnection, "<SEQ=4294967292><ACK=0><CTL=RST,ACK>")]
    [InlineData(RefState.CloseWait, SynResetForm.FromSegment, "<SEQ=0><ACK=6><CTL=RST,ACK>")]
    [InlineData(RefState.CloseWait, SynResetForm.FromConnection, "<SEQ=4294967291><ACK=1><CTL=RST,ACK>")]
    public void AnInWindowSynInASynchronizedStateGetsTheResetOfTheProfilesFormAndCloses(RefState state, SynResetForm form, string reset)
    {
        var t = InState(state, Profile.Rfc793 with { SynResetForm = form });
        Sent(t.SegmentArrives(Seg("<SEQ=5><CTL=SYN><WND=65535>")), reset);
        Assert.Equal(RefState.Closed, t.State);
        Assert.Equal(["connection reset"], t.Notifications.Skip(state == RefState.CloseWait ? 1 : 0));
    }

    [Theory]
    [Trait("RFC", "9293 §3.5.2")]
    [InlineData(SynResetForm.FromSegment, "<SEQ=0><ACK=8><CTL=RST,ACK>")]   // SEG.LEN = SYN + 2 octets
    [InlineData(SynResetForm.FromConnection, "<SEQ=4294967291><ACK=0><CTL=RST,ACK>")]
    public void TheSegmentLengthOfASynWithTextCountsTheSynAndTheText(SynResetForm form, string reset)
    {
        var t = Established(Profile.Rfc793 with { SynResetForm = form });
        Sent(t.SegmentArrives(Seg("<SEQ=5><CTL=SYN><WND=65535><DATA=\"xy\">")), reset);
        Assert.Empty(t.Received);
    }

    [Fact]
    [Trait("RFC", "9293 §3.10.7.4, §3.5.2")]
    public void TheRfc793ProfileByDefaultFormsTheResetFromTheSegment()
    {
        var t = Established(Profile.Rfc793);
        Sent(t.SegmentArrives(Seg("<SEQ=5><ACK=7><CTL=SYN,ACK><WND=65535>")), "<SEQ=7><CTL=RST>");
        Assert.Equal(RefState.Closed, t.State);
    }

    [Theory]
    [Trait("RFC", "9293 §3.10.7.4; RFC 5961 §4.2")]
    [InlineData(SynResetForm.FromSegment)]
    [InlineData(SynResetForm.FromConnection)]
    public void WithTheChallengeAckOnSynNoResetIsSentWhateverTheForm(SynResetForm form)
    {
        var t = Established(Rfc9293 with { SynResetForm = form });
        Sent(t.SegmentArrives(Seg("<SEQ=5><CTL=SYN><WND=65535>")), "<SEQ=4294967291><ACK=0><CTL=ACK>");
        Assert.Equal(RefState.Established, t.State);
        Assert.Empty(t.Notifications);
    }
}
