using TcpModel.Machine;

namespace TcpModel.Host;

/// <summary>One connection the host holds: an <see cref="Endpoint"/> and its identity, the socket
/// that owns it (null once the descriptor is closed or before accept) and the listener it was forked from.</summary>
public sealed class HostConnection
{
    internal HostConnection(ConnectionId id, Endpoint endpoint)
    {
        Id = id;
        Endpoint = endpoint;
    }

    /// <summary>The pair of sockets.</summary>
    public ConnectionId Id { get; }

    /// <summary>The TCP endpoint (state, TCB).</summary>
    public Endpoint Endpoint { get; }

    /// <summary>The connection state.</summary>
    public TcpState State => Endpoint.State;

    /// <summary>The descriptor that owns the connection, or null.</summary>
    public HostSocket? Owner { get; internal set; }

    /// <summary>The listening socket that forked the connection and has not handed it out yet, or null.</summary>
    public HostSocket? Listener { get; internal set; }

    /// <summary>The user closed the receiving side of this connection (close()).</summary>
    public bool ReceiveClosed { get; internal set; }

    /// <summary>When a segment last arrived for this connection (virtual µs).</summary>
    public long LastArrival { get; internal set; }

    /// <summary>When the connection entered ESTABLISHED (accept queue order).</summary>
    internal long EstablishedOrder { get; set; } = long.MaxValue;

    /// <summary>POLICY orphan-fin-wait-2-timeout: when the FIN-WAIT-2 timer of a connection whose user can no longer
    /// receive fires (virtual µs), or <see cref="TimerSet.Off"/>.</summary>
    internal long FinWait2Deadline { get; set; } = TimerSet.Off;

    /// <summary>Linux: the orphaned FIN-WAIT-2 connection is a timewait sock of substate FIN_WAIT2 (tcp_time_wait).</summary>
    internal bool FinWait2TimeWaitSock { get; set; }

    /// <summary>TCP_LINGER2 of the socket that owned the connection when it was closed (µs; negative: -1), or null.</summary>
    internal long? Linger2 { get; set; }

    /// <summary>The earliest deadline: the endpoint's timers and the host's FIN-WAIT-2 timer.</summary>
    internal long Deadline => Math.Min(Endpoint.NextDeadline, FinWait2Deadline);
}

/// <summary>A file-descriptor view of a TCP socket (the POSIX sockets API over the RFC 9293 §3.9 user calls).</summary>
public sealed class HostSocket
{
    internal HostSocket(int fd, bool ipv6, int receiveBuffer)
    {
        Fd = fd;
        IPv6 = ipv6;
        ReceiveBuffer = receiveBuffer;
    }

    /// <summary>The descriptor number.</summary>
    public int Fd { get; }

    /// <summary>Address family is IPv6.</summary>
    public bool IPv6 { get; }

    /// <summary>O_NONBLOCK.</summary>
    public bool NonBlocking { get; internal set; }

    /// <summary>SO_REUSEADDR.</summary>
    public bool ReuseAddress { get; internal set; }

    /// <summary>SO_LINGER with a zero timeout: close aborts (RFC 9293 §3.10.5 ABORT).</summary>
    public bool LingerZero { get; internal set; }

    /// <summary>The bound local socket, or null.</summary>
    public SocketAddress? Local { get; internal set; }

    /// <summary>Listening, with this backlog.</summary>
    public int? Backlog { get; internal set; }

    /// <summary>The connection (active open, accepted, or the listener's own LISTEN endpoint), or null.</summary>
    public HostConnection? Connection { get; internal set; }

    /// <summary>The pending error (SO_ERROR), cleared when read.</summary>
    public Errno PendingError { get; internal set; }

    /// <summary>SO_RCVBUF before a connection exists.</summary>
    public int ReceiveBuffer { get; internal set; }

    /// <summary>The user closed the receiving side (close(), or shutdown SHUT_RD): a read returns 0 once the
    /// queue is empty, and under POLICY reset-on-data-after-close new text in FIN-WAIT-1/2 resets.</summary>
    public bool ReceiveClosed { get; internal set; }

    /// <summary>TCP_MAXSEG set by the user: the MSS announced on SYN, and a bound on the send MSS; null: the profile's.</summary>
    public ushort? UserMss { get; internal set; }

    /// <summary>TCP_LINGER2 set by the user (µs; -1 for a negative value: no orphaned FIN-WAIT-2), or null (the sysctl).</summary>
    public long? Linger2 { get; internal set; }

    /// <summary>When a SYN last found this listener's SYN queue full (virtual µs), or null: Linux accepts a SYN cookie
    /// only within TCP_SYNCOOKIE_VALID (2 minutes) of an overflow (tcp_synq_no_recent_overflow).</summary>
    internal long? LastSynQueueOverflow { get; set; }

    /// <summary>TCP_USER_TIMEOUT set by the user (µs), or null.</summary>
    public long? UserTimeout { get; internal set; }

    /// <summary>The user closed the sending side (shutdown SHUT_WR or CLOSE).</summary>
    public bool SendClosed { get; internal set; }

    /// <summary>The socket's state as <c>sockstat</c> shows it: its connection's, or CLOSED.</summary>
    public TcpState State => Connection?.Endpoint.State ?? TcpState.Closed;
}
