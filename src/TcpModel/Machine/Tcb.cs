using TcpModel.Wire;

namespace TcpModel.Machine;

/// <summary>
/// Transmission Control Block, RFC 9293 §3.3.1: the send and receive sequence variables, the
/// retransmission queue (the octets of <see cref="SendQueue"/> from SND.UNA to SND.NXT plus our
/// SYN and FIN), the send and receive buffers, and the timers.
/// </summary>
public sealed class Tcb
{
    /// <summary>SND.UNA: oldest unacknowledged sequence number.</summary>
    public SeqNum SndUna;
    /// <summary>SND.NXT: next sequence number to be sent.</summary>
    public SeqNum SndNxt;
    /// <summary>SND.WND: send window (scaled, in octets).</summary>
    public uint SndWnd;
    /// <summary>SND.UP: send urgent pointer.</summary>
    public SeqNum SndUp;
    /// <summary>SND.WL1: segment sequence number used for last window update.</summary>
    public SeqNum SndWl1;
    /// <summary>SND.WL2: segment acknowledgment number used for last window update.</summary>
    public SeqNum SndWl2;
    /// <summary>ISS: initial send sequence number.</summary>
    public SeqNum Iss;
    /// <summary>RCV.NXT: next sequence number expected on an incoming segment.</summary>
    public SeqNum RcvNxt;
    /// <summary>RCV.UP: receive urgent pointer.</summary>
    public SeqNum RcvUp;
    /// <summary>IRS: initial receive sequence number.</summary>
    public SeqNum Irs;
    /// <summary>The largest window the peer has offered (MAX.SND.WND, RFC 5961 §5.2).</summary>
    public uint MaxSndWnd;

    /// <summary>SYN-RECEIVED reached from LISTEN (true) or from SYN-SENT (false) (§3.10.7.4, MUST-11).</summary>
    public bool FromPassiveOpen;

    /// <summary>SYN-RECEIVED was reached from TIME-WAIT by a new incarnation's SYN (RFC 1122 §4.2.2.13): the
    /// handshake is answered passively, but the connection did not come from LISTEN (RFC 9293 §3.10.7.4 second
    /// and fourth: it is not returned to LISTEN).</summary>
    public bool ReopenedFromTimeWait;
    /// <summary>The TIME-WAIT connection a new incarnation's SYN reopened (RFC 1122 §4.2.2.13), encoded as the
    /// explorer encodes endpoints, with its timers off and no time-dependent bookkeeping: kept while the new
    /// incarnation is in SYN-RECEIVED under POLICY reopen-reset-restores-time-wait, so that an RST can restore it;
    /// null otherwise.</summary>
    public byte[]? SavedTimeWait;
    /// <summary>The passive OPEN named the remote socket (§3.10.1).</summary>
    public bool RemoteSpecified;

    /// <summary>Receive buffer size in octets (RCV.WND is its free space). Setting it reserves that
    /// room in <see cref="ReceiveQueue"/>, so receiving never moves queued octets.</summary>
    public int ReceiveBufferSize
    {
        get => _receiveBufferSize;
        set { _receiveBufferSize = value; ReceiveQueue.Reserve(value); }
    }
    private int _receiveBufferSize;
    /// <summary>Send MSS: the peer's MSS option, or the §3.7.1 default (MUST-15).</summary>
    public int SendMss;
    /// <summary>The MSS we announced on our SYN.</summary>
    public ushort OurMss;
    /// <summary>Shift applied to windows we receive (RFC 7323); 0 when scaling is off.</summary>
    public byte SndScale;
    /// <summary>Shift applied to windows we send.</summary>
    public byte RcvScale;
    /// <summary>We offered window scaling on our SYN.</summary>
    public bool OfferedScale;

    /// <summary>The user timeout set for this connection (RFC 9293 §3.9.1 SEND/OPEN timeout parameter; the
    /// sockets view's TCP_USER_TIMEOUT), in µs; null: the profile's.</summary>
    public long? UserTimeout;

    /// <summary>Timestamps are in use on this connection.</summary>
    public bool TimestampsOn;
    /// <summary>The peer's SYN offered SACK-permitted and we offer it too (RFC 2018 §2): only then does our
    /// SYN,ACK carry the option.</summary>
    public bool SackPermittedOn;
    /// <summary>TS.Recent (RFC 7323 §4.3): the TSval to echo as TSecr, recorded under POLICY timestamp-rule.</summary>
    public uint TsRecent;
    /// <summary>Last.ACK.sent (RFC 7323 §4.3): the ACK field of the last segment we sent with ACK (FreeBSD
    /// <c>last_ack_sent</c>, Linux <c>rcv_wup</c>); kept only while timestamps are in use.</summary>
    public SeqNum LastAckSent;

    /// <summary>Octets written by the user from SND.UNA on (including unsent ones): the
    /// retransmission queue and the send buffer in one.</summary>
    public readonly ByteQueue SendQueue = new();
    /// <summary>Octets received in order, not yet read by the user.</summary>
    public readonly ByteQueue ReceiveQueue = new();
    /// <summary>Out-of-order segment text and FIN held for in-order delivery.</summary>
    public readonly Reassembly Reassembly = new();

    /// <summary>Octets copied by the three queues since this TCB was made (never reset): the measure of
    /// the work done on segment text and user data, for the linear-work property.</summary>
    public long OctetsCopied => SendQueue.OctetsCopied + ReceiveQueue.OctetsCopied + Reassembly.OctetsCopied;

    /// <summary>The user called CLOSE: a FIN follows the queued data.</summary>
    public bool FinQueued;
    /// <summary>Our FIN has been sent (it occupies <see cref="FinSeq"/>).</summary>
    public bool FinSent;
    /// <summary>Sequence number of our FIN once sent.</summary>
    public SeqNum FinSeq;
    /// <summary>The peer's FIN has been received in order.</summary>
    public bool FinReceived;
    /// <summary>A CLOSE issued in SYN-RECEIVED with SENDs queued, to process after ESTABLISHED (§3.10.4).</summary>
    public bool CloseAfterEstablished;
    /// <summary>The retransmission timer expired while our SYN was unacknowledged (RFC 6298 §5.7).</summary>
    public bool SynTimedOut;

    /// <summary>The timers.</summary>
    public TimerSet Timers = TimerSet.None;
    /// <summary>Current RTO (RFC 6298 §2).</summary>
    public long Rto;
    /// <summary>SRTT, or -1 before the first measurement.</summary>
    public long Srtt = -1;
    /// <summary>RTTVAR.</summary>
    public long RttVar;
    /// <summary>Sequence number being timed, valid when <see cref="RttTiming"/>.</summary>
    public SeqNum RttSeq;
    /// <summary>When the timed segment was sent.</summary>
    public long RttSentAt;
    /// <summary>A segment is being timed (Karn: never a retransmitted one).</summary>
    public bool RttTiming;
    /// <summary>Zero-window probes sent since the window closed: the persist interval is the RTO doubled
    /// this many times, bounded by the maximum RTO (§3.8.6.1, SHLD-30).</summary>
    public int PersistBackoff;
    /// <summary>Retransmissions of the current earliest segment.</summary>
    public int Retransmissions;
    /// <summary>When the earliest unacknowledged segment was first sent (R1/R2 are measured from it).</summary>
    public long RetransmitEpoch;
    /// <summary>Start of the current one-second challenge-ACK window (RFC 5961 §7).</summary>
    public long ChallengeWindowStart = long.MinValue;
    /// <summary>Challenge ACKs sent in the current window.</summary>
    public int ChallengeAcksInWindow;
    /// <summary>An ACK is owed (set by effects, sent by the output routine).</summary>
    public bool AckNow;
    /// <summary>The owed ACK must be the plain <c>&lt;SEQ=SND.NXT&gt;&lt;ACK=RCV.NXT&gt;&lt;CTL=ACK&gt;</c> even under
    /// POLICY fin-on-ack-while-fin-unacked (challenge ACKs, the answer to an unacceptable SYN).</summary>
    public bool AckPlain;
    /// <summary>Number of in-order data segments not yet acknowledged (delayed-ACK policy).</summary>
    public int UnackedSegments;
    /// <summary>POLICY quick-ack: ACKs still to be sent at once (Linux icsk_ack.quick).</summary>
    public int QuickAcks;
    /// <summary>POLICY quick-ack: interactive mode — we answered received text with text within the delayed-ACK time,
    /// so quick ACKs are off (Linux icsk_ack.pingpong, inet_csk_in_pingpong_mode).</summary>
    public bool PingPong;
    /// <summary>POLICY quick-ack: text has been received on this connection (Linux icsk_ack.ato is set).</summary>
    public bool DataSeen;
    /// <summary>POLICY quick-ack: when text last arrived (Linux icsk_ack.lrcvtime).</summary>
    public long LastDataAt;
    /// <summary>Last time anything was received (keep-alive idle measure).</summary>
    public long LastReceiveAt;

    /// <summary>Our SYN is sent and not yet acknowledged.</summary>
    public bool SynUnacked => SndUna == Iss && SndNxt != Iss;

    /// <summary>RCV.WND: the receive buffer less the octets received in order and not yet read.
    /// Octets held out of order are not subtracted: they lie inside the window already offered, and
    /// subtracting them would move the right edge left (RFC 9293 §3.8.6.2.2: "SHOULD NOT shrink the
    /// window", SHLD-14), making in-window segments unacceptable. POLICY compressed-state-window may
    /// bound it by the window last announced (<see cref="RcvWndLimit"/>).</summary>
    public uint RcvWnd
    {
        get
        {
            uint free = FreeWindow;
            if (!WindowIsAnnounced || !RcvAdvSet) return free;
            // POLICY receiver-sws-every-ack: RCV.WND is the window the SWS rule announced, "RCV.NXT+RCV.WND
            // fixed" until the rule moves it (RFC 9293 §3.8.6.2.2, MUST-39; Linux tcp_receive_window: rcv_wup +
            // rcv_wnd - rcv_nxt, the window last advertised) — never beyond the free buffer
            return Math.Min(free, AnnouncedWindow);
        }
    }

    /// <summary>What is left of the window last announced: RCV.NXT up to <see cref="RcvAdv"/> (0 once RCV.NXT has
    /// reached it; meaningful when <see cref="RcvAdvSet"/>).</summary>
    public uint AnnouncedWindow => RcvAdv > RcvNxt ? (RcvAdv - RcvNxt).Value : 0u;

    /// <summary>The receive buffer less the octets received in order and not yet read, bounded by
    /// <see cref="RcvWndLimit"/>: the window the receiver could offer (RCV.BUFF - RCV.USER of §3.8.6.2.2).</summary>
    public uint FreeWindow => Math.Min(RcvWndLimit, (uint)Math.Max(0, ReceiveBufferSize - ReceiveQueue.Count));

    /// <summary>POLICY receiver-sws-every-ack (a profile constant, given when the endpoint is made, so not part of
    /// a snapshot): RCV.WND is the window last announced (<see cref="RcvAdv"/>) once one has been, not the free buffer.</summary>
    public bool WindowIsAnnounced { get; init; }

    /// <summary>Upper bound on RCV.WND (POLICY compressed-state-window: the window last announced);
    /// <see cref="uint.MaxValue"/> when unbounded.</summary>
    public uint RcvWndLimit = uint.MaxValue;

    /// <summary>The right edge RCV.NXT+RCV.WND last announced (valid when <see cref="RcvAdvSet"/>; BSD rcv_adv).</summary>
    public SeqNum RcvAdv;
    /// <summary>A window has been announced on a segment other than our SYN.</summary>
    public bool RcvAdvSet;

    /// <summary>A zero-window probe's octet is out, sent at SND.NXT without advancing it (§3.8.6.1; FreeBSD
    /// tcp_output in persist mode advances snd_max only): an ACK covering it counts it as sent.</summary>
    public bool ProbeOutstanding;

    /// <summary>POLICY tail-loss-probe: the retransmission timer's deadline is a probe timeout (Linux's one timer with
    /// icsk_pending = ICSK_TIME_LOSS_PROBE), not an RTO.</summary>
    public bool LossProbeArmed;

    /// <summary>POLICY tail-loss-probe: a loss probe is out and its episode not over (Linux tlp_high_seq != 0);
    /// <see cref="TlpHighSeq"/> is SND.NXT when it was sent.</summary>
    public bool TlpOutstanding;

    /// <summary>SND.NXT when the outstanding loss probe was sent (valid when <see cref="TlpOutstanding"/>).</summary>
    public SeqNum TlpHighSeq;

    /// <summary>SEND calls queued before the connection is synchronized (in SYN-SENT, and the one that turned LISTEN
    /// into SYN-SENT): §3.10.4 and §3.10.5 answer each of them when CLOSE or ABORT deletes a SYN-SENT TCB.</summary>
    public int QueuedSendCalls;

    /// <summary>The receive buffer is still to be rounded to the MSS when the passive connection is established.</summary>
    public bool RoundBufferWhenEstablished;

    /// <summary>Octets of user data sent and not yet acknowledged.</summary>
    public int DataInFlight
    {
        get
        {
            int space = (int)(SndNxt - SndUna).Value;
            if (SynUnacked) space--;
            if (FinSent && !FinAcked) space--;
            return Math.Max(0, space);
        }
    }

    /// <summary>Octets queued by the user and not yet sent.</summary>
    public int Unsent => SendQueue.Count - DataInFlight;

    /// <summary>Our FIN is sent and acknowledged.</summary>
    public bool FinAcked => FinSent && SndUna == FinSeq + new SeqLen(1);

    /// <summary>Resets every field, as when the TCB is deleted.</summary>
    public void Clear()
    {
        SndUna = SndNxt = SndUp = SndWl1 = SndWl2 = Iss = RcvNxt = RcvUp = Irs = default;
        SndWnd = MaxSndWnd = 0;
        RcvWndLimit = uint.MaxValue;
        RoundBufferWhenEstablished = RcvAdvSet = ProbeOutstanding = LossProbeArmed = TlpOutstanding = false;
        TlpHighSeq = default;
        QueuedSendCalls = 0;
        RcvAdv = default;
        FromPassiveOpen = ReopenedFromTimeWait = RemoteSpecified = false;
        SavedTimeWait = null;
        SndScale = RcvScale = 0;
        OfferedScale = TimestampsOn = SackPermittedOn = false;
        TsRecent = 0;
        LastAckSent = default;
        SendQueue.Clear();
        ReceiveQueue.Clear();
        Reassembly.Clear();
        FinQueued = FinSent = FinReceived = CloseAfterEstablished = SynTimedOut = false;
        FinSeq = default;
        Timers = TimerSet.None;
        Srtt = -1;
        RttVar = 0;
        RttTiming = false;
        Retransmissions = 0;
        PersistBackoff = 0;
        RetransmitEpoch = 0;
        LastReceiveAt = 0;
        AckNow = AckPlain = false;
        UnackedSegments = 0;
        QuickAcks = 0;
        PingPong = DataSeen = false;
        LastDataAt = 0;
        ChallengeWindowStart = long.MinValue;
        ChallengeAcksInWindow = 0;
    }
}
