using TcpModel.Machine;
using TcpModel.Wire;

namespace TcpModel.Host;

/// <summary>A segment the host sent, with when and on which connection.</summary>
/// <param name="Time">Virtual time (µs).</param>
/// <param name="Id">Local and remote socket.</param>
/// <param name="Segment">The segment (payload copied: valid for good).</param>
public sealed record OutboundSegment(long Time, ConnectionId Id, Segment Segment);

/// <summary>Configuration of a <see cref="TcpHost"/>.</summary>
public sealed record TcpHostOptions
{
    /// <summary>Our IPv4 address.</summary>
    public string AddressIPv4 { get; init; } = "192.168.0.1";
    /// <summary>Our IPv6 address.</summary>
    public string AddressIPv6 { get; init; } = "fd3d:fa7b:d17d::1";
    /// <summary>ISN source shared by every connection (default RFC 6528 with key 0).</summary>
    public IIsnSource? Isn { get; init; }

    /// <summary>The secret key of the RFC 6528 ISN function F when <see cref="Isn"/> is not given: each
    /// connection gets ISN = M + F(local address, local port, remote address, remote port, key).</summary>
    public ulong IsnKey { get; init; }
    /// <summary>First ephemeral port for sockets that connect unbound.</summary>
    public ushort EphemeralPortStart { get; init; } = 49152;
}

/// <summary>
/// A host: many connections (RFC 9293 §2.7: a connection is identified by its pair of sockets),
/// demultiplexed by that 4-tuple; segments for no connection are answered as CLOSED answers them
/// (§3.10.7.1); listening sockets fork a connection for each SYN (§3.10.7.2) up to a backlog and
/// hand out established ones on accept; a file-descriptor view over the user calls (§3.9) with
/// POSIX errors. Sans-IO: the caller delivers segments, advances virtual time and takes
/// <see cref="Outbound"/>.
/// </summary>
public sealed partial class TcpHost
{
    private readonly Dictionary<ConnectionId, HostConnection> _connections = [];
    private readonly SortedDictionary<int, HostSocket> _sockets = [];
    private readonly Outbox _outbox = new();
    private readonly IIsnSource? _isn;
    private ushort _nextEphemeral;
    private long _establishedCounter;

    /// <summary>Creates a host with no sockets at time 0.</summary>
    public TcpHost(Profile profile, TcpHostOptions? options = null)
    {
        Profile = profile;
        Options = options ?? new TcpHostOptions();
        _isn = Options.Isn;
        _nextEphemeral = Options.EphemeralPortStart;
    }

    /// <summary>The profile given to connections created from now on (sysctl-like settings change it).</summary>
    public Profile Profile { get; set; }

    /// <summary>The host options.</summary>
    public TcpHostOptions Options { get; }

    /// <summary>Virtual time (µs).</summary>
    public long Now { get; private set; }

    /// <summary>Segments sent and not yet taken by the caller, in order.</summary>
    public Queue<OutboundSegment> Outbound { get; } = new();

    /// <summary>Connections by identity (forked children, active opens, connections whose descriptor is closed).</summary>
    public IReadOnlyCollection<HostConnection> Connections => _connections.Values;

    /// <summary>Open descriptors in ascending order.</summary>
    public IEnumerable<HostSocket> Sockets => _sockets.Values;

    /// <summary>The socket of a descriptor, or null.</summary>
    public HostSocket? Socket(int fd) => _sockets.GetValueOrDefault(fd);

    /// <summary>Our address for the family.</summary>
    public string LocalAddress(bool ipv6) => ipv6 ? Options.AddressIPv6 : Options.AddressIPv4;

    /// <summary>The earliest timer deadline of any connection.</summary>
    public long NextDeadline => AllEndpoints().Select(c => c.Deadline).DefaultIfEmpty(TimerSet.Off).Min();

    /// <summary>Runs time forward to <paramref name="until"/>, firing each connection's timers at its deadline (in deadline order).</summary>
    public void AdvanceTo(long until)
    {
        for (int guard = 0; guard < 100_000; guard++)
        {
            var due = AllEndpoints().Where(c => c.Deadline <= until)
                .OrderBy(c => c.Deadline).FirstOrDefault();
            if (due is null) break;
            Now = Math.Max(Now, due.Deadline);
            if (due.FinWait2Deadline <= Now) FinWait2TimerFired(due);
            else Run(due, Input.Tick, due.Id);
        }
        Now = Math.Max(Now, until);
    }

    /// <summary>SEGMENT ARRIVES for <paramref name="id"/> (our socket, the sender's socket) at <see cref="Now"/>.</summary>
    public void Deliver(ConnectionId id, in Segment seg)
    {
        if (_connections.TryGetValue(id, out var c))
        {
            c.LastArrival = Now;
            if (c.FinWait2TimeWaitSock && TimeWaitSockFinWait2(c, seg)) return;
            if (c.Listener is not null && c.State == TcpState.SynReceived && AcceptQueueRefuses(c, seg)) return;
            if (DataAfterClose(c, seg))
            {
                // POLICY reset-on-data-after-close: the connection is deleted and the segment is answered as
                // CLOSED answers it (§3.10.7.1: <SEQ=SEG.ACK><CTL=RST>, or <SEQ=0><ACK=SEG.SEQ+SEG.LEN><CTL=RST,ACK>)
                c.Endpoint.Force(TcpState.Closed);
                c.Endpoint.Tcb.Clear();
                _connections.Remove(id);
                if (c.Owner is { } owner) owner.PendingError = Errno.ECONNRESET;
                var answer = new HostConnection(id, NewEndpoint(id, id.Local.Address == Options.AddressIPv6, Profile.ReceiveBuffer));
                Run(answer, Input.Arrive(seg), id);
                return;
            }
            var before = c.State;
            Run(c, Input.Arrive(seg), id);
            if (before == TcpState.TimeWait && c.State == TcpState.SynReceived) Reopened(c);
            if (before == TcpState.FinWait1 && c.State == TcpState.FinWait2) EnteredFinWait2(c, seg);
            if (c.State != TcpState.FinWait2) ClearFinWait2(c);
            return;
        }
        var listener = _sockets.Values.FirstOrDefault(s =>
            s.Backlog is not null && s.Local?.Port == id.Local.Port && s.Connection?.State == TcpState.Listen);
        if (listener is not null)
        {
            if (seg.Syn && !seg.HasAck && !seg.Rst)
            {
                Fork(listener, id, seg);
                return;
            }
            if (SynCookieAck(listener, id, seg)) return;
            Run(listener.Connection!, Input.Arrive(seg), id); // §3.10.7.2: RST ignored, ACK answered by a reset
            return;
        }
        // §3.10.7.1: "If the state is CLOSED (i.e., TCB does not exist) ... a reset is sent in response"
        var closed = new HostConnection(id, NewEndpoint(id, id.Local.Address == Options.AddressIPv6, Profile.ReceiveBuffer));
        Run(closed, Input.Arrive(seg), id);
    }

    /// <summary>POLICY reset-on-data-after-close: the user has closed the receiving side (close(); Linux also
    /// shutdown(SHUT_RD)), the connection is in FIN-WAIT-1 or FIN-WAIT-2, and the segment brings text beyond
    /// RCV.NXT inside the window (RFC 1122 §4.2.2.13, RFC 9293 §3.6.1; Linux tcp_rcv_state_process: "RCV_SHUTDOWN
    /// ... after(end_seq - fin, rcv_nxt)" → tcp_reset, and tcp_timewait_state_process for an orphaned FIN-WAIT-2;
    /// FreeBSD tcp_do_segment: "TF_CLOSED &amp;&amp; tlen" → dropwithreset). An RST or SYN is left to the state machine.</summary>
    private static bool DataAfterClose(HostConnection c, in Segment seg)
    {
        var ep = c.Endpoint;
        if (!ep.Profile.ResetOnDataAfterClose || seg.Rst || seg.Syn || seg.Payload.IsEmpty) return false;
        if (ep.State is not (TcpState.FinWait1 or TcpState.FinWait2)) return false;
        if (!(c.ReceiveClosed || c.Owner is { ReceiveClosed: true })) return false;
        var t = ep.Tcb;
        var end = seg.Seq + new SeqLen((uint)seg.Payload.Length);
        return end > t.RcvNxt && seg.Seq <= t.RcvNxt + new SeqLen(Math.Max(t.RcvWnd, 1u));
    }

    /// <summary>A TIME-WAIT connection reopened by a new SYN (RFC 1122 §4.2.2.13) is a new incarnation: the
    /// listening socket that owns the port accepts it, as it accepts any connection forked from a SYN to its
    /// port (FreeBSD tcp_twcheck closes the TIME-WAIT connection and hands the SYN to the listener); without
    /// such a listener, or while a descriptor still holds the old incarnation, it lives on without one.</summary>
    private void Reopened(HostConnection c)
    {
        c.EstablishedOrder = long.MaxValue; // not in anyone's accept queue until it is established again
        if (c.Owner is not null) return;
        if (c.Endpoint.Profile.Mutant == Mutant.ReopenedConnectionAsListener) return; // MUTANT reopened-connection-as-listener
        c.Listener = _sockets.Values.FirstOrDefault(s =>
            s.Backlog is not null && s.Local?.Port == c.Id.Local.Port && s.Connection?.State == TcpState.Listen);
    }

    private Endpoint NewEndpoint(ConnectionId id, bool ipv6, int receiveBuffer, ushort? userMss = null, IIsnSource? isn = null) =>
        new(userMss is { } m ? Profile with { MssIPv4 = m, MssIPv6 = m } : Profile,
            new EndpointOptions { Isn = isn ?? _isn ?? IsnFor(id), IPv6 = ipv6, ReceiveBuffer = receiveBuffer });

    /// <summary>RFC 6528 §3: F keyed by <see cref="TcpHostOptions.IsnKey"/> over the connection's identifiers
    /// (a stable hash, so runs repeat).</summary>
    private Rfc6528IsnSource IsnFor(ConnectionId id)
    {
        ulong h = 14695981039346656037UL;
        foreach (char ch in id.ToString()) h = unchecked((h ^ ch) * 1099511628211UL);
        return new Rfc6528IsnSource(Options.IsnKey, h);
    }

    /// <summary>Steps a connection, collects its segments and notices, and reaps it when it is gone.</summary>
    private void Run(HostConnection c, in Input input, ConnectionId replyTo)
    {
        var before = c.Endpoint.State;
        c.Endpoint.Step(input, Now, _outbox);
        foreach (var s in _outbox.Segments)
        {
            var copy = new Segment(s.Seq, s.Ack, s.Control, s.Window, s.Payload.ToArray(), s.Options, s.Urgent);
            Outbound.Enqueue(new OutboundSegment(Now, replyTo, copy));
        }
        foreach (var n in _outbox.Notices)
        {
            var error = n switch
            {
                // RFC 9293 §3.10.7.3 calls a reset in SYN-SENT "connection reset"; the sockets API reports a
                // connect() answered by a reset as refused (POSIX connect: ECONNREFUSED; BSD tcp_input
                // tcp_drop(tp, ECONNREFUSED))
                Notice.ConnectionReset when before == TcpState.SynSent => Errno.ECONNREFUSED,
                Notice.ConnectionReset => Errno.ECONNRESET,
                Notice.ConnectionRefused => Errno.ECONNREFUSED,
                Notice.RetransmissionTimeout or Notice.UserTimeout => Errno.ETIMEDOUT,
                _ => Errno.None,
            };
            if (error != Errno.None && c.Owner is { } owner) owner.PendingError = error;
        }
        Reap(c);
    }

    private void Reap(HostConnection c)
    {
        var state = c.Endpoint.State;
        if (state is not (TcpState.Closed or TcpState.Listen or TcpState.SynSent or TcpState.SynReceived) &&
            c.EstablishedOrder == long.MaxValue)
            c.EstablishedOrder = _establishedCounter++;
        bool listenerOwn = c.Owner?.Connection == c && c.Owner.Backlog is not null;
        if (listenerOwn) return;
        // a forked connection that returns to LISTEN (§3.10.7.4 second/fourth, passive OPEN) is simply removed
        if (state == TcpState.Closed || (state == TcpState.Listen && c.Listener is not null))
        {
            if (_connections.TryGetValue(c.Id, out var held) && held == c) _connections.Remove(c.Id);
            c.Listener = null;
        }
    }

    private IEnumerable<HostConnection> AllEndpoints()
    {
        foreach (var c in _connections.Values.ToList()) yield return c;
        foreach (var s in _sockets.Values.ToList())
            if (s.Backlog is not null && s.Connection is { } l) yield return l;
    }

    /// <summary>Deletes every connection in <paramref name="state"/> (like <c>tcpdrop -s</c> for TIME-WAIT:
    /// the TCB is deleted without a segment). Returns how many.</summary>
    public int Drop(TcpState state)
    {
        var victims = _connections.Values.Where(c => c.State == state).ToList();
        foreach (var c in victims)
        {
            c.Endpoint.Force(TcpState.Closed);
            c.Endpoint.Tcb.Clear();
            _connections.Remove(c.Id);
        }
        return victims.Count;
    }

    /// <summary>Every socket and connection the host holds, as <c>sockstat</c> lists them: each
    /// descriptor with its connection's state (CLOSED when it has none), then every connection with no
    /// descriptor (not yet accepted, or closed by the user and still alive, e.g. TIME-WAIT).</summary>
    public IEnumerable<(TcpState State, SocketAddress? Local, SocketAddress? Remote)> Table()
    {
        foreach (var s in _sockets.Values)
        {
            var remote = s.Backlog is null ? s.Connection?.Id.Remote : null;
            yield return (s.State, s.Local, remote);
        }
        foreach (var c in _connections.Values)
            if (c.Owner is null || c.Owner.Connection != c || !_sockets.ContainsKey(c.Owner.Fd))
                yield return (c.State, c.Id.Local, c.Id.Remote);
    }
}
