using System.Net.Sockets;
using TcpModel.Host;
using TcpModel.Machine;
using TcpModel.Wire;

namespace TcpModel.Conformance;

/// <summary>
/// A stack under test (RFC 9293 §3.9 user calls, §3.10 events) that passes every call to an inner stack:
/// derive from it to watch or change what crosses the boundary — log the segments, drop one, rewrite a
/// field — overriding only the members concerned. The tests' faulty stacks and the README's example are
/// built this way over <see cref="ModelStack"/>.
/// </summary>
public abstract class DelegatingStack : ITcpStackUnderTest
{
    /// <summary>Wraps <paramref name="inner"/>.</summary>
    protected DelegatingStack(ITcpStackUnderTest inner)
    {
        ArgumentNullException.ThrowIfNull(inner);
        Inner = inner;
    }

    /// <summary>The stack every call goes to.</summary>
    protected ITcpStackUnderTest Inner { get; }

    /// <inheritdoc />
    public virtual long Now => Inner.Now;
    /// <inheritdoc />
    public virtual long NextDeadline => Inner.NextDeadline;
    /// <inheritdoc />
    public virtual void AdvanceTo(long time) => Inner.AdvanceTo(time);
    /// <inheritdoc />
    public virtual string LocalAddress(bool ipv6) => Inner.LocalAddress(ipv6);
    /// <inheritdoc />
    public virtual void Inject(ConnectionId id, in Segment segment) => Inner.Inject(id, segment);
    /// <inheritdoc />
    public virtual bool TryTakeOutbound(out OutboundSegment segment) => Inner.TryTakeOutbound(out segment);
    /// <inheritdoc />
    public virtual Errno Socket(bool ipv6, out int fd) => Inner.Socket(ipv6, out fd);
    /// <inheritdoc />
    public virtual Errno Bind(int fd, ushort port) => Inner.Bind(fd, port);
    /// <inheritdoc />
    public virtual Errno Listen(int fd, int backlog) => Inner.Listen(fd, backlog);
    /// <inheritdoc />
    public virtual Errno Connect(int fd, SocketAddress remote) => Inner.Connect(fd, remote);
    /// <inheritdoc />
    public virtual Errno Accept(int fd, out int newFd) => Inner.Accept(fd, out newFd);
    /// <inheritdoc />
    public virtual Errno Read(int fd, Memory<byte> destination, out int count) => Inner.Read(fd, destination, out count);
    /// <inheritdoc />
    public virtual Errno Write(int fd, ReadOnlyMemory<byte> data, out int count) => Inner.Write(fd, data, out count);
    /// <inheritdoc />
    public virtual Errno Shutdown(int fd, SocketShutdown how) => Inner.Shutdown(fd, how);
    /// <inheritdoc />
    public virtual Errno Close(int fd) => Inner.Close(fd);
    /// <inheritdoc />
    public virtual Errno SetOption(int fd, SocketOption option, long value) => Inner.SetOption(fd, option, value);
    /// <inheritdoc />
    public virtual Errno GetOption(int fd, SocketOption option, out long value) => Inner.GetOption(fd, option, out value);
    /// <inheritdoc />
    public virtual StackSocket? Describe(int fd) => Inner.Describe(fd);
    /// <inheritdoc />
    public virtual IEnumerable<StackSocket> Sockets => Inner.Sockets;
    /// <inheritdoc />
    public virtual IEnumerable<StackConnection> Connections => Inner.Connections;
    /// <inheritdoc />
    public virtual bool TrySysctl(string name, string value) => Inner.TrySysctl(name, value);
    /// <inheritdoc />
    public virtual bool TrySetup(string commandLine, Func<string, string?> readFile, out string? unsupported) =>
        Inner.TrySetup(commandLine, readFile, out unsupported);
    /// <inheritdoc />
    public virtual IEnumerable<StackTableRow>? Table() => Inner.Table();
    /// <inheritdoc />
    public virtual int? Drop(TcpState state) => Inner.Drop(state);
}
