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
    private readonly Profile _basis;
    private readonly TcpHost _host;
    private readonly bool _ipv6;
    private readonly long _tolerance;
    private readonly SeqNum _scriptIsn;
    private SeqNum? _sutIsn;
    private long _previous;
    private int _lastFd = -1;

    private PacketdrillRunner(PacketdrillScript script, PacketdrillRunOptions options)
    {
        _script = script;
        _options = options;
        _basis = PacketdrillProfiles.Lookup(options.Profile);
        _ipv6 = script.Options.TryGetValue("ip_version", out var v) && v == "ipv6";
        _tolerance = script.Options.TryGetValue("tolerance_usecs", out var t) &&
                     long.TryParse(t, NumberStyles.Integer, CultureInfo.InvariantCulture, out var us) ? us : 4000;
        _scriptIsn = new SeqNum(options.ScriptIsn);
        _host = new TcpHost(_basis, new TcpHostOptions { Isn = options.SutIsn, EphemeralPortStart = LocalPort });
    }

    /// <summary>The largest payload, read or write count the runner handles (16 MiB: more than any socket
    /// buffer of the profiles, far more than an IP datagram carries); a script asking for more fails at that line.</summary>
    public const int MaxOctets = 1 << 24;

    /// <summary>Runs <paramref name="script"/> and returns the verdict (never throws for a parsed script:
    /// a script with no events, or one the runner cannot carry out, fails at the line concerned).</summary>
    public static PacketdrillVerdict Run(PacketdrillScript script, PacketdrillRunOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(script);
        options ??= new PacketdrillRunOptions();
        PacketdrillRunner runner;
        try
        {
            runner = new PacketdrillRunner(script, options);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or OverflowException or FormatException)
        {
            return new PacketdrillVerdict(script.FileName, options.Profile,
                new PacketdrillDivergence(new SourcePosition(script.FileName, 1, 1), "a script the runner can set up", "cannot set up the run: " + e.Message, "CLOSED"));
        }
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
        return new PacketdrillVerdict(script.FileName, options.Profile, divergence);
    }

    private SourcePosition _current;

    private SocketAddress Remote => new(_ipv6 ? "2001:db8::1" : "192.0.2.1", RemotePort);

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
        if (_host.Outbound.TryDequeue(out var extra))
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
        if (ev is SyscallEvent { BlockingEnd: not null })
            return Unsupported(ev, "blocking system call (time...end)");
        var when = Window(ev.Time);
        long at = when?.Start ?? _host.Now;
        if (_host.Outbound.TryDequeue(out var early))
            return Diverge(ev.Position, "no segment before this line", "unexpected segment " + Describe(early));
        _host.AdvanceTo(Math.Max(at, _host.Now));
        if (_host.Outbound.TryDequeue(out var timed))
            return Diverge(ev.Position, "no segment before this line", "unexpected segment " + Describe(timed));
        _previous = at;
        return ev switch
        {
            PacketEvent p => Inject(p),
            SyscallEvent s => Syscall(s),
            ShellCommandEvent sh => Shell(sh),
            AssertTcpStateEvent a => AssertState(a),
            UnsupportedCodeEvent u => Unsupported(u, "inline code '" + u.Code + "'"),
            _ => Unsupported(ev, ev.GetType().Name),
        };
    }

    private PacketdrillDivergence Unsupported(PacketdrillEvent ev, string what) =>
        Diverge(ev.Position, "a supported line", "unsupported: " + what);

    private PacketdrillDivergence Diverge(SourcePosition at, string expected, string actual) =>
        new(at, expected, actual, ScriptState().RfcName());

    /// <summary>The state of the script's socket: the most recently returned descriptor's connection,
    /// or the connection with the script's peer when that descriptor is gone.</summary>
    private TcpState ScriptState()
    {
        if (_host.Socket(_lastFd) is { } s) return s.State;
        return _host.Connections.FirstOrDefault(c => c.Id.Remote == Remote)?.State ?? TcpState.Closed;
    }

    private string Describe(OutboundSegment o) =>
        $"{Relative(o.Segment)} at {o.Time / 1e6:0.000000}s";

    /// <summary>A segment in packetdrill notation relative to the ISNs (SEQ to ours, ACK to the script's).</summary>
    private string Relative(in Segment s)
    {
        uint seqBase = (_sutIsn ?? default).Value;
        string flags = FlagsText(s.Control);
        uint seq = unchecked(s.Seq.Value - seqBase);
        int len = s.Payload.Length;
        var text = $"{flags} {seq}:{unchecked(seq + (uint)len)}({len})";
        if (s.HasAck) text += $" ack {unchecked(s.Ack.Value - _scriptIsn.Value)}";
        text += $" win {s.Window}";
        if (!s.Options.IsEmpty) text += " <" + s.Options + ">";
        return text;
    }

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
