using TcpModel.Machine;
using TcpModel.Reference;
using TcpModel.Wire;
using static TcpModel.Tests.Reference.TimedKit;

namespace TcpModel.Tests.Reference;

/// <summary>The reference honours POLICY simultaneous-open-rtt (RFC 6298 §3): our SYN at 0 s, the peer's SYN at 2 s
/// (our SYN,ACK answers it), the peer's ACK of our SYN at 3 s, RTO.initial 10 s.</summary>
public sealed class SimultaneousOpenRtt
{
    private static ReferenceTcp CompleteASimultaneousOpen(TcpModel.Machine.SimultaneousOpenRtt reading)
    {
        var t = new ReferenceTcp(Profile.Rfc9293 with { RtoInitial = 10 * Second, SimultaneousOpenRtt = reading }, new SeqNum(Iss));
        t.OpenActive();
        t.SetClock(2 * Second);
        t.SegmentArrives(Seg("<SEQ=1000><CTL=SYN><WND=65535><OPT=MSS:1460>"));
        Assert.Equal(RefState.SynReceived, t.State);
        t.SetClock(3 * Second);
        t.SegmentArrives(Seg($"<SEQ=1001><ACK={unchecked(Iss + 1)}><CTL=ACK><WND=65535>"));
        Assert.Equal(RefState.Established, t.State);
        return t;
    }

    [Fact, Trait("RFC", "6298 §3")]
    public void UnderKarn_NoSample() => Assert.Null(CompleteASimultaneousOpen(TcpModel.Machine.SimultaneousOpenRtt.Karn).Srtt);

    [Fact, Trait("RFC", "6298 §3")]
    public void FromSyn_TheSampleRunsFromOurSyn() => Assert.Equal(3 * Second, CompleteASimultaneousOpen(TcpModel.Machine.SimultaneousOpenRtt.FromSyn).Srtt);

    [Fact, Trait("RFC", "6298 §3")]
    public void FromSynAck_TheSampleRunsFromTheSynAck() => Assert.Equal(1 * Second, CompleteASimultaneousOpen(TcpModel.Machine.SimultaneousOpenRtt.FromSynAck).Srtt);
}
