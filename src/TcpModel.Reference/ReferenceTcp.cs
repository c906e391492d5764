using TcpModel.Machine;
using TcpModel.Wire;

namespace TcpModel.Reference;

/// <summary>
/// One TCP endpoint (one TCB), written as a plain transcription of RFC 9293 §3.10 "Event
/// Processing": the user calls (§3.10.1–§3.10.5), SEGMENT ARRIVES (§3.10.7, in
/// ReferenceTcp.SegmentArrives.cs) and the timeouts (§3.10.8, in ReferenceTcp.Timers.cs), with
/// retransmission after RFC 6298 and RFC 1122 §4.2.3.5, zero-window probing (§3.8.6.1), the
/// effective send MSS (§3.7.1, RFC 6691), window scaling (RFC 7323 §2), the RFC 5961 checks and
/// challenge-ACK throttle, and TIME-WAIT reopening (RFC 1122 §4.2.2.13). An independent oracle for
/// the main model: deterministic, a virtual clock the caller advances, no I/O. Every call returns
/// the segments emitted. Where the RFCs leave a choice it reads the <see cref="Profile"/> policy.
/// </summary>
/// <remarks>
/// Not modelled: security/compartment and Diffserv checks, urgent data, PUSH, delayed ACKs
/// (<see cref="Profile.DelayedAck"/>), keep-alives (<see cref="Profile.KeepAliveIdle"/>), the
/// timestamps option (<see cref="Profile.Timestamps"/>: not offered), SACK recovery, sender
/// silly-window avoidance (data is sent as soon as the window allows), window updates on RECEIVE unless
/// <see cref="WindowUpdateOnReceive"/> asks for them, and the packetdrill-suite policies
/// (<see cref="Profile.FinOnAckWhileFinUnacked"/>, <see cref="Profile.ProcessAckOfOldSegment"/>,
/// <see cref="Profile.CompressedStateWindow"/>, <see cref="Profile.RoundReceiveBufferToMss"/>,
/// <see cref="Profile.TimeWaitAckRule"/> Bsd, and <see cref="Profile.ResetSynReceivedOnListenerClose"/>, which needs
/// a listener with children). Honoured besides the data-path policies: drop-synfin, time-wait-drop-without-ack,
/// time-wait-ack-rule FinOnly and EveryAck, syn-received-rst-ack-check, reset-on-close-with-unread-data,
/// syn-reset-form, rfc1337, rfc5961-rst/-syn/-ack, challenge-ack-limit, time-wait-reopen, receiver-sws-every-ack
/// (receiver SWS avoidance, §3.8.6.2.2, on the window of every segment; off: the free buffer),
/// syn-sent-queued-send-notice, fin-after-fin, zero-window-probe-form, synack-rule-after-syn-sent-only,
/// repeated-synack-bad-ack.
/// </remarks>
public sealed partial class ReferenceTcp
{
    private readonly Profile _profile;
    private readonly RefPath _path;
    private readonly List<string> _notifications = [];
    private readonly List<Segment> _out = [];

    // The TCB, RFC 9293 §3.3.1.
    private SeqNum _iss, _irs;
    private SeqNum _sndUna, _sndNxt, _sndWl1, _sndWl2;
    private uint _sndWnd;
    private SeqNum _rcvNxt;

    /// <summary>MAX.SND.WND of RFC 5961 §5.2: the largest window the peer has announced (scaled).</summary>
    private uint _maxSndWnd;

    /// <summary>SendMSS of §3.7.1: the peer's MSS option, or the default (536 / 1220) without one.</summary>
    private int _sendMss;

    /// <summary>Snd.Wind.Shift and Rcv.Wind.Shift of RFC 7323 §2.3 (0 unless both SYNs carried WS).</summary>
    private int _sndShift, _rcvShift;

    /// <summary>The peer's SYN carried window scale / SACK-permitted (RFC 7323 §2.2, RFC 2018 §2).</summary>
    private bool _peerOfferedWs, _peerOfferedSack;

    /// <summary>
    /// Octets SENT by the user and not yet acknowledged (sent or not yet segmentized); the first is
    /// at sequence number <see cref="_sndBufSeq"/>. The retransmission queue and the send queue in one.
    /// </summary>
    private readonly List<byte> _sndBuf = [];
    private SeqNum _sndBufSeq;

    /// <summary>Octets delivered in order and not yet read by the user.</summary>
    private readonly List<byte> _received = [];

    /// <summary>Text (and FIN) accepted but not yet in order, "held for later processing" (SHLD-31).</summary>
    private readonly List<HeldText> _held = [];

    /// <summary>SYN-RECEIVED was reached from LISTEN, RFC 9293 §3.5 (MUST-11).</summary>
    private bool _passive;

    /// <summary>The user has called CLOSE: a FIN follows the queued data (§3.10.4).</summary>
    private bool _closeRequested;

    /// <summary>A CLOSE was queued in SYN-RECEIVED (§3.10.4) after a FIN had been queued with the peer's SYN
    /// (§3.10.7.2, §3.10.7.3): on entering ESTABLISHED the FIN is processed first.</summary>
    private bool _closeQueuedAfterPeerFin;

    private bool _finSent;
    private SeqNum _finSeq;

    /// <summary>Our SYN has been acknowledged (SND.UNA advanced past ISS): the connection is synchronized, and what
    /// came with the peer's SYN may be processed (<see cref="DeliverInOrder"/>).</summary>
    private bool _ourSynAcked;

    /// <summary>Creates an endpoint in CLOSED from the compact configuration (<see cref="RefConfig.ToProfile"/>,
    /// <see cref="RefConfig.ToPath"/>); <paramref name="iss"/> is the ISS of the next SYN it sends.</summary>
    public ReferenceTcp(RefConfig config, SeqNum iss) : this(config.ToProfile(), iss, config.ToPath())
    {
    }

    /// <summary>
    /// Creates an endpoint in CLOSED that honours <paramref name="profile"/>'s policies (spec/policies.md)
    /// over <paramref name="path"/> (default: IPv4, MTU 1500); <paramref name="iss"/> is the ISS of
    /// the next SYN it sends. The clock starts at 0 (<see cref="Now"/>).
    /// </summary>
    public ReferenceTcp(Profile profile, SeqNum iss, RefPath? path = null)
    {
        _profile = profile;
        _path = path ?? new RefPath();
        NextIss = iss;
        CreateTcb();
    }

    /// <summary>The profile whose policies this endpoint honours.</summary>
    public Profile Profile => _profile;

    /// <summary>The IP path (MTU, IPv4/IPv6, IP options) for the MSS rules of §3.7.1.</summary>
    public RefPath Path => _path;

    /// <summary>
    /// The ISS the next SYN (or SYN,ACK) will use. Stays the same after use; settable so that
    /// scenarios such as RFC 9293 Figure 8 (a second SYN,ACK with a new ISS) can be replayed. A
    /// connection reopened from TIME-WAIT uses it only when it lies above the old SND.NXT.
    /// </summary>
    public SeqNum NextIss { get; set; }

    /// <summary>The connection state, RFC 9293 §3.3.2.</summary>
    public RefState State { get; private set; } = RefState.Closed;

    /// <summary>User notifications so far, in the RFC's words without the "error: " prefix.</summary>
    public IReadOnlyList<string> Notifications => _notifications;

    /// <summary>Octets delivered in order and not yet read.</summary>
    public byte[] Received => [.. _received];

    /// <summary>SND.UNA (meaningful once a SYN has been sent).</summary>
    public SeqNum SndUna => _sndUna;

    /// <summary>SND.NXT (meaningful once a SYN has been sent). A zero-window probe does not advance it
    /// until the probe's octet is acknowledged.</summary>
    public SeqNum SndNxt => _sndNxt;

    /// <summary>RCV.NXT (meaningful once a SYN has been received).</summary>
    public SeqNum RcvNxt => _rcvNxt;

    /// <summary>SND.WND in octets, after window scaling (RFC 7323 §2.3).</summary>
    public uint SendWindow => _sndWnd;

    /// <summary>RCV.WND in octets: under POLICY receiver-sws-every-ack the window §3.8.6.2.2 keeps (right edge
    /// fixed until the reduction reaches min(RCV.BUFF/2, Eff.snd.MSS)); off, the free receive buffer; at most
    /// 65535 &lt;&lt; Rcv.Wind.Shift.</summary>
    public uint ReceiveWindow => RcvWnd;

    /// <summary>Snd.Wind.Shift: the shift applied to the peer's SEG.WND on non-SYN segments (RFC 7323 §2.3).</summary>
    public int SendWindowShift => _sndShift;

    /// <summary>Rcv.Wind.Shift: the shift applied to RCV.WND in the window field of non-SYN segments.</summary>
    public int ReceiveWindowShift => _rcvShift;

    /// <summary>SendMSS of RFC 9293 §3.7.1: the peer's MSS option, or the default 536 (IPv4) / 1220 (IPv6).</summary>
    public int SendMss => _sendMss;

    /// <summary>Octets SENT by the user not yet acknowledged (including those not yet sent).</summary>
    public int Unacknowledged => _sndBuf.Count;

    /// <summary>Octets SENT by the user not yet segmentized (a zero-window probe's octet counts as not sent).</summary>
    public int Unsent => _sndBuf.Count - SentDataCount;

    /// <summary>RCV.BUFF − RCV.USER of RFC 9293 §3.8.6.2.2: the buffer left for in-order data not yet read,
    /// at most 65535 &lt;&lt; Rcv.Wind.Shift (the largest window the window field can announce, RFC 7323 §2.3).</summary>
    private uint FreeReceiveBuffer
    {
        get
        {
            long free = Math.Max(0L, (long)_profile.ReceiveBuffer - _received.Count);
            return (uint)Math.Min(free, 65535L << _rcvShift);
        }
    }

    /// <summary>
    /// RCV.WND. POLICY receiver-sws-every-ack on: from the peer's SYN on, RCV.NXT + RCV.WND is the right edge
    /// <see cref="_rcvRightEdge"/>, kept fixed as RCV.NXT advances over data (RFC 9293 §3.8.6.2.2: "the receiver
    /// must specify a RCV.WND that keeps RCV.NXT+RCV.WND constant as RCV.NXT increases") and moved only by
    /// <see cref="ApplyReceiverSws"/>; it is the window of every segment sent. Off (and before the peer's SYN,
    /// when "RCV.WND = RCV.BUFF and RCV.USER = 0"): the free buffer, <see cref="FreeReceiveBuffer"/>.
    /// </summary>
    private uint RcvWnd
    {
        get
        {
            uint free = FreeReceiveBuffer;
            if (!_profile.ReceiverSwsOnEveryAck || !_rcvRightEdgeSet) return free;
            // Never beyond the free buffer (the edge is set to at most RCV.NXT + free, and in-order data
            // is accepted only inside it, so this bound does not bind; it keeps the window a window).
            return (uint)Math.Clamp(_rcvRightEdge.DistanceFrom(_rcvNxt), 0L, free);
        }
    }

    /// <summary>RCV.NXT + RCV.WND under POLICY receiver-sws-every-ack (see <see cref="RcvWnd"/>); set once the
    /// peer's SYN has been received (<see cref="_rcvRightEdgeSet"/>).</summary>
    private SeqNum _rcvRightEdge;

    private bool _rcvRightEdgeSet;

    /// <summary>The peer's SYN has set RCV.NXT: "When the connection is quiescent, RCV.WND = RCV.BUFF and
    /// RCV.USER = 0" (RFC 9293 §3.8.6.2.2) — the right edge starts at RCV.NXT + the free buffer.</summary>
    private void StartReceiveWindow()
    {
        _rcvRightEdge = _rcvNxt + new SeqLen(FreeReceiveBuffer);
        _rcvRightEdgeSet = true;
    }

    /// <summary>
    /// POLICY receiver-sws-every-ack: the receiver's SWS avoidance of RFC 9293 §3.8.6.2.2 (MUST-39): "keep
    /// RCV.NXT+RCV.WND fixed until the reduction satisfies: RCV.BUFF - RCV.USER - RCV.WND >= min( Fr * RCV.BUFF,
    /// Eff.snd.MSS ) where Fr is a fraction whose recommended value is 1/2 ... When the inequality is satisfied,
    /// RCV.WND is set to RCV.BUFF-RCV.USER." The reduction grows only when the user reads (RCV.USER falls), so
    /// this is applied after each RECEIVE. Fr × RCV.BUFF is compared exactly (2 × reduction ≥ RCV.BUFF). The
    /// window only grows here: the right edge never moves left (§3.8.6: SHLD-14 "SHOULD NOT shrink the window").
    /// Returns true when the right edge moved.
    /// </summary>
    private bool ApplyReceiverSws()
    {
        if (!_profile.ReceiverSwsOnEveryAck || !_rcvRightEdgeSet) return false;
        long free = FreeReceiveBuffer;
        long reduction = free - RcvWnd;
        if (reduction <= 0) return false;
        if (2 * reduction < _profile.ReceiveBuffer && reduction < EffectiveSendMss) return false;
        _rcvRightEdge = _rcvNxt + new SeqLen((uint)free);
        return true;
    }

    // ---------------------------------------------------------------- OPEN, RFC 9293 §3.10.1

    /// <summary>Passive OPEN.</summary>
    public IReadOnlyList<Segment> OpenPassive()
    {
        if (State == RefState.Closed)
        {
            // "Create a new transmission control block ... If passive, enter the LISTEN state and return."
            CreateTcb();
            State = RefState.Listen;
        }
        else
        {
            // SYN-SENT ... TIME-WAIT: "Return 'error: connection already exists'."
            // INTERPRETATION: a passive OPEN in LISTEN is not described; treated the same way.
            Notify("connection already exists");
        }
        return Flush();
    }

    /// <summary>Active OPEN (the remote socket is always specified here).</summary>
    public IReadOnlyList<Segment> OpenActive()
    {
        switch (State)
        {
            case RefState.Closed:
                // "A SYN segment of the form <SEQ=ISS><CTL=SYN> is sent. Set SND.UNA to ISS,
                // SND.NXT to ISS+1, enter SYN-SENT state, and return."
                CreateTcb();
                SendInitialSyn();
                break;
            case RefState.Listen:
                // "If the OPEN call is active ... change the connection from passive to active,
                // select an ISS. Send a SYN segment ... Enter SYN-SENT state."
                SendInitialSyn();
                break;
            default:
                // "Return 'error: connection already exists'."
                Notify("connection already exists");
                break;
        }
        return Flush();
    }

    // ---------------------------------------------------------------- SEND, RFC 9293 §3.10.2

    /// <summary>SEND: queues the octets and sends what the peer's window allows, in segments of at
    /// most the effective send MSS (no Nagle).</summary>
    public IReadOnlyList<Segment> Send(ReadOnlySpan<byte> data)
    {
        switch (State)
        {
            case RefState.Closed:
                // "Otherwise, return 'error: connection does not exist'."
                Notify("connection does not exist");
                break;
            case RefState.Listen:
                // "If the remote socket is specified, then change the connection from passive to
                // active, select an ISS. Send a SYN segment ... Enter SYN-SENT state. Data associated
                // with SEND may be sent with SYN segment or queued" — queued.
                _sndBuf.AddRange(data);
                SendInitialSyn();
                _queuedSends = 1;
                break;
            case RefState.SynSent:
            case RefState.SynReceived:
                if (_closeRequested)
                {
                    // A CLOSE is queued in SYN-RECEIVED (§3.10.4): no further SENDs (§3.6 case 1).
                    Notify("connection closing");
                    break;
                }
                // "Queue the data for transmission after entering ESTABLISHED state."
                _sndBuf.AddRange(data);
                if (State == RefState.SynSent) _queuedSends++;
                break;
            case RefState.Established:
            case RefState.CloseWait:
                // "Segmentize the buffer and send it with a piggybacked acknowledgment
                // (acknowledgment value = RCV.NXT)."
                _sndBuf.AddRange(data);
                SendQueued();
                break;
            default:
                // FIN-WAIT-1 ... TIME-WAIT: "Return 'error: connection closing' and do not service request."
                Notify("connection closing");
                break;
        }
        return Flush();
    }

    // ---------------------------------------------------------------- RECEIVE, RFC 9293 §3.10.3

    /// <summary>RECEIVE: the user reads up to <paramref name="maxCount"/> octets (no window update is
    /// sent). After the peer's FIN (CLOSE-WAIT, CLOSING, LAST-ACK, TIME-WAIT) the octets on hand are
    /// delivered first; once none remain the answer is "connection closing".</summary>
    public IReadOnlyList<Segment> Receive(int maxCount, out byte[] data)
    {
        data = [];
        switch (State)
        {
            case RefState.Closed:
                // "Otherwise, return 'error: connection does not exist'."
                Notify("connection does not exist");
                break;
            case RefState.Listen:
            case RefState.SynSent:
            case RefState.SynReceived:
                // "Queue for processing after entering ESTABLISHED state." Nothing to return yet.
                break;
            case RefState.Established:
            case RefState.FinWait1:
            case RefState.FinWait2:
                // "If insufficient incoming segments are queued to satisfy the request, queue the
                // request." / "Reassemble queued incoming segments into receive buffer and return to user."
                data = Take(maxCount);
                if (_profile.ReceiverSwsOnEveryAck)
                {
                    // POLICY receiver-sws-every-ack: RCV.WND itself follows §3.8.6.2.2; the window update,
                    // when asked for, announces the edge the rule has just moved.
                    if (ApplyReceiverSws() && WindowUpdateOnReceive) SendAck();
                }
                else if (WindowUpdateOnReceive && data.Length > 0)
                {
                    var rightEdge = _rcvNxt + new SeqLen((uint)WindowField(syn: false) << _rcvShift);
                    long moved = rightEdge.DistanceFrom(_announcedRightEdge);
                    long threshold = Math.Min(_profile.ReceiveBuffer / 2, EffectiveSendMss);
                    if (moved >= Math.Max(1, threshold)) SendAck();
                }
                break;
            default:
                // CLOSE-WAIT: "RECEIVEs must be satisfied by data already on hand ... If no text is
                // awaiting delivery, the RECEIVE will get an 'error: connection closing' response."
                // CLOSING, LAST-ACK and TIME-WAIT say "Return 'error: connection closing'"; §3.6 says when:
                // "The user who CLOSEs may continue to RECEIVE until the TCP receiver is told that the
                // remote peer has CLOSED also" — the text received before the peer's FIN is delivered
                // first, as in CLOSE-WAIT, and the error answers once nothing is left.
                if (_received.Count == 0) Notify("connection closing");
                else
                {
                    data = Take(maxCount);
                    // No more text can come, but the window is still announced on what we send.
                    ApplyReceiverSws();
                }
                break;
        }
        return Flush();
    }

    // ---------------------------------------------------------------- CLOSE, RFC 9293 §3.10.4

    /// <summary>CLOSE: "I have no more data to send."</summary>
    public IReadOnlyList<Segment> Close()
    {
        switch (State)
        {
            case RefState.Closed:
                // "Otherwise, return 'error: connection does not exist'."
                Notify("connection does not exist");
                break;
            case RefState.Listen:
                // "Delete TCB, enter CLOSED state, and return."
                DeleteTcb();
                break;
            case RefState.SynSent:
                // "Delete the TCB and return 'error: closing' responses to any queued SENDs, or RECEIVEs."
                // POLICY syn-sent-queued-send-notice: one "closing" per queued SEND (RECEIVEs issued before
                // ESTABLISHED are not queued by this endpoint: nothing to answer); off: none.
                NotifyQueuedSends("closing");
                DeleteTcb();
                break;
            case RefState.SynReceived:
                if (_closeRequested)
                {
                    Notify("connection closing");
                    break;
                }
                _closeRequested = true;
                // "If no SENDs have been issued and there is no pending data to send, then form a FIN
                // segment and send it, and enter FIN-WAIT-1 state; otherwise, queue for processing
                // after entering ESTABLISHED state."
                if (_sndBuf.Count == 0)
                {
                    State = RefState.FinWait1;
                    SendQueued();
                }
                else
                {
                    // Queued: processed after ESTABLISHED is reached, after any control queued before it
                    // (§3.10.7.3, §3.10.7.2: the peer's FIN that came with its SYN), in the order they happened.
                    _closeQueuedAfterPeerFin = _held.Exists(h => h.Fin);
                }
                break;
            case RefState.Established or RefState.CloseWait when _profile.ResetOnCloseWithUnreadData && _received.Count > 0:
                // POLICY reset-on-close-with-unread-data (RFC 1122 §4.2.2.13; RFC 9293 §3.6 SHLD-3): "If
                // such a host issues a CLOSE call while received data is still pending in TCP ... its TCP
                // SHOULD send a RST to show that data was lost": <SEQ=SND.NXT><ACK=RCV.NXT><CTL=RST,ACK>, CLOSED.
                Emit(new Segment(_sndNxt, _rcvNxt, Control.RST | Control.ACK, WindowField(syn: false)));
                DeleteTcb();
                break;
            case RefState.Established:
                // "Queue this until all preceding SENDs have been segmentized, then form a FIN segment
                // and send it. In any case, enter FIN-WAIT-1 state."
                _closeRequested = true;
                State = RefState.FinWait1;
                SendQueued();
                break;
            case RefState.CloseWait:
                // "Queue this request until all preceding SENDs have been segmentized; then send a FIN
                // segment, enter LAST-ACK state."
                // INTERPRETATION: LAST-ACK is entered at once (as ESTABLISHED enters FIN-WAIT-1 "in any
                // case"); the FIN follows the queued data when the window allows it.
                _closeRequested = true;
                State = RefState.LastAck;
                SendQueued();
                break;
            default:
                // FIN-WAIT-1, FIN-WAIT-2: "Strictly speaking, this is an error and should receive an
                // 'error: connection closing' response." CLOSING, LAST-ACK, TIME-WAIT: "Respond with
                // 'error: connection closing'."
                Notify("connection closing");
                break;
        }
        return Flush();
    }

    // ---------------------------------------------------------------- ABORT, RFC 9293 §3.10.5

    /// <summary>ABORT.</summary>
    public IReadOnlyList<Segment> Abort()
    {
        switch (State)
        {
            case RefState.Closed:
                // "Otherwise, return 'error: connection does not exist'."
                Notify("connection does not exist");
                break;
            case RefState.Listen:
                // "Delete the TCB, enter CLOSED state, and return."
                DeleteTcb();
                break;
            case RefState.SynSent:
                // "All queued SENDs and RECEIVEs should be given 'connection reset' notification. Delete the
                // TCB, enter CLOSED state, and return." POLICY syn-sent-queued-send-notice: one "connection
                // reset" per queued SEND (no RECEIVEs are queued here); off: none.
                NotifyQueuedSends("connection reset");
                DeleteTcb();
                break;
            case RefState.SynReceived:
            case RefState.Established:
            case RefState.FinWait1:
            case RefState.FinWait2:
            case RefState.CloseWait:
                // "Send a reset segment: <SEQ=SND.NXT><CTL=RST>" — with ACK=RCV.NXT, by the project
                // convention that every segment but an initial SYN and a <SEQ=SEG.ACK><CTL=RST> carries ACK.
                // "... all segments queued for transmission (except for the RST formed above) or
                // retransmission should be flushed. Delete the TCB, enter CLOSED state, and return."
                Emit(new Segment(_sndNxt, _rcvNxt, Control.RST | Control.ACK, WindowField(syn: false)));
                DeleteTcb();
                break;
            default:
                // CLOSING, LAST-ACK, TIME-WAIT: "Respond with 'ok' and delete the TCB, enter CLOSED state."
                DeleteTcb();
                break;
        }
        return Flush();
    }

    // ---------------------------------------------------------------- TCB housekeeping

    private void CreateTcb()
    {
        _sndBuf.Clear();
        _queuedSends = 0;
        _rcvRightEdge = default;
        _rcvRightEdgeSet = false;
        _received.Clear();
        _held.Clear();
        _passive = false;
        _reopened = null;
        _closeRequested = false;
        _closeQueuedAfterPeerFin = false;
        _finSent = false;
        _ourSynAcked = false;
        _sndWnd = _maxSndWnd = 0;
        _sndShift = _rcvShift = 0;
        _peerOfferedWs = _peerOfferedSack = false;
        _sendMss = _path.DefaultSendMss;
        _iss = _irs = _sndUna = _sndNxt = _sndWl1 = _sndWl2 = _rcvNxt = _finSeq = _sndBufSeq = default;
        ResetTimers();
    }

    /// <summary>"Delete the TCB, enter the CLOSED state": every queue and timer goes with the TCB.</summary>
    private void DeleteTcb()
    {
        CreateTcb();
        State = RefState.Closed;
    }

    private byte[] Take(int maxCount)
    {
        int n = Math.Clamp(maxCount, 0, _received.Count);
        var data = _received.GetRange(0, n).ToArray();
        _received.RemoveRange(0, n);
        return data;
    }

    private void Notify(string text) => _notifications.Add(text);

    /// <summary>SEND calls queued in SYN-SENT (§3.10.2: "Queue the data for transmission after entering
    /// ESTABLISHED state"), the one that turned LISTEN into SYN-SENT included.</summary>
    private int _queuedSends;

    /// <summary>POLICY syn-sent-queued-send-notice (RFC 9293 §3.10.4, §3.10.5 SYN-SENT): a response to each
    /// queued SEND when CLOSE or ABORT deletes the SYN-SENT TCB; off (the sockets view): the queued octets go
    /// with the TCB silently.</summary>
    private void NotifyQueuedSends(string text)
    {
        if (!_profile.NoticeQueuedSendsInSynSent) return;
        for (int k = 0; k < _queuedSends; k++) Notify(text);
    }

    private void Emit(Segment segment)
    {
        // The right edge of the window announced (RCV.NXT + RCV.WND as the peer sees it), for the
        // receiver's silly-window-syndrome rule (§3.8.6.2.2).
        if (segment.HasAck && !segment.Rst)
            _announcedRightEdge = segment.Ack + new SeqLen((uint)segment.Window << (segment.Syn ? 0 : _rcvShift));
        _out.Add(segment);
    }

    /// <summary>RCV.NXT + RCV.WND as last announced to the peer.</summary>
    private SeqNum _announcedRightEdge;

    /// <summary>
    /// When true, a RECEIVE that frees enough buffer sends a window update
    /// <c>&lt;SEQ=SND.NXT&gt;&lt;ACK=RCV.NXT&gt;&lt;CTL=ACK&gt;</c>: the receiver's SWS avoidance of RFC 9293
    /// §3.8.6.2.2 (MUST-39) — the window is announced again once the right edge would move by at least
    /// <c>min(Fr × RCV.BUFF, Eff.snd.MSS)</c>, Fr = 1/2 — in ESTABLISHED, FIN-WAIT-1 and FIN-WAIT-2 (after the
    /// peer's FIN no more text can come). Off (the default, the reference's original behaviour): RECEIVE
    /// sends nothing and the reopened window is announced by the next segment sent anyway.
    /// </summary>
    public bool WindowUpdateOnReceive { get; set; }

    /// <summary>Ends an event: the timers follow the new state (persist, user timeout), then the
    /// segments emitted are handed to the caller.</summary>
    private Segment[] Flush()
    {
        UpdateTimers();
        var segments = _out.ToArray();
        _out.Clear();
        return segments;
    }
}
