namespace TcpModel.Host;

/// <summary>A socket in the RFC 9293 §2.7 sense: an IP address and a port.</summary>
/// <param name="Address">The address as text (the model does not interpret it).</param>
/// <param name="Port">The TCP port.</param>
public readonly record struct SocketAddress(string Address, ushort Port)
{
    /// <summary>Prints <c>address:port</c>.</summary>
    public override string ToString() => $"{Address}:{Port}";
}

/// <summary>A connection's identity, the pair of sockets (RFC 9293 §2.7), seen from the host.</summary>
/// <param name="Local">Our socket.</param>
/// <param name="Remote">The peer's socket.</param>
public readonly record struct ConnectionId(SocketAddress Local, SocketAddress Remote)
{
    /// <summary>Prints <c>local-remote</c>.</summary>
    public override string ToString() => $"{Local}-{Remote}";
}
