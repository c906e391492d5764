using TcpModel.Wire;

namespace TcpModel.Machine;

public sealed partial class Endpoint
{
    /// <summary>§3.10.7.4 seventh: move text at RCV.NXT into the receive buffer, hold text beyond it,
    /// and acknowledge (at once, or delayed per POLICY delayed-ack; RFC 1122 §4.2.3.2).</summary>
    private void AcceptText(in Segment seg)
    {
        var t = Tcb;
        var start = seg.Seq + new SeqLen(seg.Syn ? 1u : 0u);
        var data = seg.Payload.Span;
        bool fin = seg.Fin;
        if (start < t.RcvNxt)
        {
            // "If a segment's contents straddle the boundary between old and new, only the new parts are processed."
            uint skip = (t.RcvNxt - start).Value;
            data = skip >= (uint)data.Length || Profile.Mutant == Mutant.StraddlingSegmentLosesNewPart ? [] : data[(int)skip..]; // MUTANT straddling-segment-loses-new-part
            start = t.RcvNxt;
        }
        uint room = t.RcvWnd;
        uint offset = (start - t.RcvNxt).Value;
        if (offset >= room) { t.AckNow = true; return; }
        if ((uint)data.Length >= room - offset && Profile.Mutant != Mutant.RightEdgeNotTrimmed) // MUTANT right-edge-not-trimmed
        {
            // "trimming off any portions that lie outside the window (including SYN and FIN)": text
            // reaching the right edge leaves the FIN just outside it (§3.10.7.4 first)
            data = data[..(int)(room - offset)];
            _finTrimmed = fin;
            fin = false;
        }

        if (start != t.RcvNxt)
        {
            t.Reassembly.Hold(t.RcvNxt, start, data, fin); // out of order: hold, ACK promptly
            t.AckNow = true;
            return;
        }
        t.ReceiveQueue.Append(data);
        t.RcvNxt += new SeqLen((uint)data.Length);
        bool filledHole = false;
        if (!t.Reassembly.IsEmpty)
        {
            int more = t.Reassembly.TakeInOrder(t.RcvNxt, t.ReceiveQueue, out _finHeldNowInOrder);
            t.RcvNxt += new SeqLen((uint)more);
            filledHole = true;
        }
        if (Profile.DelayedAck > 0 && !filledHole && !fin && !_finHeldNowInOrder)
        {
            // RFC 1122 §4.2.3.2: ACK at least every second full-sized segment, delay at most 500 ms
            if (++t.UnackedSegments >= 2) t.AckNow = true;
            else
            {
                _ackDeferred = true;
                if (t.Timers.Get(TimerKind.DelayedAck) == TimerSet.Off) t.Timers.Set(TimerKind.DelayedAck, _now + Profile.DelayedAck);
            }
        }
        else
        {
            t.AckNow = true;
        }
    }

    /// <summary>§3.10.3: deliver received text; CLOSE-WAIT with nothing left answers "error: connection closing".</summary>
    private void Deliver()
    {
        var t = Tcb;
        uint before = t.RcvWnd;
        int n = t.ReceiveQueue.Read(_input.Destination.Span);
        _out.Received = n;
        if (n == 0 && t.FinReceived) _out.Notify(Notice.ErrorConnectionClosing);
        // §3.8.6.2.2 receiver SWS avoidance: announce the window when it grows by min(RCV.BUFF/2, MSS)
        uint grow = t.RcvWnd - before;
        if (n > 0 && (before == 0 || grow >= Math.Min((uint)t.ReceiveBufferSize / 2, (uint)Math.Max(1, t.SendMss))))
            t.AckNow = true;
    }

    private void QueueUserData()
    {
        var t = Tcb;
        int room = Math.Max(0, Profile.SendBuffer - t.SendQueue.Count);
        var data = _input.Data.Span;
        if (data.Length > room) data = data[..room];
        t.SendQueue.Append(data);
        _out.Accepted = data.Length;
    }
}
