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
        if (fin && Profile.DropHeldTextBeyondFin && !t.Reassembly.IsEmpty)
        {
            // POLICY held-text-beyond-fin-dropped: the FIN arriving in order ends the peer's stream; what is held
            // beyond it is dropped (Linux tcp_data_queue: tcp_fin purges the out-of-order queue before tcp_ofo_queue)
            t.Reassembly.Clear();
        }
        if (!t.Reassembly.IsEmpty)
        {
            int more = t.Reassembly.TakeInOrder(t.RcvNxt, t.ReceiveQueue, out _finHeldNowInOrder, Profile.DropHeldTextBeyondFin);
            t.RcvNxt += new SeqLen((uint)more);
            filledHole = true;
        }
        if (Profile.QuickAcks > 0 && data.Length > 0 && QuickAck(data.Length)) t.AckNow = true;
        else if (Profile.DelayedAck > 0 && !filledHole && !fin && !_finHeldNowInOrder)
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

    /// <summary>POLICY quick-ack (Linux tcp_event_data_recv, __tcp_ack_snd_check): in-order text arrived; true when it
    /// is acknowledged at once — in quick-ack mode (tcp_in_quickack_mode: "icsk_ack.quick &amp;&amp;
    /// !inet_csk_in_pingpong_mode"). The first text of a connection, and text after a silence longer than the RTO,
    /// refill the quick ACKs (tcp_incr_quickack: rcv_wnd / (2 · rcv_mss), at least 2, at most TCP_MAX_QUICKACKS);
    /// otherwise the delayed-ACK rules decide (more than one full segment unacknowledged, or the timer).</summary>
    private bool QuickAck(int length)
    {
        var t = Tcb;
        if (!t.DataSeen || _now - t.LastDataAt > t.Rto)
        {
            // tcp_measure_rcv_mss / tcp_initialize_rcv_mss: the estimate of the peer's MSS, at least TCP_MSS_DEFAULT
            int rcvMss = Math.Max(536, Math.Min(length, (int)t.OurMss == 0 ? length : t.OurMss));
            int quick = (int)Math.Clamp(t.RcvWnd / (uint)(2 * rcvMss), 2u, (uint)Profile.QuickAcks);
            if (quick > t.QuickAcks) t.QuickAcks = quick;
        }
        t.DataSeen = true;
        t.LastDataAt = _now;
        return t.QuickAcks > 0 && !t.PingPong;
    }

    /// <summary>§3.10.3: deliver received text; CLOSE-WAIT with nothing left answers "error: connection closing".</summary>
    private void Deliver()
    {
        var t = Tcb;
        // RFC 9293 §3.6: "The user who CLOSEs may continue to RECEIVE until the TCP receiver is told that the
        // remote peer has CLOSED also": in CLOSING, LAST-ACK and TIME-WAIT the octets on hand are delivered
        // first; §3.10.3's "connection closing" answers once nothing is left
        bool peerDone = State is TcpState.Closing or TcpState.LastAck or TcpState.TimeWait;
        if (peerDone && Profile.Mutant == Mutant.NoDataAfterFin) // MUTANT no-data-after-fin
        {
            _out.Notify(Notice.ErrorConnectionClosing);
            return;
        }
        uint before = t.FreeWindow, announcedBefore = t.RcvWnd;
        int n = t.ReceiveQueue.Read(_input.Destination.Span);
        _out.Received = n;
        if (n == 0 && t.FinReceived) _out.Notify(Notice.ErrorConnectionClosing);
        if (Profile.ReceiverSwsOnEveryAck && !Profile.WindowUpdateOnlyWhenDoubled && t.RcvAdvSet)
        {
            // POLICY receiver-sws-every-ack: §3.8.6.2.2 "keep RCV.NXT+RCV.WND fixed until the reduction satisfies
            // RCV.BUFF - RCV.USER - RCV.WND >= min(Fr * RCV.BUFF, Eff.snd.MSS) ... When the inequality is satisfied,
            // RCV.WND is set to RCV.BUFF-RCV.USER": RCV.WND moves here, and the update announces it
            uint held = t.AnnouncedWindow;
            uint free = t.FreeWindow;
            if (n == 0 || free <= held || !SwsOpeningAnnounced(free - held)) return;
            t.RcvAdv = t.RcvNxt + new SeqLen(free);
            // the peer's FIN is in: it sends no more text, so the reopened window is not announced
            if (!t.FinReceived) t.AckNow = true;
            return;
        }
        // the peer's FIN is in: it sends no more text, so a reopened window is not announced (Linux
        // tcp_cleanup_rbuf: not after RCV_SHUTDOWN; FreeBSD tcp_output: not once TCPS_HAVERCVDFIN)
        if (t.FinReceived) return;
        // §3.8.6.2.2 receiver SWS avoidance: announce the window when it grows by min(RCV.BUFF/2, MSS)
        uint grow = t.FreeWindow - before;
        if (Profile.WindowUpdateOnlyWhenDoubled)
        {
            // POLICY window-update-only-when-doubled (Linux tcp_cleanup_rbuf: "Lots" means "at least twice" the
            // window announced and not yet used, rcv_window_now = tcp_receive_window, and only while twice that fits
            // the window clamp, which tcp_select_initial_window sets "no higher than max representable value",
            // 65535 << rcv_wscale)
            long clamp = Math.Min((long)t.ReceiveBufferSize, 65535L << t.RcvScale);
            if (n > 0 && 2L * announcedBefore <= clamp && t.FreeWindow >= 2L * announcedBefore) t.AckNow = true;
        }
        else if (n > 0 && (before == 0 || grow >= Math.Min((uint)t.ReceiveBufferSize / 2, (uint)EffectiveSendMss())))
            t.AckNow = true;
    }

    private void QueueUserData()
    {
        var t = Tcb;
        if (State is TcpState.Listen or TcpState.SynSent) t.QueuedSendCalls++; // each gets its answer if the TCB is deleted in SYN-SENT
        int room = Math.Max(0, Profile.SendBuffer - t.SendQueue.Count);
        var data = _input.Data.Span;
        if (data.Length > room) data = data[..room];
        t.SendQueue.Reserve(Profile.SendBuffer); // allocated once while empty, so writing never moves queued octets
        t.SendQueue.Append(data);
        _out.Accepted = data.Length;
    }
}
