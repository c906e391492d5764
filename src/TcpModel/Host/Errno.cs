namespace TcpModel.Host;

/// <summary>POSIX error numbers the socket view reports (names as in FreeBSD's errno.h).</summary>
public enum Errno
{
    /// <summary>No error.</summary>
    None = 0,
    /// <summary>Bad file descriptor.</summary>
    EBADF,
    /// <summary>Operation now in progress (non-blocking connect).</summary>
    EINPROGRESS,
    /// <summary>Operation would block (also EAGAIN).</summary>
    EWOULDBLOCK,
    /// <summary>Connection reset by peer ("connection reset", RFC 9293 §3.10.7).</summary>
    ECONNRESET,
    /// <summary>Connection refused ("connection refused", RFC 9293 §3.10.7.3/§3.10.7.4).</summary>
    ECONNREFUSED,
    /// <summary>Operation timed out (R2 or user timeout).</summary>
    ETIMEDOUT,
    /// <summary>Address already in use.</summary>
    EADDRINUSE,
    /// <summary>Invalid argument.</summary>
    EINVAL,
    /// <summary>Socket is not connected.</summary>
    ENOTCONN,
    /// <summary>Socket is already connected.</summary>
    EISCONN,
    /// <summary>Broken pipe: writing after the connection closed for sending.</summary>
    EPIPE,
    /// <summary>Operation not supported on socket.</summary>
    EOPNOTSUPP,
    /// <summary>Cannot assign requested address (Linux connect() onto a pair of sockets held in TIME-WAIT).</summary>
    EADDRNOTAVAIL,
    /// <summary>Protocol not available: a socket option the stack does not have (a stack under test says so, and
    /// the packetdrill runner reports the line as unsupported).</summary>
    ENOPROTOOPT,
}

/// <summary>Helpers over <see cref="Errno"/>.</summary>
public static class ErrnoNames
{
    /// <summary>Parses an errno symbol; EAGAIN is EWOULDBLOCK. Null when unknown.</summary>
    public static Errno? Parse(string name) => name switch
    {
        "EAGAIN" => Errno.EWOULDBLOCK,
        _ => Enum.TryParse<Errno>(name, out var e) && name.StartsWith('E') ? e : null,
    };
}
