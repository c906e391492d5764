using TcpModel.Wire;

namespace TcpModel.Machine;

public sealed partial class Endpoint
{
    // The explorer (src/TcpModel/Checking) stores endpoints as compact byte strings. What is written is
    // everything a later Step can read; times are written relative to the current instant and canonicalised
    // where the model only compares them with a bound (so equal futures give equal bytes):
    //   - the R2 epoch only matters while the retransmission timer is armed, and only as "R2 reached or not":
    //     it is clamped at max(R2, R2Syn) in the past;
    //   - the challenge-ACK window only matters while it is younger than one second (RFC 5961 §7);
    //   - the RTT send time only while a segment is timed; LastReceiveAt is read by no step.
    // In CLOSED nothing is written (every way out of CLOSED builds a new TCB; P-15 checks it is empty).
    // Sequence numbers are written as distances from ISS (send side) and IRS (receive side).

    /// <summary>
    /// The TIME-WAIT connection as the reopening SYN found it (POLICY reopen-reset-restores-time-wait), encoded by
    /// <see cref="Save"/> with no time in it: its timers are dropped (entering TIME-WAIT again starts 2 MSL afresh),
    /// and so are the challenge-ACK window, the RTT sample and the delayed-ACK bookkeeping, which TIME-WAIT's
    /// answers (immediate ACKs) do not read — so equal TIME-WAIT connections give equal bytes at any instant.
    /// </summary>
    private byte[] SaveTimeWait()
    {
        var t = Tcb;
        var keep = (t.Timers, t.ChallengeWindowStart, t.ChallengeAcksInWindow, t.RttTiming, t.DataSeen, t.LastDataAt);
        t.Timers = TimerSet.None;
        t.ChallengeWindowStart = long.MinValue;
        t.ChallengeAcksInWindow = 0;
        t.RttTiming = t.DataSeen = false;
        t.LastDataAt = 0;
        var w = new StateWriter(new byte[64]);
        Save(ref w, 0);
        (t.Timers, t.ChallengeWindowStart, t.ChallengeAcksInWindow, t.RttTiming, t.DataSeen, t.LastDataAt) = keep;
        return w.Span.ToArray();
    }

    /// <summary>Appends the state of this endpoint, with times relative to <paramref name="now"/>.</summary>
    internal void Save(ref StateWriter w, long now)
    {
        var t = Tcb;
        w.Byte((byte)State);
        if (State == TcpState.Closed) { w.Byte(0); return; } // CLOSED has no TCB (§3.3.2): OPEN and LISTEN start afresh
        w.Byte(1);
        w.U32(t.Iss.Value);
        w.U32(t.Irs.Value);
        var iss = t.Iss;
        var irs = t.Irs;
        w.Seq(t.SndUna, iss); w.Seq(t.SndNxt, iss); w.Seq(t.SndUp, iss); w.Seq(t.SndWl2, iss); w.Seq(t.FinSeq, iss); w.Seq(t.RttSeq, iss);
        w.Seq(t.RcvNxt, irs); w.Seq(t.RcvUp, irs); w.Seq(t.SndWl1, irs);
        w.VarU(t.SndWnd); w.VarU(t.MaxSndWnd);
        uint flags = 0;
        void Bit(bool b, int i) { if (b) flags |= 1u << i; }
        Bit(t.FromPassiveOpen, 0); Bit(t.RemoteSpecified, 1); Bit(t.OfferedScale, 2); Bit(t.TimestampsOn, 3);
        Bit(t.FinQueued, 4); Bit(t.FinSent, 5); Bit(t.FinReceived, 6); Bit(t.CloseAfterEstablished, 7);
        Bit(t.SynTimedOut, 8); Bit(t.RttTiming, 9); Bit(t.AckNow, 10); Bit(t.AckPlain, 11); Bit(t.RoundBufferWhenEstablished, 12);
        Bit(t.ReopenedFromTimeWait, 13); Bit(t.SackPermittedOn, 14); Bit(t.RcvAdvSet, 15); Bit(t.ProbeOutstanding, 16);
        Bit(t.SavedTimeWait is not null, 17); Bit(t.LossProbeArmed, 18); Bit(t.TlpOutstanding, 19);
        w.VarU(flags);
        if (t.RcvAdvSet) w.Seq(t.RcvAdv, irs);
        if (t.TlpOutstanding) w.Seq(t.TlpHighSeq, iss);
        if (t.SavedTimeWait is { } saved) w.Bytes(saved);
        w.VarU((ulong)t.PersistBackoff);
        w.VarU((ulong)t.QueuedSendCalls);
        w.VarU(t.UserTimeout is { } ut ? (ulong)ut + 1 : 0);
        w.VarU((ulong)t.ReceiveBufferSize); w.VarU((ulong)t.SendMss); w.VarU(t.OurMss);
        w.Byte(t.SndScale); w.Byte(t.RcvScale);
        w.U32(t.TsRecent);
        if (t.TimestampsOn) w.Seq(t.LastAckSent, irs);
        w.VarU(t.RcvWndLimit == uint.MaxValue ? 0 : (ulong)t.RcvWndLimit + 1);
        w.Bytes(t.SendQueue.Span);
        w.Bytes(t.ReceiveQueue.Span);
        t.Reassembly.Save(ref w, t.RcvNxt);
        for (var k = TimerKind.Retransmit; k <= TimerKind.TimeWait; k++) w.Deadline(t.Timers.Get(k), now);
        w.VarS(t.Rto); w.VarS(t.Srtt); w.VarS(t.RttVar);
        w.VarS(t.RttTiming ? t.RttSentAt - now : 0);
        w.VarU((ulong)t.Retransmissions);
        long epochFloor = -Math.Max(Profile.R2, Profile.R2Syn);
        w.VarS(t.Timers.Get(TimerKind.Retransmit) == TimerSet.Off ? 0 : Math.Max(t.RetransmitEpoch - now, epochFloor));
        bool challengeLive = t.ChallengeWindowStart != long.MinValue && now - t.ChallengeWindowStart < 1_000_000;
        w.VarS(challengeLive ? now - t.ChallengeWindowStart + 1 : 0);
        w.VarU(challengeLive ? (ulong)t.ChallengeAcksInWindow : 0);
        w.VarU((ulong)t.UnackedSegments);
        w.VarU((ulong)t.QuickAcks);
        w.Byte((byte)((t.PingPong ? 1 : 0) | (t.DataSeen ? 2 : 0)));
        // the last arrival of text is compared with the delayed-ACK time and the RTO only: clamped at RTO.max past
        w.VarS(t.DataSeen ? Math.Max(t.LastDataAt - now, -Profile.RtoMax - 1) : 0);
    }

    /// <summary>Restores what <see cref="Save"/> wrote (the same profile and options), with times relative to <paramref name="now"/>.</summary>
    internal void Load(ref StateReader r, long now)
    {
        var t = Tcb;
        State = (TcpState)r.Byte();
        t.Clear();
        // what Clear keeps (the next OPEN sets it afresh) is reset too, so a loaded endpoint has no history
        t.Rto = 0; t.SendMss = 0; t.OurMss = 0; t.ReceiveBufferSize = 0; t.RttSeq = default; t.RttSentAt = 0;
        t.RetransmitEpoch = 0; t.LastReceiveAt = 0; t.Retransmissions = 0;
        if (r.Byte() == 0) return;
        t.Iss = new SeqNum(r.U32());
        t.Irs = new SeqNum(r.U32());
        var iss = t.Iss;
        var irs = t.Irs;
        t.SndUna = r.Seq(iss); t.SndNxt = r.Seq(iss); t.SndUp = r.Seq(iss); t.SndWl2 = r.Seq(iss); t.FinSeq = r.Seq(iss); t.RttSeq = r.Seq(iss);
        t.RcvNxt = r.Seq(irs); t.RcvUp = r.Seq(irs); t.SndWl1 = r.Seq(irs);
        t.SndWnd = (uint)r.VarU(); t.MaxSndWnd = (uint)r.VarU();
        uint flags = (uint)r.VarU();
        bool Bit(int i) => (flags & (1u << i)) != 0;
        t.FromPassiveOpen = Bit(0); t.RemoteSpecified = Bit(1); t.OfferedScale = Bit(2); t.TimestampsOn = Bit(3);
        t.FinQueued = Bit(4); t.FinSent = Bit(5); t.FinReceived = Bit(6); t.CloseAfterEstablished = Bit(7);
        t.SynTimedOut = Bit(8); t.RttTiming = Bit(9); t.AckNow = Bit(10); t.AckPlain = Bit(11); t.RoundBufferWhenEstablished = Bit(12);
        t.ReopenedFromTimeWait = Bit(13); t.SackPermittedOn = Bit(14); t.RcvAdvSet = Bit(15); t.ProbeOutstanding = Bit(16);
        t.LossProbeArmed = Bit(18); t.TlpOutstanding = Bit(19);
        if (t.RcvAdvSet) t.RcvAdv = r.Seq(irs);
        if (t.TlpOutstanding) t.TlpHighSeq = r.Seq(iss);
        if (Bit(17)) t.SavedTimeWait = r.Bytes().ToArray();
        t.PersistBackoff = (int)r.VarU();
        t.QueuedSendCalls = (int)r.VarU();
        ulong userTimeout = r.VarU();
        t.UserTimeout = userTimeout == 0 ? null : (long)(userTimeout - 1);
        t.ReceiveBufferSize = (int)r.VarU(); t.SendMss = (int)r.VarU(); t.OurMss = (ushort)r.VarU();
        t.SndScale = r.Byte(); t.RcvScale = r.Byte();
        t.TsRecent = r.U32();
        if (t.TimestampsOn) t.LastAckSent = r.Seq(irs);
        ulong lim = r.VarU();
        t.RcvWndLimit = lim == 0 ? uint.MaxValue : (uint)(lim - 1);
        t.SendQueue.Append(r.Bytes());
        t.ReceiveQueue.Append(r.Bytes());
        t.Reassembly.Load(ref r, t.RcvNxt);
        for (var k = TimerKind.Retransmit; k <= TimerKind.TimeWait; k++) t.Timers.Set(k, r.Deadline(now));
        t.Rto = r.VarS(); t.Srtt = r.VarS(); t.RttVar = r.VarS();
        t.RttSentAt = now + r.VarS();
        t.Retransmissions = (int)r.VarU();
        t.RetransmitEpoch = now + r.VarS();
        long cw = r.VarS();
        t.ChallengeWindowStart = cw == 0 ? long.MinValue : now - (cw - 1);
        t.ChallengeAcksInWindow = (int)r.VarU();
        t.UnackedSegments = (int)r.VarU();
        t.QuickAcks = (int)r.VarU();
        byte ack = r.Byte();
        t.PingPong = (ack & 1) != 0; t.DataSeen = (ack & 2) != 0;
        t.LastDataAt = now + r.VarS();
        t.LastReceiveAt = now;
    }
}
