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
        // the hot-path effects (None, UpdateWindow, ProcessAck, AckAndDrop, AcceptText, Deliver) never reach here:
        // Apply handles them first
        switch (effect)
        {
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

            case Effect.DeleteTcb: // §3.10.4/§3.10.5: outstanding calls get "error: closing"/"connection reset"
                return;

            case Effect.DeleteTcbClosingSends: // §3.10.4 SYN-SENT: "return 'error: closing' responses to any queued SENDs"
                // POLICY syn-sent-queued-send-notice: one "error: closing" per queued SEND
                if (Profile.NoticeQueuedSendsInSynSent) for (int k = 0; k < t.QueuedSendCalls; k++) _out.Notify(Notice.Closing);
                return;

            case Effect.DeleteTcbResettingSends: // §3.10.5 SYN-SENT: "All queued SENDs ... should be given 'connection reset' notification"
                // POLICY syn-sent-queued-send-notice: one "connection reset" per queued SEND
                if (Profile.NoticeQueuedSendsInSynSent) for (int k = 0; k < t.QueuedSendCalls; k++) _out.Notify(Notice.ConnectionReset);
                return;

            case Effect.ResendSynAck: // POLICY syn-received-resend-synack: <SEQ=ISS><ACK=RCV.NXT><CTL=SYN,ACK> again
                Emit(SynSegment(ack: true));
                return;

            case Effect.QueueFin: // §3.10.4: the FIN follows the queued data (sent by Output)
                if (State == TcpState.SynReceived && t.SendQueue.Count != 0) t.CloseAfterEstablished = true;
                else t.FinQueued = true;
                return;

            case Effect.SendAbortReset: // §3.10.5: <SEQ=SND.NXT><CTL=RST>
                // POLICY abort-reset-with-ack: Linux tcp_send_active_reset — "TCPHDR_ACK | TCPHDR_RST" at RCV.NXT, with
                // timestamps once negotiated (RFC 7323 §3.2)
                if (Profile.AbortResetWithAck) Emit(new Segment(t.SndNxt, t.RcvNxt, Control.RST | Control.ACK, 0, default, DataOptions()));
                else Emit(new Segment(t.SndNxt, default, Control.RST));
                return;

            case Effect.ResetOnClose: // RFC 1122 §4.2.2.13: RST shows that data was lost
                // RFC 7323 §3.2: TSopt "SHOULD be sent in an <RST> segment" once negotiated
                Emit(new Segment(t.SndNxt, t.RcvNxt, Control.RST | Control.ACK, 0, default, DataOptions()));
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
                // POLICY quick-ack: Linux tcp_delack_timer_handler — "Delayed ACK missed: leave pingpong mode"
                if (Profile.QuickAcks > 0) t.PingPong = false;
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
                ReplyReset(seg);
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
                // POLICY simultaneous-open-rtt: the SYN,ACK sends ISS a second time (RFC 6298 §3, Karn: no sample from
                // an ACK that may answer either transmission); FreeBSD keeps timing from the SYN, Linux from the SYN,ACK
                if (Profile.SimultaneousOpenRtt == SimultaneousOpenRtt.Karn) t.RttTiming = false;
                else if (Profile.SimultaneousOpenRtt == SimultaneousOpenRtt.FromSynAck && t.RttTiming) t.RttSentAt = _now;
                return;

            case Effect.ConnectionReset: _out.Notify(Notice.ConnectionReset); return;
            case Effect.ConnectionRefused: _out.Notify(Notice.ConnectionRefused); return;
            case Effect.CloseSilently:
                // POLICY rst-after-fin-reports-reset: RFC 9293 §3.10.7.4 second gives CLOSING and LAST-ACK no
                // signal ("enter the CLOSED state, delete the TCB, and return"); FreeBSD tcp_do_segment sets
                // so_error = ECONNRESET for TCPS_CLOSING and TCPS_LAST_ACK, Linux tcp_reset sets sk_err =
                // ECONNRESET in every state but SYN-SENT, CLOSE-WAIT and CLOSED
                if (Profile.ReportResetAfterPeerFin && State is TcpState.Closing or TcpState.LastAck)
                    _out.Notify(Notice.ConnectionReset);
                return;

            case Effect.ResetToListen: // POLICY syn-in-passive-syn-received (Syncache, RequestSock): the reset of §3.10.7.1's form
                ReplyReset(seg);
                goto case Effect.ReturnToListen;

            case Effect.ReturnToListen: // §3.10.7.4 second/fourth: back to LISTEN, flush the retransmission queue
            {
                bool remote = t.RemoteSpecified;
                int buffer = t.ReceiveBufferSize;
                t.Clear();
                t.RemoteSpecified = remote;
                t.ReceiveBufferSize = buffer;
                return;
            }

            case Effect.ChallengeAck: // RFC 5961 §3.2, §4.2, §5.2, throttled per §7
                if (OutOfWindowAckLimited() && Profile.Mutant != Mutant.ChallengeAckUnthrottled) return; // MUTANT challenge-ack-unthrottled
                if (Profile.ChallengeAckLimitPerSecond > 0)
                {
                    if (t.ChallengeWindowStart == long.MinValue || _now - t.ChallengeWindowStart >= 1_000_000) { t.ChallengeWindowStart = _now; t.ChallengeAcksInWindow = 0; }
                    if (t.ChallengeAcksInWindow >= Profile.ChallengeAckLimitPerSecond
                        && Profile.Mutant != Mutant.ChallengeAckUnthrottled) return; // MUTANT challenge-ack-unthrottled
                    t.ChallengeAcksInWindow++;
                }
                // POLICY fin-on-ack-while-fin-unacked: a challenge ACK is never the FIN-repeating ACK
                t.AckNow = t.AckPlain = true;
                return;

            case Effect.SynReset: // §3.10.7.4 fourth (RFC 793): "send a reset", then "connection reset"
                if (Profile.SynResetForm == SynResetForm.FromConnection)
                    Emit(new Segment(t.SndNxt, t.RcvNxt, Control.RST | Control.ACK));
                else
                    ReplyReset(seg);
                _out.Notify(Notice.ConnectionReset);
                return;

            case Effect.Reopen: // RFC 1122 §4.2.2.13: new ISS larger than any sequence number used before
            {
                var oldNxt = t.SndNxt;
                int buffer = t.ReceiveBufferSize;
                var saved = Profile.RestoreTimeWaitOnReset ? SaveTimeWait() : null;
                t.Clear();
                t.ReceiveBufferSize = buffer;
                var iss = _isn.Next(_now);
                AnswerSynPassively(iss > oldNxt ? iss : oldNxt + new SeqLen(1), seg);
                // RFC 9293 §3.10.7.4 second/fourth: this connection did not come from LISTEN, so a later RST or
                // SYN closes it rather than returning it to a LISTEN nobody opened
                t.ReopenedFromTimeWait = Profile.Mutant != Mutant.ReopenedConnectionAsListener; // MUTANT reopened-connection-as-listener
                // POLICY reopen-reset-restores-time-wait: kept until the handshake leaves SYN-RECEIVED
                if (t.ReopenedFromTimeWait) t.SavedTimeWait = saved;
                return;
            }

            case Effect.RestoreTimeWait: // RFC 1122 §4.2.2.13 (2): "returns to TIME-WAIT state if the SYN turns out to be an old duplicate"
            {
                var blob = t.SavedTimeWait!;
                var r = new StateReader(blob);
                Load(ref r, _now); // the old incarnation's TCB (its unread octets too); Load clears SavedTimeWait
                // the cell's transition enters TIME-WAIT from here: the 2 MSL timeout starts afresh (§3.10.7.4
                // eighth: "start the time-wait timer, turn off the other timers")
                State = TcpState.SynReceived;
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
                        if (t.ReceiveBufferSize > mss) t.ReceiveBufferSize = (t.ReceiveBufferSize + mss - 1) / mss * mss; // tcp_mss: "if (bufsize > mss)"
                    }
                    t.RoundBufferWhenEstablished = false;
                }
                // RFC 7323 §2.2: "The window field in a segment where the SYN bit is set (i.e., a <SYN> or
                // <SYN,ACK>) MUST NOT be scaled" — the peer's SYN,ACK of a simultaneous open (Figure 7)
                t.SndWnd = seg.Syn && Profile.Mutant != Mutant.ScaledSynWindow // MUTANT scaled-syn-window
                    ? seg.Window
                    : (uint)seg.Window << t.SndScale;
                t.MaxSndWnd = Math.Max(t.MaxSndWnd, t.SndWnd);
                t.SndWl1 = seg.Seq;
                t.SndWl2 = seg.Ack;
                AdvanceUna(seg.Ack);
                return;

            case Effect.AcceptFin: // §3.10.7.4 eighth
                if (Profile.Mutant != Mutant.FinNotCounted) t.RcvNxt += new SeqLen(1); // MUTANT fin-not-counted
                // the FIN takes a sequence number but no buffer: the announced right edge moves with it, so that
                // receiver SWS avoidance (POLICY receiver-sws-every-ack) does not count it as a window reduction
                if (t.RcvAdvSet) t.RcvAdv += new SeqLen(1);
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
                    case TimeWaitAckRule.AllButDuplicateAck: // POLICY time-wait-ack-rule all-but-duplicate-ack
                        if (seg.Control != Control.ACK || !seg.Payload.IsEmpty || seg.Seq != t.RcvNxt || seg.Ack != t.SndNxt)
                        {
                            t.AckNow = true;
                            t.Timers.Set(TimerKind.TimeWait, _now + 2 * Profile.Msl);
                        }
                        break;
                    case TimeWaitAckRule.Linux: // POLICY time-wait-ack-rule linux: a bare segment at RCV.NXT, no reply
                        RestartTimeWaitTimer();
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
                RestartTimeWaitTimer();
                return;
        }
    }

    /// <summary>POLICY challenge-ack-interval: Linux __tcp_oow_rate_limited — no out-of-window ACK (a challenge ACK, or
    /// TIME-WAIT's answer to a pure ACK or SYN) within tcp_invalid_ratelimit of the last one ("elapsed &lt;
    /// sysctl_tcp_invalid_ratelimit"); true when this one is held back, else the interval restarts now.</summary>
    private bool OutOfWindowAckLimited()
    {
        var t = Tcb;
        if (Profile.ChallengeAckMinInterval <= 0) return false;
        if (t.ChallengeWindowStart != long.MinValue && _now - t.ChallengeWindowStart < Profile.ChallengeAckMinInterval) return true;
        t.ChallengeWindowStart = _now;
        return false;
    }

    /// <summary>RFC 9293 §3.10.7.4 eighth, TIME-WAIT: "Restart the 2 MSL time-wait timeout."</summary>
    private void RestartTimeWaitTimer()
    {
        if (Profile.Mutant != Mutant.TimeWaitNoRestartOnFin) // MUTANT time-wait-no-restart-on-fin
            Tcb.Timers.Set(TimerKind.TimeWait, _now + 2 * Profile.Msl);
    }

    /// <summary>§3.5.2: the reset formed from the segment — <c>&lt;SEQ=SEG.ACK&gt;&lt;CTL=RST&gt;</c> when it carries an ACK,
    /// else <c>&lt;SEQ=0&gt;&lt;ACK=SEG.SEQ+SEG.LEN&gt;&lt;CTL=RST,ACK&gt;</c>.</summary>
    private void ReplyReset(in Segment seg)
    {
        if (seg.HasAck) Emit(new Segment(seg.Ack, default, Control.RST));
        else Emit(new Segment(default, seg.Seq + seg.Length, Control.RST | Control.ACK));
    }
}
