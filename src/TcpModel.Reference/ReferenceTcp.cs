using TcpModel.Wire;

namespace TcpModel.Reference;

/// <summary>
/// One TCP endpoint (one TCB), written as a plain transcription of RFC 9293 §3.10 "Event
/// Processing": the user calls (§3.10.1–§3.10.5), SEGMENT ARRIVES (§3.10.7, in
/// ReferenceTcp.SegmentArrives.cs) and the TIME-WAIT timeout (§3.10.8). An independent oracle
/// for the main model: deterministic, no clock, no I/O. Every call returns the segments emitted.
/// </summary>
/// <remarks>
/// Not modelled: security/compartment and Diffserv checks, urgent data, PUSH, retransmission and
/// user timeouts, zero-window probing, window updates, RFC 5961 §5 ACK-range check (MAY-12),
/// RFC 5961 ACK throttling, TIME-WAIT reopening by a new SYN (MAY-2).
/// </remarks>
public sealed partial class ReferenceTcp
{
    private readonly RefConfig _config;
    private readonly List<string> _notifications = [];
    private readonly List<Segment> _out = [];

    // The TCB, RFC 9293 §3.3.1.
    private SeqNum _iss, _irs;
    private SeqNum _sndUna, _sndNxt, _sndWl1, _sndWl2;
    private uint _sndWnd;
    private SeqNum _rcvNxt;

    /// <summary>Octets SENT by the user and not yet segmentized.</summary>
    private readonly List<byte> _sendQueue = [];

    /// <summary>Octets delivered in order and not yet read by the user.</summary>
    private readonly List<byte> _received = [];

    /// <summary>Text (and FIN) accepted but not yet in order, "held for later processing" (SHLD-31).</summary>
    private readonly List<HeldText> _held = [];

    /// <summary>SYN-RECEIVED was reached from LISTEN, RFC 9293 §3.5 (MUST-11).</summary>
    private bool _passive;

    /// <summary>The user has called CLOSE: a FIN follows the queued data (§3.10.4).</summary>
    private bool _closeRequested;

    private bool _finSent;
    private SeqNum _finSeq;

    /// <summary>Creates an endpoint in CLOSED; <paramref name="iss"/> is the ISS of the next SYN it sends.</summary>
    public ReferenceTcp(RefConfig config, SeqNum iss)
    {
        _config = config;
        NextIss = iss;
    }

    /// <summary>
    /// The ISS the next SYN (or SYN,ACK) will use. Stays the same after use; settable so that
    /// scenarios such as RFC 9293 Figure 8 (a second SYN,ACK with a new ISS) can be replayed.
    /// </summary>
    public SeqNum NextIss { get; set; }

    /// <summary>The connection state, RFC 9293 §3.3.2.</summary>
    public RefState State { get; private set; } = RefState.Closed;

    /// <summary>User notifications so far, in the RFC's words without the "error: " prefix.</summary>
    public IReadOnlyList<string> Notifications => _notifications;

    /// <summary>Octets delivered in order and not yet read.</summary>
    public byte[] Received => [.. _received];

    /// <summary>RCV.WND: the buffer left for in-order data not yet read, at most 65535 (no window scaling).</summary>
    private ushort RcvWnd =>
        (ushort)Math.Min(65535L, Math.Max(0L, (long)_config.ReceiveBuffer - _received.Count));

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

    /// <summary>SEND: queues the octets and sends what the peer's window allows (no Nagle).</summary>
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
                _sendQueue.AddRange(data);
                SendInitialSyn();
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
                _sendQueue.AddRange(data);
                break;
            case RefState.Established:
            case RefState.CloseWait:
                // "Segmentize the buffer and send it with a piggybacked acknowledgment
                // (acknowledgment value = RCV.NXT)."
                _sendQueue.AddRange(data);
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

    /// <summary>RECEIVE: the user reads up to <paramref name="maxCount"/> octets (no window update is sent).</summary>
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
                break;
            default:
                // CLOSE-WAIT: "RECEIVEs must be satisfied by data already on hand ... If no text is
                // awaiting delivery, the RECEIVE will get an 'error: connection closing' response."
                // CLOSING, LAST-ACK and TIME-WAIT say "Return 'error: connection closing'"; §3.6 says when:
                // "The user who CLOSEs may continue to RECEIVE until the TCP receiver is told that the
                // remote peer has CLOSED also" — the text received before the peer's FIN is delivered
                // first, as in CLOSE-WAIT, and the error answers once nothing is left.
                if (_received.Count == 0) Notify("connection closing");
                else data = Take(maxCount);
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
                // (Queued calls are not modelled, so no notification.)
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
                if (_sendQueue.Count == 0)
                {
                    State = RefState.FinWait1;
                    SendQueued();
                }
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
            case RefState.SynSent:
                // "Delete the TCB, enter CLOSED state, and return."
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
                Emit(new Segment(_sndNxt, _rcvNxt, Control.RST | Control.ACK, RcvWnd));
                DeleteTcb();
                break;
            default:
                // CLOSING, LAST-ACK, TIME-WAIT: "Respond with 'ok' and delete the TCB, enter CLOSED state."
                DeleteTcb();
                break;
        }
        return Flush();
    }

    // ---------------------------------------------------------------- Timeouts, RFC 9293 §3.10.8

    /// <summary>The 2 MSL time-wait timeout: TIME-WAIT → CLOSED; a no-op in any other state.</summary>
    public IReadOnlyList<Segment> TimeWaitTimeout()
    {
        // "If the time-wait timeout expires on a connection, delete the TCB, enter the CLOSED state, and return."
        if (State == RefState.TimeWait) DeleteTcb();
        return Flush();
    }

    // ---------------------------------------------------------------- TCB housekeeping

    private void CreateTcb()
    {
        _sendQueue.Clear();
        _received.Clear();
        _held.Clear();
        _passive = false;
        _closeRequested = false;
        _finSent = false;
        _sndWnd = 0;
        _iss = _irs = _sndUna = _sndNxt = _sndWl1 = _sndWl2 = _rcvNxt = _finSeq = default;
    }

    /// <summary>"Delete the TCB, enter the CLOSED state": every queue goes with the TCB.</summary>
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

    private void Emit(Segment segment) => _out.Add(segment);

    private Segment[] Flush()
    {
        var segments = _out.ToArray();
        _out.Clear();
        return segments;
    }
}
