using System.Globalization;
using TcpModel.Host;
using TcpModel.Machine;
using TcpModel.Wire;

namespace TcpModel.Conformance.Packetdrill;

/// <summary>Options of a packetdrill run.</summary>
public sealed record PacketdrillRunOptions
{
    /// <summary>The profile name (<c>standard</c> or <c>freebsd</c>): selects #ifdef branches and policies.</summary>
    public string Profile { get; init; } = "standard";
    /// <summary>The script's ISN (the script side's sequence numbers are relative to it).</summary>
    public uint ScriptIsn { get; init; }
    /// <summary>Where the model's ISNs come from (default RFC 6528 with key 0).</summary>
    public IIsnSource? SutIsn { get; init; }
    /// <summary>A seeded bug to run the model with (tests that show a script catches it); none by default.</summary>
    public Mutant Mutant { get; init; }

    /// <summary>packetdrill's own rule: segments sent after the last outbound line are not compared (on for
    /// the <c>linux</c> profile, whose suite is written against it; off: any such segment fails the script).</summary>
    public bool IgnoreTrailingSegments { get; init; }
}

/// <summary>
/// Runs a packetdrill script against a <see cref="TcpHost"/> on virtual time, the model being the
/// system under test. The script is the remote peer (192.0.2.1:40000 or 2001:db8::1:40000), the
/// model's socket is local port 8080. Sequence numbers follow packetdrill: inbound SEQ relative to
/// the script's ISN and ACK to the model's ISN; outbound the other way round; before the model has
/// an ISN the offset is 0. Each outbound line must match the next segment sent, at its time within
/// <c>--tolerance_usecs</c>; any other segment is a failure.
/// </summary>
public sealed partial class PacketdrillRunner
{
    private const ushort LocalPort = 8080;
    private const ushort RemotePort = 40000;
    private readonly PacketdrillScript _script;
    private readonly PacketdrillRunOptions _options;
    private readonly ITcpStackUnderTest _stack;
    private readonly Queue<OutboundSegment> _sent = new();
    private readonly bool _ipv6;
    private readonly long _tolerance;
    private readonly SeqNum _scriptIsn;
    private SeqNum? _sutIsn;
    // packetdrill's relative sequence numbers (socket.h, "sequence numbers and ACK numbers are relative to the first
    // SYN"): a SYN's SEQ is absolute in the script's space, every other SEQ is relative to that side's ISN, and an ACK
    // is relative to the other side's ISN unless the segment carries SYN. Ours: the script's ISN for the model
    // (its SYN or SYN,ACK line) and the model's live one; the peer's: the SEQ of the first inbound packet after
    // listen(), or of the SYN,ACK after connect()
    private uint _scriptLocalIsn;
    private uint _remoteIsn;
    private bool _remoteIsnFromNextInbound;
    private bool _remoteIsnFromSynAck;
    private long _previous;
    private long _previousBeforeCall;
    private int _lastFd = -1;
    private readonly bool _linux;
    private readonly Dictionary<long, int> _fds = [];
    private readonly HashSet<int> _inq = [];

    private PacketdrillRunner(PacketdrillScript script, ITcpStackUnderTest stack, PacketdrillRunOptions options)
    {
        _script = script;
        _options = options;
        _stack = stack;
        _linux = PacketdrillProfiles.IsLinux(options.Profile);
        _ipv6 = script.Options.TryGetValue("ip_version", out var v) && v == "ipv6";
        _tolerance = script.Options.TryGetValue("tolerance_usecs", out var t) &&
                     long.TryParse(t, NumberStyles.Integer, CultureInfo.InvariantCulture, out var us) ? us : 4000;
        _scriptIsn = new SeqNum(options.ScriptIsn);
    }

    /// <summary>The largest payload, read or write count the runner handles (16 MiB: more than any socket
    /// buffer of the profiles, far more than an IP datagram carries); a script asking for more fails at that line.</summary>
    public const int MaxOctets = 1 << 24;

    /// <summary>Runs <paramref name="script"/> against the model (<see cref="ModelStack.ForRun"/>) and returns the
    /// verdict (never throws for a parsed script: a script with no events, or one the runner cannot carry out,
    /// fails at the line concerned).</summary>
    public static PacketdrillVerdict Run(PacketdrillScript script, PacketdrillRunOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(script);
        options ??= new PacketdrillRunOptions();
        ModelStack stack;
        try
        {
            stack = ModelStack.ForRun(options);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or OverflowException or FormatException)
        {
            return new PacketdrillVerdict(script.FileName, options.Profile,
                new PacketdrillDivergence(new SourcePosition(script.FileName, 1, 1), "a script the runner can set up", "cannot set up the run: " + e.Message, "CLOSED"));
        }
        return Run(script, stack, options);
    }

    /// <summary>Runs <paramref name="script"/> against <paramref name="stack"/> (a fresh stack per script: the
    /// script expects descriptors from 3 and no connections) and returns the verdict. <see cref="PacketdrillRunOptions.Profile"/>
    /// selects the script's #ifdef branches (and, for the model, the policies); <see cref="PacketdrillRunOptions.SutIsn"/>
    /// and <see cref="PacketdrillRunOptions.Mutant"/> concern only the model. A defect that throws inside the stack
    /// fails this script at the line being run, as an internal error, and never escapes.</summary>
    public static PacketdrillVerdict Run(PacketdrillScript script, ITcpStackUnderTest stack, PacketdrillRunOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(script);
        ArgumentNullException.ThrowIfNull(stack);
        options ??= new PacketdrillRunOptions();
        var runner = new PacketdrillRunner(script, stack, options);
        PacketdrillDivergence? divergence;
        try
        {
            divergence = runner.Execute();
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // a defect of the runner or the model must not take the other scripts of a run with it:
            // it is this script's failure, at the line being run
            divergence = runner.Diverge(runner._current, "the line to run", $"internal error: {e.GetType().Name}: {e.Message}");
        }
        if (script.ExpectedFailureLine is { } line && divergence is not { Unsupported: not null })
        {
            // a script that announces its failure passes by failing there
            divergence = divergence is not null && divergence.Position.Line == line ? null
                : new PacketdrillDivergence(divergence?.Position ?? new SourcePosition(script.FileName, line, 1),
                    $"the failure the script announces at line {line}",
                    divergence is null ? "the script passed" : "a failure at line " + divergence.Position.Line + ": " + divergence.Actual, runner.ScriptState().RfcName());
        }
        return new PacketdrillVerdict(script.FileName, options.Profile, divergence);
    }

    private SourcePosition _current;

    private SocketAddress Remote => new(_ipv6 ? "2001:db8::1" : "192.0.2.1", _remotePort);

    // packetdrill (handle_listen_for_script_packet): every child of a listener is a new socket under test with a
    // new ephemeral remote port (next_ephemeral_port), so a second connection accepted by a script never shares
    // the first one's 4-tuple; segments of a socket no longer under test are skipped (sniff_outbound_live_packet)
    private ushort _remotePort = RemotePort;
    private int _passiveChildren;

    private PacketdrillDivergence? Execute()
    {
        var events = _script.Select(PacketdrillProfiles.Defines(_options.Profile));
        _current = new SourcePosition(_script.FileName, 1, 1);
        if (events.Count == 0)
            return Diverge(_current, "at least one event", "no events (an empty script tests nothing)");
        foreach (var ev in events)
        {
            _current = ev.Position;
            var failure = ev is PacketEvent { Direction: PacketDirection.Outbound } outbound
                ? ExpectOutbound(outbound)
                : RunAt(ev);
            if (failure is not null) return failure;
        }
        if (_pending is { } blocked)
        {
            // the script ends with a call still blocked: run time on until it returns or its end time passes
            if (AdvanceWithPending(blocked.LatestEnd + 1) is { } d) return d;
            if (_pending is not null && PollPending() is { } late) return late;
        }
        // packetdrill stops sniffing at the end of the script: a segment sent after the last outbound line is
        // not compared (the linux profile follows it); otherwise the runner keeps the stricter check
        if (!(_options.IgnoreTrailingSegments || _linux) && TakeSent(out var extra))
            return Diverge(events.Count > 0 ? events[^1].Position : new SourcePosition(_script.FileName, 1, 1),
                "no more segments (end of script)", "unexpected segment " + Describe(extra));
        return null;
    }

    private (long Start, long End)? Window(PacketdrillTime time) => time.Kind switch
    {
        PacketdrillTimeKind.Absolute => (time.StartMicroseconds, time.EndMicroseconds ?? time.StartMicroseconds),
        PacketdrillTimeKind.Relative => (_previous + time.StartMicroseconds, _previous + (time.EndMicroseconds ?? time.StartMicroseconds)),
        _ => null,
    };

    /// <summary>A non-outbound event: run the host to the event's time (no segment may appear), then do it.</summary>
    private PacketdrillDivergence? RunAt(PacketdrillEvent ev)
    {
        var when = Window(ev.Time);
        long at = when?.Start ?? _stack.Now;
        // packetdrill compares the segments the stack sends only against outbound lines: one sent meanwhile
        // waits, in order, for the next outbound line (which fails if it does not match)
        if (PollPending() is { } returned) return returned;
        if (AdvanceWithPending(Math.Max(at, _stack.Now)) is { } blocked) return blocked;
        _previousBeforeCall = _previous;
        _previous = at;
        var result = ev switch
        {
            PacketEvent p => Inject(p),
            SyscallEvent s => Syscall(s),
            ShellCommandEvent sh => Shell(sh),
            AssertTcpStateEvent a => AssertState(a),
            UnsupportedCodeEvent u => Unsupported(u, InlineCodeFeature(u.Code)),
            UnsupportedLineEvent l => Unsupported(l, l.Feature),
            _ => Unsupported(ev, ev.GetType().Name),
        };
        return result ?? (ev is SyscallEvent ? null : PollPending());
    }

    /// <summary>The feature an inline code line needs: the tcp_info field it asserts on, or Python code.</summary>
    private static string InlineCodeFeature(string code)
    {
        var m = System.Text.RegularExpressions.Regex.Match(code, @"\b(tcpi_[a-z_0-9]+)");
        return m.Success ? "tcp_info field " + m.Groups[1].Value : "inline Python code";
    }

    private PacketdrillDivergence Unsupported(PacketdrillEvent ev, string what) =>
        Diverge(ev.Position, "a supported line", "unsupported: " + what) with { Unsupported = what };

    private PacketdrillDivergence Diverge(SourcePosition at, string expected, string actual) =>
        new(at, expected, actual, ScriptState().RfcName());

    /// <summary>The state of the script's socket: the most recently returned descriptor's connection,
    /// or the connection with the script's peer when that descriptor is gone.</summary>
    private TcpState ScriptState()
    {
        try
        {
            if (_stack.Describe(_lastFd) is { } s) return s.State;
            return _stack.Connections.FirstOrDefault(c => c.Id.Remote == Remote)?.State ?? TcpState.Closed;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return TcpState.Closed; // a stack that cannot say its state must not turn its failure report into a crash
        }
    }

    /// <summary>Moves every segment the stack has sent into the runner's queue, in order.</summary>
    private int Drain()
    {
        while (_stack.TryTakeOutbound(out var o))
            if (o.Id.Remote == Remote) _sent.Enqueue(o);
        return _sent.Count;
    }

    /// <summary>The oldest segment sent and not yet compared.</summary>
    private bool TakeSent(out OutboundSegment o)
    {
        Drain();
        return _sent.TryDequeue(out o!);
    }

    private string Describe(OutboundSegment o) =>
        $"{Relative(o.Segment)} at {o.Time / 1e6:0.000000}s";

    /// <summary>A segment in packetdrill notation relative to the ISNs (SEQ to ours, ACK to the script's).</summary>
    private string Relative(in Segment s)
    {
        string flags = FlagsText(s.Control);
        uint seq = unchecked(s.Seq.Value - LocalSeqOffset(s.Syn));
        int len = s.Payload.Length;
        var text = $"{flags} {seq}:{unchecked(seq + (uint)len)}({len})";
        if (s.HasAck) text += $" ack {unchecked(s.Ack.Value - RemoteSeqOffset(s.Syn))}";
        text += $" win {s.Window}";
        if (!s.Options.IsEmpty) text += " <" + s.Options + ">";
        return text;
    }

    /// <summary>Script to live for the model's sequence space (packetdrill <c>local_seq_script_to_live_offset</c>):
    /// a SYN's number is absolute (live ISN − script ISN), any other is relative to the live ISN.</summary>
    private uint LocalSeqOffset(bool syn)
    {
        uint liveMinusScript = (_sutIsn ?? default).Value; // 0 before the model's first SYN
        return syn ? liveMinusScript : unchecked(liveMinusScript + _scriptLocalIsn); // + script ISN = the live ISN
    }

    /// <summary>Script to live for the peer's sequence space (<c>remote_seq_script_to_live_offset</c>): a SYN's
    /// number as written, any other relative to the peer's ISN; both shifted by the runner's script ISN.</summary>
    private uint RemoteSeqOffset(bool syn) => unchecked(_scriptIsn.Value + (syn ? 0 : _remoteIsn));

    private static string FlagsText(Control c)
    {
        var sb = new System.Text.StringBuilder();
        if (c.Has(Control.FIN)) sb.Append('F');
        if (c.Has(Control.SYN)) sb.Append('S');
        if (c.Has(Control.RST)) sb.Append('R');
        if (c.Has(Control.PSH)) sb.Append('P');
        if (c.Has(Control.ACK)) sb.Append('.');
        if (c.Has(Control.URG)) sb.Append('U');
        return sb.Length == 0 ? "-" : sb.ToString();
    }
}
