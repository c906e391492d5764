using TcpModel.Wire;

namespace TcpModel.Machine;

/// <summary>
/// Builds an <see cref="Endpoint"/> in a chosen state of the connection lifecycle (RFC 9293 §3.3.2, Figure 5)
/// the honest way: by the user calls and peer segments that lead there (the RFC's own figures), so every
/// TCB variable is what the model itself made of them — never by forcing the state.
/// <code>
/// var ep = EndpointFixture.InState(TcpState.Established).WithPeerWindow(1000).Build();
/// // ep.View.SndWnd == 1000, ep.View.SndNxt == ISS + 1, ep.View.RcvNxt == IRS + 1
/// </code>
/// Paths: SYN-SENT = OPEN (active); SYN-RECEIVED = OPEN (passive) + SYN; ESTABLISHED = SYN-SENT + SYN,ACK;
/// CLOSE-WAIT = ESTABLISHED + FIN; LAST-ACK = CLOSE-WAIT + CLOSE; FIN-WAIT-1 = ESTABLISHED + CLOSE; FIN-WAIT-2 =
/// FIN-WAIT-1 + ACK of our FIN; CLOSING = FIN-WAIT-1 + FIN not acknowledging ours; TIME-WAIT = FIN-WAIT-2 + FIN.
/// All at virtual time 0.
/// </summary>
public sealed record EndpointFixture
{
    private EndpointFixture(TcpState state) => State = state;

    /// <summary>The state to reach.</summary>
    public TcpState State { get; }
    /// <summary>The profile (default <see cref="Profile.Rfc9293"/>).</summary>
    public Profile Profile { get; init; } = Profile.Rfc9293;
    /// <summary>Our ISS (default 100).</summary>
    public uint Iss { get; init; } = 100;
    /// <summary>The peer's ISN, our IRS (default 300).</summary>
    public uint PeerIsn { get; init; } = 300;
    /// <summary>The window the peer's segments offer (SEG.WND, becomes SND.WND; default 65535).</summary>
    public ushort PeerWindow { get; init; } = 65535;
    /// <summary>Our receive buffer in octets (RCV.WND before data arrives); null: the profile's.</summary>
    public int? ReceiveBuffer { get; init; }

    /// <summary>A fixture for <paramref name="state"/>.</summary>
    public static EndpointFixture InState(TcpState state) => new(state);

    /// <summary>With <paramref name="profile"/>.</summary>
    public EndpointFixture WithProfile(Profile profile) => this with { Profile = profile ?? throw new ArgumentNullException(nameof(profile)) };
    /// <summary>With our ISS (try one near 2^32: sequence arithmetic wraps).</summary>
    public EndpointFixture WithIss(uint iss) => this with { Iss = iss };
    /// <summary>With the peer's ISN.</summary>
    public EndpointFixture WithPeerIsn(uint isn) => this with { PeerIsn = isn };
    /// <summary>With the window the peer offers (SND.WND).</summary>
    public EndpointFixture WithPeerWindow(ushort window) => this with { PeerWindow = window };
    /// <summary>With our receive buffer (RCV.WND).</summary>
    public EndpointFixture WithReceiveBuffer(int octets) => this with { ReceiveBuffer = octets };

    /// <summary>Runs the path to <see cref="State"/> and returns the endpoint there. Throws
    /// <see cref="InvalidOperationException"/> when the profile's policies lead elsewhere.</summary>
    public Endpoint Build()
    {
        var ep = new Endpoint(Profile, new EndpointOptions { Isn = new FixedIsnSource(Iss), ReceiveBuffer = ReceiveBuffer });
        var o = new Outbox();
        var iss = new SeqNum(Iss);
        var irs = new SeqNum(PeerIsn);
        var one = new SeqLen(1);
        void Peer(SeqNum seq, SeqNum ack, Control ctl) => ep.Step(Input.Arrive(new Segment(seq, ack, ctl, PeerWindow)), 0, o);
        void Established()
        {
            ep.Step(Input.OpenActive, 0, o);
            Peer(irs, iss + one, Control.SYN | Control.ACK);
        }
        switch (State)
        {
            case TcpState.Closed:
                break;
            case TcpState.Listen:
                ep.Step(Input.OpenPassive(), 0, o);
                break;
            case TcpState.SynSent:
                ep.Step(Input.OpenActive, 0, o);
                break;
            case TcpState.SynReceived:
                ep.Step(Input.OpenPassive(), 0, o);
                Peer(irs, default, Control.SYN);
                break;
            case TcpState.Established:
                Established();
                break;
            case TcpState.CloseWait or TcpState.LastAck:
                Established();
                Peer(irs + one, iss + one, Control.FIN | Control.ACK);
                if (State == TcpState.LastAck) ep.Step(Input.Close, 0, o);
                break;
            case TcpState.FinWait1 or TcpState.FinWait2 or TcpState.Closing or TcpState.TimeWait:
                Established();
                ep.Step(Input.Close, 0, o);
                if (State == TcpState.Closing) Peer(irs + one, iss + one, Control.FIN | Control.ACK);
                if (State is TcpState.FinWait2 or TcpState.TimeWait) Peer(irs + one, iss + one + one, Control.ACK);
                if (State == TcpState.TimeWait) Peer(irs + one, iss + one + one, Control.FIN | Control.ACK);
                break;
        }
        if (ep.State != State)
            throw new InvalidOperationException($"the path to {State.RfcName()} ended in {ep.State.RfcName()} under profile {Profile.Name}");
        return ep;
    }
}
