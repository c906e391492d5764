using TcpModel.Machine;
using TcpModel.Wire;

namespace TcpModel.Cli;

/// <summary>One input of the path that builds a canonical TCB.</summary>
internal sealed record FixtureStep(long Time, string Label, TcpState After, IReadOnlyList<string> Sent);

/// <summary>
/// The canonical endpoint of each state for <c>tcpmodel step</c>, built by driving a real
/// <see cref="Endpoint"/> from CLOSED through real inputs (no <see cref="Endpoint.Force"/>): our
/// ISS is 1000, the peer's 5000; the peer offers WND=65535 and MSS 1460 and never sends data.
/// Reached by active OPEN except LISTEN and SYN-RECEIVED (passive OPEN); FIN-WAIT-1, CLOSING and
/// LAST-ACK have our FIN sent and unacknowledged, FIN-WAIT-2 and TIME-WAIT have it acknowledged;
/// CLOSE-WAIT, CLOSING, LAST-ACK and TIME-WAIT have the peer's FIN (SEQ=5001) received.
/// </summary>
internal static class CanonicalTcb
{
    /// <summary>Our initial send sequence number.</summary>
    public const uint Iss = 1000;
    /// <summary>The peer's initial sequence number (our IRS).</summary>
    public const uint Irs = 5000;
    /// <summary>The window the peer offers on every segment.</summary>
    public const ushort PeerWindow = 65535;
    /// <summary>The MSS the peer announces on its SYN.</summary>
    public const ushort PeerMss = 1460;
    /// <summary>With timestamps, the peer's TSval at time 0 (its clock ticks every 1 ms).</summary>
    public const uint PeerTsBase = 1000;
    /// <summary>Fixture inputs are applied this far apart (virtual µs).</summary>
    public const long Spacing = 10_000;
    /// <summary>When <c>step</c> applies its input: before any timer the fixture armed is due
    /// (the RTO is at least 1 s, RFC 6298 §2.4).</summary>
    public const long InputTime = 500_000;

    private enum Move : byte { OpenPassive, OpenActive, Close, PeerSyn, PeerSynAck, PeerAckOfFin, PeerFin, PeerFinAckingOurs }

    /// <summary>Builds the canonical endpoint of <paramref name="state"/>.</summary>
    /// <param name="state">The state to reach.</param>
    /// <param name="profile">The endpoint's profile.</param>
    /// <param name="peerTimestamps">The peer's segments carry the timestamps option (TSval <see cref="PeerTsBase"/> plus
    /// its 1 ms clock, TSecr the TSval of our last segment).</param>
    public static (Endpoint Endpoint, IReadOnlyList<FixtureStep> Path) Build(TcpState state, Profile profile, bool peerTimestamps = false)
    {
        var ep = new Endpoint(profile, new EndpointOptions { Isn = new FixedIsnSource(Iss) });
        var outbox = new Outbox();
        var path = new List<FixtureStep>();
        long now = 0;
        uint ourLastTsval = 0;
        foreach (var move in Recipe(state))
        {
            TcpTimestamp? ts = peerTimestamps ? new TcpTimestamp(PeerTsBase + (uint)(now / 1000), ourLastTsval) : null;
            var (input, label) = InputOf(move, ts);
            ep.Step(input, now, outbox);
            var sent = new List<string>();
            foreach (var s in outbox.Segments)
            {
                sent.Add(s.ToString());
                if (s.Options.Timestamp is { } our) ourLastTsval = our.Value;
            }
            path.Add(new FixtureStep(now, label, ep.State, sent));
            now += Spacing;
        }
        if (ep.State != state)
            throw new InvalidOperationException($"the canonical path to {state.RfcName()} ended in {ep.State.RfcName()}");
        return (ep, path);
    }

    private static Move[] Recipe(TcpState s) => s switch
    {
        TcpState.Closed => [],
        TcpState.Listen => [Move.OpenPassive],
        TcpState.SynSent => [Move.OpenActive],
        TcpState.SynReceived => [Move.OpenPassive, Move.PeerSyn],
        TcpState.Established => [Move.OpenActive, Move.PeerSynAck],
        TcpState.FinWait1 => [.. Recipe(TcpState.Established), Move.Close],
        TcpState.FinWait2 => [.. Recipe(TcpState.FinWait1), Move.PeerAckOfFin],
        TcpState.CloseWait => [.. Recipe(TcpState.Established), Move.PeerFin],
        TcpState.Closing => [.. Recipe(TcpState.FinWait1), Move.PeerFin],
        TcpState.LastAck => [.. Recipe(TcpState.CloseWait), Move.Close],
        _ => [.. Recipe(TcpState.FinWait2), Move.PeerFinAckingOurs],
    };

    private static (Input Input, string Label) InputOf(Move m, TcpTimestamp? ts)
    {
        var opts = new TcpOptions(mss: PeerMss, timestamp: ts);
        var data = ts is null ? TcpOptions.None : new TcpOptions(timestamp: ts);
        SeqNum irs = new(Irs), iss = new(Iss);
        var one = new SeqLen(1);
        Segment seg;
        switch (m)
        {
            case Move.OpenPassive: return (Input.OpenPassive(), "OPEN (passive)");
            case Move.OpenActive: return (Input.OpenActive, "OPEN (active)");
            case Move.Close: return (Input.Close, "CLOSE");
            case Move.PeerSyn: seg = new Segment(irs, default, Control.SYN, PeerWindow, options: opts); break;
            case Move.PeerSynAck: seg = new Segment(irs, iss + one, Control.SYN | Control.ACK, PeerWindow, options: opts); break;
            case Move.PeerAckOfFin: seg = new Segment(irs + one, iss + one + one, Control.ACK, PeerWindow, options: data); break;
            case Move.PeerFin: seg = new Segment(irs + one, iss + one, Control.FIN | Control.ACK, PeerWindow, options: data); break;
            default: seg = new Segment(irs + one, iss + one + one, Control.FIN | Control.ACK, PeerWindow, options: data); break;
        }
        return (Input.Arrive(seg), "arrives " + seg);
    }
}
