using TcpModel.Machine;
using TcpModel.Wire;

namespace TcpModel.Network;

/// <summary>A named lifecycle for <see cref="Simulation"/>: user calls and the network's fate for chosen segments.</summary>
public sealed record SimulationScenario(string Name, string Summary, IReadOnlyList<UserCall> Calls,
    Func<Side, int, Segment, Simulation, SegmentFate>? Fate = null, bool Attacker = false);

/// <summary>The named scenarios of <c>tcpmodel simulate --scenario</c>.</summary>
public static class SimulationScenarios
{
    private const long S = 1_000_000;

    /// <summary>A lifecycle: B listens, A connects, both send, A closes first, then B.</summary>
    public static IReadOnlyList<UserCall> Lifecycle(long closeA = 1 * S, long closeB = 2 * S) =>
    [
        new(0, Side.B, Trigger.OpenPassive), new(1_000, Side.A, Trigger.OpenActive),
        new(200_000, Side.A, Trigger.Send, "hello"), new(300_000, Side.B, Trigger.Send, "world"),
        new(closeA, Side.A, Trigger.Close), new(closeB, Side.B, Trigger.Close),
    ];

    private static bool First(Simulation sim, string what) => sim.Marks.Add(what);

    /// <summary>All scenarios, by name.</summary>
    public static IReadOnlyList<SimulationScenario> All { get; } =
    [
        new("lifecycle", "open, data both ways, A closes then B (the default)", Lifecycle()),
        new("lost-syn", "A's first SYN is lost; its retransmission timer sends it again", Lifecycle(4 * S, 5 * S),
            (side, _, s, sim) => side == Side.A && s.Syn && !s.HasAck && First(sim, "syn") ? SegmentFate.Lose : SegmentFate.Deliver),
        new("lost-synack", "B's SYN,ACK is lost; A's SYN is retransmitted and B answers it again", Lifecycle(4 * S, 5 * S),
            (side, _, s, sim) => side == Side.B && s.Syn && s.HasAck && First(sim, "synack") ? SegmentFate.Lose : SegmentFate.Deliver),
        new("duplicate-syn", "A's SYN arrives twice; the duplicate in SYN-RECEIVED is acknowledged, not a new connection", Lifecycle(),
            (side, _, s, sim) => side == Side.A && s.Syn && First(sim, "dup") ? SegmentFate.Duplicate : SegmentFate.Deliver),
        new("lost-fin", "A's FIN is lost; A retransmits it and the close completes", Lifecycle(),
            (side, _, s, sim) => side == Side.A && s.Fin && First(sim, "fin") ? SegmentFate.Lose : SegmentFate.Deliver),
        new("lost-last-ack", "A's ACK of B's FIN is lost; B retransmits its FIN, TIME-WAIT acknowledges it again", Lifecycle(),
            (side, _, s, sim) => side == Side.A && sim[Side.A].State == TcpState.TimeWait && !s.Fin && !s.Syn && First(sim, "last") ? SegmentFate.Lose : SegmentFate.Deliver),
        new("reordered-ack", "A's data segment overtakes its handshake ACK (ACKs and data arrive out of order)",
            [new(0, Side.B, Trigger.OpenPassive), new(1_000, Side.A, Trigger.OpenActive), new(20_005, Side.A, Trigger.Send, "early"),
             new(1 * S, Side.A, Trigger.Close), new(2 * S, Side.B, Trigger.Close)],
            (side, _, s, sim) => side == Side.A && !s.Syn && s.Payload.IsEmpty && !s.Fin && First(sim, "ack") ? SegmentFate.Reorder : SegmentFate.Deliver),
        new("old-duplicate-after-time-wait", "a copy of A's data segment is delayed beyond 2 MSL and arrives after both sides closed", Lifecycle(),
            (side, _, s, sim) => side == Side.A && !s.Payload.IsEmpty && First(sim, "old") ? SegmentFate.OldDuplicate : SegmentFate.Deliver),
        new("simultaneous-open", "both sides OPEN actively at once: SYNs cross, both pass through SYN-RECEIVED",
            [new(0, Side.A, Trigger.OpenActive), new(0, Side.B, Trigger.OpenActive), new(200_000, Side.A, Trigger.Send, "hi"),
             new(1 * S, Side.A, Trigger.Close), new(2 * S, Side.B, Trigger.Close)]),
        new("simultaneous-close", "both sides CLOSE at once: FINs cross, both pass through CLOSING to TIME-WAIT", Lifecycle(1 * S, 1 * S)),
        new("half-close", "A closes its direction first; B keeps sending, A keeps receiving in FIN-WAIT-2",
            [new(0, Side.B, Trigger.OpenPassive), new(1_000, Side.A, Trigger.OpenActive), new(200_000, Side.A, Trigger.Send, "request"),
             new(300_000, Side.A, Trigger.Close), new(500_000, Side.B, Trigger.Send, "reply-1"), new(700_000, Side.B, Trigger.Send, "reply-2"),
             new(1 * S, Side.B, Trigger.Close)]),
        new("blind-reset", "an off-path attacker throws RSTs and SYNs at guessed sequence numbers during the connection",
            Lifecycle(3 * S, 4 * S), Attacker: true),
    ];

    /// <summary>Finds a scenario by name.</summary>
    public static SimulationScenario? Find(string name) => All.FirstOrDefault(s => string.Equals(s.Name, name, StringComparison.OrdinalIgnoreCase));
}
