namespace TcpModel.Machine;

/// <summary>How an RST answering an in-window SYN is formed when the classic (RFC 793) SYN rule
/// resets the connection (§3.10.7.4 fourth says only "send a reset").</summary>
public enum SynResetForm : byte
{
    /// <summary>The §3.5.2 reset-generation rule applied to the SYN: <c>&lt;SEQ=SEG.ACK&gt;&lt;CTL=RST&gt;</c>
    /// if it has ACK, else <c>&lt;SEQ=0&gt;&lt;ACK=SEG.SEQ+SEG.LEN&gt;&lt;CTL=RST,ACK&gt;</c>.</summary>
    FromSegment,
    /// <summary>BSD: <c>&lt;SEQ=SND.NXT&gt;&lt;ACK=RCV.NXT&gt;&lt;CTL=RST,ACK&gt;</c> from the connection's own variables.</summary>
    FromConnection,
}

/// <summary>What a zero-window probe is (POLICY zero-window-probe-form).</summary>
public enum ZeroWindowProbeForm : byte
{
    /// <summary>RFC 9293 §3.8.6.1: one octet of data (the first unsent, or the first unacknowledged one again), the
    /// same octet while the window stays zero (FreeBSD tcp_output with t_force: one octet).</summary>
    OneOctet,
    /// <summary>Linux tcp_write_wakeup → tcp_xmit_probe_skb(sk, 0): no data, SEG.SEQ = SND.UNA − 1 ("Use a previous
    /// sequence. This should cause the other end to send an ack."), so the answer carries the peer's window.</summary>
    OldSequence,
}

/// <summary>Whether the ACK that completes a simultaneous open gives an RTT sample (POLICY simultaneous-open-rtt).</summary>
public enum SimultaneousOpenRtt : byte
{
    /// <summary>RFC 6298 §3 (Karn): the SYN,ACK of a simultaneous open sends our SYN's sequence number a second
    /// time, so an ACK of it may answer either transmission: no sample.</summary>
    Karn,
    /// <summary>The sample runs from our first SYN (FreeBSD: the SYN,ACK goes out through tcp_output with
    /// snd_nxt not beyond snd_max, so t_rtttime set by the SYN is kept; tcp_xmit_timer takes it on the ACK).</summary>
    FromSyn,
    /// <summary>The sample runs from the SYN,ACK (Linux tcp_send_synack sends the SYN's skb again through
    /// tcp_transmit_skb, which restamps it without marking it retransmitted; tcp_clean_rtx_queue samples from that
    /// stamp).</summary>
    FromSynAck,
}

/// <summary>How TIME-WAIT answers segments that pass the sequence check (POLICY time-wait-ack-rule).</summary>
public enum TimeWaitAckRule : byte
{
    /// <summary>RFC 9293 §3.10.7.4 read as "the only thing that can arrive in this state is a retransmission
    /// of the remote FIN": only a FIN (or text) is acknowledged; other acceptable segments are ignored.</summary>
    FinOnly,
    /// <summary>The fifth check's TIME-WAIT text read literally: every segment reaching the ACK check is
    /// acknowledged and the 2 MSL timeout restarted (the property tests found that two TIME-WAIT endpoints both reading it so acknowledge each other's ACKs for ever, each restarting 2 MSL: fit for a scripted peer, not for two model endpoints).</summary>
    EveryAck,
    /// <summary>Every acceptable segment is acknowledged and the 2 MSL timeout restarted (the fifth check's text)
    /// except an exact duplicate ACK (flags ACK only, no text, SEG.SEQ = RCV.NXT, SEG.ACK = SND.NXT), which is
    /// what our own ACK of the peer's FIN looks like to a peer in TIME-WAIT: the FreeBSD state-event suite's
    /// STANDARD lines (an ACK at RCV.NXT gets nothing, one above it an ACK), and two TIME-WAIT ends do not
    /// acknowledge each other's ACKs for ever; SYNs get the synchronized-state SYN rules.</summary>
    AllButDuplicateAck,
    /// <summary>BSD tcp_twcheck: every segment with ACK is acknowledged except an exact duplicate ACK
    /// (flags ACK only, no text, SEG.SEQ = RCV.NXT, SEG.ACK = SND.NXT), an in-window SYN is acknowledged
    /// rather than reset, and only a retransmitted FIN restarts the 2 MSL timeout.</summary>
    Bsd,
    /// <summary>Linux tcp_timewait_state_process, before any other TIME-WAIT check but the reopening SYN: a segment
    /// occupying no sequence space at exactly RCV.NXT restarts the 2 MSL timeout without reply ("it may be only reset
    /// or bare ack"), an RST there closes (rfc1337 off), an RST anywhere else is dropped; every other segment is
    /// acknowledged (a pure ACK or a SYN at most once per challenge-ack-interval, tcp_oow_rate_limited) and, if it
    /// carries an ACK or failed PAWS, restarts the 2 MSL timeout.</summary>
    Linux,
}

/// <summary>How a connection with timestamps negotiated (RFC 7323 §3) keeps TS.Recent and applies PAWS
/// (POLICY timestamp-rule).</summary>
public enum TimestampRule : byte
{
    /// <summary>RFC 7323 §5.3 R1–R3 and §4.3: a non-RST segment with SEG.TSval &lt; TS.Recent is not acceptable —
    /// an ACK is sent and the segment dropped, before the sequence check; a segment that passes the sequence check
    /// with SEG.TSval &gt;= TS.Recent and SEG.SEQ =&lt; Last.ACK.sent has its TSval recorded in TS.Recent.</summary>
    Rfc7323,
    /// <summary>FreeBSD <c>tcp_do_segment</c>: an RST is processed before PAWS (exempt); a segment with
    /// SEG.TSval &lt; TS.Recent (TS.Recent non-zero) is dropped, with an ACK only when it carries text
    /// ("if (tlen) goto dropafterack; goto drop"); after trimming, a non-SYN segment with
    /// SEG.SEQ =&lt; Last.ACK.sent =&lt; SEG.SEQ + SEG.LEN (+1 for SYN or FIN) has its TSval recorded — before the
    /// ACK field is checked, so an ACK beyond SND.NXT records it too; <c>tcp_twcheck</c> (TIME-WAIT) neither
    /// checks PAWS nor records ("ts_recent is never updated because we never accept new segments").</summary>
    FreeBsd,
    /// <summary>Linux <c>tcp_validate_incoming</c> → <c>tcp_paws_discard</c>: PAWS before the sequence check with a
    /// window of one tick (<c>TCP_PAWS_WINDOW</c>: SEG.TSval = TS.Recent - 1 passes), an RST exempt, a pure duplicate
    /// ACK that updates no window exempt within about an RTO of TS.Recent (<c>tcp_disordered_ack</c>); a SYN failing
    /// it gets a challenge ACK, anything else a duplicate ACK. TS.Recent is recorded only in <c>tcp_ack</c> after the
    /// ACK is found acceptable (SND.UNA =&lt; SEG.ACK =&lt; SND.NXT; <c>tcp_replace_ts_recent</c>: SEG.SEQ =&lt;
    /// <c>rcv_wup</c>, the RCV.NXT of our last segment, and SEG.TSval &gt;= TS.Recent); TIME-WAIT
    /// (<c>tcp_timewait_state_process</c>) records it only from an in-window segment at RCV.NXT, never from the
    /// retransmitted FIN.</summary>
    Linux,
}

/// <summary>What a SYN other than the peer's SYN again (SEG.SEQ = IRS, no ACK) does to a SYN-RECEIVED reached by a
/// passive OPEN (POLICY syn-in-passive-syn-received).</summary>
public enum SynInPassiveSynReceivedRule : byte
{
    /// <summary>RFC 9293 §3.10.7.4: the first check answers one outside the window (ACK and drop); the fourth returns
    /// the connection to LISTEN for one inside it, silently ("return this connection to the LISTEN state").</summary>
    RfcListen,
    /// <summary>FreeBSD's syncache: a SYN without ACK, whatever its sequence number, is a duplicate SYN — our SYN,ACK
    /// again (syncache_add: "We do not check the sequence number to see if this is a real retransmit or a new
    /// connection attempt"); one with ACK reaches the listen socket's "(SYN|ACK) is bogus" branch of tcp_input —
    /// syncache_badack drops the entry and tcp_dropwithreset answers with a reset: back to LISTEN with an RST.</summary>
    Syncache,
    /// <summary>Linux's request sock: tcp_check_req answers one outside the window with an ACK; one inside it goes to
    /// embryonic_reset — send_reset (the reset formed from the segment) and inet_csk_reqsk_queue_drop: back to LISTEN
    /// with an RST.</summary>
    RequestSock,
}

/// <summary>What a local connect() does when its pair of sockets is held by a connection in TIME-WAIT
/// (POLICY connect-over-time-wait).</summary>
public enum TimeWaitConnectRule : byte
{
    /// <summary>RFC 9293 §3.10.1 OPEN: a connection with this pair exists — "error: connection already
    /// exists" (EADDRINUSE; FreeBSD in_pcbconnect_setup finds the TIME-WAIT inpcb and returns EADDRINUSE).</summary>
    AddressInUse,
    /// <summary>Linux __inet_check_established with tcp_tw_reuse off (or 2, loopback only, and the pair is not
    /// loopback): the pair is not available — EADDRNOTAVAIL.</summary>
    AddressNotAvailable,
    /// <summary>Linux tcp_twsk_unique with tcp_tw_reuse=1: a TIME-WAIT connection that used timestamps and whose
    /// last timestamp arrived at least one second ago is replaced; the new connection starts at the old SND.NXT +
    /// 65535 + 2; otherwise EADDRNOTAVAIL.</summary>
    ReuseWithTimestamps,
}

/// <summary>How a connection in FIN-WAIT-2 whose user can no longer receive ends when the peer never sends its FIN
/// (POLICY orphan-fin-wait-2-timeout). RFC 9293 sets no bound: FIN-WAIT-2 waits for the peer's FIN (§3.6, §3.10.7.4
/// eighth), and a peer that never closes holds the TCB for ever.</summary>
public enum OrphanFinWait2Rule : byte
{
    /// <summary>RFC 9293: no timeout; the connection waits for the FIN.</summary>
    None,
    /// <summary>FreeBSD tcp_do_segment (TCPS_FIN_WAIT_1, ourfinisacked, SBS_CANTRCVMORE) and tcp_usrclosed arm TT_2MSL
    /// for TP_MAXIDLE (tcp_keepcnt 8 × tcp_keepintvl 75 s = 600 s) once the user cannot receive more (close() or
    /// shutdown(SHUT_RD)); tcp_timer_2msl then deletes the connection silently (tcp_close) once it has been idle longer
    /// than that, else checks again every keep-alive interval.</summary>
    BsdIdle,
    /// <summary>Linux, for an orphan (the descriptor closed, SOCK_DEAD): tcp_rcv_state_process (TCP_FIN_WAIT1) and
    /// __tcp_close compute tcp_fin_time = max(TCP_LINGER2 or tcp_fin_timeout, 3.5 RTO); at most TCP_TIMEWAIT_LEN (60 s)
    /// the connection becomes a timewait sock of substate FIN_WAIT2 at once (tcp_time_wait), longer it stays a full
    /// socket for tmo − 60 s and then (tcp_keepalive_timer) a timewait sock for tmo − 60 s more; the timewait sock
    /// expires silently (inet_twsk_kill). TCP_LINGER2 &lt; 0 ends the connection instead: on the ACK of our FIN
    /// (tcp_done, and the ACK is answered by a reset, tcp_v4_do_rcv "reset:"), or at close() if already in FIN-WAIT-2
    /// (tcp_send_active_reset).</summary>
    Linux,
}

/// <summary>How a listening socket's backlog limits not-yet-accepted connections (POLICY listen-queue). RFC 9293
/// §3.9.1 OPEN has no backlog: how many SYNs a passive OPEN takes is the implementation's.</summary>
public enum ListenQueueRule : byte
{
    /// <summary>One queue: a SYN is dropped while the connections forked and not yet accepted (SYN-RECEIVED or
    /// established) number at least max(1, backlog).</summary>
    AllPendingAtBacklog,
    /// <summary>Linux: two queues of min(backlog, somaxconn 4096). tcp_conn_request: a SYN finding more request socks
    /// (SYN-RECEIVED) than that is answered with a SYN cookie (tcp_syn_flood_action, tcp_syncookies) or dropped, one
    /// finding more established, not-accepted connections than that (sk_acceptq_is_full: "&gt;") is dropped;
    /// tcp_check_req: the handshake's ACK finding the accept queue full is dropped, the connection staying in
    /// SYN-RECEIVED (listen_overflow: inet_rsk(req)->acked = 1), or with tcp_abort_on_overflow answered by a reset.</summary>
    Linux,
    /// <summary>FreeBSD: every SYN gets a syncache entry (its limits, bucket_limit 30 and cache_limit 15360, are not
    /// reached in the model); the handshake's ACK creates the socket through sonewconn, which refuses it while more
    /// than 3/2 × backlog connections wait for accept (sol_qlen &gt; 3 * sol_qlimit / 2); tcp_input then answers the
    /// ACK with a reset (net.inet.tcp.syncache.rst_on_sock_fail = 1) and the syncache entry is gone.</summary>
    Bsd,
}

/// <summary>
/// A profile: a named set of policies, one for every choice where the RFCs allow or stacks
/// make different decisions (spec/policies.md). Times are microseconds of virtual time.
/// </summary>
public sealed record Profile
{
    /// <summary>Profile name (<c>rfc9293</c>, <c>rfc793</c>, …).</summary>
    public required string Name { get; init; }

    /// <summary>POLICY rfc5961-rst: challenge ACK for an in-window RST not exactly at RCV.NXT
    /// (RFC 9293 §3.10.7.4 second, RFC 5961 §3.2); off: RFC 793 — any in-window RST resets.</summary>
    public bool ChallengeAckOnRst { get; init; } = true;

    /// <summary>POLICY rfc5961-syn: challenge ACK for any SYN in a synchronized state (RFC 9293
    /// §3.10.7.4 fourth, RFC 5961 §4.2); off: RFC 793 — an in-window SYN resets the connection.</summary>
    public bool ChallengeAckOnSyn { get; init; } = true;

    /// <summary>POLICY rfc5961-ack: an ACK older than SND.UNA - MAX.SND.WND gets a challenge ACK and is
    /// dropped (RFC 9293 §3.10.7.4 fifth, RFC 5961 §5.2); off: treated as a duplicate ACK.</summary>
    public bool AckRangeCheck { get; init; } = true;

    /// <summary>POLICY challenge-ack-limit: at most this many challenge ACKs per second (RFC 5961 §7,
    /// SHOULD); 0 means unlimited.</summary>
    public int ChallengeAckLimitPerSecond { get; init; } = 10;

    /// <summary>POLICY challenge-ack-interval: no challenge ACK within this long of the last one, per connection (Linux
    /// tcp_send_challenge_ack: the per-socket __tcp_oow_rate_limited with net.ipv4.tcp_invalid_ratelimit = 500 ms); 0
    /// means no spacing (only <see cref="ChallengeAckLimitPerSecond"/>).</summary>
    public long ChallengeAckMinInterval { get; init; }

    /// <summary>POLICY syn-reset-form: how the RST sent for an in-window SYN is formed when
    /// <see cref="ChallengeAckOnSyn"/> is off.</summary>
    public SynResetForm SynResetForm { get; init; } = SynResetForm.FromSegment;

    /// <summary>POLICY rfc1337: ignore RST in TIME-WAIT (RFC 1337 §3 fix 1); off: RFC 9293 §3.10.7.4
    /// second — close.</summary>
    public bool IgnoreRstInTimeWait { get; init; }

    /// <summary>POLICY time-wait-reopen: a SYN above RCV.NXT in TIME-WAIT reopens the connection with
    /// a new ISS above the old SND.NXT (RFC 1122 §4.2.2.13, MAY-2); off: the SYN gets the
    /// synchronized-state treatment.</summary>
    public bool ReopenFromTimeWait { get; init; } = true;

    /// <summary>POLICY time-wait-reopen-by-timestamp: with timestamps in use, a SYN (no ACK) whose TSval is newer than
    /// TS.Recent reopens the connection from TIME-WAIT even at or below RCV.NXT (RFC 6191 §2, the improved algorithm
    /// RFC 9293 §3.6.1 points to "when the TCP Timestamp options are available"; Linux
    /// <c>tcp_timewait_state_process</c>: "after(seq, rcv_nxt) || (saw_tstamp &amp;&amp; (s32)(tw_ts_recent -
    /// rcv_tsval) &lt; 0)", once PAWS has passed it); off: only a SYN above RCV.NXT does (FreeBSD <c>tcp_twcheck</c>:
    /// "SEQ_GT(th->th_seq, tw->rcv_nxt)"). Needs <see cref="ReopenFromTimeWait"/>.</summary>
    public bool ReopenByTimestamp { get; init; }

    /// <summary>POLICY reopen-reset-restores-time-wait: an RST at RCV.NXT that reaches a connection reopened from
    /// TIME-WAIT while it is still in SYN-RECEIVED returns it to TIME-WAIT with the old incarnation's TCB and the
    /// 2 MSL timeout started afresh — RFC 1122 §4.2.2.13 (2), "returns to TIME-WAIT state if the SYN turns out to
    /// be an old duplicate"; off: the reopening deleted the TIME-WAIT connection, so the RST closes the new one
    /// (FreeBSD tcp_twcheck calls tcp_twclose before the listener's syncache sees the SYN; Linux tcp_v4_rcv, on
    /// TCP_TW_SYN, drops the timewait sock with inet_twsk_deschedule_put before tcp_conn_request). Applies to an RST
    /// the second check takes as valid (RstValid); an RST merely inside the window under RFC 793's rule (rfc5961-rst
    /// off) still closes the reopened connection.</summary>
    public bool RestoreTimeWaitOnReset { get; init; } = true;

    /// <summary>POLICY reset-on-close-with-unread-data: CLOSE while received data is unread sends RST
    /// and closes (RFC 1122 §4.2.2.13, SHLD-3 in RFC 9293 §3.6); off: a normal FIN close.</summary>
    public bool ResetOnCloseWithUnreadData { get; init; }

    /// <summary>Maximum segment lifetime; TIME-WAIT lasts 2×MSL (RFC 9293 §3.4.1: 2 minutes).</summary>
    public long Msl { get; init; } = 120_000_000;

    /// <summary>Initial RTO (RFC 6298 §2.1: 1 s).</summary>
    public long RtoInitial { get; init; } = 1_000_000;

    /// <summary>Lower bound on the RTO (RFC 6298 §2.4: 1 s).</summary>
    public long RtoMin { get; init; } = 1_000_000;

    /// <summary>Upper bound on the RTO (RFC 6298 §2.5: at least 60 s).</summary>
    public long RtoMax { get; init; } = 60_000_000;

    /// <summary>R1: retransmissions of one segment after which negative advice is given (RFC 1122
    /// §4.2.3.5: "at least 3 retransmissions", MUST-20); the model tells the user.</summary>
    public int R1 { get; init; } = 3;

    /// <summary>R2 for data segments (RFC 1122 §4.2.3.5: at least 100 s, MUST-23).</summary>
    public long R2 { get; init; } = 100_000_000;

    /// <summary>R2 for SYN segments (RFC 1122 §4.2.3.5: at least 3 minutes, MUST-23).</summary>
    public long R2Syn { get; init; } = 180_000_000;

    /// <summary>User timeout (RFC 9293 §3.10.8; RFC 793 suggests 5 minutes); 0 disables it.</summary>
    public long UserTimeout { get; init; } = 300_000_000;

    /// <summary>POLICY user-timeout-ends-closed-window: a user timeout also ends a window that stays closed while the
    /// peer answers every zero-window probe, counted from the first probe (Linux tcp_probe_timer since
    /// icsk_probes_tstamp: "kill the socket when ... the time exceeds" TCP_USER_TIMEOUT; a zero-window answer does not
    /// restart it). Off: an answered probe keeps the connection open whatever the user timeout (RFC 9293 §3.8.6.1
    /// MUST-37); a probe nobody answers is ended by the user timeout in either setting (§3.10.8).</summary>
    public bool UserTimeoutEndsClosedWindow { get; init; }

    /// <summary>POLICY delayed-ack: delay for ACKs of data (RFC 1122 §4.2.3.2: at most 500 ms); 0 means
    /// every data segment is acknowledged at once.</summary>
    public long DelayedAck { get; init; }

    /// <summary>POLICY quick-ack: at most this many ACKs of received text are sent at once at the start of a connection
    /// and after a silence longer than the RTO, before <see cref="DelayedAck"/> applies, unless the connection is
    /// interactive (we sent text within the delayed-ACK time of text received) — Linux TCP_MAX_QUICKACKS 16,
    /// tcp_incr_quickack, tcp_in_quickack_mode, pingpong (tcp_event_data_sent, threshold 1); 0: no quick-ack phase.</summary>
    public int QuickAcks { get; init; }

    /// <summary>POLICY keep-alive: idle time before keep-alive probes (RFC 9293 §3.8.4: default off,
    /// at least 2 hours when on); 0 means off.</summary>
    public long KeepAliveIdle { get; init; }

    /// <summary>Interval between keep-alive probes when on.</summary>
    public long KeepAliveInterval { get; init; } = 75_000_000;

    /// <summary>MSS we announce on SYN (RFC 9293 §3.7.1): for IPv4 1460 on a 1500-octet MTU.</summary>
    public ushort MssIPv4 { get; init; } = 1460;

    /// <summary>MSS we announce on SYN over IPv6 (1500 - 40 - 20).</summary>
    public ushort MssIPv6 { get; init; } = 1440;

    /// <summary>POLICY mtu: the MTU of our interface; MMS_S, the largest transport message we can send, is
    /// it less the fixed IP header (20 octets IPv4, 40 IPv6), and bounds the effective send MSS
    /// (RFC 9293 §3.7.1, MUST-16; RFC 1122 §3.3.3 MMS_S).</summary>
    public int Mtu { get; init; } = 1500;

    /// <summary>Receive buffer in octets; RCV.WND is its free space.</summary>
    public int ReceiveBuffer { get; init; } = 65535;

    /// <summary>Send buffer in octets.</summary>
    public int SendBuffer { get; init; } = 65535;

    /// <summary>POLICY window-scale: the shift we offer on SYN (RFC 7323 §2.2); null offers none.</summary>
    public byte? WindowScale { get; init; }

    /// <summary>POLICY sack-permitted: offer SACK-permitted on SYN (RFC 2018); the model does not do SACK recovery.</summary>
    public bool SackPermitted { get; init; }

    /// <summary>POLICY timestamps: offer the timestamps option on SYN (RFC 7323 §3).</summary>
    public bool Timestamps { get; init; }

    /// <summary>POLICY rcvbuf-mss-rounding: once the MSS is known, round the receive buffer up to a
    /// multiple of it (BSD); off: keep it as configured.</summary>
    public bool RoundReceiveBufferToMss { get; init; }

    /// <summary>POLICY fin-on-ack-while-fin-unacked: while our FIN is unacknowledged, ACKs we send
    /// repeat the FIN flag at the FIN's sequence number (BSD tcp_output); off: plain ACK at SND.NXT.
    /// Challenge ACKs (RFC 5961, BSD tcp_respond) stay plain <c>&lt;SEQ=SND.NXT&gt;&lt;ACK=RCV.NXT&gt;&lt;CTL=ACK&gt;</c>.</summary>
    public bool FinOnAckWhileFinUnacked { get; init; }

    /// <summary>POLICY old-ack-processed: a segment without SYN or RST (its text and a FIN it carries are duplicates) that lies wholly
    /// before RCV.NXT still has its ACK field processed (§3.10.7.4 fifth) before the ACK the first
    /// check asks for (BSD tcp_input trims old data and goes on: a LAST-ACK is completed by an ACK
    /// whose SEQ is one below RCV.NXT); off: RFC 9293 §3.10.7.4 first — send an ACK and drop it.
    /// TIME-WAIT is not affected.</summary>
    public bool ProcessAckOfOldSegment { get; init; }

    /// <summary>POLICY listener-close-resets-syn-received: closing a listening socket resets its
    /// not-yet-accepted connections that are still in SYN-RECEIVED (ABORT, §3.10.5); off: BSD — the
    /// syncache entries are discarded without a segment. Established, not-yet-accepted connections
    /// are reset either way (BSD soabort).</summary>
    public bool ResetSynReceivedOnListenerClose { get; init; } = true;

    /// <summary>POLICY compressed-state-window: in SYN-RECEIVED after a passive OPEN and in TIME-WAIT,
    /// RCV.WND is the window last announced (BSD keeps only the syncache's sc_wnd and tcptw's
    /// last_win), and a passive connection's receive buffer is rounded to the MSS (rcvbuf-mss-rounding)
    /// only when it is established; text and FIN on a SYN received in LISTEN are not kept (RFC 9293
    /// §3.10.7.2 says they "should be queued"; the syncache holds no data and the peer retransmits it);
    /// off: RCV.WND is the free receive buffer in every state and SYN text is queued.</summary>
    public bool CompressedStateWindow { get; init; }

    /// <summary>POLICY passive-syn-text-discarded: text and a FIN on a SYN received in LISTEN are not kept, whatever the
    /// receive window (Linux <c>tcp_conn_request</c>: without Fast Open the request sock records the SYN's sequence
    /// number and options only, and the segment is freed; the peer retransmits the text after the handshake); off:
    /// they are queued (RFC 9293 §3.10.7.2, "any other control or text should be queued for processing later"),
    /// unless compressed-state-window (BSD's syncache) already drops them.</summary>
    public bool DiscardPassiveSynText { get; init; }

    /// <summary>POLICY held-text-beyond-fin-dropped: when text was held beyond a held FIN (a peer that sent both cannot
    /// be right), nothing past the FIN is taken, and what is held beyond it is dropped when the FIN is taken — the FIN
    /// ends the peer's stream (RFC 9293 §3.10.7.4 eighth; Linux <c>tcp_fin</c> purges the out-of-order queue); off:
    /// contiguous text is taken whatever FIN lies inside it, and that FIN is then lost (BSD <c>tcp_reass</c> delivers
    /// each contiguous segment and keeps the flags of the last).</summary>
    public bool DropHeldTextBeyondFin { get; init; } = true;

    /// <summary>POLICY time-wait-drop-without-ack: in TIME-WAIT a segment without ACK that does not
    /// reopen the connection is dropped silently (BSD tcp_twcheck); off: RFC 9293 §3.10.7.4 checks.</summary>
    public bool TimeWaitDropsSegmentsWithoutAck { get; init; }

    /// <summary>POLICY time-wait-drop-without-ack-or-syn: in TIME-WAIT a segment with neither ACK, SYN nor RST is
    /// dropped silently, before the sequence check (the FreeBSD suite's STANDARD lines: a FIN without ACK, in
    /// the window or not, gets no reply; RFC 9293 §3.10.7.4 fifth "if the ACK bit is off drop the segment",
    /// TIME-WAIT expecting only "a retransmission of the remote FIN", which carries ACK); a SYN still gets the
    /// SYN rules; off: RFC 9293 §3.10.7.4 first — an unacceptable one is acknowledged.</summary>
    public bool TimeWaitDropsNonSynWithoutAck { get; init; }

    /// <summary>POLICY time-wait-ack-rule: how TIME-WAIT answers acceptable segments (RFC 9293 §3.10.7.4
    /// fifth and fourth, TIME-WAIT; see <see cref="Machine.TimeWaitAckRule"/>).</summary>
    public TimeWaitAckRule TimeWaitAckRule { get; init; } = TimeWaitAckRule.FinOnly;

    /// <summary>POLICY drop-synfin: silently drop any segment carrying both SYN and FIN (FreeBSD
    /// net.inet.tcp.drop_synfin); off: RFC 9293 §3.10.7 processes it like any other segment.</summary>
    public bool DropSynFin { get; init; }

    /// <summary>POLICY syn-received-rst-ack-check: in SYN-RECEIVED after an active OPEN (simultaneous open), an
    /// RST whose ACK bit is on and whose SEG.ACK is not in (SND.UNA, SND.NXT] is dropped (older BSD tcp_do_segment
    /// — before its SYN_RECEIVED case learnt "Handle RST segments later" — checked the ACK of a SYN_RECEIVED segment before the RST bit — "if seg contains an ACK, but not for our
    /// SYN/ACK, send a RST" — and tcp_dropwithreset never answers an RST; the syncache holding a passive
    /// SYN-RECEIVED checks only SEG.SEQ); off: RFC 9293 §3.10.7.4 second — the ACK field of an RST is not
    /// examined.</summary>
    public bool SynReceivedRstAckCheck { get; init; }

    /// <summary>POLICY rst-after-fin-reports-reset: an RST that closes a connection in CLOSING or LAST-ACK tells the
    /// user "connection reset" (the sockets view: SO_ERROR ECONNRESET on a descriptor still held after shutdown):
    /// FreeBSD tcp_do_segment sets <c>so->so_error = ECONNRESET</c> for TCPS_CLOSING and TCPS_LAST_ACK, Linux
    /// tcp_reset sets <c>sk->sk_err = ECONNRESET</c> for every state but SYN-SENT, CLOSE-WAIT and CLOSED; off: RFC
    /// 9293 §3.10.7.4 second — "enter the CLOSED state, delete the TCB, and return", no signal. TIME-WAIT is not
    /// covered: FreeBSD tcp_twcheck drops an RST there, and Linux's TIME-WAIT lives in a timewait socket detached
    /// from the user's.</summary>
    public bool ReportResetAfterPeerFin { get; init; }

    /// <summary>POLICY held-fin-dropped-at-establishment: a FIN that came on a SYN and was held for processing
    /// after ESTABLISHED (RFC 9293 §3.10.7.3 fourth, "queue them for processing after the ESTABLISHED state has
    /// been reached") is forgotten when the connection is established; the text held with it is still delivered
    /// (BSD tcp_reass queues the segment and returns no flags before TCPS_HAVEESTABLISHED; the call made at the
    /// SYN-RECEIVED to ESTABLISHED step discards what it returns; the peer retransmits the FIN); off: the held FIN
    /// is processed at ESTABLISHED (§3.10.7.4 eighth).</summary>
    public bool DropHeldFinAtEstablishment { get; init; }

    /// <summary>POLICY rfc5961-syn-any-sequence: with <see cref="ChallengeAckOnSyn"/>, a SYN in a synchronized
    /// state (and in SYN-RECEIVED after an active OPEN) gets the (throttled) challenge ACK "irrespective of
    /// the sequence number" (RFC 9293 §3.10.7.4 fourth, RFC 5961 §4.2), also one before RCV.NXT or beyond
    /// the window (FreeBSD tcp_do_segment makes the RFC 5961 SYN check before PAWS and trimming); off: the
    /// first check goes first — a SYN wholly before RCV.NXT is an old duplicate (ACK and drop), one that
    /// straddles RCV.NXT is trimmed as old and its new text processed.</summary>
    public bool ChallengeSynIrrespectiveOfSequence { get; init; } = true;

    /// <summary>POLICY time-wait-fin-ack-checks: TIME-WAIT's retransmitted-FIN shortcut still applies the fifth
    /// check: a FIN without ACK is dropped ("if the ACK bit is off drop the segment"), one whose SEG.ACK is
    /// beyond SND.NXT is answered with an ACK and dropped without restarting 2 MSL, one older than
    /// SND.UNA - MAX.SND.WND gets the RFC 5961 §5.2 challenge; off: every retransmitted FIN is acknowledged
    /// and restarts 2 MSL whatever its ACK field (FreeBSD tcp_twcheck resets 2 MSL on "a duplicate FIN"
    /// without looking at th_ack).</summary>
    public bool TimeWaitFinChecksAck { get; init; } = true;

    /// <summary>POLICY time-wait-syn-fin-again: in TIME-WAIT, a SYN,FIN whose FIN is the peer's FIN again (SEG.SEQ +
    /// SEG.LEN = RCV.NXT: the SYN,FIN a peer that opened with one retransmits) restarts the 2 MSL timeout — "the only
    /// thing that can arrive in this state is a retransmission of the remote FIN ... restart the 2 MSL timeout" (RFC
    /// 9293 §3.10.7.4 eighth) — while its SYN, wholly old, still gets the first check's ACK (or the fourth check's
    /// challenge under rfc5961-syn-any-sequence); on: restarted only when the segment carries an ACK (Linux
    /// <c>tcp_timewait_state_process</c>: "if (paws_reject || th->ack) inet_twsk_reschedule"; FreeBSD
    /// <c>tcp_twcheck</c> counts the SYN in the FIN's place, <c>seq = th_seq + tlen + (SYN ? 1 : 0)</c>, after
    /// dropping a segment without ACK); off: restarted whatever the ACK bit, as the first check answers it.</summary>
    public bool TimeWaitSynFinAgainNeedsAck { get; init; }

    /// <summary>POLICY synack-rule-after-syn-sent-only: the Appendix A.2 / Figure 7 rule admitting a SYN,ACK at
    /// SEG.SEQ = IRS in SYN-RECEIVED applies only to a connection that came from SYN-SENT (simultaneous
    /// open); after a passive OPEN such a segment fails the first check (ACK and drop, §3.10.7.4 first) —
    /// the peer never sent it a SYN,ACK to repeat; off: the rule applies after either OPEN.</summary>
    public bool SynAckRuleOnlyAfterSynSent { get; init; } = true;

    /// <summary>POLICY repeated-synack-bad-ack: where the Appendix A.2 / Figure 7 rule applies (a SYN-RECEIVED reached
    /// from SYN-SENT, or any with synack-rule-after-syn-sent-only off), a SYN,ACK at SEG.SEQ = IRS whose ACK is not
    /// acceptable (not SND.UNA &lt; SEG.ACK =&lt; SND.NXT) has its SYN trimmed as the rule trims it, and the fifth
    /// check answers the ACK: <c>&lt;SEQ=SEG.ACK&gt;&lt;CTL=RST&gt;</c> ("If the segment acknowledgment is not acceptable,
    /// form a reset segment"; FreeBSD tcp_do_segment, TCPS_SYN_RECEIVED: an ACK outside (snd_una, snd_max] goes to
    /// dropwithreset before any sequence check); off: the rule admits only an acceptable ACK and the segment meets
    /// the first check (SEG.SEQ = IRS &lt; RCV.NXT: ACK and drop; Linux tcp_validate_incoming passes a SYN in
    /// SYN_RECV only with ack_seq == snd_nxt and answers any other with tcp_send_challenge_ack).</summary>
    public bool ResetRepeatedSynAckWithBadAck { get; init; } = true;

    /// <summary>POLICY syn-received-resend-synack: in SYN-RECEIVED after a passive OPEN, the peer's SYN again
    /// (no ACK, SEG.SEQ = IRS) is answered by resending our SYN,ACK (FreeBSD syncache_add on a duplicate SYN:
    /// syncache_respond; Linux tcp_check_req: "retransmitted SYN ... inet_rtx_syn_ack"); off: the RFC
    /// literally — the SYN fails the first check and gets <c>&lt;SEQ=SND.NXT&gt;&lt;ACK=RCV.NXT&gt;&lt;CTL=ACK&gt;</c>.</summary>
    public bool ResendSynAckOnRetransmittedSyn { get; init; }

    /// <summary>POLICY syn-in-passive-syn-received: a SYN other than the peer's SYN again, in a SYN-RECEIVED reached by
    /// a passive OPEN — <see cref="SynInPassiveSynReceivedRule.RfcListen"/> (RFC 9293 §3.10.7.4 first and fourth),
    /// <see cref="SynInPassiveSynReceivedRule.Syncache"/> (FreeBSD syncache_add, tcp_input),
    /// <see cref="SynInPassiveSynReceivedRule.RequestSock"/> (Linux tcp_check_req).</summary>
    public SynInPassiveSynReceivedRule SynInPassiveSynReceived { get; init; }

    /// <summary>POLICY closed-window-retransmit: when the peer's window closes with data outstanding, the
    /// retransmission timer keeps running and its retransmission of the first unacknowledged segment (up to one
    /// MSS, RTO doubling) is the zero-window probe; the connection is not timed out by R2 but when nothing has been
    /// received for RtoMax (Linux <c>tcp_retransmit_timer</c>: "Receiver dastardly shrinks window. Our retransmits
    /// become zero probes, but we should not timeout this connection" — <c>tcp_jiffies32 - tp->rcv_tstamp >
    /// TCP_RTO_MAX</c>; <c>__tcp_retransmit_skb</c> "our retransmit of one segment serves as a zero window probe").
    /// Off: the retransmission timer is cancelled and the persist timer probes (BSD <c>tcp_output</c>: "If window
    /// shrank to 0, cancel pending retransmit ... and set the persist timer"; RFC 9293 §3.8.6.1 allows either).</summary>
    public bool RetransmitIntoClosedWindow { get; init; }

    /// <summary>POLICY tail-loss-probe: a tail loss probe (RFC 8985 §7, TLP) on a connection that negotiated SACK-permitted:
    /// whenever new data (or the FIN) is sent, or an ACK restarts the retransmission timer with data outstanding, and no
    /// retransmission timeout has happened since the last new ACK, the retransmission timer is set to the probe timeout
    /// PTO = 2·SRTT, plus RTO.min when one segment is outstanding or 2 ms otherwise (1 s without an RTT sample), but no
    /// later than the RTO would expire; at the PTO the last segment sent (its last Eff.snd.MSS octets, with the FIN when
    /// the FIN is outstanding) is retransmitted once per episode, and the timer is re-armed with the RTO (not backed off).
    /// The episode ends when SND.UNA reaches the SND.NXT of the probe or at a retransmission timeout. Linux
    /// <c>tcp_schedule_loss_probe</c>, <c>tcp_send_loss_probe</c> (<c>tcp_is_sack</c>, <c>icsk_ca_state</c> Open,
    /// <c>tlp_high_seq</c>), <c>tcp_process_tlp_ack</c>, <c>tcp_enter_loss</c>. Off: only the RTO retransmits
    /// (RFC 6298; FreeBSD's default stack has no TLP, only its RACK stack does).</summary>
    public bool TailLossProbe { get; init; }

    /// <summary>POLICY timestamp-rule: how TS.Recent is recorded and PAWS applied once timestamps are negotiated
    /// (RFC 7323 §4.3, §5.3; see <see cref="Machine.TimestampRule"/>). Without timestamps it has no effect. The
    /// 24-day TS.Recent invalidation (§5.5) is not modelled.</summary>
    public TimestampRule TimestampRule { get; init; } = TimestampRule.Rfc7323;

    /// <summary>POLICY fin-after-fin: in CLOSE-WAIT, CLOSING and LAST-ACK (the peer's FIN already received) an
    /// acceptable segment whose FIN lies at or beyond RCV.NXT — a FIN after the FIN, which "should not occur" — is
    /// acknowledged as the eighth check reads literally ("send an acknowledgment for the FIN"; "Remain in the ...
    /// state"), with RCV.NXT not advanced again and no second "connection closing". Off: ignored, nothing sent —
    /// FreeBSD <c>tcp_do_segment</c> clears TH_FIN once <c>TCPS_HAVERCVDFIN</c>, and Linux
    /// <c>tcp_rcv_state_process</c> leaves CLOSE_WAIT, CLOSING and LAST_ACK segments at or after rcv_nxt before
    /// <c>tcp_data_queue</c> (so <c>tcp_fin</c> never sees them). Segment text there is ignored without an ACK
    /// under every profile (§3.10.7.4 seventh: "Ignore the segment text").</summary>
    public bool AcknowledgeFinAfterFin { get; init; } = true;

    /// <summary>POLICY repeated-syn-with-fin: in SYN-RECEIVED after a passive OPEN a SYN,FIN at SEG.SEQ = IRS
    /// counts as the peer's SYN again (syn-received-resend-synack then chooses the answer): FreeBSD
    /// <c>tcp_input</c> hands any SYN without ACK for a listener to <c>syncache_add</c>, which finds the entry and
    /// resends the SYN,ACK whatever the FIN (drop_synfin off). Off: it is not the SYN again — Linux
    /// <c>tcp_check_req</c> takes a retransmitted SYN only when <c>flg == TCP_FLAG_SYN</c>, and RFC 9293
    /// §3.10.7.4 first passes it (SEG.LEN 2: the FIN at IRS+1 = RCV.NXT is new) and trims the SYN as old.</summary>
    public bool RepeatedSynMayCarryFin { get; init; }

    /// <summary>POLICY receiver-sws-every-ack: receiver silly-window avoidance (RFC 9293 §3.8.6.2.2, MUST-39)
    /// governs the window field of every segment we send: the right edge RCV.NXT+RCV.WND stays where it was
    /// announced until the free buffer exceeds the announced window by min(RCV.BUFF/2, Eff.snd.MSS), then
    /// the whole free space is announced; off: every segment announces the free buffer and SWS avoidance only
    /// decides when a RECEIVE sends an unsolicited window update (BSD tcp_output advertises sbspace, holding
    /// only the right edge, tcp_output's "rcv_adv - rcv_nxt").</summary>
    public bool ReceiverSwsOnEveryAck { get; init; } = true;

    /// <summary>POLICY simultaneous-close-fin-ack: in CLOSING, the peer's FIN repeated (wholly before RCV.NXT, it
    /// ends exactly there) has its ACK field processed whatever it acknowledges — our text (SND.UNA advances) or
    /// our FIN, entering TIME-WAIT: the ACKs of a simultaneous close crossing a FIN-repeating peer's
    /// retransmission (RFC 9293 Appendix A.2, the
    /// simultaneous-close case of draft-gont-tcpm-tcp-seq-validation); off: the first check literally — ACK
    /// and drop, leaving us to retransmit our FIN until an acceptable ACK comes.</summary>
    public bool SimultaneousCloseAckOfRepeatedFin { get; init; } = true;

    /// <summary>POLICY syn-sent-queued-send-notice: CLOSE or ABORT in SYN-SENT with SENDs queued tells the user
    /// about them: "error: closing" on CLOSE (RFC 9293 §3.10.4 SYN-SENT: "return 'error: closing' responses
    /// to any queued SENDs"), "connection reset" on ABORT (§3.10.5: "All queued SENDs and RECEIVEs should be
    /// given 'connection reset' notification"); off: the sockets view — close() of a connecting socket
    /// discards the queued octets and reports nothing (BSD soclose/tcp_usr_close, Linux tcp_close).</summary>
    public bool NoticeQueuedSendsInSynSent { get; init; } = true;

    /// <summary>POLICY reset-on-data-after-close: new text arriving in FIN-WAIT-1 or FIN-WAIT-2 after the user has
    /// closed the receiving side (close(), or Linux shutdown(SHUT_RD)) is answered by a reset formed from the segment
    /// (§3.10.7.1) and the connection is deleted (RFC 1122 §4.2.2.13 half-duplex close; RFC 9293 §3.6.1; Linux
    /// tcp_rcv_state_process "RCV_SHUTDOWN" / tcp_timewait_state_process; FreeBSD tcp_do_segment "TF_CLOSED");
    /// off: the text is acknowledged and discarded-on-arrival semantics are the host's.</summary>
    public bool ResetOnDataAfterClose { get; init; }

    /// <summary>POLICY ack-ahead-silent-drop: a segment in a synchronized state whose SEG.ACK is beyond SND.NXT is
    /// dropped without an answer (Linux tcp_ack: "ack after snd_nxt", SKB_DROP_REASON_TCP_ACK_UNSENT_DATA); off:
    /// RFC 9293 §3.10.7.4 fifth — send an ACK, drop the segment.</summary>
    public bool AckAheadSilentDrop { get; init; }

    /// <summary>POLICY rto-min-on-variance: RTO = SRTT + max(4·RTTVAR, RTO.min) (Linux tcp_rtt_estimator /
    /// tcp_set_rto: rttvar is at least tcp_rto_min, "make sure rto = 3*rtt"); off: RFC 6298 §2.4 — RTO = max(RTO.min,
    /// SRTT + max(G, 4·RTTVAR)).</summary>
    public bool RtoMinOnVariance { get; init; }

    /// <summary>POLICY zero-window-probe-form: what a probe of a zero send window carries
    /// (<see cref="Machine.ZeroWindowProbeForm"/>; RFC 9293 §3.8.6.1, RFC 1122 §4.2.2.17).</summary>
    public ZeroWindowProbeForm ZeroWindowProbeForm { get; init; }

    /// <summary>POLICY simultaneous-open-rtt: whether and from when the ACK completing a simultaneous open
    /// is an RTT sample (<see cref="Machine.SimultaneousOpenRtt"/>; RFC 6298 §3).</summary>
    public SimultaneousOpenRtt SimultaneousOpenRtt { get; init; }

    /// <summary>POLICY connect-over-time-wait: what connect() does when its pair of sockets is in TIME-WAIT
    /// (<see cref="Machine.TimeWaitConnectRule"/>).</summary>
    public TimeWaitConnectRule TimeWaitConnect { get; init; }

    /// <summary>POLICY window-update-only-when-doubled: a RECEIVE sends a window update only when the window it
    /// frees is at least twice the one last announced and that one was at most half the buffer (Linux
    /// tcp_cleanup_rbuf); off: RFC 9293 §3.8.6.2.2 — when the window grows by min(RCV.BUFF/2, Eff.snd.MSS).</summary>
    public bool WindowUpdateOnlyWhenDoubled { get; init; }

    /// <summary>POLICY orphan-fin-wait-2-timeout: how FIN-WAIT-2 ends when the user has closed and the peer never sends
    /// its FIN (<see cref="Machine.OrphanFinWait2Rule"/>).</summary>
    public OrphanFinWait2Rule OrphanFinWait2 { get; init; }

    /// <summary>POLICY fin-wait-2-timeout: the time of <see cref="OrphanFinWait2"/> (Linux net.ipv4.tcp_fin_timeout, 60 s;
    /// FreeBSD TP_MAXIDLE, 600 s); 0 with the rule None.</summary>
    public long FinWait2Timeout { get; init; }

    /// <summary>POLICY listen-queue: how the backlog limits not-yet-accepted connections (<see cref="ListenQueueRule"/>).</summary>
    public ListenQueueRule ListenQueue { get; init; }

    /// <summary>POLICY syn-cookies: 1 — a SYN finding the SYN queue full is answered with a SYN cookie (the SYN,ACK's ISS
    /// encodes the peer's MSS, window scale and SACK-permitted; no SYN-RECEIVED state is kept; the handshake's ACK
    /// rebuilds the connection if SEG.ACK − 1 is a cookie at most two minutes old: Linux tcp_conn_request /
    /// cookie_v4_check, net.ipv4.tcp_syncookies); 2 — every SYN; 0 — the SYN is dropped. RFC 4987 §3.6 describes
    /// cookies; RFC 9293 says nothing of them.</summary>
    public int SynCookies { get; init; }

    /// <summary>POLICY abort-on-listen-overflow: the handshake's ACK finding the accept queue full is answered by a reset
    /// (Linux tcp_abort_on_overflow = 1; FreeBSD rst_on_sock_fail = 1); off: it is dropped and the connection stays in
    /// SYN-RECEIVED, retransmitting its SYN,ACK (Linux's default).</summary>
    public bool AbortOnListenOverflow { get; init; }

    /// <summary>POLICY syn-linear-timeouts: in SYN-SENT the first this-many retransmissions keep the initial RTO instead of
    /// doubling it, and add as many to the SYN retries before connect() fails (Linux tcp_retransmit_timer: "icsk_backoff
    /// &gt; sysctl_tcp_syn_linear_timeouts", tcp_write_timeout: max_retransmits += it; default 4 since Linux 6.5); 0:
    /// RFC 6298 §5.5 — every retransmission doubles the RTO.</summary>
    public int SynLinearTimeouts { get; init; }

    /// <summary>POLICY abort-reset-with-ack: the reset ABORT sends (SO_LINGER {1, 0}, a listener closed over unaccepted
    /// connections) acknowledges: <c>&lt;SEQ=SND.NXT&gt;&lt;ACK=RCV.NXT&gt;&lt;CTL=RST,ACK&gt;</c> (Linux
    /// tcp_send_active_reset: "TCPHDR_ACK | TCPHDR_RST"); off: RFC 9293 §3.10.5 — <c>&lt;SEQ=SND.NXT&gt;&lt;CTL=RST&gt;</c>.</summary>
    public bool AbortResetWithAck { get; init; }

    /// <summary>A seeded bug for proving that the checks can fail (<see cref="Machine.Mutant"/>); never set in a
    /// built-in profile, and not a policy.</summary>
    public Mutant Mutant { get; init; }

    /// <summary>The RFC 9293 profile: the RFC text plus the RFC 5961 mitigations §3.10.7.4 describes.</summary>
    public static readonly Profile Rfc9293 = new() { Name = "rfc9293" };

    /// <summary>The RFC 793 profile: classic RST and SYN handling, no RFC 5961.</summary>
    public static readonly Profile Rfc793 = new()
    {
        Name = "rfc793",
        ChallengeAckOnRst = false,
        ChallengeAckOnSyn = false,
        AckRangeCheck = false,
        ReopenFromTimeWait = false,
        ChallengeSynIrrespectiveOfSequence = false,
        SimultaneousCloseAckOfRepeatedFin = false,
    };

    /// <summary>The <c>standard</c> profile of the packetdrill runner: RFC 9293 (RFC 5961 mitigations,
    /// switched by the insecure_* settings) plus the policies the FreeBSD suite's lines outside
    /// <c>#ifdef</c> expect of every stack: FreeBSD-like SYN options and buffers (MSS 1460/1440, window
    /// scale 6, SACK-permitted, timestamps, 64 KiB receive buffer rounded to the MSS), rfc1337,
    /// fin-on-ack-while-fin-unacked, syn-reset-form from the connection; no TIME-WAIT reopening.</summary>
    public static readonly Profile Standard = Rfc9293 with
    {
        Name = "standard",
        ResetSynReceivedOnListenerClose = false,
        ReceiveBuffer = 65536,
        SendBuffer = 32768,
        WindowScale = 6,
        SackPermitted = true,
        Timestamps = true,
        RoundReceiveBufferToMss = true,
        FinOnAckWhileFinUnacked = true,
        SynResetForm = SynResetForm.FromConnection,
        IgnoreRstInTimeWait = true,
        ReopenFromTimeWait = false,
        ProcessAckOfOldSegment = true,
        CompressedStateWindow = true,
        TimeWaitAckRule = TimeWaitAckRule.AllButDuplicateAck,
        TimeWaitDropsNonSynWithoutAck = true,
        ReportResetAfterPeerFin = true,
        DropHeldFinAtEstablishment = true,
        ResendSynAckOnRetransmittedSyn = true,
        RepeatedSynMayCarryFin = true,
        AcknowledgeFinAfterFin = false,
        ReceiverSwsOnEveryAck = false,
        NoticeQueuedSendsInSynSent = false,
    };

    /// <summary>The <c>freebsd</c> profile: FreeBSD's TCP (MSL 30 s, net.inet.tcp.msl), TIME-WAIT
    /// reopened by a SYN above RCV.NXT (tcp_twcheck), on top of <see cref="Standard"/>. The ACK field of an RST
    /// in SYN-RECEIVED is not checked (syn-received-rst-ack-check off: tcp_do_segment's SYN_RECEIVED case says
    /// "Handle RST segments later" before its ACK check).</summary>
    public static readonly Profile FreeBsd = Standard with
    {
        Name = "freebsd",
        Msl = 30_000_000,
        SimultaneousOpenRtt = SimultaneousOpenRtt.FromSyn, // tcp_output times only new data (snd_nxt > snd_max); t_rtttime of the SYN is kept
        ReopenFromTimeWait = true,
        RestoreTimeWaitOnReset = false, // tcp_twcheck: tcp_twclose(tw, 0) before the syncache takes the SYN
        SynInPassiveSynReceived = SynInPassiveSynReceivedRule.Syncache, // syncache_add (any SYN: SYN,ACK again); tcp_input (SYN|ACK: reset)
        TimeWaitDropsSegmentsWithoutAck = true,
        TimeWaitAckRule = TimeWaitAckRule.Bsd,
        DropHeldTextBeyondFin = false, // tcp_reass: the contiguous segments are delivered, the last one's flags kept
        TimestampRule = TimestampRule.FreeBsd, // tcp_do_segment: PAWS after the RST check, last_ack_sent covered; tcp_twcheck: none
        TimeWaitFinChecksAck = false,
        TimeWaitSynFinAgainNeedsAck = true, // tcp_twcheck: "if ((thflags & TH_ACK) == 0) goto drop" precedes the duplicate-FIN test
        ResetOnDataAfterClose = true, // tcp_do_segment: "TF_CLOSED" (user gone) and new text → tcp_dropwithreset
        OrphanFinWait2 = OrphanFinWait2Rule.BsdIdle, // tcp_timer_2msl, TP_MAXIDLE
        FinWait2Timeout = 600_000_000, // TP_MAXIDLE: tcp_keepcnt 8 × tcp_keepintvl 75 s
        ListenQueue = ListenQueueRule.Bsd, // sonewconn: sol_qlen > 3 * sol_qlimit / 2
        SynCookies = 1, // net.inet.tcp.syncookies = 1: used when the syncache overflows (not reached in the model)
        AbortOnListenOverflow = true, // net.inet.tcp.syncache.rst_on_sock_fail = 1
    };

    /// <summary>The <c>linux</c> profile: Linux's TCP, each value from its source (net/ipv4, include/net/tcp.h):
    /// TIME-WAIT 60 s (TCP_TIMEWAIT_LEN), tcp_rfc1337 off, RTO 1 s initial (TCP_TIMEOUT_INIT), 200 ms minimum
    /// (TCP_RTO_MIN) added to the variance (tcp_rtt_estimator), 120 s maximum (TCP_RTO_MAX); SYN options MSS
    /// 1460, SACK-permitted, timestamps, window scale 7 (tcp_select_initial_window: ilog2(tcp_rmem[2] = 6 MiB)
    /// − 15), each echoed only when offered (tcp_synack_options; as every profile does); receive buffer tcp_rmem[1] = 128 KiB, send
    /// buffer tcp_wmem[1] = 16 KiB; RST on close with unread data (tcp_close) and on data after close
    /// (tcp_rcv_state_process); ACK beyond SND.NXT dropped silently (tcp_ack); RFC 5961 challenge ACKs at most one per
    /// 500 ms per connection (tcp_invalid_ratelimit; the global limit is off, tcp_challenge_ack_limit = INT_MAX); SYN retries 6, the first 4 at the initial RTO (tcp_syn_retries, tcp_syn_linear_timeouts: R2 for SYN 131 s); an orphaned
    /// FIN-WAIT-2 ends after tcp_fin_timeout 60 s (tcp_time_wait, substate FIN_WAIT2); SYN cookies when the SYN queue is
    /// full, the handshake's ACK dropped when the accept queue is (tcp_conn_request, tcp_check_req); 16 quick ACKs, then
    /// ACKs delayed 40 ms (TCP_MAX_QUICKACKS, TCP_ATO_MIN); ABORT's reset acknowledges (tcp_send_active_reset); connect() over
    /// TIME-WAIT refused with EADDRNOTAVAIL (tcp_tw_reuse = 2: loopback only); a SYN above RCV.NXT reopens
    /// TIME-WAIT (tcp_timewait_state_process, TCP_TW_SYN).</summary>
    public static readonly Profile Linux = Rfc9293 with
    {
        Name = "linux",
        AcknowledgeFinAfterFin = false, // POLICY fin-after-fin: tcp_rcv_state_process breaks before tcp_data_queue
        RetransmitIntoClosedWindow = true, // POLICY closed-window-retransmit: tcp_retransmit_timer
        TimestampRule = TimestampRule.Linux, // tcp_paws_discard, tcp_replace_ts_recent in tcp_ack
        ReopenByTimestamp = true, // tcp_timewait_state_process: a SYN with a newer TSval is TCP_TW_SYN (RFC 6191)
        DiscardPassiveSynText = true, // tcp_conn_request: no data kept on a request sock without Fast Open
        TailLossProbe = true, // POLICY tail-loss-probe: tcp_schedule_loss_probe, tcp_send_loss_probe (tcp_early_retrans 3)
        Msl = 30_000_000,
        SimultaneousOpenRtt = SimultaneousOpenRtt.FromSynAck, // tcp_send_synack: tcp_transmit_skb restamps the SYN's skb
        ZeroWindowProbeForm = ZeroWindowProbeForm.OldSequence, // tcp_write_wakeup → tcp_xmit_probe_skb(sk, 0): SEQ = snd_una − 1, no data
        RtoInitial = 1_000_000,
        RtoMin = 200_000,
        RtoMax = 120_000_000,
        RtoMinOnVariance = true,
        R2 = 924_600_000, // tcp_retries2 = 15: tcp_model_timeout with TCP_RTO_MIN gives 924.6 s
        R2Syn = 131_000_000, // tcp_syn_retries 6 + tcp_syn_linear_timeouts 4: SYNs at 0,1,2,3,4,5,7,11,19,35,67 s, ETIMEDOUT at 131 s
        SynLinearTimeouts = 4, // tcp_sk_init: sysctl_tcp_syn_linear_timeouts = 4
        OrphanFinWait2 = OrphanFinWait2Rule.Linux,
        FinWait2Timeout = 60_000_000, // TCP_FIN_TIMEOUT (net.ipv4.tcp_fin_timeout)
        ListenQueue = ListenQueueRule.Linux,
        SynCookies = 1, // net.ipv4.tcp_syncookies = 1
        AbortOnListenOverflow = false, // net.ipv4.tcp_abort_on_overflow = 0
        AbortResetWithAck = true, // tcp_send_active_reset
        DelayedAck = 40_000, // TCP_ATO_MIN = TCP_DELACK_MIN (HZ / 25): tcp_send_delayed_ack with icsk_ack.ato at its minimum
        QuickAcks = 16, // TCP_MAX_QUICKACKS
        UserTimeout = 0, // icsk_user_timeout = 0 until TCP_USER_TIMEOUT is set: tcp_write_timeout gives up by tcp_retries2 alone
        UserTimeoutEndsClosedWindow = true, // tcp_probe_timer: icsk_probes_tstamp against icsk_user_timeout
        ChallengeAckLimitPerSecond = 0, // tcp_challenge_ack_limit = INT_MAX: "if (ack_limit == INT_MAX) goto send_ack"
        ChallengeAckMinInterval = 500_000, // tcp_invalid_ratelimit = HZ / 2 (per socket, last_oow_ack_time)
        MssIPv4 = 1460,
        MssIPv6 = 1440,
        ReceiveBuffer = 131072,
        SendBuffer = 16384,
        WindowScale = 7,
        SackPermitted = true,
        Timestamps = true,
        ResendSynAckOnRetransmittedSyn = true, // tcp_check_req: a retransmitted SYN gets inet_rtx_syn_ack
        SynInPassiveSynReceived = SynInPassiveSynReceivedRule.RequestSock, // tcp_check_req: embryonic_reset for an in-window SYN
        ResetRepeatedSynAckWithBadAck = false, // tcp_validate_incoming: a SYN in SYN_RECV without ack_seq == snd_nxt → syn_challenge
        ReportResetAfterPeerFin = true, // tcp_reset: sk_err = ECONNRESET in every state but SYN-SENT, CLOSE-WAIT, CLOSED
        NoticeQueuedSendsInSynSent = false, // tcp_close of a connecting socket discards the queue silently
        IgnoreRstInTimeWait = false,
        ReopenFromTimeWait = true,
        RestoreTimeWaitOnReset = false, // tcp_v4_rcv, TCP_TW_SYN: inet_twsk_deschedule_put, then the listener
        ResetOnCloseWithUnreadData = true,
        ResetOnDataAfterClose = true,
        AckAheadSilentDrop = true,
        TimeWaitConnect = TimeWaitConnectRule.AddressNotAvailable,
        // inet_csk_listen_stop resets only the accept queue's children (inet_child_forget → tcp_disconnect →
        // tcp_send_active_reset); a request sock finds its listener gone and is dropped silently (reqsk_timer_handler:
        // "if (inet_sk_state_load(sk_listener) != TCP_LISTEN) ... goto drop")
        ResetSynReceivedOnListenerClose = false,
        WindowUpdateOnlyWhenDoubled = true,
        TimeWaitAckRule = TimeWaitAckRule.Linux, // tcp_timewait_state_process
        TimeWaitSynFinAgainNeedsAck = true, // tcp_timewait_state_process: "if (paws_reject || th->ack) inet_twsk_reschedule"
    };

    /// <summary>All built-in profiles by name.</summary>
    public static IReadOnlyDictionary<string, Profile> BuiltIn { get; } =
        new Dictionary<string, Profile>(StringComparer.OrdinalIgnoreCase)
        {
            ["rfc9293"] = Rfc9293,
            ["rfc793"] = Rfc793,
            ["standard"] = Standard,
            ["freebsd"] = FreeBsd,
            ["linux"] = Linux,
        };
}
