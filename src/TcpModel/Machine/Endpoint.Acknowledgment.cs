using TcpModel.Wire;

namespace TcpModel.Machine;

public sealed partial class Endpoint
{
    /// <summary>§3.10.7.4 fifth: SND.UNA advances; acknowledged data leaves the retransmission queue;
    /// RTT sampling (RFC 6298 §3 with Karn's rule) and the retransmission timer (§5.2, §5.3).</summary>
    private void AdvanceUna(SeqNum ack)
    {
        var t = Tcb;
        if (!(ack > t.SndUna)) return;
        uint acked = (ack - t.SndUna).Value;
        if (t.SynUnacked) acked--;
        bool finNowAcked = t.FinSent && ack == t.FinSeq + new SeqLen(1);
        if (finNowAcked) acked--;
        t.SendQueue.Discard((int)Math.Min(acked, (uint)t.SendQueue.Count));
        t.SndUna = ack;
        if (t.RttTiming && ack >= t.RttSeq)
        {
            SampleRtt(_now - t.RttSentAt);
            t.RttTiming = false;
        }
        t.Retransmissions = 0;
        t.RetransmitEpoch = _now;
        if (t.SndUna == t.SndNxt)
        {
            t.Timers.Set(TimerKind.Retransmit, TimerSet.Off);
            t.Timers.Set(TimerKind.User, TimerSet.Off);
        }
        else
        {
            t.Timers.Set(TimerKind.Retransmit, _now + t.Rto);
            if (Profile.UserTimeout > 0) t.Timers.Set(TimerKind.User, _now + Profile.UserTimeout);
        }
    }

    /// <summary>RFC 6298 §2.2–2.5 (alpha 1/8, beta 1/4, K 4, clock granularity 1 µs).</summary>
    private void SampleRtt(long r)
    {
        var t = Tcb;
        if (t.Srtt < 0)
        {
            t.Srtt = r;
            t.RttVar = r / 2;
        }
        else
        {
            t.RttVar = (3 * t.RttVar + Math.Abs(t.Srtt - r)) / 4;
            t.Srtt = (7 * t.Srtt + r) / 8;
        }
        t.Rto = Math.Clamp(t.Srtt + Math.Max(1, 4 * t.RttVar), Profile.RtoMin, Profile.RtoMax);
    }

    /// <summary>§3.10.7.4 fifth, window update: "If SND.WL1 &lt; SEG.SEQ or (SND.WL1 = SEG.SEQ and
    /// SND.WL2 =&lt; SEG.ACK), set SND.WND &lt;- SEG.WND, SND.WL1 &lt;- SEG.SEQ, and SND.WL2 &lt;- SEG.ACK."</summary>
    private void UpdateSendWindow(in Segment seg)
    {
        var t = Tcb;
        if (t.SndWl1 < seg.Seq || (t.SndWl1 == seg.Seq && t.SndWl2 <= seg.Ack)
            || Profile.Mutant == Mutant.WindowUpdateFromOldAck) // MUTANT window-update-from-old-ack
            SetSendWindow(seg, scaled: true);
    }

    private void SetSendWindow(in Segment seg, bool scaled)
    {
        var t = Tcb;
        t.SndWnd = scaled ? (uint)seg.Window << t.SndScale : seg.Window;
        t.SndWl1 = seg.Seq;
        t.SndWl2 = seg.Ack;
        t.MaxSndWnd = Math.Max(t.MaxSndWnd, t.SndWnd);
        if (t.SndWnd != 0) t.Timers.Set(TimerKind.Persist, TimerSet.Off);
    }
}
