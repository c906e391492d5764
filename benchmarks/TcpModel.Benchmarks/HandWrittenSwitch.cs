using S = TcpModel.Machine.TcpState;
using T = TcpModel.Machine.Trigger;

namespace TcpModel.Benchmarks;

/// <summary>
/// The comparison point for the compiled table: the cells of <see cref="Lifecycle"/> written out as a
/// switch over (state, trigger), with the guard outcomes fixed as the lifecycle fixes them (CLOSE is a
/// normal close). It lives in the benchmark project only: the model's table is the declared one.
/// Cells off the path stay in their state; this is not a full table.
/// </summary>
public static class HandWrittenSwitch
{
    /// <summary>The next state for a cell of the lifecycle path.</summary>
    public static S Next(S s, T t) => (s, t) switch
    {
        (S.Closed, T.OpenPassive) => S.Listen,
        (S.Closed, T.OpenActive) => S.SynSent,
        (S.Listen, T.Syn) => S.SynReceived,
        (S.SynSent, T.SynAck) => S.Established,
        (S.SynReceived, T.AckNew) => S.Established,
        (S.Established, T.Close) => S.FinWait1,
        (S.Established, T.Fin) => S.CloseWait,
        (S.FinWait1, T.Fin) => S.Closing,
        (S.FinWait1, T.AckOfFin) => S.FinWait2,
        (S.FinWait2, T.Fin) => S.TimeWait,
        (S.CloseWait, T.Close) => S.LastAck,
        (S.Closing, T.AckOfFin) => S.TimeWait,
        (S.LastAck, T.AckOfFin) => S.Closed,
        (S.TimeWait, T.TimeWaitTimeout) => S.Closed,
        _ => s,
    };
}
