using TcpModel.Wire;

namespace TcpModel.Reference;

/// <summary>
/// The virtual clock and the timers: retransmission (RFC 6298, RFC 1122 §4.2.3.5 R1/R2, Karn's
/// algorithm), persist (RFC 9293 §3.8.6.1), user timeout and time-wait (§3.10.8), and the RFC 5961
/// §7 challenge-ACK throttle. Times are microseconds of virtual time, as in <c>Profile</c>.
/// </summary>
public sealed partial class ReferenceTcp
{
    /// <summary>G of RFC 6298 §2: the clock granularity, one microsecond of virtual time.</summary>
    private const long ClockGranularity = 1;

    /// <summary>RFC 6298 §5.7: the RTO after a handshake whose SYN had to be retransmitted.</summary>
    private const long SynRetransmittedRto = 3_000_000;

    /// <summary>The notice given when R2 is reached (RFC 1122 §4.2.3.5: "close the connection").</summary>
    public const string RetransmitGiveUpNotice = "connection aborted due to retransmission timeout";

    /// <summary>The notice given when R1 is reached: the model has no IP layer to give "negative
    /// advice" to (RFC 1122 §4.2.3.5 (a)), so the user is told.</summary>
    public const string R1Notice = "retransmission threshold R1 reached";

    /// <summary>The notice of RFC 9293 §3.10.8 USER TIMEOUT (without "error: ").</summary>
    public const string UserTimeoutNotice = "connection aborted due to user timeout";

    // Retransmission, RFC 6298.
    private long _rto, _srtt, _rttvar;
    private bool _haveRttSample;
    private long? _rtoAt;
    /// <summary>Karn: one segment timed at a time, never one that was retransmitted (RFC 6298 §3).</summary>
    private bool _timing;
    private SeqNum _timedEnd;
    private long _timedAt;
    /// <summary>Retransmissions of the earliest unacknowledged segment (RFC 1122 §4.2.3.5 R1).</summary>
    private int _retransmissions;
    private bool _synRetransmitted;
    /// <summary>When each stretch of sequence space was first sent: (end, time), oldest first; the
    /// first entry gives the first transmission of the octet at SND.UNA (R2 is measured from it).</summary>
    private readonly Queue<(SeqNum End, long At)> _firstSent = new();

    // Persist, RFC 9293 §3.8.6.1.
    private long? _persistAt;
    private int _persistBackoff;
    private bool _probeSent;
    private long? _probeUnansweredSince;

    private long? _userTimeoutAt;
    private long? _timeWaitAt;

    // RFC 5961 §7.
    private long? _challengeIntervalStart;
    private int _challengeAcksInInterval;

    /// <summary>The virtual time in microseconds; starts at 0 and moves only by <see cref="AdvanceTo"/>.</summary>
    public long Now { get; private set; }

    /// <summary>The current RTO in microseconds (RFC 6298 §2, with the backoff of §5.5).</summary>
    public long Rto => _rto;

    /// <summary>SRTT in microseconds, or null before the first RTT measurement (RFC 6298 §2.2).</summary>
    public long? Srtt => _haveRttSample ? _srtt : null;

    /// <summary>RTTVAR in microseconds, or null before the first RTT measurement (RFC 6298 §2.2).</summary>
    public long? RttVar => _haveRttSample ? _rttvar : null;

    /// <summary>When the retransmission timer expires, or null when it is off.</summary>
    public long? RetransmissionDeadline => _rtoAt;

    /// <summary>When the persist timer sends the next zero-window probe, or null when it is off.</summary>
    public long? PersistDeadline => _persistAt;

    /// <summary>When the user timeout expires, or null when it is not running.</summary>
    public long? UserTimeoutDeadline => _userTimeoutAt;

    /// <summary>When the 2 MSL time-wait timeout expires, or null outside TIME-WAIT.</summary>
    public long? TimeWaitDeadline => _timeWaitAt;

    /// <summary>The earliest time at which a timer expires, or null when no timer runs. Advancing the
    /// clock to any earlier time changes nothing.</summary>
    public long? NextDeadline
    {
        get
        {
            long? next = null;
            foreach (var d in new[] { _userTimeoutAt, _rtoAt, _persistAt, _timeWaitAt })
                if (d is { } v && (next is null || v < next)) next = v;
            return next;
        }
    }

    /// <summary>
    /// Moves the clock to <paramref name="now"/> (microseconds; an earlier time is ignored), firing
    /// every timer that expires on the way, each at its own deadline and in deadline order (at one
    /// instant: user timeout, retransmission, persist, time-wait). Returns the segments sent.
    /// </summary>
    public IReadOnlyList<Segment> AdvanceTo(long now)
    {
        while (NextDeadline is { } due && due <= now)
        {
            Now = Math.Max(Now, due);
            if (_userTimeoutAt == due) UserTimeoutExpires();
            else if (_rtoAt == due) RetransmissionTimeout();
            else if (_persistAt == due) PersistTimeout();
            else if (_timeWaitAt == due) TimeWaitExpires();
            UpdateTimers();
        }
        if (now > Now) Now = now;
        return Flush();
    }

    /// <summary>
    /// Moves the clock to <paramref name="now"/> (an earlier time is ignored) without firing any timer: an input
    /// handled at <paramref name="now"/> before the timer interrupt is (a timer already due stays due and fires,
    /// at its own deadline, at the next <see cref="AdvanceTo"/>).
    /// </summary>
    public void SetClock(long now)
    {
        if (now > Now) Now = now;
    }

    /// <summary>The 2 MSL time-wait timeout at once, whatever the clock: TIME-WAIT → CLOSED; a no-op in
    /// any other state.</summary>
    public IReadOnlyList<Segment> TimeWaitTimeout()
    {
        TimeWaitExpires();
        return Flush();
    }

    private void TimeWaitExpires()
    {
        // "If the time-wait timeout expires on a connection, delete the TCB, enter the CLOSED state, and return."
        if (State == RefState.TimeWait) DeleteTcb();
        _timeWaitAt = null;
    }

    private void UserTimeoutExpires()
    {
        // §3.10.8 USER TIMEOUT: "For any state if the user timeout expires, flush all queues, signal the
        // user 'error: connection aborted due to user timeout' in general and for any outstanding calls,
        // delete the TCB, enter the CLOSED state, and return."
        Notify(UserTimeoutNotice);
        DeleteTcb();
    }

    private void ResetTimers()
    {
        _rto = _profile.RtoInitial; // RFC 6298 §2.1: "Until a round-trip time (RTT) measurement has been made ... RTO <- 1 second"
        _srtt = _rttvar = 0;
        _haveRttSample = false;
        _rtoAt = _persistAt = _userTimeoutAt = _timeWaitAt = null;
        _timing = false;
        _retransmissions = 0;
        _synRetransmitted = false;
        _firstSent.Clear();
        _persistBackoff = 0;
        _probeSent = false;
        _probeUnansweredSince = null;
        _rtoSuspended = false;
        _challengeIntervalStart = null;
        _challengeAcksInInterval = 0;
    }

    /// <summary>RFC 6298 §2.4 and §2.5: RTO rounded up to the minimum (POLICY rto-min), bounded by the maximum (rto-max).</summary>
    private long ClampRto(long rto) => Math.Min(Math.Max(rto, _profile.RtoMin), _profile.RtoMax);

    /// <summary>A new stretch of sequence space up to <paramref name="end"/> (SYN, data or FIN) has just
    /// been sent for the first time.</summary>
    private void OnNewSequenceSpaceSent(SeqNum end)
    {
        _firstSent.Enqueue((end, Now));
        // RFC 6298 §5.1: "Every time a packet containing data is sent (including a retransmission), if
        // the timer is not running, start it running so that it will expire after RTO seconds".
        _rtoAt ??= Now + Math.Max(1, _rto);
        // RFC 6298 §3 (Karn) with one measurement at a time: time this segment if none is being timed.
        if (!_timing)
        {
            _timing = true;
            _timedEnd = end;
            _timedAt = Now;
        }
    }

    /// <summary>The octets outstanding count as first sent now, for R2 (see <see cref="UpdateTimers"/>).</summary>
    private void RestartFirstSent()
    {
        var ends = _firstSent.Select(e => e.End).ToArray();
        _firstSent.Clear();
        foreach (var end in ends) _firstSent.Enqueue((end, Now));
    }

    /// <summary>SND.UNA ← SEG.ACK for an ACK of new sequence space.</summary>
    private void AdvanceUna(SeqNum ack)
    {
        bool synAcked = _sndUna == _iss && ack > _iss;
        _sndUna = ack;
        if (synAcked) _ourSynAcked = true;

        // Acknowledged octets leave the retransmission queue.
        long acked = ack.DistanceFrom(_sndBufSeq);
        if (acked > 0)
        {
            int n = (int)Math.Min(acked, _sndBuf.Count);
            _sndBuf.RemoveRange(0, n);
            _sndBufSeq += new SeqLen((uint)n);
        }
        while (_firstSent.Count > 0 && _firstSent.Peek().End <= ack) _firstSent.Dequeue();

        // RFC 6298 §2.2/§2.3: an RTT sample from the timed segment, if it was never retransmitted.
        if (_timing && ack >= _timedEnd)
        {
            RttSample(Now - _timedAt);
            _timing = false;
        }
        else if (synAcked && _synRetransmitted && !_haveRttSample && _profile.RtoInitial < SynRetransmittedRto)
        {
            // RFC 6298 §5.7: "If the timer expires awaiting the ACK of a SYN segment and the TCP
            // implementation is using an RTO less than 3 seconds, the RTO MUST be re-initialized to 3
            // seconds when data transmission begins (i.e., after the three-way handshake completes)."
            _rto = ClampRto(SynRetransmittedRto);
        }

        // RFC 1122 §4.2.3.5: the count is of transmissions "of the same segment".
        _retransmissions = 0;

        // RFC 6298 §5.2: "When all outstanding data has been acknowledged, turn off the retransmission
        // timer." §5.3: "When an ACK is received that acknowledges new data, restart the retransmission
        // timer so that it will expire after RTO seconds (for the current value of RTO)."
        _rtoAt = _sndUna == _sndNxt ? null : Now + Math.Max(1, _rto);

        // POLICY user-timeout: the user timeout measures how long nothing has been acknowledged; it
        // restarts here (UpdateTimers starts it again while anything remains unacknowledged).
        _userTimeoutAt = null;
    }

    /// <summary>RFC 6298 §2.2 (first measurement) and §2.3 (later ones), α = 1/8, β = 1/4, K = 4.</summary>
    private void RttSample(long r)
    {
        if (!_haveRttSample)
        {
            // "SRTT <- R, RTTVAR <- R/2, RTO <- SRTT + max (G, K*RTTVAR)"
            _srtt = r;
            _rttvar = r / 2;
            _haveRttSample = true;
        }
        else
        {
            // "RTTVAR <- (1 - beta) * RTTVAR + beta * |SRTT - R'|" then "SRTT <- (1 - alpha) * SRTT + alpha * R'"
            // (RTTVAR first, with the old SRTT; integer microseconds, truncated).
            _rttvar = (3 * _rttvar + Math.Abs(_srtt - r)) / 4;
            _srtt = (7 * _srtt + r) / 8;
        }
        // "RTO <- SRTT + max (G, K*RTTVAR)", then §2.4 (round up to the minimum) and §2.5 (maximum).
        // The new value also collapses any backoff (§5, last paragraph).
        _rto = ClampRto(_srtt + Math.Max(ClockGranularity, 4 * _rttvar));
    }

    /// <summary>RFC 6298 §5.4–§5.6 with R1/R2 of RFC 1122 §4.2.3.5.</summary>
    private void RetransmissionTimeout()
    {
        _rtoAt = null;
        if (EarliestUnacknowledged() is not { } segment) return;
        bool syn = _sndUna == _iss;

        // RFC 1122 §4.2.3.5 (b): "When the number of transmissions of the same segment reaches a
        // threshold R2 greater than R1, close the connection." POLICY r2 / r2-syn: R2 is a time,
        // measured from the segment's first transmission and checked when the timer expires.
        long r2 = syn ? _profile.R2Syn : _profile.R2;
        if (_firstSent.Count > 0 && Now - _firstSent.Peek().At >= r2)
        {
            Notify(RetransmitGiveUpNotice);
            DeleteTcb();
            return;
        }

        // §5.4: "Retransmit the earliest segment that has not been acknowledged by the TCP receiver."
        Emit(segment);
        _retransmissions++;
        if (syn) _synRetransmitted = true;
        // Karn (RFC 6298 §3): no RTT sample from anything sent before this retransmission.
        _timing = false;
        // RFC 1122 §4.2.3.5 (a): "When the number of transmissions of the same segment reaches or
        // exceeds threshold R1, pass negative advice" — POLICY r1: after R1 retransmissions, once.
        if (_retransmissions == _profile.R1) Notify(R1Notice);

        // §5.5: "The host MUST set RTO <- RTO * 2 ("back off the timer"). The maximum value discussed
        // in (2.5) above may be used to provide an upper bound to this doubling operation."
        _rto = Math.Min(_rto * 2, _profile.RtoMax);
        // §5.6: "Start the retransmission timer, such that it expires after RTO seconds".
        _rtoAt = Now + Math.Max(1, _rto);
    }

    /// <summary>
    /// True when the persist timer should run: the peer's window is zero and either data is queued with
    /// nothing outstanding, so no ACK will come to reopen it (RFC 9293 §3.8.6.1), or data sent before the
    /// window closed is outstanding (<see cref="OutstandingBehindZeroWindow"/>).
    /// </summary>
    private bool ZeroWindowStall => CanSendData && _sndWnd == 0
        && ((Unsent > 0 && _sndUna == _sndNxt) || OutstandingBehindZeroWindow);

    /// <summary>
    /// An ACK has closed the peer's window (SND.WND = 0) on data sent before it closed and not yet acknowledged.
    /// RFC 9293 §3.8.6.1: "The sending TCP peer must regularly transmit at least one octet of new data (if
    /// available), or retransmit to the receiving TCP peer even if the send window is zero, in order to 'probe'
    /// the window" (MUST-35); "the transmitting host SHOULD send the first zero-window probe when a zero window
    /// has existed for the retransmission timeout period (SHLD-29), and SHOULD increase exponentially the
    /// interval between successive probes (SHLD-30)"; the window may stay zero "indefinitely" while the probes
    /// are answered (MUST-36, MUST-37). INTERPRETATION: the persist timer takes over from the retransmission
    /// timer (as FreeBSD tcp_output does when the "window shrank to 0": "cancel pending retransmit ... and set
    /// the persist timer"): no retransmission goes into the zero window, the probes retransmit the first
    /// unacknowledged octet (POLICY zero-window-probe-form), R2 applies to them only while they go unanswered.
    /// When the window opens, normal retransmission resumes: the retransmission timer starts afresh (RFC 6298
    /// §5.1: "if the timer is not running, start it running so that it will expire after RTO seconds") and the
    /// octets outstanding are retransmitted when it expires (§5.4); octets never sent go out as the window allows
    /// (SND.NXT is not pulled back, unlike FreeBSD).
    /// </summary>
    private bool OutstandingBehindZeroWindow => CanSendData && _sndWnd == 0 && SentDataCount > 0;

    /// <summary>The retransmission timer is stopped because of <see cref="OutstandingBehindZeroWindow"/>.</summary>
    private bool _rtoSuspended;

    /// <summary>
    /// Sends a zero-window probe (POLICY zero-window-probe-form): OneOctet, one octet at SND.NXT,
    /// <c>&lt;SEQ=SND.NXT&gt;&lt;ACK=RCV.NXT&gt;&lt;CTL=ACK&gt;&lt;DATA=1 octet&gt;</c>, SND.NXT not advanced, so
    /// that while the window stays zero every probe carries the same octet; OldSequence,
    /// <c>&lt;SEQ=SND.UNA−1&gt;&lt;ACK=RCV.NXT&gt;&lt;CTL=ACK&gt;</c> without data.
    /// </summary>
    private void PersistTimeout()
    {
        _persistAt = null;
        // The deadline kept while nothing is left to send (UpdateTimers): nothing is probed, the timer stays
        // off until a SEND into the zero window arms it again.
        if (!ZeroWindowStall) return;

        // RFC 1122 §4.2.2.17 / RFC 9293 MUST-36: the window may stay zero "indefinitely, as long as the
        // receiving TCP continues to send acknowledgments in response to the probe segments". A probe
        // that goes unanswered is a retransmission of the same one-octet segment: R2 (POLICY r2),
        // measured from the first probe no ACK has answered, closes the connection.
        _probeUnansweredSince ??= Now;
        if (Now - _probeUnansweredSince.Value >= _profile.R2)
        {
            Notify(RetransmitGiveUpNotice);
            DeleteTcb();
            return;
        }

        bool outstanding = _sndUna != _sndNxt;
        if (_profile.ZeroWindowProbeForm == TcpModel.Machine.ZeroWindowProbeForm.OldSequence)
        {
            // POLICY zero-window-probe-form OldSequence (Linux tcp_write_wakeup → tcp_xmit_probe_skb(sk, 0): "Use a
            // previous sequence. This should cause the other end to send an ack."): <SEQ=SND.UNA−1><ACK=RCV.NXT>
            // <CTL=ACK> without data — unacceptable to the receiver (§3.10.7.4 first), which answers with an
            // acknowledgment carrying its window (RFC 1122 §4.2.2.17 asks only that the probe draw one).
            Emit(new Segment(_sndUna - new SeqLen(1), _rcvNxt, Control.ACK, WindowField(syn: false)));
        }
        else
        {
            // OneOctet: the first octet not yet acknowledged, at SND.UNA — the first queued one when nothing is
            // outstanding (SND.UNA = SND.NXT: sent without advancing SND.NXT), otherwise the first octet sent
            // before the window closed, retransmitted — the same one while the window stays zero.
            var octet = _sndBuf.GetRange(0, 1).ToArray();
            Emit(new Segment(_sndUna, _rcvNxt, Control.ACK, WindowField(syn: false), octet));
            if (outstanding)
            {
                // Karn (RFC 6298 §3): the octet is sent a second time; no RTT sample from what it is part of.
                _timing = false;
            }
            else
            {
                _probeSent = true;
            }
        }
        // §3.8.6.1: "SHOULD increase exponentially the interval between successive probes (SHLD-30)",
        // bounded like the RTO (RFC 6298 §2.5).
        _persistBackoff++;
        _persistAt = Now + PersistInterval();
    }

    /// <summary>RTO × 2^backoff, at most the maximum RTO.</summary>
    private long PersistInterval() =>
        Math.Max(1, _persistBackoff >= 30 ? _profile.RtoMax : Math.Min(_rto << _persistBackoff, _profile.RtoMax));

    /// <summary>After every event: the persist timer follows the zero-window stall, the user timeout
    /// follows whether anything is unacknowledged.</summary>
    private void UpdateTimers()
    {
        if (ZeroWindowStall)
        {
            // §3.8.6.1: "The transmitting host SHOULD send the first zero-window probe when a zero window
            // has existed for the retransmission timeout period (SHLD-29)".
            _persistAt ??= Now + PersistInterval();
        }
        else if (CanSendData && _sndWnd == 0 && _persistAt is not null)
        {
            // §3.8.6.1: "The transmitting host SHOULD send the first zero-window probe when a zero window
            // has existed for the retransmission timeout period (SHLD-29)" — the period is the zero window's,
            // not the queued text's. INTERPRETATION (decided by the project, issue 14): once a zero window has
            // armed the persist timer it keeps its deadline while the window stays zero. It is not cancelled
            // when what was outstanding is then acknowledged with the window still zero, and a SEND meanwhile
            // does not push it later (the `??=` above): the first probe goes one RTO after the zero window
            // began. Falling due with nothing left to send it sends nothing and is not re-armed
            // (PersistTimeout), so a later SEND into the still-zero window arms it afresh, one RTO on. Only
            // a window that opens (or a state that sends no more) stops it. The kernels read it so: FreeBSD
            // tcp_output arms TT_PERSIST only "if ... !tcp_timer_active(tp, TT_REXMT) &&
            // !tcp_timer_active(tp, TT_PERSIST)" and an ACK of everything does not cancel TT_PERSIST; Linux
            // tcp_check_probe_timer arms ICSK_TIME_PROBE0 only when no timer is pending.
        }
        else
        {
            _persistAt = null;
            _persistBackoff = 0;
            _probeSent = false;
            _probeUnansweredSince = null;
        }

        // The retransmission timer stays off while data sent before the window closed waits behind it
        // (OutstandingBehindZeroWindow); once the window opens it starts afresh for what is still outstanding
        // (RFC 6298 §5.1), and R2 (RFC 1122 §4.2.3.5) counts from now: the probes kept the connection alive.
        if (OutstandingBehindZeroWindow)
        {
            _rtoAt = null;
            _rtoSuspended = true;
        }
        else if (_rtoSuspended)
        {
            _rtoSuspended = false;
            if (CanSendData && _sndUna != _sndNxt)
            {
                _rtoAt ??= Now + Math.Max(1, _rto);
                RestartFirstSent();
            }
        }

        // POLICY user-timeout (§3.10.8; §3.9.1.1: "If data is not successfully delivered to the
        // destination within the timeout period, the TCP endpoint will abort the connection"): runs while
        // a SYN, data or FIN is sent or queued and not acknowledged; 0 disables it.
        bool pending = State is not (RefState.Closed or RefState.Listen or RefState.TimeWait)
            && (_sndUna != _sndNxt || _sndBuf.Count > 0 || (_closeRequested && !_finSent));
        if (!pending || _profile.UserTimeout <= 0) _userTimeoutAt = null;
        else _userTimeoutAt ??= Now + _profile.UserTimeout;
    }

    /// <summary>Enters TIME-WAIT: "Start the time-wait timer, turn off the other timers" (§3.10.7.4).</summary>
    private void EnterTimeWait()
    {
        State = RefState.TimeWait;
        RestartTimeWait();
        _rtoAt = _persistAt = _userTimeoutAt = null;
        _timing = false;
    }

    /// <summary>The 2 MSL timeout (POLICY msl; RFC 9293 §3.6, MUST-13) from now.</summary>
    private void RestartTimeWait() => _timeWaitAt = Now + 2 * _profile.Msl;

    /// <summary>
    /// A challenge ACK &lt;SEQ=SND.NXT&gt;&lt;ACK=RCV.NXT&gt;&lt;CTL=ACK&gt; (RFC 5961 §3.2, §4.2, §5.2),
    /// unless the throttle of §7 holds it back: POLICY challenge-ack-limit — at most that many per
    /// one-second interval, the interval starting with the first challenge ACK after the last one ended;
    /// 0 means unlimited. The segment is dropped either way.
    /// </summary>
    private void SendChallengeAck()
    {
        int limit = _profile.ChallengeAckLimitPerSecond;
        if (limit > 0)
        {
            if (_challengeIntervalStart is not { } start || Now - start >= 1_000_000)
            {
                _challengeIntervalStart = Now;
                _challengeAcksInInterval = 0;
            }
            if (_challengeAcksInInterval >= limit) return;
            _challengeAcksInInterval++;
        }
        SendAck();
    }
}
