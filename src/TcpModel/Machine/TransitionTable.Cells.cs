using S = TcpModel.Machine.TcpState;
using T = TcpModel.Machine.Trigger;
using G = TcpModel.Machine.Guard;
using E = TcpModel.Machine.Effect;

namespace TcpModel.Machine;

public sealed partial class TransitionTable
{
    private const string Open = "RFC 9293 §3.10.1", SendRef = "RFC 9293 §3.10.2", RecvRef = "RFC 9293 §3.10.3",
        CloseRef = "RFC 9293 §3.10.4", AbortRef = "RFC 9293 §3.10.5", StatusRef = "RFC 9293 §3.10.6",
        TimeoutRef = "RFC 9293 §3.10.8", Closed = "RFC 9293 §3.10.7.1", Listen = "RFC 9293 §3.10.7.2",
        SynSent = "RFC 9293 §3.10.7.3", First = "RFC 9293 §3.10.7.4 first", Second = "RFC 9293 §3.10.7.4 second",
        Fourth = "RFC 9293 §3.10.7.4 fourth", Fifth = "RFC 9293 §3.10.7.4 fifth", Seventh = "RFC 9293 §3.10.7.4 seventh",
        Eighth = "RFC 9293 §3.10.7.4 eighth", Rtx = "RFC 6298 §5.4-5.6", R2 = "RFC 1122 §4.2.3.5 (MUST-20..23)";

    private const string Ack = "<SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK>";
    private const string AbortRst = "<SEQ=SND.NXT><CTL=RST>";
    private const string ReplyRst = "<SEQ=SEG.ACK><CTL=RST> or <SEQ=0><ACK=SEG.SEQ+SEG.LEN><CTL=RST,ACK>";

    private static readonly S[] Synchronized =
        [S.SynReceived, S.Established, S.FinWait1, S.FinWait2, S.CloseWait, S.Closing, S.LastAck, S.TimeWait];

    private void DeclareUserCalls()
    {
        // OPEN, §3.10.1
        In(S.Closed).Go(T.OpenPassive, S.Listen, E.Listen, Open + " (create TCB)")
                    .Go(T.OpenActive, S.SynSent, E.SendSyn, Open + " (MUST-8)", "<SEQ=ISS><CTL=SYN>");
        In(S.Listen).Stay(T.OpenPassive, E.ErrorAlreadyExists, Open)
                    .Go(T.OpenActive, S.SynSent, E.SendSyn, Open + " (passive to active)", "<SEQ=ISS><CTL=SYN>");
        foreach (var s in TcpStates.All.Where(s => s > S.Listen))
            In(s).Stay(T.OpenPassive, E.ErrorAlreadyExists, Open).Stay(T.OpenActive, E.ErrorAlreadyExists, Open);

        // SEND, §3.10.2
        In(S.Closed).Stay(T.Send, E.ErrorDoesNotExist, SendRef);
        In(S.Listen).Go(T.Send, S.SynSent, E.SendSyn, SendRef + " (passive to active)", "<SEQ=ISS><CTL=SYN>", G.RemoteSpecified)
                    .Stay(T.Send, E.ErrorRemoteUnspecified, SendRef, "", G.RemoteUnspecified);
        In(S.SynSent).Stay(T.Send, E.QueueSend, SendRef + " (queue until ESTABLISHED)");
        // RFC 9293 §3.6 case 1: after CLOSE "no further SENDs from the user will be accepted"
        In(S.SynReceived).Stay(T.Send, E.QueueSend, SendRef + " (queue until ESTABLISHED)", "", G.NoCloseQueued)
                         .Stay(T.Send, E.ErrorClosing, "RFC 9293 §3.6 (no SENDs after CLOSE)", "", G.CloseQueued);
        foreach (var s in new[] { S.Established, S.CloseWait })
            In(s).Stay(T.Send, E.QueueSend, SendRef, "<SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK><DATA>");
        foreach (var s in new[] { S.FinWait1, S.FinWait2, S.Closing, S.LastAck, S.TimeWait })
            In(s).Stay(T.Send, E.ErrorClosing, SendRef);

        // RECEIVE, §3.10.3
        In(S.Closed).Stay(T.Receive, E.ErrorDoesNotExist, RecvRef);
        foreach (var s in new[] { S.Listen, S.SynSent, S.SynReceived })
            In(s).Ignore(T.Receive, RecvRef + " (queue until ESTABLISHED)");
        foreach (var s in new[] { S.Established, S.FinWait1, S.FinWait2, S.CloseWait })
            In(s).Stay(T.Receive, E.Deliver, RecvRef, "window update when the window opens (§3.8.6.2.2)");
        // §3.6: the user "may continue to RECEIVE until the TCP receiver is told that the remote peer has CLOSED
        // also"; §3.10.3's "error: connection closing" once the octets on hand are delivered
        foreach (var s in new[] { S.Closing, S.LastAck, S.TimeWait })
            In(s).Stay(T.Receive, E.Deliver, "RFC 9293 §3.6, §3.10.3 (octets on hand, then connection closing)");

        // CLOSE, §3.10.4
        In(S.Closed).Stay(T.Close, E.ErrorDoesNotExist, CloseRef);
        In(S.Listen).Go(T.Close, S.Closed, E.DeleteTcb, CloseRef);
        In(S.SynSent).Go(T.Close, S.Closed, E.DeleteTcbClosingSends, CloseRef);
        In(S.SynReceived).Go(T.Close, S.FinWait1, E.QueueFin, CloseRef, "<SEQ=SND.NXT><ACK=RCV.NXT><CTL=FIN,ACK>", G.NothingQueued)
                         .Stay(T.Close, E.QueueFin, CloseRef + " (after ESTABLISHED)", "", G.SendsQueued, G.NoCloseQueued)
                         .Stay(T.Close, E.ErrorClosing, CloseRef + " (CLOSE already queued)", "", G.SendsQueued, G.CloseQueued);
        In(S.Established).Go(T.Close, S.FinWait1, E.QueueFin, CloseRef, "<SEQ=SND.NXT><ACK=RCV.NXT><CTL=FIN,ACK> after the data", G.NormalClose)
                         .Go(T.Close, S.Closed, E.ResetOnClose, "RFC 1122 §4.2.2.13 (SHLD-3)", "<SEQ=SND.NXT><ACK=RCV.NXT><CTL=RST,ACK>", G.UnreadDataResets);
        In(S.CloseWait).Go(T.Close, S.LastAck, E.QueueFin, CloseRef, "<SEQ=SND.NXT><ACK=RCV.NXT><CTL=FIN,ACK> after the data", G.NormalClose)
                       .Go(T.Close, S.Closed, E.ResetOnClose, "RFC 1122 §4.2.2.13 (SHLD-3)", "<SEQ=SND.NXT><ACK=RCV.NXT><CTL=RST,ACK>", G.UnreadDataResets);
        foreach (var s in new[] { S.FinWait1, S.FinWait2, S.Closing, S.LastAck, S.TimeWait })
            In(s).Stay(T.Close, E.ErrorClosing, CloseRef);

        // ABORT, §3.10.5
        In(S.Closed).Stay(T.Abort, E.ErrorDoesNotExist, AbortRef);
        foreach (var s in new[] { S.Listen, S.Closing, S.LastAck, S.TimeWait })
            In(s).Go(T.Abort, S.Closed, E.DeleteTcb, AbortRef);
        In(S.SynSent).Go(T.Abort, S.Closed, E.DeleteTcbResettingSends, AbortRef);
        foreach (var s in new[] { S.SynReceived, S.Established, S.FinWait1, S.FinWait2, S.CloseWait })
            In(s).Go(T.Abort, S.Closed, E.SendAbortReset, AbortRef, AbortRst);

        // STATUS, §3.10.6
        In(S.Closed).Stay(T.Status, E.ErrorDoesNotExist, StatusRef);
        foreach (var s in TcpStates.All.Where(s => s != S.Closed))
            In(s).Ignore(T.Status, StatusRef + " (report the TCB)");
    }

    private void DeclareTimeouts()
    {
        var retransmitting = new[] { S.SynSent, S.SynReceived, S.Established, S.FinWait1, S.CloseWait, S.Closing, S.LastAck };
        foreach (var s in TcpStates.All)
        {
            var c = In(s);
            bool rtx = retransmitting.Contains(s);
            if (rtx)
                c.Stay(T.RetransmitTimeout, E.Retransmit, Rtx, s switch
                {
                    S.SynSent => "<SEQ=ISS><CTL=SYN>",
                    S.SynReceived => "<SEQ=ISS><ACK=RCV.NXT><CTL=SYN,ACK>",
                    _ => "earliest unacknowledged segment",
                }).Go(T.RetransmitGiveUp, S.Closed, E.GiveUp, R2);
            else
                c.Ignore(T.RetransmitTimeout, TimeoutRef + " (not armed)").Ignore(T.RetransmitGiveUp, TimeoutRef + " (not armed)");

            // every state that may still hold unsent data: CLOSE queues the FIN behind it (§3.10.4), so LAST-ACK (CLOSE in
            // CLOSE-WAIT) and CLOSING (the peer's FIN in FIN-WAIT-1) probe a zero window too, or they would wait for ever
            if (s.MaySend())
                c.Stay(T.PersistTimeout, E.Probe, "RFC 9293 §3.8.6.1 (MUST-36)", "one octet beyond SND.UNA+SND.WND");
            else
                c.Ignore(T.PersistTimeout, TimeoutRef + " (not armed)");

            if (s.IsSynchronized() && s != S.TimeWait)
                c.Stay(T.DelayedAckTimeout, E.SendDelayedAck, "RFC 9293 §3.8.6.3 (MUST-40), RFC 1122 §4.2.3.2", Ack);
            else
                c.Ignore(T.DelayedAckTimeout, TimeoutRef + " (not armed)");

            if (s is S.Established or S.CloseWait)
                c.Stay(T.KeepAliveTimeout, E.KeepAliveProbe, "RFC 9293 §3.8.4 (MUST-24..28)", "<SEQ=SND.NXT-1><ACK=RCV.NXT><CTL=ACK>");
            else
                c.Ignore(T.KeepAliveTimeout, TimeoutRef + " (not armed)");

            if (s is S.Closed or S.Listen or S.TimeWait)
                c.Ignore(T.UserTimeout, TimeoutRef + " (not armed)");
            else
                c.Go(T.UserTimeout, S.Closed, E.UserTimeoutAbort, TimeoutRef + " (user timeout)");

            if (s == S.TimeWait)
                c.Go(T.TimeWaitTimeout, S.Closed, E.TimeWaitExpire, TimeoutRef + " (time-wait timeout)");
            else
                c.Ignore(T.TimeWaitTimeout, TimeoutRef + " (not armed)");
        }
    }

    private void DeclareUnsynchronizedSegments()
    {
        In(S.Closed)
            .Ignore(T.RstInvalid, Closed + " (an incoming RST is discarded)")
            .Stay(T.Syn, E.ReplyReset, Closed, ReplyRst)
            .Stay(T.NoAck, E.ReplyReset, Closed, ReplyRst)
            .Stay(T.AckUnacceptable, E.ReplyReset, Closed, ReplyRst)
            .NotProduced(Closed, T.RstInWindow, T.RstValid, T.Unacceptable, T.SynRepeated, T.SynNewIncarnation, T.SynAck, T.AckTooOld,
                T.AckAhead, T.AckDuplicate, T.AckNew, T.AckOfFin, T.Text, T.Fin);

        In(S.Listen)
            .Ignore(T.RstInvalid, Listen + " first (an incoming RST should be ignored)")
            .Stay(T.AckUnacceptable, E.ReplyReset, Listen + " second (any acknowledgment is bad)", "<SEQ=SEG.ACK><CTL=RST>")
            .Go(T.Syn, S.SynReceived, E.AcceptSyn, Listen + " third", "<SEQ=ISS><ACK=RCV.NXT><CTL=SYN,ACK>")
            .Ignore(T.NoAck, Listen + " fourth (drop the segment)")
            .NotProduced(Listen, T.RstInWindow, T.RstValid, T.Unacceptable, T.SynRepeated, T.SynNewIncarnation, T.SynAck, T.AckTooOld,
                T.AckAhead, T.AckDuplicate, T.AckNew, T.AckOfFin, T.Text, T.Fin);

        In(S.SynSent)
            .Stay(T.AckUnacceptable, E.ReplyReset, SynSent + " first (SEG.ACK =< ISS or > SND.NXT)", "<SEQ=SEG.ACK><CTL=RST>")
            .Ignore(T.RstInvalid, SynSent + " second (no acceptable ACK: drop)")
            .Go(T.RstValid, S.Closed, E.ConnectionReset, SynSent + " second, RFC 5961 §3.2")
            .Go(T.SynAck, S.Established, E.CompleteHandshake, SynSent + " fourth", Ack, o: Outcome.Continue)
            .Go(T.Syn, S.SynReceived, E.SimultaneousOpen, SynSent + " fourth (simultaneous open, MUST-10)", "<SEQ=ISS><ACK=RCV.NXT><CTL=SYN,ACK>")
            .Ignore(T.AckNew, SynSent + " fifth (neither SYN nor RST: drop)")
            .Ignore(T.NoAck, SynSent + " fifth (neither SYN nor RST: drop)")
            .NotProduced(SynSent, T.RstInWindow, T.Unacceptable, T.SynRepeated, T.SynNewIncarnation, T.AckTooOld, T.AckAhead,
                T.AckDuplicate, T.AckOfFin, T.Text, T.Fin);
    }

    private void DeclareSynchronizedSegments()
    {
        foreach (var s in Synchronized)
        {
            var c = In(s);
            // first, check sequence number
            c.Ignore(T.RstInvalid, First + " (unacceptable RST: drop)")
             .Stay(T.Unacceptable, E.AckAndDrop, First, Ack);

            // second, check the RST bit
            switch (s)
            {
                case S.SynReceived:
                    c.Stay(T.RstInWindow, E.ChallengeAck, Second + ", RFC 5961 §3.2", Ack, G.ChallengeRst)
                     .Go(T.RstInWindow, S.Listen, E.ReturnToListen, Second + " (RFC 793 in-window RST)", "", G.ClassicRst, G.PassiveOpen)
                     .Go(T.RstInWindow, S.Closed, E.ConnectionRefused, Second + " (RFC 793 in-window RST)", "", G.ClassicRst, G.ActiveOpen)
                     .Go(T.RstValid, S.Listen, E.ReturnToListen, Second + " (passive OPEN: back to LISTEN)", "", G.PassiveOpen)
                     .Go(T.RstValid, S.Closed, E.ConnectionRefused, Second + " (active OPEN: connection refused)", "", G.ActiveOpen, G.NoTimeWaitToRestore)
                     .Go(T.RstValid, S.TimeWait, E.RestoreTimeWait, Second + ", RFC 1122 §4.2.2.13 (2) (reopened from TIME-WAIT: the SYN was an old duplicate, back to TIME-WAIT; POLICY reopen-reset-restores-time-wait)", "", G.ActiveOpen, G.TimeWaitToRestore);
                    break;
                case S.Closing or S.LastAck:
                    c.Stay(T.RstInWindow, E.ChallengeAck, Second + ", RFC 5961 §3.2", Ack, G.ChallengeRst)
                     .Go(T.RstInWindow, S.Closed, E.CloseSilently, Second + " (RFC 793 in-window RST)", "", G.ClassicRst)
                     .Go(T.RstValid, S.Closed, E.CloseSilently, Second);
                    break;
                case S.TimeWait:
                    c.Ignore(T.RstInWindow, "RFC 1337 §3 (ignore RST in TIME-WAIT)", G.Rfc1337)
                     .Stay(T.RstInWindow, E.ChallengeAck, Second + ", RFC 5961 §3.2", Ack, G.NotRfc1337, G.ChallengeRst)
                     .Go(T.RstInWindow, S.Closed, E.CloseSilently, Second + " (RFC 793 in-window RST)", "", G.NotRfc1337, G.ClassicRst)
                     .Ignore(T.RstValid, "RFC 1337 §3 (ignore RST in TIME-WAIT)", G.Rfc1337)
                     .Go(T.RstValid, S.Closed, E.CloseSilently, Second, "", G.NotRfc1337);
                    break;
                default:
                    c.Stay(T.RstInWindow, E.ChallengeAck, Second + ", RFC 5961 §3.2", Ack, G.ChallengeRst)
                     .Go(T.RstInWindow, S.Closed, E.ConnectionReset, Second + " (RFC 793 in-window RST)", "", G.ClassicRst)
                     .Go(T.RstValid, S.Closed, E.ConnectionReset, Second + " (connection reset)");
                    break;
            }

            // SYN-RECEIVED (passive): the peer's SYN again, before the checks
            if (s == S.SynReceived)
                c.Stay(T.SynRepeated, E.ResendSynAck, "RFC 9293 §3.10.7.4 first (POLICY syn-received-resend-synack: FreeBSD syncache_add, Linux tcp_check_req)",
                        "<SEQ=ISS><ACK=RCV.NXT><CTL=SYN,ACK>", G.ResendSynAck)
                 .Stay(T.SynRepeated, E.AckAndDrop, First + " (the SYN again is old: unacceptable)", Ack, G.AckRepeatedSyn);
            else
                c.Ignore(T.SynRepeated, First + " (not produced in this state)");

            // TIME-WAIT demultiplexing of a new incarnation's SYN precedes the checks
            if (s == S.TimeWait)
                c.Go(T.SynNewIncarnation, S.SynReceived, E.Reopen, "RFC 1122 §4.2.2.13 (MAY-2)", "<SEQ=ISS'><ACK=RCV.NXT><CTL=SYN,ACK>", G.ReopenAllowed)
                 .Ignore(T.SynNewIncarnation, "RFC 1122 §4.2.2.13 (policy off: ordinary checks)", G.ReopenRefused, o: Outcome.Continue);
            else
                c.Ignore(T.SynNewIncarnation, Fourth + " (not produced in this state)");

            // fourth, check the SYN bit
            if (s == S.SynReceived)
                c.Go(T.Syn, S.Listen, E.ReturnToListen, Fourth + " (passive OPEN: back to LISTEN)", "", G.PassiveOpen, G.SynQuietlyToListen)
                 .Go(T.Syn, S.Listen, E.ResetToListen, Fourth + " (passive OPEN: back to LISTEN; POLICY syn-in-passive-syn-received: FreeBSD tcp_input, Linux tcp_check_req send a reset)", ReplyRst, G.PassiveOpen, G.SynResetsToListen)
                 .Stay(T.Syn, E.ChallengeAck, Fourth + ", RFC 5961 §4.2", Ack, G.ActiveOpen, G.ChallengeSyn)
                 .Go(T.Syn, S.Closed, E.SynReset, Fourth + " (RFC 793 in-window SYN)", "reset", G.ActiveOpen, G.ClassicSyn)
                 .Go(T.SynAck, S.Established, E.Establish, "RFC 9293 §3.5 Figure 7, Appendix A.2 (simultaneous open)", "", o: Outcome.Continue);
            else if (s == S.TimeWait)
                c.Stay(T.Syn, E.AckAndDrop, Fourth + " (POLICY time-wait-ack-rule bsd: tcp_twcheck acknowledges)", Ack, G.BsdTimeWait)
                 .Stay(T.Syn, E.ChallengeAck, Fourth + ", RFC 5961 §4.2", Ack, G.RfcTimeWait, G.ChallengeSyn)
                 .Go(T.Syn, S.Closed, E.SynReset, Fourth + " (RFC 793 in-window SYN)", "reset", G.RfcTimeWait, G.ClassicSyn)
                 .Ignore(T.SynAck, Fourth + " (not produced in this state)");
            else
                c.Stay(T.Syn, E.ChallengeAck, Fourth + ", RFC 5961 §4.2", Ack, G.ChallengeSyn)
                 .Go(T.Syn, S.Closed, E.SynReset, Fourth + " (RFC 793 in-window SYN)", "reset", G.ClassicSyn)
                 .Ignore(T.SynAck, Fourth + " (not produced in this state)");

            // fifth, check the ACK field
            c.Ignore(T.NoAck, Fifth + " (no ACK: drop)");
            if (s == S.SynReceived)
            {
                c.Go(T.AckNew, S.Established, E.Establish, Fifth + " (SND.UNA < SEG.ACK =< SND.NXT)", "", o: Outcome.Continue)
                 .Stay(T.AckUnacceptable, E.ReplyReset, Fifth, "<SEQ=SEG.ACK><CTL=RST>")
                 .NotProduced(Fifth, T.AckTooOld, T.AckAhead, T.AckDuplicate, T.AckOfFin);
            }
            else
            {
                c.Stay(T.AckTooOld, E.ChallengeAck, Fifth + ", RFC 5961 §5.2", Ack, G.AckRangeCheck)
                 .Stay(T.AckTooOld, E.UpdateWindow, Fifth + " (duplicate: ignore)", "", G.NoAckRangeCheck, o: Outcome.Continue)
                 .Ignore(T.AckAhead, Fifth + " (acks something not yet sent; POLICY ack-ahead-silent-drop: Linux tcp_ack drops it)", G.AckAheadDropped)
                 .NotProduced(Fifth, T.AckUnacceptable);
                if (s == S.TimeWait)
                    // TIME-WAIT's fifth check names only "a retransmission of the remote FIN": ESTABLISHED's "If the ACK
                    // acks something not yet sent ... send an ACK" is not among its steps (LAST-ACK and TIME-WAIT do not
                    // say "in addition to the processing for the ESTABLISHED state"); the RFC 5961 §5.2 range check
                    // (MAY-12), which precedes the per-state steps, does send the ACK back
                    c.Stay(T.AckAhead, E.AckAndDrop, Fifth + ", RFC 5961 §5.2 (SEG.ACK > SND.NXT: outside the acceptable range)", Ack, G.AckRangeCheck, G.AckAheadAnswered)
                     .Ignore(T.AckAhead, Fifth + " (TIME-WAIT: only a retransmission of the remote FIN is answered; no ESTABLISHED-style ACK of what was not sent)", G.NoAckRangeCheck, G.AckAheadAnswered, o: Outcome.Continue);
                else
                    c.Stay(T.AckAhead, E.AckAndDrop, Fifth + " (acks something not yet sent)", Ack, G.AckAheadAnswered);
                if (s == S.TimeWait)
                    c.Stay(T.AckDuplicate, E.TimeWaitAck, Fifth + " (TIME-WAIT: acknowledge it, restart the 2 MSL timeout; POLICY time-wait-ack-rule)", "per policy: " + Ack, o: Outcome.Continue);
                else
                    c.Stay(T.AckDuplicate, E.UpdateWindow, Fifth + " (duplicate: ignore)", "", o: Outcome.Continue);
                switch (s)
                {
                    case S.FinWait1:
                        c.Stay(T.AckNew, E.ProcessAck, Fifth, "", o: Outcome.Continue)
                         .Go(T.AckOfFin, S.FinWait2, E.ProcessAck, Fifth + " (our FIN is acknowledged)", "", o: Outcome.Continue);
                        break;
                    case S.Closing:
                        c.Stay(T.AckNew, E.ProcessAck, Fifth, "", o: Outcome.Continue)
                         .Go(T.AckOfFin, S.TimeWait, E.ProcessAck, Fifth + " (our FIN is acknowledged)", "", o: Outcome.Continue);
                        break;
                    case S.LastAck:
                        c.Stay(T.AckNew, E.ProcessAck, Fifth, "", o: Outcome.Continue)
                         .Go(T.AckOfFin, S.Closed, E.ProcessAck, Fifth + " (our FIN is acknowledged: delete the TCB)");
                        break;
                    case S.TimeWait:
                        c.Stay(T.AckNew, E.TimeWaitAck, Fifth + " (TIME-WAIT: acknowledge it, restart the 2 MSL timeout; POLICY time-wait-ack-rule)", "per policy: " + Ack, o: Outcome.Continue)
                         .NotProduced(Fifth, T.AckOfFin);
                        break;
                    default:
                        c.Stay(T.AckNew, E.ProcessAck, Fifth, "", o: Outcome.Continue)
                         .NotProduced(Fifth, T.AckOfFin);
                        break;
                }
            }

            // seventh, process the segment text
            if (s is S.Established or S.FinWait1 or S.FinWait2)
                c.Stay(T.Text, E.AcceptText, Seventh, Ack, o: Outcome.Continue);
            else if (s == S.SynReceived)
                c.Ignore(T.Text, Seventh + " (not produced in this state)");
            else
                c.Ignore(T.Text, Seventh + " (should not occur: a FIN has been received)", o: Outcome.Continue);

            // eighth, check the FIN bit
            switch (s)
            {
                case S.SynReceived or S.Established:
                    c.Go(T.Fin, S.CloseWait, E.AcceptFin, Eighth, Ack);
                    break;
                case S.FinWait1:
                    c.Go(T.Fin, S.Closing, E.AcceptFin, Eighth + " (our FIN not yet acknowledged)", Ack);
                    break;
                case S.FinWait2:
                    c.Go(T.Fin, S.TimeWait, E.AcceptFin, Eighth + " (start the time-wait timer)", Ack);
                    break;
                case S.TimeWait:
                    c.Stay(T.Fin, E.RestartTimeWait, Eighth + " (restart the 2 MSL time-wait timeout)", Ack);
                    break;
                default:
                    // CLOSE-WAIT, CLOSING, LAST-ACK: a FIN after the peer's FIN (RCV.NXT is already past that one). CLOSING's
                    // fifth check ends "otherwise, ignore the segment", yet the seventh and eighth checks give CLOSING
                    // entries of their own, which that reading would leave unreachable: the segment goes on to them
                    // (the reference model reads it so too)
                    c.Stay(T.Fin, E.AckAndDrop, Eighth + " (remain in this state; POLICY fin-after-fin: \"send an acknowledgment for the FIN\", RCV.NXT not advanced again)", Ack, G.AckFinAfterFin)
                     .Ignore(T.Fin, Eighth + " (remain in this state; POLICY fin-after-fin: FreeBSD tcp_do_segment clears TH_FIN, Linux tcp_rcv_state_process never reaches tcp_fin)", G.IgnoreFinAfterFin);
                    break;
            }
        }
    }
}
