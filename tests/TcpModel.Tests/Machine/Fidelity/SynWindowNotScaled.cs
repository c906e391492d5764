using TcpModel.Machine;
using static TcpModel.Tests.Machine.Fixtures;

namespace TcpModel.Tests.Machine.Fidelity;

/// <summary>RFC 7323 §2.2: "The window field in a segment where the SYN bit is set (i.e., a &lt;SYN&gt; or
/// &lt;SYN,ACK&gt;) MUST NOT be scaled" — neither the SYN,ACK answering our SYN in SYN-SENT nor the
/// peer's SYN,ACK of a simultaneous open arriving in SYN-RECEIVED.</summary>
public sealed class SynWindowNotScaled
{
    private static Profile Scaling(Profile p) => p with { WindowScale = 7 };

    /// <summary>Simultaneous open with window scaling on both SYNs; the peer's SYN,ACK says WND=1000.
    /// Returns the endpoint after a 3000-octet SEND and what that SEND sent.</summary>
    internal static void SimultaneousOpenSynAckWindowIsTakenUnscaled(Profile profile)
    {
        var p = Scaling(profile);
        var c = new Conn(new Endpoint(p, new EndpointOptions { Isn = new FixedIsnSource(OurIss) }));
        AssertSent(c.User(Input.OpenActive), $"<SEQ={Iss}><CTL=SYN><WND=65535><OPT=MSS:1460,WS:7>");
        c.Now += PeerDelay;
        AssertSent(c.Arrive($"<SEQ={Irs}><CTL=SYN><WND=1000><OPT=MSS:1460,WS:7>"),
            $"<SEQ={Iss}><ACK={Irs + 1}><CTL=SYN,ACK><WND=65535><OPT=MSS:1460,WS:7>");
        Assert.Equal(TcpState.SynReceived, c.State);
        c.Now += PeerDelay;
        c.Arrive($"<SEQ={Irs}><ACK={Iss + 1}><CTL=SYN,ACK><WND=1000><OPT=MSS:1460,WS:7>");
        Assert.Equal(TcpState.Established, c.State);
        Assert.Equal(1000u, c.Tcb.SndWnd);
        var sent = c.Send(Text(3000));
        Assert.Equal(1000, sent.Sum(s => s.Payload.Length));
    }

    [Fact, Trait("RFC", "7323 §2.2"), Trait("RFC", "9293 §3.5")]
    public void InSimultaneousOpen_ThePeersSynAckWindowIsNotScaled() =>
        SimultaneousOpenSynAckWindowIsTakenUnscaled(Profile.Rfc9293);

    [Fact, Trait("RFC", "7323 §2.2")]
    public void InSynSent_TheSynAckWindowIsNotScaled_ButLaterWindowsAre()
    {
        var c = new Conn(new Endpoint(Scaling(Profile.Rfc9293), new EndpointOptions { Isn = new FixedIsnSource(OurIss) }));
        c.User(Input.OpenActive);
        c.Now += PeerDelay;
        c.Arrive($"<SEQ={Irs}><ACK={Iss + 1}><CTL=SYN,ACK><WND=1000><OPT=MSS:1460,WS:7>");
        Assert.Equal(1000u, c.Tcb.SndWnd);
        c.Arrive($"<SEQ={Irs + 1}><ACK={Iss + 1}><CTL=ACK><WND=1000>");
        Assert.Equal(1000u << 7, c.Tcb.SndWnd);
    }

    [Fact, Trait("Mutant", "scaled-syn-window")]
    public void TheRegressionTestFails_WhenTheSynAckWindowIsScaled() =>
        MutantCheck.FailsUnder(Mutant.ScaledSynWindow, Profile.Rfc9293, SimultaneousOpenSynAckWindowIsTakenUnscaled);
}
