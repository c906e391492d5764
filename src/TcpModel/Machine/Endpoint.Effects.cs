using TcpModel.Wire;

namespace TcpModel.Machine;

public sealed partial class Endpoint
{
    /// <summary>Runs the effect routine of a cell. Each case cites the RFC text it implements.</summary>
    private void Apply(Effect effect, in Segment seg)
    {
        // The effects of the segment hot path run here; the rest in ApplyOther, whose large frame
        // would otherwise be set up on every segment.
        switch (effect)
        {
            case Effect.None:
                return;
            case Effect.UpdateWindow: // "If SND.UNA =< SEG.ACK =< SND.NXT, the send window should be updated"
                if (seg.Ack >= Tcb.SndUna) UpdateSendWindow(seg);
                return;
            case Effect.ProcessAck:
                AdvanceUna(seg.Ack);
                UpdateSendWindow(seg);
                return;
            case Effect.AckAndDrop: // §3.10.7.4 first / fifth
                Tcb.AckNow = true;
                return;
            case Effect.AcceptText:
                AcceptText(seg);
                return;
            case Effect.Deliver: // §3.10.3
                Deliver();
                return;
            default:
                ApplyOther(effect, seg);
                return;
        }
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private void ApplyOther(Effect effect, in Segment seg)
    {
        var t = Tcb;
        switch (effect)
        {
            case Effect.None:
                return;
            case Effect.ErrorDoesNotExist: _out.Notify(Notice.ConnectionDoesNotExist); return;
            case Effect.ErrorAlreadyExists: _out.Notify(Notice.ConnectionAlreadyExists); return;
            case Effect.ErrorClosing: _out.Notify(Notice.ErrorConnectionClosing); return;
            case Effect.ErrorRemoteUnspecified: _out.Notify(Notice.ForeignSocketUnspecified); return;

            case Effect.Listen: // §3.10.1: create a new TCB, enter LISTEN
                t.Clear();
                t.ReceiveBufferSize = Options.ReceiveBuffer ?? Profile.ReceiveBuffer;
                t.RemoteSpecified = _input.RemoteSpecified;
                return;

            case Effect.SendSyn: // §3.10.1: select an ISS, send SYN, SND.UNA=ISS, SND.NXT=ISS+1
                if (State == TcpState.Closed) { t.Clear(); t.ReceiveBufferSize = Options.ReceiveBuffer ?? Profile.ReceiveBuffer; }
                t.FromPassiveOpen = false;
                t.Iss = _isn.Next(_now);
                t.SndUna = t.Iss;
                t.SndNxt = t.Iss;
                t.SendMss = DefaultSendMss();
                t.Rto = Profile.RtoInitial;
                if (_input.Kind == InputKind.User && _input.Call == Trigger.Send) QueueUserData();
                SendSyn(ack: false);
                return;

            case Effect.QueueSend: // §3.10.2
                QueueUserData();
                return;

            case Effect.Deliver: // §3.10.3
                Deliver();
                return;

            case Effect.DeleteTcb: // §3.10.4/§3.10.5: outstanding calls get "error: closing"/"connection reset"
                return;

            case Effect.QueueFin: // §3.10.4: the FIN follows the queued data (sent by Output)
                if (State == TcpState.SynReceived && t.SendQueue.Count != 0) t.CloseAfterEstablished = true;
                else t.FinQueued = true;
                return;

            case Effect.SendAbortReset: // §3.10.5: <SEQ=SND.NXT><CTL=RST>
                Emit(new Segment(t.SndNxt, default, Control.RST));
                return;

            case Effect.ResetOnClose: // RFC 1122 §4.2.2.13: RST shows that data was lost
                Emit(new Segment(t.SndNxt, t.RcvNxt, Control.RST | Control.ACK));
                return;

            case Effect.Retransmit:
                Retransmit();
                return;
            case Effect.GiveUp:
                _out.Notify(Notice.RetransmissionTimeout);
                return;
            case Effect.Probe:
                ZeroWindowProbe();
                return;
            case Effect.SendDelayedAck:
                t.AckNow = true;
                return;
            case Effect.KeepAliveProbe: // §3.8.4: <SEQ=SND.NXT-1> with no data (MAY-5 "garbage octet" omitted)
                Emit(new Segment(t.SndNxt - new SeqLen(1), t.RcvNxt, Control.ACK, AdvertisedWindow()));
                t.Timers.Set(TimerKind.KeepAlive, _now + Profile.KeepAliveInterval);
                return;
            case Effect.UserTimeoutAbort:
                _out.Notify(Notice.UserTimeout);
                return;
            case Effect.TimeWaitExpire:
                return;

            case Effect.ReplyReset: // §3.5.2 reset generation, §3.10.7.1-3
                if (seg.HasAck) Emit(new Segment(seg.Ack, default, Control.RST));
                else Emit(new Segment(default, seg.Seq + seg.Length, Control.RST | Control.ACK));
                return;

            case Effect.AcceptSyn: // §3.10.7.2 third
                AnswerSynPassively(_isn.Next(_now), seg);
                return;

            case Effect.CompleteHandshake: // §3.10.7.3 fourth
                AcceptPeerSyn(seg);
                AdvanceUna(seg.Ack);
                SetSendWindow(seg, scaled: false);
                t.AckNow = true;
                return;

            case Effect.SimultaneousOpen: // §3.10.7.3 fourth: "send <SEQ=ISS><ACK=RCV.NXT><CTL=SYN,ACK>"
                AcceptPeerSyn(seg);
                t.FromPassiveOpen = false;
                t.SndNxt = t.Iss;
                SendSyn(ack: true);
                return;

            case Effect.ConnectionReset: _out.Notify(Notice.ConnectionReset); return;
            case Effect.ConnectionRefused: _out.Notify(Notice.ConnectionRefused); return;
            case Effect.CloseSilently: return;

            case Effect.ReturnToListen: // §3.10.7.4 second/fourth: back to LISTEN, flush the retransmission queue
            {
                bool remote = t.RemoteSpecified;
                int buffer = t.ReceiveBufferSize;
                t.Clear();
                t.RemoteSpecified = remote;
                t.ReceiveBufferSize = buffer;
                return;
            }

            case Effect.AckAndDrop: // §3.10.7.4 first / fifth
                t.AckNow = true;
                return;

            case Effect.ChallengeAck: // RFC 5961 §3.2, §4.2, §5.2, throttled per §7
                if (Profile.ChallengeAckLimitPerSecond > 0)
                {
                    if (t.ChallengeWindowStart == long.MinValue || _now - t.ChallengeWindowStart >= 1_000_000) { t.ChallengeWindowStart = _now; t.ChallengeAcksInWindow = 0; }
                    if (t.ChallengeAcksInWindow >= Profile.ChallengeAckLimitPerSecond) return;
                    t.ChallengeAcksInWindow++;
                }
                // POLICY fin-on-ack-while-fin-unacked: a challenge ACK is never the FIN-repeating ACK
                if (Profile.FinOnAckWhileFinUnacked) Emit(new Segment(t.SndNxt, t.RcvNxt, Control.ACK, AdvertisedWindow(), default, DataOptions()));
                else t.AckNow = true;
                return;

            case Effect.SynReset: // §3.10.7.4 fourth (RFC 793): "send a reset", then "connection reset"
                if (Profile.SynResetForm == SynResetForm.FromConnection)
                    Emit(new Segment(t.SndNxt, t.RcvNxt, Control.RST | Control.ACK));
                else if (seg.HasAck)
                    Emit(new Segment(seg.Ack, default, Control.RST));
                else
                    Emit(new Segment(default, seg.Seq + seg.Length, Control.RST | Control.ACK));
                _out.Notify(Notice.ConnectionReset);
                return;

            case Effect.Reopen: // RFC 1122 §4.2.2.13: new ISS larger than any sequence number used before
            {
                var oldNxt = t.SndNxt;
                int buffer = t.ReceiveBufferSize;
                t.Clear();
                t.ReceiveBufferSize = buffer;
                var iss = _isn.Next(_now);
                AnswerSynPassively(iss > oldNxt ? iss : oldNxt + new SeqLen(1), seg);
                return;
            }

            case Effect.Establish: // §3.10.7.4 fifth: SND.WND <- SEG.WND, SND.WL1 <- SEG.SEQ, SND.WL2 <- SEG.ACK
                if (t.RoundBufferWhenEstablished || Profile.CompressedStateWindow)
                {
                    // POLICY compressed-state-window: the full connection gets its (rounded) buffer now
                    t.RcvWndLimit = uint.MaxValue;
                    if (t.RoundBufferWhenEstablished && t.SendMss > 0)
                    {
                        int mss = Math.Min(t.SendMss, AnnouncedMss);
                        t.ReceiveBufferSize = (t.ReceiveBufferSize + mss - 1) / mss * mss;
                    }
                    t.RoundBufferWhenEstablished = false;
                }
                t.SndWnd = (uint)seg.Window << t.SndScale;
                t.MaxSndWnd = Math.Max(t.MaxSndWnd, t.SndWnd);
                t.SndWl1 = seg.Seq;
                t.SndWl2 = seg.Ack;
                AdvanceUna(seg.Ack);
                return;

            case Effect.ProcessAck:
                AdvanceUna(seg.Ack);
                UpdateSendWindow(seg);
                return;

            case Effect.UpdateWindow: // "If SND.UNA =< SEG.ACK =< SND.NXT, the send window should be updated"
                if (seg.Ack >= t.SndUna) UpdateSendWindow(seg);
                return;

            case Effect.AcceptText:
                AcceptText(seg);
                return;

            case Effect.AcceptFin: // §3.10.7.4 eighth
                t.RcvNxt += new SeqLen(1);
                t.FinReceived = true;
                t.AckNow = true;
                _out.Notify(Notice.ConnectionClosing);
                return;

            case Effect.TimeWaitAck:
                // §3.10.7.4 fifth, TIME-WAIT: "The only thing that can arrive in this state is a
                // retransmission of the remote FIN. Acknowledge it, and restart the 2 MSL timeout."
                switch (Profile.TimeWaitAckRule)
                {
                    case TimeWaitAckRule.EveryAck: // POLICY time-wait-ack-rule every-ack: the text literally
                        t.AckNow = true;
                        t.Timers.Set(TimerKind.TimeWait, _now + 2 * Profile.Msl);
                        break;
                    case TimeWaitAckRule.Bsd: // POLICY time-wait-ack-rule bsd: all but an exact duplicate ACK
                        if (seg.Control != Control.ACK || !seg.Payload.IsEmpty || seg.Seq != t.RcvNxt || seg.Ack != t.SndNxt)
                            t.AckNow = true;
                        break;
                    default: // POLICY time-wait-ack-rule fin-only: the FIN check acknowledges a FIN
                        break;
                }
                return;

            case Effect.RestartTimeWait: // "Remain in the TIME-WAIT state. Restart the 2 MSL time-wait timeout."
                t.AckNow = true;
                t.Timers.Set(TimerKind.TimeWait, _now + 2 * Profile.Msl);
                return;
        }
    }

    /// <summary>§3.10.7.2 third: a passive endpoint takes the peer's SYN, selects <paramref name="iss"/>,
    /// and sends <c>&lt;SEQ=ISS&gt;&lt;ACK=RCV.NXT&gt;&lt;CTL=SYN,ACK&gt;</c> (SND.UNA=ISS, SND.NXT=ISS+1).</summary>
    private void AnswerSynPassively(SeqNum iss, in Segment seg)
    {
        var t = Tcb;
        t.FromPassiveOpen = true;
        t.Iss = iss;
        AcceptPeerSyn(seg);
        t.SndUna = t.Iss;
        t.SndNxt = t.Iss;
        t.Rto = Profile.RtoInitial;
        SendSyn(ack: true);
    }

    private int DefaultSendMss() => Options.IPv6 ? 1220 : 536; // §3.7.1 (MUST-15)

    /// <summary>Takes IRS, RCV.NXT and the SYN's options (§3.7.1 MSS; RFC 7323), and holds any text
    /// or FIN on the SYN for processing after ESTABLISHED (§3.10.7.2, §3.10.7.3).</summary>
    private void AcceptPeerSyn(in Segment seg)
    {
        var t = Tcb;
        t.Irs = seg.Seq;
        t.RcvNxt = seg.Seq + new SeqLen(1);
        t.RcvUp = t.RcvNxt;
        t.SendMss = seg.Options.Mss is { } peerMss ? peerMss : DefaultSendMss();
        if (Profile.WindowScale is { } ours && seg.Options.WindowScale is { } theirs)
        {
            t.RcvScale = ours;
            t.SndScale = Math.Min(theirs, (byte)14); // RFC 7323 §2.3: values above 14 are treated as 14
        }
        else
        {
            t.RcvScale = t.SndScale = 0;
        }
        t.TimestampsOn = Profile.Timestamps && seg.Options.Timestamp is not null;
        if (seg.Options.Timestamp is { } ts) t.TsRecent = ts.Value;
        if (Profile.CompressedStateWindow && t.FromPassiveOpen)
        {
            // POLICY compressed-state-window: RCV.WND is the SYN,ACK's (unscaled) window until ESTABLISHED
            t.RcvWndLimit = Math.Min(t.RcvWnd, 65535u);
            t.RoundBufferWhenEstablished = Profile.RoundReceiveBufferToMss;
        }
        else if (Profile.RoundReceiveBufferToMss && t.SendMss > 0)
        {
            // POLICY rcvbuf-mss-rounding (BSD): round the receive buffer up to a multiple of the MSS
            int mss = Math.Min(t.SendMss, AnnouncedMss);
            t.ReceiveBufferSize = (t.ReceiveBufferSize + mss - 1) / mss * mss;
        }
        t.SndWnd = seg.Window; // a SYN's window is never scaled (RFC 7323 §2.2)
        t.MaxSndWnd = Math.Max(t.MaxSndWnd, t.SndWnd);
        // POLICY compressed-state-window: a passive SYN's text and FIN are not kept (the syncache holds
        // none; the peer retransmits them after the handshake)
        if ((!seg.Payload.IsEmpty || seg.Fin) && !(Profile.CompressedStateWindow && t.FromPassiveOpen))
            t.Reassembly.Hold(t.RcvNxt, t.RcvNxt, seg.Payload.Span, seg.Fin);
    }

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
        if (t.SndWl1 < seg.Seq || (t.SndWl1 == seg.Seq && t.SndWl2 <= seg.Ack))
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
            data = skip >= (uint)data.Length ? [] : data[(int)skip..];
            start = t.RcvNxt;
        }
        uint room = t.RcvWnd;
        uint offset = (start - t.RcvNxt).Value;
        if (offset >= room) { t.AckNow = true; return; }
        if ((uint)data.Length >= room - offset)
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
