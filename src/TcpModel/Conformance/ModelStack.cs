using System.Net.Sockets;
using TcpModel.Conformance.Packetdrill;
using TcpModel.Host;
using TcpModel.Machine;
using TcpModel.Wire;

namespace TcpModel.Conformance;

/// <summary>
/// The model as a stack under test (RFC 9293 §3.9 user calls and §3.10 event processing over a
/// <see cref="TcpHost"/>): every call of <see cref="ITcpStackUnderTest"/> goes to the host's socket view,
/// script settings (sysctl, Linux setup lines) change the profile of connections created later, and
/// <c>sockstat</c>/<c>tcpdrop</c> are the host's table and drop. The packetdrill runner's default system under test.
/// </summary>
public sealed class ModelStack : ITcpStackUnderTest
{
    /// <summary>The port the runner binds and the first ephemeral port (packetdrill's 8080).</summary>
    public const ushort ScriptLocalPort = 8080;

    private readonly Profile _basis;

    /// <summary>A model host with <paramref name="profile"/>; <paramref name="basis"/> is the profile the
    /// script's settings are applied against (defaults to <paramref name="profile"/>).</summary>
    public ModelStack(Profile profile, TcpHostOptions? options = null, Profile? basis = null)
    {
        ArgumentNullException.ThrowIfNull(profile);
        _basis = basis ?? profile;
        Host = new TcpHost(profile, options ?? new TcpHostOptions { EphemeralPortStart = ScriptLocalPort });
    }

    /// <summary>The model stack a packetdrill run uses for <paramref name="options"/>: the named profile with
    /// its seeded bug, the given ISN source, ephemeral ports from 8080. Throws <see cref="ArgumentException"/>
    /// for an unknown profile name.</summary>
    public static ModelStack ForRun(PacketdrillRunOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var basis = PacketdrillProfiles.Lookup(options.Profile) with { Mutant = options.Mutant };
        return new ModelStack(basis, new TcpHostOptions { Isn = options.SutIsn, EphemeralPortStart = ScriptLocalPort });
    }

    /// <summary>The host being driven.</summary>
    public TcpHost Host { get; }

    /// <inheritdoc />
    public long Now => Host.Now;
    /// <inheritdoc />
    public long NextDeadline => Host.NextDeadline;
    /// <inheritdoc />
    public void AdvanceTo(long time) => Host.AdvanceTo(time);
    /// <inheritdoc />
    public string LocalAddress(bool ipv6) => Host.LocalAddress(ipv6);
    /// <inheritdoc />
    public void Inject(ConnectionId id, in Segment segment) => Host.Deliver(id, segment);
    /// <inheritdoc />
    public bool TryTakeOutbound(out OutboundSegment segment) => Host.Outbound.TryDequeue(out segment!);

    /// <inheritdoc />
    public Errno Socket(bool ipv6, out int fd)
    {
        fd = Host.OpenSocket(ipv6);
        return Errno.None;
    }

    /// <inheritdoc />
    public Errno Bind(int fd, ushort port) => Host.Bind(fd, port);
    /// <inheritdoc />
    public Errno Listen(int fd, int backlog) => Host.Listen(fd, backlog);
    /// <inheritdoc />
    public Errno Connect(int fd, SocketAddress remote) => Host.Connect(fd, remote);
    /// <inheritdoc />
    public Errno Accept(int fd, out int newFd) => Host.Accept(fd, out newFd);
    /// <inheritdoc />
    public Errno Read(int fd, Memory<byte> destination, out int count) => Host.Read(fd, destination, out count);
    /// <inheritdoc />
    public Errno Write(int fd, ReadOnlyMemory<byte> data, out int count) => Host.Write(fd, data, out count);

    /// <inheritdoc />
    public Errno Shutdown(int fd, SocketShutdown how) => how switch
    {
        SocketShutdown.Send => Host.Shutdown(fd, write: true),
        SocketShutdown.Both => Host.Shutdown(fd, write: true, read: true),
        SocketShutdown.Receive => Host.Shutdown(fd, write: false, read: true),
        _ => Errno.EINVAL,
    };

    /// <inheritdoc />
    public Errno Close(int fd) => Host.Close(fd);

    /// <inheritdoc />
    public Errno SetOption(int fd, SocketOption option, long value) => option switch
    {
        SocketOption.NonBlocking => Host.SetNonBlocking(fd, value != 0),
        SocketOption.ReuseAddress => Host.SetReuseAddress(fd, value != 0),
        SocketOption.Linger => Host.SetLinger(fd, value >= 0, (int)Math.Max(0, value)),
        // the model sends at once (no Nagle, no corking): only the descriptor is checked
        SocketOption.NoDelay or SocketOption.InqHint => Open(fd),
        SocketOption.Cork => value == 0 ? Open(fd) : Errno.ENOPROTOOPT,
        SocketOption.MaxSegment => Host.SetMaxSegment(fd, unchecked((int)value)),
        SocketOption.UserTimeout => Host.SetUserTimeout(fd, value * 1000),
        SocketOption.QuickAck => Host.SetQuickAck(fd, value != 0),
        SocketOption.Linger2 => Host.SetLinger2(fd, value),
        _ => Errno.ENOPROTOOPT,
    };

    /// <inheritdoc />
    public Errno GetOption(int fd, SocketOption option, out long value)
    {
        value = 0;
        Errno e;
        switch (option)
        {
            case SocketOption.NonBlocking:
                value = Host.Socket(fd)?.NonBlocking == true ? 1 : 0;
                return Open(fd);
            case SocketOption.ReceiveBuffer:
                e = Host.ReceiveBufferSize(fd, out int size);
                value = size;
                return e;
            case SocketOption.MaxSegment:
                e = Host.GetMaxSegment(fd, out int mss);
                value = mss;
                return e;
            case SocketOption.Error:
                e = Host.TakeError(fd, out var pending);
                value = (long)pending;
                return e;
            case SocketOption.BytesToRead:
                e = Host.BytesToRead(fd, out int inq);
                value = inq;
                return e;
            case SocketOption.InqHint:
            {
                // Linux tcp_inq_hint: octets still queued; 1 when none are left but the peer's FIN is in
                Host.BytesToRead(fd, out int queued);
                value = queued == 0 && Host.Socket(fd)?.Connection?.Endpoint.Tcb.FinReceived == true ? 1 : queued;
                return Open(fd);
            }
            default:
                return Errno.ENOPROTOOPT;
        }
    }

    private Errno Open(int fd) => Host.Socket(fd) is null ? Errno.EBADF : Errno.None;

    /// <inheritdoc />
    public StackSocket? Describe(int fd) => Host.Socket(fd) is { } s ? View(s) : null;

    /// <inheritdoc />
    public IEnumerable<StackSocket> Sockets => Host.Sockets.Select(View);

    /// <inheritdoc />
    public IEnumerable<StackConnection> Connections =>
        Host.Connections.Select(c => new StackConnection(c.Id, c.State, c.Endpoint.Tcb.SendMss));

    private static StackSocket View(HostSocket s) => new(s.Fd, s.State, s.NonBlocking, s.PendingError, s.Local);

    /// <inheritdoc />
    public bool TrySysctl(string name, string value)
    {
        if (PacketdrillProfiles.ApplySysctl(Host.Profile, _basis, name, value) is not { } p) return false;
        Host.Profile = p;
        return true;
    }

    /// <inheritdoc />
    public bool TrySetup(string commandLine, Func<string, string?> readFile, out string? unsupported)
    {
        if (LinuxSetup.Interpret(commandLine, Host.Profile, _basis, readFile, out unsupported) is not { } p) return false;
        Host.Profile = p;
        return true;
    }

    /// <inheritdoc />
    public IEnumerable<StackTableRow>? Table() => Host.Table().Select(r => new StackTableRow(r.State, r.Local, r.Remote));

    /// <inheritdoc />
    public int? Drop(TcpState state) => Host.Drop(state);
}
