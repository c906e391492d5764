using TcpModel.Machine;
using S = TcpModel.Machine.TcpState;
using T = TcpModel.Machine.Trigger;

namespace TcpModel.Benchmarks;

/// <summary>
/// A trigger sequence through the declared table that visits all eleven states of RFC 9293 §3.3.2
/// and ends where it starts (CLOSED), so one benchmark operation can repeat it without a reset:
/// <list type="number">
/// <item>passive open, simultaneous close: CLOSED → LISTEN → SYN-RECEIVED → ESTABLISHED → FIN-WAIT-1 → CLOSING → TIME-WAIT → CLOSED;</item>
/// <item>active open, passive close: CLOSED → SYN-SENT → ESTABLISHED → CLOSE-WAIT → LAST-ACK → CLOSED;</item>
/// <item>active open, active close: CLOSED → SYN-SENT → ESTABLISHED → FIN-WAIT-1 → FIN-WAIT-2 → TIME-WAIT → CLOSED.</item>
/// </list>
/// The only guarded cells on the path are CLOSE in ESTABLISHED and CLOSE-WAIT; their outcome is fixed
/// by a TCB with nothing unread and the rfc9293 profile (<see cref="Guard.NormalClose"/> holds).
/// </summary>
public static class Lifecycle
{
    /// <summary>The triggers, in order.</summary>
    public static readonly T[] Triggers =
    [
        T.OpenPassive, T.Syn, T.AckNew, T.Close, T.Fin, T.AckOfFin, T.TimeWaitTimeout,
        T.OpenActive, T.SynAck, T.Fin, T.Close, T.AckOfFin,
        T.OpenActive, T.SynAck, T.Close, T.AckOfFin, T.Fin, T.TimeWaitTimeout,
    ];

    /// <summary>The state after each trigger.</summary>
    public static readonly S[] States =
    [
        S.Listen, S.SynReceived, S.Established, S.FinWait1, S.Closing, S.TimeWait, S.Closed,
        S.SynSent, S.Established, S.CloseWait, S.LastAck, S.Closed,
        S.SynSent, S.Established, S.FinWait1, S.FinWait2, S.TimeWait, S.Closed,
    ];

    /// <summary>Number of transitions in one pass (the benchmarks' OperationsPerInvoke).</summary>
    public const int Length = 18;

    /// <summary>The TCB the guards are evaluated on: fresh, so nothing is queued or unread.</summary>
    public static Tcb GuardTcb() => new();

    /// <summary>The profile the guards are evaluated with.</summary>
    public static Profile GuardProfile => Profile.Rfc9293;
}
