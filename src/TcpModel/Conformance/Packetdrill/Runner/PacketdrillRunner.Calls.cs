using System.Net.Sockets;
using TcpModel.Host;
using TcpModel.Machine;

namespace TcpModel.Conformance.Packetdrill;

public sealed partial class PacketdrillRunner
{
    private const long ORdWr = 0x02;
    /// <summary>O_NONBLOCK: 0x04 in FreeBSD's fcntl.h, 0x800 in Linux's asm-generic/fcntl.h.</summary>
    private long ONonBlock => _linux ? 0x800 : 0x04;

    /// <summary>A call that blocked (a blocking socket, or a <c>start...end</c> line): retried after every
    /// step of the host until it completes; its result and completion time are then checked.</summary>
    private sealed record PendingCall(SyscallEvent Call, long EarliestEnd, long LatestEnd, Func<(bool Done, long Value, Errno Errno)> Poll);

    private PendingCall? _pending;

    /// <summary>The host's descriptor for a script's: packetdrill treats the numbers returned by socket() and
    /// accept() as names (the script says 4, the host may say 3).</summary>
    private int Fd(long scriptFd) => _fds.TryGetValue(scriptFd, out var host) ? host : (int)scriptFd;

    /// <summary>A system call line: map it to the host's socket calls and compare value and errno.</summary>
    private PacketdrillDivergence? Syscall(SyscallEvent call)
    {
        var a = call.Arguments;
        long Int(int i) => i < a.Count && a[i] is IntegerArg n ? n.Value : -1;
        string? Sym(int i) => i < a.Count && a[i] is SymbolArg s ? s.Name : null;
        int fd = Fd(Int(0));
        long value = 0;
        Errno errno;
        bool blocking = _stack.Describe(fd) is { NonBlocking: false } || call.BlockingEnd is not null;
        switch (call.Name)
        {
            case "socket":
                if (Sym(1) is not (null or "SOCK_STREAM") || Sym(2) is not (null or "IPPROTO_TCP"))
                    return Unsupported(call, "socket type " + Sym(1) + "/" + Sym(2) + " (the model is TCP only)");
                errno = _stack.Socket(_ipv6, out int opened);
                value = opened;
                if (errno != Errno.None) break;
                _lastFd = opened;
                if (call.Result.Value >= 0) _fds[call.Result.Value] = opened;
                break;
            case "fcntl" when Sym(1) == "F_GETFL":
                var gs = _stack.Describe(fd);
                errno = gs is null ? Errno.EBADF : Errno.None;
                value = ORdWr | (gs?.NonBlocking == true ? ONonBlock : 0);
                break;
            case "fcntl" when Sym(1) == "F_SETFL" && a.Count > 2 && Flags(a[2]) is { } flags:
                errno = _stack.SetOption(fd, SocketOption.NonBlocking, (flags & ONonBlock) != 0 ? 1 : 0);
                break;
            case "ioctl" when Sym(1) is "SIOCINQ" or "FIONREAD":
            {
                errno = _stack.GetOption(fd, SocketOption.BytesToRead, out long inq);
                if (errno == Errno.None && Bracketed(a, 2) is IntegerArg wantInq && wantInq.Value != inq)
                    return Diverge(call.Position, $"{Sym(1)} [{wantInq.Value}]", $"[{inq}]");
                break;
            }
            case "getsockopt" when Sym(2) == "SO_RCVBUF":
            {
                errno = _stack.GetOption(fd, SocketOption.ReceiveBuffer, out long size);
                if (errno == Errno.None && Bracketed(a, 3) is IntegerArg wantSize && wantSize.Value != size)
                    return Diverge(call.Position, $"SO_RCVBUF [{wantSize.Value}]", $"[{size}]");
                break;
            }
            case "getsockopt" when Sym(2) == "TCP_MAXSEG":
            {
                errno = _stack.GetOption(fd, SocketOption.MaxSegment, out long mss);
                if (errno == Errno.None && Bracketed(a, 3) is IntegerArg wantMss && wantMss.Value != mss)
                    return Diverge(call.Position, $"TCP_MAXSEG [{wantMss.Value}]", $"[{mss}]");
                break;
            }
            case "getsockopt" when Sym(2) == "SO_ERROR":
            {
                errno = _stack.GetOption(fd, SocketOption.Error, out long pendingValue);
                var pending = (Errno)pendingValue;
                var wantText = Bracketed(a, 3) switch { IntegerArg { Value: 0 } => "0", SymbolArg s => s.Name, _ => null };
                var got = pending == Errno.None ? "0" : pending.ToString();
                if (errno == Errno.None && wantText is not null && ErrnoNames.Parse(wantText) is var w && (w ?? Errno.None) != pending && wantText != got)
                    return Diverge(call.Position, $"SO_ERROR [{wantText}]", $"[{got}]");
                break;
            }
            case "setsockopt" when Sym(2) == "SO_REUSEADDR":
                errno = _stack.SetOption(fd, SocketOption.ReuseAddress, Bracketed(a, 3) is IntegerArg { Value: not 0 } ? 1 : 0);
                break;
            case "setsockopt" when Sym(2) == "SO_LINGER" && a.Count > 3 && a[3] is StructArg linger:
                if (linger["onoff"] is IntegerArg { Value: not 0 } && linger["linger"] is IntegerArg { Value: not 0 })
                    return Unsupported(call, "SO_LINGER with a non-zero timeout (close blocks)");
                errno = _stack.SetOption(fd, SocketOption.Linger,
                    linger["onoff"] is IntegerArg { Value: not 0 } ? linger["linger"] is IntegerArg l ? (int)l.Value : 0 : -1);
                break;
            case "setsockopt" when Sym(2) == "TCP_NODELAY":
                errno = _stack.SetOption(fd, SocketOption.NoDelay, Bracketed(a, 3) is IntegerArg { Value: not 0 } ? 1 : 0);
                break;
            case "setsockopt" when Sym(2) == "TCP_CORK":
                if (Bracketed(a, 3) is not IntegerArg { Value: 0 }) return Unsupported(call, "TCP_CORK on (holding partial segments)");
                errno = _stack.SetOption(fd, SocketOption.Cork, 0);
                break;
            case "setsockopt" when Sym(2) == "TCP_MAXSEG" && Bracketed(a, 3) is IntegerArg setMss:
                errno = _stack.SetOption(fd, SocketOption.MaxSegment, setMss.Value);
                break;
            case "setsockopt" when Sym(2) == "TCP_USER_TIMEOUT" && Bracketed(a, 3) is IntegerArg ut:
                errno = _stack.SetOption(fd, SocketOption.UserTimeout, ut.Value);
                break;
            case "setsockopt" when Sym(2) == "TCP_QUICKACK" && Bracketed(a, 3) is IntegerArg quick:
                errno = _stack.SetOption(fd, SocketOption.QuickAck, quick.Value != 0 ? 1 : 0);
                break;
            case "setsockopt" when Sym(2) == "TCP_LINGER2" && Bracketed(a, 3) is IntegerArg linger2:
                errno = _stack.SetOption(fd, SocketOption.Linger2, linger2.Value);
                break;
            case "setsockopt" when Sym(2) == "TCP_INQ" && Bracketed(a, 3) is IntegerArg inqOn:
                errno = _stack.SetOption(fd, SocketOption.InqHint, inqOn.Value != 0 ? 1 : 0);
                if (errno == Errno.ENOPROTOOPT) break;
                if (inqOn.Value != 0) _inq.Add(fd); else _inq.Remove(fd);
                break;
            case "bind":
                errno = _stack.Bind(fd, LocalPort);
                break;
            case "listen":
                errno = _stack.Listen(fd, (int)Int(1));
                // packetdrill (run_packet.c handle_listen_for_script_packet): the next inbound packet makes the
                // listener's child the socket under test, and its SEQ is the remote ISN
                if (errno == Errno.None) { _remoteIsnFromNextInbound = true; _remoteIsnFromSynAck = false; }
                break;
            case "connect":
                errno = _stack.Connect(fd, Remote);
                // do_inbound_script_packet: in SOCKET_ACTIVE_SYN_SENT the peer's SYN,ACK gives the remote ISN
                if (errno is Errno.None or Errno.EINPROGRESS) { _remoteIsnFromSynAck = true; _remoteIsnFromNextInbound = false; }
                if (blocking && errno is Errno.None or Errno.EINPROGRESS)
                    return Block(call, () => _stack.Describe(fd) switch
                    {
                        { PendingError: not Errno.None } s => (true, -1, s.PendingError),
                        { State: TcpState.SynSent or TcpState.SynReceived } => (false, 0, Errno.None),
                        { State: TcpState.Closed } => (true, -1, Errno.ECONNREFUSED),
                        _ => (true, 0, Errno.None),
                    });
                break;
            case "accept":
                errno = _stack.Accept(fd, out int accepted);
                value = accepted;
                if (errno == Errno.EWOULDBLOCK && blocking)
                {
                    return Block(call, () =>
                    {
                        var e = _stack.Accept(fd, out int got);
                        if (e == Errno.EWOULDBLOCK) return (false, 0, Errno.None);
                        if (e == Errno.None) Accepted(call, got);
                        return (true, e == Errno.None ? got : -1, e);
                    });
                }
                if (errno == Errno.None) Accepted(call, accepted);
                break;
            case "read" or "recv":
                return Reading(call, fd, Math.Max(0, Int(2)), blocking, inqWanted: null);
            case "recvmsg" when a.Count > 1 && a[1] is StructArg msg:
            {
                if (msg["msg_iov"] is not ListArg { Items: [StructArg iov] } || iov.Fields.Count < 2 || iov.Fields[1].Value is not IntegerArg iovLen)
                    return Unsupported(call, "recvmsg with more than one iovec");
                long? inqWanted = null;
                if (msg["msg_control"] is ListArg { Items.Count: > 0 } cmsgs)
                {
                    if (cmsgs.Items is not [StructArg { } cm] || cm["cmsg_type"] is not SymbolArg { Name: "TCP_CM_INQ" } || cm["cmsg_data"] is not IntegerArg inqData)
                        return Unsupported(call, "recvmsg control message other than TCP_CM_INQ");
                    inqWanted = inqData.Value;
                }
                return Reading(call, fd, iovLen.Value, blocking, inqWanted);
            }
            case "write" or "send":
                return Writing(call, fd, Int(2), blocking);
            case "sendmsg" when a.Count > 2 && a[1] is StructArg smsg:
            {
                if (a[2] is not (IntegerArg { Value: 0 } or SymbolArg { Name: "MSG_NOSIGNAL" }))
                    return Unsupported(call, "sendmsg flags " + Describe(a[2]));
                if (smsg["msg_control"] is ListArg { Items.Count: > 0 }) return Unsupported(call, "sendmsg control messages");
                if (smsg["msg_iov"] is not ListArg iovs) return Unsupported(call, "sendmsg without msg_iov");
                long total = 0;
                foreach (var item in iovs.Items)
                {
                    if (item is not StructArg { Fields.Count: 2 } one || one.Fields[1].Value is not IntegerArg len) return Unsupported(call, "sendmsg iovec form");
                    total += len.Value;
                }
                return Writing(call, fd, total, blocking);
            }
            case "shutdown":
                errno = Sym(1) switch
                {
                    "SHUT_WR" => _stack.Shutdown(fd, SocketShutdown.Send),
                    "SHUT_RDWR" => _stack.Shutdown(fd, SocketShutdown.Both),
                    "SHUT_RD" => _stack.Shutdown(fd, SocketShutdown.Receive),
                    _ => Errno.EINVAL,
                };
                break;
            case "close":
                errno = _stack.Close(fd);
                _inq.Remove(fd);
                foreach (var k in _fds.Where(kv => kv.Value == fd).Select(kv => kv.Key).ToList()) _fds.Remove(k);
                break;
            default:
                return Unsupported(call, "system call " + SyscallArgText.Call(call.Name, a));
        }
        // a stack under test that lacks the option says so: the line is unsupported, not a divergence
        if (errno == Errno.ENOPROTOOPT) return Unsupported(call, "option of " + SyscallArgText.Call(call.Name, a) + " (the stack answers ENOPROTOOPT)");
        return Check(call, value, errno);
    }

    private static string Describe(SyscallArg a) => a switch
    {
        SymbolArg s => s.Name,
        IntegerArg n => n.Value.ToString(System.Globalization.CultureInfo.InvariantCulture),
        BitOrArg b => string.Join("|", b.Operands.Select(Describe)),
        _ => a.GetType().Name,
    };

    private void Accepted(SyscallEvent call, int hostFd)
    {
        _lastFd = hostFd;
        if (call.Result.Value >= 0) _fds[call.Result.Value] = hostFd;
    }

    /// <summary>read/recv/recvmsg: RECEIVE; blocks (on a blocking socket) until data, EOF or an error.</summary>
    private PacketdrillDivergence? Reading(SyscallEvent call, int fd, long size, bool blocking, long? inqWanted)
    {
        if (size > MaxOctets) return Diverge(call.Position, "a supported line", $"unsupported: a read of {size} octets (the runner reads at most {MaxOctets})");
        (bool, long, Errno) Try()
        {
            var e = _stack.Read(fd, new byte[size], out int n);
            return e == Errno.EWOULDBLOCK && blocking ? (false, 0, Errno.None) : (true, e == Errno.None ? n : -1, e);
        }
        var check = inqWanted is { } want ? () => InqCheck(call, fd, want) : (Func<PacketdrillDivergence?>?)null;
        var (done, value, errno) = Try();
        if (!done) return Block(call, Try, check);
        return Check(call, value, errno) ?? check?.Invoke();
    }

    /// <summary>Linux tcp_inq_hint: octets still queued after the read; 1 when none are left but the peer's FIN is in.</summary>
    private PacketdrillDivergence? InqCheck(SyscallEvent call, int fd, long want)
    {
        if (!_inq.Contains(fd)) return Diverge(call.Position, $"TCP_CM_INQ {want}", "no control message (TCP_INQ is off)");
        _stack.GetOption(fd, SocketOption.InqHint, out long got);
        return got == want ? null : Diverge(call.Position, $"TCP_CM_INQ {want}", $"{got}");
    }

    /// <summary>write/send/sendmsg: SEND; a blocking socket takes all the data, waiting for room.</summary>
    private PacketdrillDivergence? Writing(SyscallEvent call, int fd, long size, bool blocking)
    {
        if (size > MaxOctets) return Diverge(call.Position, "a supported line", $"unsupported: a write of {size} octets (the runner writes at most {MaxOctets})");
        long written = 0;
        (bool, long, Errno) Try()
        {
            var e = _stack.Write(fd, new byte[Math.Max(0, size - written)], out int n);
            written += n;
            if (e == Errno.EWOULDBLOCK || (e == Errno.None && written < size && blocking))
                return blocking ? (false, 0, Errno.None) : written > 0 ? (true, written, Errno.None) : (true, -1, e);
            return e == Errno.None ? (true, written, e) : written > 0 ? (true, written, Errno.None) : (true, -1, e);
        }
        var (done, value, errno) = Try();
        if (!done) return Block(call, Try);
        return Check(call, value, errno);
    }

    /// <summary>Starts a blocked call, or (on a non-blocking line) checks at once.</summary>
    private PacketdrillDivergence? Block(SyscallEvent call, Func<(bool Done, long Value, Errno Errno)> poll, Func<PacketdrillDivergence?>? after = null)
    {
        var start = _stack.Now;
        long earliest, latest;
        if (call.BlockingEnd is { } end)
        {
            // packetdrill adjust_relative_event_times: a relative line's end time is offset by the previous event's time
            long endAt = call.Time.Kind == PacketdrillTimeKind.Relative ? _previousBeforeCall + end.StartMicroseconds : end.StartMicroseconds;
            earliest = endAt - _tolerance;
            latest = endAt + _tolerance;
        }
        else
        {
            // a blocking socket on a line without an end time: the call must return at the line's time
            earliest = start - _tolerance;
            latest = start + _tolerance;
        }
        if (_pending is not null) return Unsupported(call, "two blocking system calls at once");
        _pending = new PendingCall(call, earliest, latest, () =>
        {
            var r = poll();
            return r;
        });
        _pendingAfter = after;
        return PollPending();
    }

    private Func<PacketdrillDivergence?>? _pendingAfter;

    /// <summary>A blocked call that has returned, kept until the next non-packet line (packetdrill checks a
    /// blocking call's result when the script next waits for the call's thread, not while sniffing packets).</summary>
    private PacketdrillDivergence? _completed;

    /// <summary>Retries the blocked call while segments are awaited: a completion is recorded, reported later.</summary>
    private void PollPendingQuietly()
    {
        if (_pending is null || _completed is not null) return;
        _completed = PollPending();
    }

    /// <summary>Retries the blocked call; when it completes, checks its result and completion time.</summary>
    private PacketdrillDivergence? PollPending()
    {
        if (_completed is { } done0)
        {
            _completed = null;
            return done0;
        }
        if (_pending is not { } p) return null;
        var (done, value, errno) = p.Poll();
        if (!done)
        {
            if (_stack.Now > p.LatestEnd)
            {
                _pending = null;
                return Diverge(p.Call.Position, $"{p.Call.Name}() to return by {p.LatestEnd / 1e6:0.000000}s", "still blocked at " + (_stack.Now / 1e6).ToString("0.000000", System.Globalization.CultureInfo.InvariantCulture) + "s");
            }
            return null;
        }
        _pending = null;
        if (_stack.Now < p.EarliestEnd || _stack.Now > p.LatestEnd)
            return Diverge(p.Call.Position, $"{p.Call.Name}() to return at {p.EarliestEnd / 1e6:0.000000}..{p.LatestEnd / 1e6:0.000000}s",
                $"returned {Result(value, errno == Errno.None ? null : errno.ToString())} at {_stack.Now / 1e6:0.000000}s");
        var after = _pendingAfter;
        _pendingAfter = null;
        return Check(p.Call, value, errno) ?? after?.Invoke();
    }

    /// <summary>Advances the host to <paramref name="until"/>; with a call blocked, one timer deadline at a time, retrying it after each.</summary>
    private PacketdrillDivergence? AdvanceWithPending(long until)
    {
        while (_pending is not null && _stack.NextDeadline <= until)
        {
            _stack.AdvanceTo(_stack.NextDeadline);
            if (PollPending() is { } d) return d;
        }
        if (_pending is { } p && p.LatestEnd < until)
        {
            _stack.AdvanceTo(Math.Max(_stack.Now, p.LatestEnd + 1));
            if (PollPending() is { } d) return d;
        }
        _stack.AdvanceTo(Math.Max(_stack.Now, until));
        return PollPending();
    }

    private PacketdrillDivergence? Check(SyscallEvent call, long value, Errno errno)
    {
        if (errno != Errno.None) value = -1;
        var expect = call.Result;
        var wantErrno = expect.Errno is { } e ? ErrnoNames.Parse(e) : Errno.None;
        if (expect.Errno is not null && wantErrno is null) return Unsupported(call, "errno " + expect.Errno);
        // descriptors are names: any non-negative result of socket()/accept() matches a non-negative expectation
        bool named = call.Name is "socket" or "accept" && value >= 0 && expect.Value >= 0;
        if ((!named && value != expect.Value) || errno != wantErrno)
            return Diverge(call.Position, Result(expect.Value, expect.Errno), Result(value, errno == Errno.None ? null : errno.ToString()));
        return null;
    }

    private static string Result(long value, string? errno) => errno is null ? $"= {value}" : $"= {value} {errno}";

    private static SyscallArg? Bracketed(IReadOnlyList<SyscallArg> a, int i) =>
        i < a.Count && a[i] is ListArg { Items.Count: > 0 } l ? l.Items[0] : i < a.Count ? a[i] : null;

    private long? Flags(SyscallArg arg) => arg switch
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
        if (sh.Untimed || sh.Command.Contains('\n', StringComparison.Ordinal) || LooksLikeLinuxSetup(sh.Command))
        {
            // packetdrill runs the init command before the first event and the cleanup command after the last;
            // each line is one shell command
            // a backslash at the end of a line continues the command on the next
            foreach (var line in sh.Command.Replace("\\\r\n", " ", StringComparison.Ordinal).Replace("\\\n", " ", StringComparison.Ordinal).Split('\n'))
            {
                if (line.Trim().Length == 0) continue;
                if (ShellCommand.Parse(line.Trim()) is SysctlCommand or SockstatCountCommand or TcpdropCommand)
                {
                    if (Shell(sh with { Command = line.Trim(), Untimed = false }) is { } d) return d;
                    continue;
                }
                if (!_stack.TrySetup(line, ReadSetupFile, out var what))
                    return Unsupported(sh, what ?? "shell command");
            }
            return null;
        }
        switch (sh.Parsed)
        {
            case SysctlCommand s:
                if (!_stack.TrySysctl(s.Name, s.Value))
                    return Unsupported(sh, "sysctl " + s.Name + "=" + s.Value);
                return null;
            case SockstatCountCommand c:
            {
                if (_stack.Table() is not { } table) return Unsupported(sh, "sockstat (the stack lists no socket table)");
                int n = table.Count(r =>
                    SockstatName(r.State).Contains(c.State, StringComparison.Ordinal) &&
                    (c.Port is not { } port || r.Local?.Port == port || r.Remote?.Port == port));
                return n == c.Count ? null : Diverge(sh.Position, $"{c.Count} connection(s) in {c.State}", $"{n}");
            }
            case TcpdropCommand d:
                if (ParseSockstatName(d.State) is not { } state) return Unsupported(sh, "tcpdrop state " + d.State);
                return _stack.Drop(state) is null ? Unsupported(sh, "tcpdrop (the stack cannot drop connections)") : null;
            default:
                return Unsupported(sh, "shell command `" + sh.Command + "`");
        }
    }

    private static bool LooksLikeLinuxSetup(string command) =>
        command.Contains(".sh", StringComparison.Ordinal) || command.Contains("set_sysctls.py", StringComparison.Ordinal) ||
        command.StartsWith("tc ", StringComparison.Ordinal) || command.StartsWith("ip ", StringComparison.Ordinal) ||
        command.StartsWith("sysctl -q", StringComparison.Ordinal);

    /// <summary>Reads a setup script named relative to the packetdrill script's directory (as packetdrill runs
    /// it from there); null when it does not exist, cannot be a path (a NUL in it: the fuzzer found one), is
    /// larger than a setup script (1 MiB) or cannot be read.</summary>
    private string? ReadSetupFile(string relative)
    {
        if (relative.Contains('\0', StringComparison.Ordinal) || relative.IndexOfAny(Path.GetInvalidPathChars()) >= 0) return null;
        try
        {
            var dir = Path.GetDirectoryName(Path.GetFullPath(_script.FileName)) ?? ".";
            var file = new FileInfo(Path.GetFullPath(Path.Combine(dir, relative)));
            return file.Exists && file.Length <= 1 << 20 ? File.ReadAllText(file.FullName) : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            return null;
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
