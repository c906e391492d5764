using TcpModel.Wire;

namespace TcpModel.Machine;

/// <summary>Configuration of one endpoint beyond its profile.</summary>
public sealed record EndpointOptions
{
    /// <summary>Where ISNs come from (default: RFC 6528 with key 0 — seed it for other runs).</summary>
    public IIsnSource? Isn { get; init; }

    /// <summary>IPv6 (MSS default 1220 and our MSS <see cref="Profile.MssIPv6"/>) or IPv4.</summary>
    public bool IPv6 { get; init; }

    /// <summary>Receive buffer override (default: the profile's).</summary>
    public int? ReceiveBuffer { get; init; }
}

/// <summary>
/// One TCP endpoint, sans-IO: <see cref="Step"/> takes an input and the current virtual time and
/// writes what to emit and tell the user into a caller-owned <see cref="Outbox"/>; <see
/// cref="NextDeadline"/> says when it next wants a <see cref="Input.Tick"/>. Segment handling
/// follows RFC 9293 §3.10.7 in order: classify, look the cell up in the compiled table, run its
/// effect. Deterministic: no clock, no randomness, no I/O. Never throws on any segment.
/// <para>An endpoint is one TCB and knows no ports: a connection's identity — the pair of sockets, RFC 9293 §2.7 —
/// is the business of whoever demultiplexes (<see cref="Host.TcpHost"/> keys its connections by
/// <see cref="Host.ConnectionId"/>); the segments it reads and emits carry only what the state machine uses.</para>
/// </summary>
public sealed partial class Endpoint
{
    private readonly ProfileTable _table;
    private readonly IIsnSource _isn;
    private Outbox _out = null!;
    private long _now;
    private Input _input;

    /// <summary>Creates an endpoint in CLOSED.</summary>
    public Endpoint(Profile? profile = null, EndpointOptions? options = null, CompiledTable? table = null)
    {
        Profile = profile ?? Profile.Rfc9293;
        Options = options ?? new EndpointOptions();
        _table = (table ?? CompiledTable.Instance).For(Profile);
        _isn = Options.Isn ?? new Rfc6528IsnSource(0);
        Tcb = new Tcb { WindowIsAnnounced = Profile.ReceiverSwsOnEveryAck && Profile.Mutant != Mutant.RcvWndIsTheFreeBuffer }; // MUTANT rcv-wnd-is-the-free-buffer
    }

    /// <summary>The profile (policies).</summary>
    public Profile Profile { get; }

    /// <summary>The endpoint options.</summary>
    public EndpointOptions Options { get; }

    /// <summary>The connection state.</summary>
    public TcpState State { get; private set; }

    /// <summary>The Transmission Control Block, the model's own mutable state (RFC 9293 §3.3.1). Internal: callers read
    /// it through <see cref="View"/>, an immutable snapshot, and reach a state with <see cref="EndpointFixture"/>, so no
    /// caller can write a variable the RFC's rules would never produce.</summary>
    internal Tcb Tcb { get; }

    /// <summary>When the endpoint next wants <see cref="Input.Tick"/> (virtual µs), or <see cref="TimerSet.Off"/>.</summary>
    public long NextDeadline => Tcb.Timers.Earliest;

    /// <summary>The MSS announced on our SYN.</summary>
    public ushort AnnouncedMss => Options.IPv6 ? Profile.MssIPv6 : Profile.MssIPv4;

    /// <summary>Puts the endpoint in a state directly (the host deleting a TCB, benchmarks); the caller sets the
    /// TCB to match. Internal: outside the model a forced state is a corrupted oracle — tests that need an
    /// endpoint in a state build it with <see cref="EndpointFixture"/>, which gets there by real segments.</summary>
    internal void Force(TcpState state) => State = state;

    /// <summary>The connection's variables as an immutable snapshot (RFC 9293 §3.3.1): what a reader may look at
    /// without being able to change the endpoint.</summary>
    public TcbView View => new(this);

    /// <summary>Processes one input at virtual time <paramref name="now"/>. The outbox is cleared first.</summary>
    public void Step(in Input input, long now, Outbox outbox)
    {
        outbox.Clear();
        _out = outbox;
        _now = now;
        if (input.Kind == InputKind.User) _input = input; // only user calls carry data the effects read
        switch (input.Kind)
        {
            case InputKind.Segment:
                SegmentArrives(input.Segment);
                break;
            case InputKind.User:
                Fire(input.Call);
                break;
            default:
                FireDueTimers();
                break;
        }
        Output();
        if (input.Kind == InputKind.User) _input = default;
    }

    /// <summary>Fires one trigger through the compiled table; returns what happens to the segment.</summary>
    private Outcome Fire(Trigger trigger, in Segment seg = default)
    {
        var from = State;
        var cell = _table.Lookup(from, trigger, Tcb);
        if (cell is null) return Outcome.Drop; // unreachable: every cell is declared with complementary guards
        _out.Record(from, cell);
        Apply(cell.Effect, seg);
        if (cell.Kind == CellKind.Transition && State == from) Enter(cell.Next);
        return cell.Outcome;
    }

    private void Enter(TcpState next)
    {
        State = next;
        // RFC 1122 §4.2.3.6: keep-alives probe an idle connection; the model sends them in ESTABLISHED and
        // CLOSE-WAIT only (ArmKeepAlive), so a state left for any other takes its keep-alive timer with it
        // (the KeepAliveTimeout cells of the other states are declared "not armed")
        if (next is not (TcpState.Established or TcpState.CloseWait)) Tcb.Timers.Set(TimerKind.KeepAlive, TimerSet.Off);
        // only a SYN-SENT TCB answers its queued SENDs one by one (§3.10.4, §3.10.5); past it the count means nothing
        if (next != TcpState.SynSent) Tcb.QueuedSendCalls = 0;
        // POLICY reopen-reset-restores-time-wait: the old TIME-WAIT is kept only while the reopening handshake is open
        if (next != TcpState.SynReceived) Tcb.SavedTimeWait = null;
        switch (next)
        {
            case TcpState.Closed:
                Tcb.Clear();
                break;
            case TcpState.TimeWait:
                // §3.10.7.4 eighth: "start the time-wait timer, turn off the other timers"
                Tcb.Timers = TimerSet.None;
                Tcb.Timers.Set(TimerKind.TimeWait, _now + (Profile.Mutant == Mutant.TimeWaitZero ? 0 : 2 * Profile.Msl)); // MUTANT time-wait-zero
                // POLICY compressed-state-window: TIME-WAIT keeps only the window last announced
                if (Profile.CompressedStateWindow) Tcb.RcvWndLimit = Math.Min(Tcb.FreeWindow, 65535u << Tcb.RcvScale);
                break;
            case TcpState.Established:
                _out.Notify(Notice.Established);
                // RFC 6298 §5.7's 3 s rule is applied where the ACK of our SYN arrives (AdvanceUna)
                TakeHeldFromSyn();
                ArmKeepAlive();
                if (Tcb.CloseAfterEstablished)
                {
                    Tcb.CloseAfterEstablished = false;
                    Fire(Trigger.Close); // §3.10.4: the CLOSE queued in SYN-RECEIVED
                }
                break;
            case TcpState.FinWait2:
                _out.Notify(Notice.CloseAcknowledged);
                break;
        }
    }

    /// <summary>§3.10.7.3: text and a FIN on the SYN were queued "for processing after the ESTABLISHED state has been
    /// reached" — on entering ESTABLISHED, or where the ACK of our SYN arrives in FIN-WAIT-1 (a CLOSE in SYN-RECEIVED
    /// completed the handshake there): the connection is synchronized from then on.</summary>
    private void TakeHeldFromSyn()
    {
        if (Tcb.Reassembly.IsEmpty) return;
        int held = Tcb.Reassembly.TakeInOrder(Tcb.RcvNxt, Tcb.ReceiveQueue, out bool heldFin, Profile.DropHeldTextBeyondFin);
        Tcb.RcvNxt += new SeqLen((uint)held);
        // §3.10.7.4 seventh: the text "must also" be acknowledged; it is, by the next segment
        // we send or at the latest when the delayed-ACK timer fires (the RFC 1122 §4.2.3.2
        // bound of 500 ms; 200 ms when POLICY delayed-ack is off, as BSD does)
        if (held > 0 && Tcb.Timers.Get(TimerKind.DelayedAck) == TimerSet.Off)
            Tcb.Timers.Set(TimerKind.DelayedAck, _now + (Profile.DelayedAck > 0 ? Profile.DelayedAck : 200_000));
        // a FIN held with the SYN: §3.10.7.4 eighth; POLICY held-fin-dropped-at-establishment (BSD:
        // the flags tcp_reass returns at the SYN-RECEIVED to ESTABLISHED step are discarded)
        if (heldFin && !Profile.DropHeldFinAtEstablishment) Fire(Trigger.Fin);
    }

    private void FireDueTimers()
    {
        ref var t = ref Tcb.Timers;
        if (t.Get(TimerKind.TimeWait) <= _now) { t.Set(TimerKind.TimeWait, TimerSet.Off); Fire(Trigger.TimeWaitTimeout); }
        if (t.Get(TimerKind.User) <= _now) { t.Set(TimerKind.User, TimerSet.Off); Fire(Trigger.UserTimeout); }
        if (t.Get(TimerKind.Retransmit) <= _now)
        {
            t.Set(TimerKind.Retransmit, TimerSet.Off);
            // RFC 1122 §4.2.3.5: "R2 for a SYN segment" — also the SYN,ACK a CLOSE in SYN-RECEIVED left outstanding in FIN-WAIT-1
            long r2 = State is TcpState.SynSent or TcpState.SynReceived || Tcb.SynUnacked ? Profile.R2Syn : Profile.R2;
            // POLICY closed-window-retransmit: into a closed window the retransmissions are probes; the connection
            // is given up only when nothing has been received for RtoMax (Linux tcp_retransmit_timer)
            bool probes = Profile.RetransmitIntoClosedWindow && Tcb.SndWnd == 0
                          && State is TcpState.Established or TcpState.FinWait1 or TcpState.CloseWait;
            bool giveUp = probes ? _now - Tcb.LastReceiveAt > Profile.RtoMax : _now - Tcb.RetransmitEpoch >= r2;
            Fire(giveUp ? Trigger.RetransmitGiveUp : Trigger.RetransmitTimeout);
            Tcb.LossProbeArmed = false; // the probe went, or the state's cell had nothing to retransmit
        }
        if (t.Get(TimerKind.Persist) <= _now)
        {
            t.Set(TimerKind.Persist, TimerSet.Off);
            // §3.8.6.1 (MUST-37): probing goes on while the peer answers; a peer silent for R2 is given up
            // (BSD tcp_timer_persist: "drop the connection if the idle time (no responses to probes)
            // reaches the maximum backoff that we would use if retransmitting")
            bool probing = Profile.Mutant != Mutant.ProbeAdvancesIntoZeroWindow && State.MaySend();
            bool silent = probing && _now - Tcb.LastReceiveAt >= Profile.R2;
            // §3.10.8 USER TIMEOUT: a probe nobody answers is data not delivered, so a user timeout shorter than R2
            // ends the silence too (Linux tcp_probe_timer: with TCP_USER_TIMEOUT "we kill the socket when ... the
            // time exceeds" it). A peer that answers keeps the connection open (MUST-37): the model does not let
            // the user timeout end an answered probe, where Linux (icsk_probes_tstamp) does — README, known gaps.
            // the last probe went out one persist interval ago (the backoff moved on when it was sent): an answer
            // since then means the peer is there
            bool unanswered = Tcb.LastReceiveAt <= _now - PersistInterval();
            bool userGone = probing && unanswered && UserTimeout > 0 && _now - Tcb.LastReceiveAt >= UserTimeout;
            Fire(userGone && !silent ? Trigger.UserTimeout : silent ? Trigger.RetransmitGiveUp : Trigger.PersistTimeout);
        }
        if (t.Get(TimerKind.DelayedAck) <= _now) { t.Set(TimerKind.DelayedAck, TimerSet.Off); Fire(Trigger.DelayedAckTimeout); }
        if (t.Get(TimerKind.KeepAlive) <= _now) { t.Set(TimerKind.KeepAlive, TimerSet.Off); Fire(Trigger.KeepAliveTimeout); }
    }
}
