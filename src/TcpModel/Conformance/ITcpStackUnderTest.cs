using System.Net.Sockets;
using TcpModel.Host;
using TcpModel.Machine;
using TcpModel.Wire;

namespace TcpModel.Conformance;

/// <summary>
/// A TCP implementation driven as the system under test, RFC 9293 §3.9 (the user/TCP interface) and §3.10
/// (event processing): socket calls go in with POSIX errno results, segments from the network are injected,
/// the segments it sends are drained, and time is virtual — the stack never reads a clock, the driver moves
/// <see cref="Now"/> forward with <see cref="AdvanceTo"/> and asks <see cref="NextDeadline"/> when to call back.
/// The packetdrill runner (<see cref="Packetdrill.PacketdrillRunner.Run(Packetdrill.PacketdrillScript, ITcpStackUnderTest, Packetdrill.PacketdrillRunOptions?)"/>)
/// drives any implementation, so the FreeBSD and Linux suites run against your stack; the model itself is one
/// implementation (<see cref="ModelStack"/>).
/// <para>
/// Calls never block: a call that would block returns <see cref="Errno.EWOULDBLOCK"/> (or, for connect,
/// <see cref="Errno.EINPROGRESS"/>) and the runner retries it after time moves, as a blocking call would wake.
/// Addresses: the stack owns one IPv4 and one IPv6 address (<see cref="LocalAddress"/>); a segment is
/// addressed by its <see cref="ConnectionId"/> (our socket, the peer's socket) — ports live in the identity,
/// not in <see cref="Segment"/> (RFC 9293 §2.7: the pair of sockets names the connection).
/// </para>
/// </summary>
public interface ITcpStackUnderTest
{
    /// <summary>Virtual time in microseconds.</summary>
    long Now { get; }

    /// <summary>The earliest instant at which the stack wants <see cref="AdvanceTo"/> to be called (its
    /// earliest timer, RFC 9293 §3.8); <see cref="TimerSet.Off"/> when no timer is armed.</summary>
    long NextDeadline { get; }

    /// <summary>Runs time forward to <paramref name="time"/>, firing every timer due on the way at its
    /// deadline. Never moves time backwards.</summary>
    void AdvanceTo(long time);

    /// <summary>Our address for the family (the script's segments are sent to it).</summary>
    string LocalAddress(bool ipv6);

    /// <summary>SEGMENT ARRIVES (RFC 9293 §3.10.7) at <see cref="Now"/>: <paramref name="id"/> is (our socket,
    /// the sender's socket).</summary>
    void Inject(ConnectionId id, in Segment segment);

    /// <summary>Takes the oldest segment the stack has sent and not yet handed out, with the time it was sent
    /// and its connection; false when none is waiting. The payload must stay valid after the call.</summary>
    bool TryTakeOutbound(out OutboundSegment segment);

    /// <summary>socket(): a new TCP descriptor of the family.</summary>
    Errno Socket(bool ipv6, out int fd);

    /// <summary>bind(): our port (the address is our own).</summary>
    Errno Bind(int fd, ushort port);

    /// <summary>listen(): passive OPEN (§3.10.1) with a backlog.</summary>
    Errno Listen(int fd, int backlog);

    /// <summary>connect(): active OPEN (§3.10.1) to <paramref name="remote"/>; a non-blocking socket answers
    /// <see cref="Errno.EINPROGRESS"/>.</summary>
    Errno Connect(int fd, SocketAddress remote);

    /// <summary>accept(): a connection the listener has established, or <see cref="Errno.EWOULDBLOCK"/>.</summary>
    Errno Accept(int fd, out int newFd);

    /// <summary>read()/recv(): RECEIVE (§3.10.3); 0 octets with <see cref="Errno.None"/> is end of stream.</summary>
    Errno Read(int fd, Memory<byte> destination, out int count);

    /// <summary>write()/send(): SEND (§3.10.2); may accept fewer octets than offered.</summary>
    Errno Write(int fd, ReadOnlyMemory<byte> data, out int count);

    /// <summary>shutdown(): <see cref="SocketShutdown.Send"/> is CLOSE of the sending side (§3.10.4).</summary>
    Errno Shutdown(int fd, SocketShutdown how);

    /// <summary>close(): the descriptor is gone at once; the connection gets CLOSE (or ABORT, §3.10.5, under
    /// SO_LINGER 0) and lives on in the stack until it is CLOSED.</summary>
    Errno Close(int fd);

    /// <summary>setsockopt()/fcntl()/ioctl() writes. <see cref="Errno.ENOPROTOOPT"/> for an option the stack
    /// does not have (the runner then reports the line as unsupported).</summary>
    Errno SetOption(int fd, SocketOption option, long value);

    /// <summary>getsockopt()/fcntl()/ioctl() reads (see <see cref="SocketOption"/> for each value's meaning).</summary>
    Errno GetOption(int fd, SocketOption option, out long value);

    /// <summary>What the stack holds for an open descriptor (its connection's state, O_NONBLOCK, the pending
    /// error without clearing it, getsockname), or null for a descriptor that is not open.</summary>
    StackSocket? Describe(int fd);

    /// <summary>Open descriptors in ascending order.</summary>
    IEnumerable<StackSocket> Sockets { get; }

    /// <summary>Connections the stack holds a TCB for (RFC 9293 §3.3.1), whether or not a descriptor names them:
    /// not yet accepted, closed by the user and still alive (e.g. TIME-WAIT).</summary>
    IEnumerable<StackConnection> Connections { get; }

    /// <summary>A <c>sysctl -w name=value</c> line of a script; false when the stack has no such setting
    /// (the line is then unsupported). The default has none.</summary>
    bool TrySysctl(string name, string value) => false;

    /// <summary>A Linux suite's setup command line (<c>set_sysctls.py</c>, <c>ip</c>, <c>tc</c>, a sourced
    /// <c>.sh</c>; <paramref name="readFile"/> reads a file named relative to the script); false with what is
    /// missing when the stack cannot carry it out. The default carries out none.</summary>
    bool TrySetup(string commandLine, Func<string, string?> readFile, out string? unsupported)
    {
        unsupported = null;
        return false;
    }

    /// <summary>Every socket and connection as <c>sockstat</c>/<c>netstat</c> lists them, or null when the
    /// stack cannot list them (a sockstat line is then unsupported). The default lists none.</summary>
    IEnumerable<StackTableRow>? Table() => null;

    /// <summary><c>tcpdrop</c>: deletes every connection in <paramref name="state"/> without a segment and says
    /// how many, or null when the stack cannot (the line is then unsupported). The default cannot.</summary>
    int? Drop(TcpState state) => null;
}

/// <summary>Socket options and descriptor flags the runner sets and reads, with the value each carries.</summary>
public enum SocketOption
{
    /// <summary>fcntl O_NONBLOCK: 1 on, 0 off.</summary>
    NonBlocking,
    /// <summary>SO_REUSEADDR: 1 on, 0 off.</summary>
    ReuseAddress,
    /// <summary>SO_LINGER: the linger time in seconds, -1 for off (0 makes close an ABORT, RFC 9293 §3.10.5).</summary>
    Linger,
    /// <summary>TCP_NODELAY: 1 on (no Nagle, RFC 9293 §3.7.4), 0 off.</summary>
    NoDelay,
    /// <summary>TCP_CORK: 1 holds partial segments, 0 sends them.</summary>
    Cork,
    /// <summary>TCP_MAXSEG: set, the MSS to announce; get, the send MSS (§3.7.1).</summary>
    MaxSegment,
    /// <summary>TCP_USER_TIMEOUT in milliseconds (§3.9.1 OPEN/SEND timeout); 0 turns it off.</summary>
    UserTimeout,
    /// <summary>SO_RCVBUF: the receive buffer in octets.</summary>
    ReceiveBuffer,
    /// <summary>SO_ERROR (get only): the pending error as an <see cref="Errno"/> value, cleared by the read.</summary>
    Error,
    /// <summary>FIONREAD/SIOCINQ (get only): octets received and not yet read.</summary>
    BytesToRead,
    /// <summary>TCP_INQ: set 1/0 turns the hint on/off; get, Linux tcp_inq_hint (octets still queued, 1 when
    /// none are but the peer's FIN is in).</summary>
    InqHint,
    /// <summary>TCP_QUICKACK (Linux): 1 enters quick-ACK mode (acknowledge at once), 0 leaves it.</summary>
    QuickAck,
    /// <summary>TCP_LINGER2 (Linux): the orphaned FIN-WAIT-2 lifetime in seconds; 0 is the sysctl default, a negative
    /// value makes the ACK of our FIN (or close in FIN-WAIT-2) answer with a reset.</summary>
    Linger2,
}

/// <summary>An open descriptor as the stack describes it.</summary>
/// <param name="Fd">The descriptor.</param>
/// <param name="State">Its connection's state (CLOSED when it has none; LISTEN for a listener).</param>
/// <param name="NonBlocking">O_NONBLOCK is set.</param>
/// <param name="PendingError">The error SO_ERROR would report (peeked, not cleared).</param>
/// <param name="Local">getsockname(): our socket once bound or connected, else null.</param>
public sealed record StackSocket(int Fd, TcpState State, bool NonBlocking, Errno PendingError, SocketAddress? Local);

/// <summary>A connection the stack holds a TCB for.</summary>
/// <param name="Id">(our socket, the peer's socket).</param>
/// <param name="State">Its state.</param>
/// <param name="SendMss">The send MSS (RFC 9293 §3.7.1): the largest segment it may send.</param>
public sealed record StackConnection(ConnectionId Id, TcpState State, int SendMss);

/// <summary>One line of <c>sockstat</c>: a state and the sockets it names (null where not yet named).</summary>
public readonly record struct StackTableRow(TcpState State, SocketAddress? Local, SocketAddress? Remote);
