using TcpModel.Host;
using TcpModel.Machine;

namespace TcpModel.Conformance.Packetdrill;

public sealed partial class PacketdrillRunner
{
    private const long ORdWr = 0x02, ONonBlock = 0x04; // FreeBSD fcntl.h

    /// <summary>A system call line: map it to the host's socket calls and compare value and errno.</summary>
    private PacketdrillDivergence? Syscall(SyscallEvent call)
    {
        var a = call.Arguments;
        long Int(int i) => i < a.Count && a[i] is IntegerArg n ? n.Value : -1;
        string? Sym(int i) => i < a.Count && a[i] is SymbolArg s ? s.Name : null;
        int fd = (int)Int(0);
        long value = 0;
        Errno errno;
        switch (call.Name)
        {
            case "socket":
                value = _host.OpenSocket(_ipv6);
                _lastFd = (int)value;
                errno = Errno.None;
                break;
            case "fcntl" when Sym(1) == "F_GETFL":
                var gs = _host.Socket(fd);
                errno = gs is null ? Errno.EBADF : Errno.None;
                value = ORdWr | (gs?.NonBlocking == true ? ONonBlock : 0);
                break;
            case "fcntl" when Sym(1) == "F_SETFL" && a.Count > 2 && Flags(a[2]) is { } flags:
                errno = _host.SetNonBlocking(fd, (flags & ONonBlock) != 0);
                break;
            case "getsockopt" when Sym(2) == "SO_RCVBUF":
            {
                errno = _host.ReceiveBufferSize(fd, out int size);
                if (errno == Errno.None && Bracketed(a, 3) is IntegerArg wantSize && wantSize.Value != size)
                    return Diverge(call.Position, $"SO_RCVBUF [{wantSize.Value}]", $"[{size}]");
                break;
            }
            case "getsockopt" when Sym(2) == "SO_ERROR":
            {
                errno = _host.TakeError(fd, out var pending);
                var wantText = Bracketed(a, 3) switch { IntegerArg { Value: 0 } => "0", SymbolArg s => s.Name, _ => null };
                var got = pending == Errno.None ? "0" : pending.ToString();
                if (errno == Errno.None && wantText is not null && ErrnoNames.Parse(wantText) is var w && (w ?? Errno.None) != pending && wantText != got)
                    return Diverge(call.Position, $"SO_ERROR [{wantText}]", $"[{got}]");
                break;
            }
            case "setsockopt" when Sym(2) == "SO_REUSEADDR":
                errno = _host.SetReuseAddress(fd, Bracketed(a, 3) is IntegerArg { Value: not 0 });
                break;
            case "setsockopt" when Sym(2) == "SO_LINGER" && a.Count > 3 && a[3] is StructArg linger:
                errno = _host.SetLinger(fd, linger["onoff"] is IntegerArg { Value: not 0 }, linger["linger"] is IntegerArg l ? (int)l.Value : 0);
                break;
            case "setsockopt" when Sym(2) == "TCP_NODELAY":
                errno = _host.Socket(fd) is null ? Errno.EBADF : Errno.None; // the model sends at once (no Nagle)
                break;
            case "bind":
                errno = _host.Bind(fd, LocalPort);
                break;
            case "listen":
                errno = _host.Listen(fd, (int)Int(1));
                break;
            case "connect":
                if (_host.Socket(fd) is { NonBlocking: false }) return Unsupported(call, "blocking connect");
                errno = _host.Connect(fd, Remote);
                break;
            case "accept":
                errno = _host.Accept(fd, out int accepted);
                value = accepted;
                if (errno == Errno.None) _lastFd = accepted;
                else if (_host.Socket(fd) is { NonBlocking: false }) return Unsupported(call, "blocking accept with no connection ready");
                break;
            case "read" or "recv":
            {
                if (Int(2) > MaxOctets) return Diverge(a[2].Position, "a supported line", $"unsupported: a read of {Int(2)} octets (the runner reads at most {MaxOctets})");
                errno = _host.Read(fd, new byte[Math.Max(0, Int(2))], out int n);
                value = n;
                if (errno == Errno.EWOULDBLOCK && _host.Socket(fd) is { NonBlocking: false }) return Unsupported(call, "blocking read with no data");
                break;
            }
            case "write" or "send":
            {
                if (Int(2) > MaxOctets) return Diverge(a[2].Position, "a supported line", $"unsupported: a write of {Int(2)} octets (the runner writes at most {MaxOctets})");
                errno = _host.Write(fd, new byte[Math.Max(0, Int(2))], out int n);
                value = n;
                break;
            }
            case "shutdown":
                errno = Sym(1) switch
                {
                    "SHUT_WR" or "SHUT_RDWR" => _host.Shutdown(fd, write: true),
                    "SHUT_RD" => _host.Shutdown(fd, write: false),
                    _ => Errno.EINVAL,
                };
                break;
            case "close":
                errno = _host.Close(fd);
                break;
            default:
                return Unsupported(call, "system call " + SyscallArgText.Call(call.Name, a));
        }
        if (errno != Errno.None) value = -1;
        var expect = call.Result;
        var wantErrno = expect.Errno is { } e ? ErrnoNames.Parse(e) : Errno.None;
        if (expect.Errno is not null && wantErrno is null) return Unsupported(call, "errno " + expect.Errno);
        if (value != expect.Value || errno != wantErrno)
            return Diverge(call.Position, Result(expect.Value, expect.Errno), Result(value, errno == Errno.None ? null : errno.ToString()));
        return null;
    }

    private static string Result(long value, string? errno) => errno is null ? $"= {value}" : $"= {value} {errno}";

    private static SyscallArg? Bracketed(IReadOnlyList<SyscallArg> a, int i) =>
        i < a.Count && a[i] is ListArg { Items.Count: > 0 } l ? l.Items[0] : i < a.Count ? a[i] : null;

    private static long? Flags(SyscallArg arg) => arg switch
    {
        IntegerArg n => n.Value,
        SymbolArg { Name: "O_RDWR" } => ORdWr,
        SymbolArg { Name: "O_RDONLY" } => 0,
        SymbolArg { Name: "O_NONBLOCK" } => ONonBlock,
        BitOrArg b => b.Operands.Select(Flags).Aggregate((long?)0, (x, y) => x is null || y is null ? null : x | y),
        _ => null,
    };

    /// <summary>A backtick line: sysctl settings change the profile of connections created later;
    /// sockstat counts; tcpdrop deletes; anything else fails the script.</summary>
    private PacketdrillDivergence? Shell(ShellCommandEvent sh)
    {
        switch (sh.Parsed)
        {
            case SysctlCommand s:
                if (PacketdrillProfiles.ApplySysctl(_host.Profile, _basis, s.Name, s.Value) is not { } p)
                    return Unsupported(sh, "sysctl " + s.Name + "=" + s.Value);
                _host.Profile = p;
                return null;
            case SockstatCountCommand c:
            {
                int n = _host.Table().Count(r =>
                    SockstatName(r.State).Contains(c.State, StringComparison.Ordinal) &&
                    (c.Port is not { } port || r.Local?.Port == port || r.Remote?.Port == port));
                return n == c.Count ? null : Diverge(sh.Position, $"{c.Count} connection(s) in {c.State}", $"{n}");
            }
            case TcpdropCommand d:
                if (ParseSockstatName(d.State) is not { } state) return Unsupported(sh, "tcpdrop state " + d.State);
                _host.Drop(state);
                return null;
            default:
                return Unsupported(sh, "shell command `" + sh.Command + "`");
        }
    }

    /// <summary>FreeBSD's names for the states (tcp_fsm.h tcpstates[]), as sockstat prints them.</summary>
    private static string SockstatName(TcpState s) => s switch
    {
        TcpState.Closed => "CLOSED",
        TcpState.Listen => "LISTEN",
        TcpState.SynSent => "SYN_SENT",
        TcpState.SynReceived => "SYN_RCVD",
        TcpState.Established => "ESTABLISHED",
        TcpState.CloseWait => "CLOSE_WAIT",
        TcpState.FinWait1 => "FIN_WAIT_1",
        TcpState.Closing => "CLOSING",
        TcpState.LastAck => "LAST_ACK",
        TcpState.FinWait2 => "FIN_WAIT_2",
        _ => "TIME_WAIT",
    };

    private static TcpState? ParseSockstatName(string name) =>
        Enum.GetValues<TcpState>().Cast<TcpState?>().FirstOrDefault(s => SockstatName(s!.Value) == name);

    /// <summary><c>%{ assert tcpi_state == TCPI_X }%</c> on the script's most recent descriptor.</summary>
    private PacketdrillDivergence? AssertState(AssertTcpStateEvent a)
    {
        var actual = ScriptState();
        string Norm(string x) => x.Replace("TCPI_", "", StringComparison.Ordinal).Replace("_", "", StringComparison.Ordinal).Replace("-", "", StringComparison.Ordinal).ToUpperInvariant();
        var want = Norm(a.State);
        var have = Norm(actual.RfcName());
        bool match = want == have || (want == "SYNRECV" && actual == TcpState.SynReceived);
        return match ? null : Diverge(a.Position, a.State, "TCPI_" + actual.RfcName().Replace('-', '_'));
    }
}
