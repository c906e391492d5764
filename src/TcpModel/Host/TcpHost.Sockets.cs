using TcpModel.Machine;

namespace TcpModel.Host;

public sealed partial class TcpHost
{
    /// <summary>socket(): a new descriptor (the lowest free one from 3), not bound, not connected.</summary>
    public int OpenSocket(bool ipv6)
    {
        int fd = 3;
        while (_sockets.ContainsKey(fd)) fd++;
        _sockets[fd] = new HostSocket(fd, ipv6, Profile.ReceiveBuffer);
        return fd;
    }

    /// <summary>O_NONBLOCK on or off.</summary>
    public Errno SetNonBlocking(int fd, bool on) => With(fd, s => { s.NonBlocking = on; return Errno.None; });

    /// <summary>SO_REUSEADDR.</summary>
    public Errno SetReuseAddress(int fd, bool on) => With(fd, s => { s.ReuseAddress = on; return Errno.None; });

    /// <summary>SO_LINGER: a zero timeout makes close an ABORT (RFC 9293 §3.10.5).</summary>
    public Errno SetLinger(int fd, bool on, int seconds) => With(fd, s => { s.LingerZero = on && seconds == 0; return Errno.None; });

    /// <summary>SO_RCVBUF: the receive buffer size (the connection's, once it exists: it may have
    /// been rounded to the MSS).</summary>
    public Errno ReceiveBufferSize(int fd, out int size)
    {
        size = 0;
        if (Socket(fd) is not { } s) return Errno.EBADF;
        size = s.Connection is { State: not TcpState.Closed } c ? c.Endpoint.Tcb.ReceiveBufferSize : s.ReceiveBuffer;
        return Errno.None;
    }

    /// <summary>SO_ERROR: returns and clears the pending error.</summary>
    public Errno TakeError(int fd, out Errno error)
    {
        error = Errno.None;
        if (Socket(fd) is not { } s) return Errno.EBADF;
        error = s.PendingError;
        s.PendingError = Errno.None;
        return Errno.None;
    }

    /// <summary>bind(): our socket's port. In use by another socket or live connection → EADDRINUSE,
    /// unless SO_REUSEADDR is set; TIME-WAIT connections never block a bind.</summary>
    public Errno Bind(int fd, ushort port) => With(fd, s =>
    {
        if (s.Local is not null) return Errno.EINVAL;
        if (!s.ReuseAddress)
        {
            bool busy = _sockets.Values.Any(o => o != s && o.Local?.Port == port) ||
                        _connections.Values.Any(c => c.Id.Local.Port == port && c.State != TcpState.TimeWait);
            if (busy) return Errno.EADDRINUSE;
        }
        s.Local = new SocketAddress(LocalAddress(s.IPv6), port);
        return Errno.None;
    });

    /// <summary>listen(): passive OPEN (§3.10.1) with a backlog of not-yet-accepted connections.</summary>
    public Errno Listen(int fd, int backlog) => With(fd, s =>
    {
        if (s.Connection is { State: not TcpState.Closed and not TcpState.Listen }) return Errno.EINVAL;
        s.Local ??= new SocketAddress(LocalAddress(s.IPv6), _nextEphemeral++);
        s.Backlog = backlog;
        if (s.Connection is null)
        {
            var listenId = new ConnectionId(s.Local.Value, new SocketAddress("*", 0));
            var c = new HostConnection(listenId, NewEndpoint(listenId, s.IPv6, s.ReceiveBuffer)) { Owner = s };
            s.Connection = c;
            Run(c, Input.OpenPassive(), c.Id);
        }
        return Errno.None;
    });

    /// <summary>connect(): active OPEN (§3.10.1). Non-blocking sockets answer EINPROGRESS; a
    /// TIME-WAIT connection with the same pair of sockets is replaced (RFC 1122 §4.2.2.13).</summary>
    public Errno Connect(int fd, SocketAddress remote) => With(fd, s =>
    {
        if (s.Backlog is not null) return Errno.EINVAL;
        if (s.Connection is not null) return s.Connection.State == TcpState.SynSent ? Errno.EINPROGRESS : Errno.EISCONN;
        s.Local ??= new SocketAddress(LocalAddress(s.IPv6), _nextEphemeral++);
        var id = new ConnectionId(s.Local.Value, remote);
        IIsnSource? isn = null;
        if (_connections.TryGetValue(id, out var old))
        {
            if (old.State != TcpState.TimeWait) return Errno.EADDRINUSE;
            // POLICY connect-over-time-wait: RFC 1122 §4.2.2.13 lets a SYN *from the remote* reopen TIME-WAIT;
            // a local OPEN onto the pair meets "connection already exists" (RFC 9293 §3.10.1)
            switch (Profile.TimeWaitConnect)
            {
                case TimeWaitConnectRule.AddressInUse: return Errno.EADDRINUSE; // FreeBSD in_pcbconnect_setup
                case TimeWaitConnectRule.AddressNotAvailable: return Errno.EADDRNOTAVAIL; // Linux __inet_check_established
                case TimeWaitConnectRule.ReuseWithTimestamps:
                    // Linux tcp_twsk_unique: timestamps were in use and the last one arrived a second or more ago
                    var tw = old.Endpoint.Tcb;
                    if (!tw.TimestampsOn || Now - old.LastArrival < 1_000_000) return Errno.EADDRNOTAVAIL;
                    isn = new FixedIsnSource(unchecked(tw.SndNxt.Value + 65535 + 2)); // "tp->write_seq = tcptw->tw_snd_nxt + 65535 + 2"
                    break;
            }
            _connections.Remove(id);
        }
        var c = new HostConnection(id, NewEndpoint(id, s.IPv6, s.ReceiveBuffer, s.UserMss, isn)) { Owner = s };
        s.Connection = c;
        _connections[id] = c;
        Run(c, Input.OpenActive, id);
        return s.NonBlocking ? Errno.EINPROGRESS : Errno.None;
    });

    /// <summary>accept(): hands out the earliest established, not-yet-accepted connection as a new
    /// descriptor; none ready → EWOULDBLOCK.</summary>
    public Errno Accept(int fd, out int newFd)
    {
        newFd = -1;
        if (Socket(fd) is not { } s) return Errno.EBADF;
        if (s.Backlog is null) return Errno.EINVAL;
        var ready = _connections.Values.Where(c => c.Listener == s && c.EstablishedOrder != long.MaxValue)
            .OrderBy(c => c.EstablishedOrder).FirstOrDefault();
        if (ready is null) return Errno.EWOULDBLOCK;
        newFd = OpenSocket(s.IPv6);
        var ns = _sockets[newFd];
        ns.Local = ready.Id.Local;
        ns.NonBlocking = s.NonBlocking;
        ns.UserMss = s.UserMss;
        ns.UserTimeout = s.UserTimeout;
        if (s.UserTimeout is { } ut) ready.Endpoint.SetUserTimeout(ut, Now);
        ns.Connection = ready;
        ready.Owner = ns;
        ready.Listener = null;
        return Errno.None;
    }

    /// <summary>read(): RECEIVE (§3.10.3). No data: the pending error if any, 0 after the peer's FIN or
    /// shutdown(SHUT_RD), otherwise EWOULDBLOCK.</summary>
    public Errno Read(int fd, Memory<byte> destination, out int count)
    {
        count = 0;
        if (Socket(fd) is not { } s) return Errno.EBADF;
        if (s.Connection is not { } c) return Errno.ENOTCONN;
        if (c.Endpoint.Tcb.ReceiveQueue.Count > 0 && c.State != TcpState.Closed)
        {
            Run(c, Input.Receive(destination), c.Id);
            count = _outbox.Received;
            return Errno.None;
        }
        if (s.PendingError != Errno.None)
        {
            var e = s.PendingError;
            s.PendingError = Errno.None;
            return e;
        }
        if (s.ReceiveClosed || c.Endpoint.Tcb.FinReceived || c.State is TcpState.Closed or TcpState.CloseWait or TcpState.LastAck or TcpState.Closing or TcpState.TimeWait)
            return Errno.None;
        return Errno.EWOULDBLOCK;
    }

    /// <summary>write(): SEND (§3.10.2); after shutdown or on a dead connection EPIPE (or the pending error).</summary>
    public Errno Write(int fd, ReadOnlyMemory<byte> data, out int count)
    {
        count = 0;
        if (Socket(fd) is not { } s) return Errno.EBADF;
        if (s.Connection is not { } c) return Errno.ENOTCONN;
        if (s.PendingError != Errno.None)
        {
            var e = s.PendingError;
            s.PendingError = Errno.None;
            return e;
        }
        if (s.SendClosed || c.State is TcpState.Closed or TcpState.Listen) return Errno.EPIPE;
        Run(c, Input.Send(data), c.Id);
        count = _outbox.Accepted;
        return count == 0 && !data.IsEmpty ? Errno.EWOULDBLOCK : Errno.None;
    }

    /// <summary>shutdown(SHUT_WR or SHUT_RDWR): CLOSE (§3.10.4: "I have no more to send"); SHUT_RD (and
    /// SHUT_RDWR) close the receiving side (<see cref="HostSocket.ReceiveClosed"/>).</summary>
    public Errno Shutdown(int fd, bool write, bool read = false) => With(fd, s =>
    {
        if (s.Connection is not { } c || c.State == TcpState.Closed) return Errno.ENOTCONN;
        if (read) s.ReceiveClosed = true;
        if (write && !s.SendClosed)
        {
            s.SendClosed = true;
            Run(c, Input.Close, c.Id);
        }
        return Errno.None;
    });

    /// <summary>close(): the descriptor is gone at once. A connected socket's connection gets CLOSE
    /// (or ABORT under SO_LINGER 0) and lives on in the host until CLOSED; a listener's
    /// not-yet-accepted connections are reset (ABORT, §3.10.5) and its LISTEN is closed.</summary>
    public Errno Close(int fd)
    {
        if (Socket(fd) is not { } s) return Errno.EBADF;
        _sockets.Remove(fd);
        if (s.Backlog is not null)
        {
            foreach (var child in _connections.Values.Where(c => c.Listener == s).ToList())
            {
                // POLICY listener-close-resets-syn-received (off: BSD syncache entries vanish without a segment)
                if (child.State != TcpState.SynReceived || child.Endpoint.Profile.ResetSynReceivedOnListenerClose)
                    Run(child, Input.Abort, child.Id);
                if (_connections.TryGetValue(child.Id, out var held) && held == child) _connections.Remove(child.Id);
            }
            if (s.Connection is { } own) own.Endpoint.Step(Input.Close, Now, _outbox);
            return Errno.None;
        }
        if (s.Connection is { } c)
        {
            s.ReceiveClosed = true;
            c.ReceiveClosed = true;
            c.Owner = null;
            c.Linger2 = s.Linger2;
            if (c.State != TcpState.Closed)
            {
                if (s.LingerZero) Run(c, Input.Abort, c.Id);
                else if (!s.SendClosed) Run(c, Input.Close, c.Id);
            }
            if (c.State == TcpState.FinWait2) ClosedInFinWait2(c); // POLICY orphan-fin-wait-2-timeout
        }
        return Errno.None;
    }

    /// <summary>ioctl(SIOCINQ) / FIONREAD: octets received and not yet read.</summary>
    public Errno BytesToRead(int fd, out int count)
    {
        count = 0;
        if (Socket(fd) is not { } s) return Errno.EBADF;
        if (s.Backlog is not null) return Errno.EINVAL;
        count = s.Connection?.Endpoint.Tcb.ReceiveQueue.Count ?? 0;
        return Errno.None;
    }

    /// <summary>TCP_MAXSEG: before a connection exists, the MSS to announce (and a bound on the send MSS).</summary>
    public Errno SetMaxSegment(int fd, int mss) => With(fd, s =>
    {
        if (mss is < 88 or > 65535) return Errno.EINVAL; // Linux do_tcp_setsockopt: TCP_MIN_MSS .. MAX_TCP_WINDOW
        s.UserMss = (ushort)mss;
        return Errno.None;
    });

    /// <summary>TCP_MAXSEG read back: the connection's send MSS once synchronized, else the user's value,
    /// else the RFC 9293 §3.7.1 default of 536 (Linux tcp_getsockopt: tp->mss_cache or user_mss or TCP_MSS_DEFAULT).</summary>
    public Errno GetMaxSegment(int fd, out int mss)
    {
        mss = 0;
        if (Socket(fd) is not { } s) return Errno.EBADF;
        var c = s.Backlog is null ? s.Connection : null;
        if (c is { State: not (TcpState.Closed or TcpState.Listen or TcpState.SynSent) })
        {
            // Linux tcp_parse_options clamps the peer's MSS to user_mss; mss_cache excludes the timestamps option
            var t = c.Endpoint.Tcb;
            mss = Math.Min(t.SendMss, s.UserMss ?? int.MaxValue) - (t.TimestampsOn ? 12 : 0);
        }
        else mss = s.UserMss ?? 536;
        return Errno.None;
    }

    /// <summary>TCP_USER_TIMEOUT: the connection's user timeout (RFC 9293 §3.9.1), in µs; 0 turns it off.</summary>
    public Errno SetUserTimeout(int fd, long microseconds) => With(fd, s =>
    {
        if (microseconds < 0) return Errno.EINVAL;
        s.UserTimeout = microseconds;
        if (s.Connection is { } c && s.Backlog is null) c.Endpoint.SetUserTimeout(microseconds, Now);
        return Errno.None;
    });

    /// <summary>TCP_QUICKACK (Linux do_tcp_setsockopt): 0 makes the connection interactive (inet_csk_enter_pingpong_mode:
    /// no quick ACKs); 1 leaves interactive mode and sends a pending delayed ACK now ("icsk_ack.pending |=
    /// ICSK_ACK_PUSHED; tcp_cleanup_rbuf(sk, 1)"). POLICY quick-ack; without it (no quick-ack phase) nothing changes.</summary>
    public Errno SetQuickAck(int fd, bool on) => With(fd, s =>
    {
        if (s.Backlog is not null || s.Connection is not { } c || c.Endpoint.Profile.QuickAcks == 0) return Errno.None;
        var t = c.Endpoint.Tcb;
        t.PingPong = !on;
        if (on && t.Timers.Get(TimerKind.DelayedAck) != TimerSet.Off && c.State is TcpState.Established or TcpState.CloseWait)
        {
            t.Timers.Set(TimerKind.DelayedAck, Now); // the pending ACK goes now, as the timer would send it
            Run(c, Input.Tick, c.Id);
        }
        return Errno.None;
    });

    private Errno With(int fd, Func<HostSocket, Errno> action) =>
        Socket(fd) is { } s ? action(s) : Errno.EBADF;
}
