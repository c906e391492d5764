using TcpModel.Machine;
using TcpModel.Network;
using TcpModel.Wire;

namespace TcpModel.Tests.Properties;

/// <summary>
/// Claims P-31, P-32 and P-33: oracles that do not read the variable they check. Each compares what the model
/// did with a bound computed outside it (the window edge before the step, the windows the peer
/// actually announced on the wire, the times retransmissions went out), so a bug that corrupts the
/// model's own bookkeeping cannot also corrupt the check.
/// </summary>
public static partial class Claims
{
    /// <summary>P-31: a step never moves RCV.NXT beyond the right edge RCV.NXT + RCV.WND the receive window
    /// had before the step: text and FIN outside the window are trimmed (§3.10.7.4 first, seventh), and a
    /// zero window accepts no text or FIN (only ACK, URG and RST).</summary>
    public static string? P26(Scenario s)
    {
        bool exercised = false;
        var why = OnEveryStepUnderEveryProfile(s, r =>
        {
            // the incarnation is unchanged, and SYN-RECEIVED (whose window may grow when it is left) is excluded
            if (!r.Before.IsSynchronized() || r.Before == TcpState.SynReceived || !r.After.IsSynchronized() || r.Tcb.Irs != r.IrsBefore) return null;
            if (r.Arrived is not { } seg || seg.Length.Value == 0) return null;
            exercised |= seg.Seq + seg.Length > r.RcvEdgeBefore;
            return r.Tcb.RcvNxt <= r.RcvEdgeBefore ? null
                : $"RCV.NXT moved to {r.Tcb.RcvNxt}, beyond the right edge {r.RcvEdgeBefore} of the window before {seg.ToShortString()}";
        }, profiles: FourOctetBuffers);
        if (exercised) PropertyRunner.Exercised();
        return why;
    }

    /// <summary>P-32: while nothing new is acknowledged, each retransmission of the earliest unacknowledged
    /// segment waits at least twice as long as the one before, until the RTO reaches its maximum (RFC 6298
    /// §5.5 "back off the timer"). Times are those at which the segments went out, not the model's RTO.</summary>
    public static string? P27(Scenario s)
    {
        bool exercised = false;
        foreach (var profile in BuiltInProfiles)
        {
            var una = new SeqNum?[2];
            var times = new List<long>[] { [], [] };
            var sim = new Simulator(s, profile)
            {
                Invariant = r =>
                {
                    int i = (int)r.Side;
                    if (una[i] != r.Tcb.SndUna || !r.After.IsSynchronized() && r.After != TcpState.SynSent)
                    {
                        una[i] = r.Tcb.SndUna;
                        times[i].Clear();
                    }
                    bool retransmission = r.WasTick && r.SndUnaBefore != r.SndNxtBefore
                        && r.Emitted.Any(x => !x.Rst && x.Seq == r.SndUnaBefore && x.Length.Value > 0);
                    if (!retransmission) return null;
                    var t = times[i];
                    t.Add(r.Now);
                    if (t.Count < 3) return null;
                    exercised = true;
                    long before = t[^2] - t[^3], now = t[^1] - t[^2];
                    return now >= Math.Min(2 * before, profile.RtoMax) ? null
                        : $"retransmitted SND.UNA={r.SndUnaBefore} {now} µs after the previous retransmission, which came {before} µs after its own predecessor (no backoff)";
                },
            };
            sim.Run();
            long bound = sim.Now + Math.Max(profile.R2, profile.R2Syn) + profile.RtoMax;
            sim.Silence();
            for (int n = 0; n < 10_000 && sim.Failure is null; n++)
            {
                long next = Math.Min(sim[Side.A].NextDeadline, sim[Side.B].NextDeadline);
                if (next > bound) break;
                sim.Apply(Ev.Tick());
            }
            if (sim.Failure is not null) return Explain(profile, sim);
        }
        if (exercised) PropertyRunner.Exercised();
        return null;
    }

    /// <summary>P-33: in ESTABLISHED, FIN-WAIT-1 and FIN-WAIT-2 an acceptable segment (Table 6, judged from the
    /// window before the step) whose text covers RCV.NXT, with an ACK in [SND.UNA, SND.NXT] and no SYN or RST,
    /// moves RCV.NXT forward: "if a segment's contents straddle the boundary between old and new, only the new
    /// parts are processed" (§3.10.7.4 first) — they are processed, not dropped.</summary>
    public static string? P28(Scenario s)
    {
        bool exercised = false;
        var why = OnEveryStepUnderEveryProfile(s, r =>
        {
            if (r.Before is not (TcpState.Established or TcpState.FinWait1 or TcpState.FinWait2)) return null;
            if (r.Arrived is not { Rst: false, Syn: false, HasAck: true } seg || seg.Payload.IsEmpty) return null;
            var rcvNxt = r.RcvNxtBefore;
            uint wnd = (r.RcvEdgeBefore - rcvNxt).Value;
            var end = seg.Seq + new SeqLen((uint)seg.Payload.Length);
            var last = end - new SeqLen(1);
            bool covers = seg.Seq <= rcvNxt && end > rcvNxt;
            bool acceptable = wnd > 0 && (seg.Seq == rcvNxt || last < r.RcvEdgeBefore);
            bool ackInRange = r.SndUnaBefore <= seg.Ack && seg.Ack <= r.SndNxtBefore;
            if (!covers || !acceptable || !ackInRange) return null;
            if (seg.Seq < rcvNxt) exercised = true; // a straddling segment
            return r.Tcb.RcvNxt > rcvNxt || r.Tcb.Irs != r.IrsBefore ? null
                : $"{seg.ToShortString()} covers RCV.NXT={rcvNxt} with RCV.WND={wnd}, but RCV.NXT did not move";
        });
        if (exercised) PropertyRunner.Exercised();
        return why;
    }
}
