using System.Globalization;
using System.Text;
using TcpModel.Machine;
using TcpModel.Wire;

namespace TcpModel.Cli;

/// <summary>
/// <c>tcpmodel step</c>: puts an endpoint in a state with the canonical TCB, applies one input,
/// and shows the cells that fired (with guard, kind and RFC reference), the next state, every
/// segment sent and the notices to the user.
/// </summary>
internal static class StepCommand
{
    private static readonly Lazy<string> HelpText = new(BuildHelp);

    /// <summary>What <c>--help</c> prints after the generated option list, with the canonical TCB of
    /// every state computed by building it.</summary>
    public static string Details => HelpText.Value;

    /// <summary>The names <c>--call</c> accepts.</summary>
    public static string[] CallNames => [.. Calls.Select(c => c.Name)];

    /// <summary>The names <c>--timer</c> accepts.</summary>
    public static string[] TimerNames => [.. Timers.Select(t => t.Name)];

    private static readonly (string Name, Trigger Call)[] Calls =
    [
        ("open-passive", Trigger.OpenPassive), ("open-active", Trigger.OpenActive), ("send:TEXT", Trigger.Send),
        ("receive", Trigger.Receive), ("close", Trigger.Close), ("abort", Trigger.Abort), ("status", Trigger.Status),
    ];

    private static readonly (string Name, TimerKind Kind)[] Timers =
    [
        ("retransmit", TimerKind.Retransmit), ("time-wait", TimerKind.TimeWait), ("user", TimerKind.User),
        ("persist", TimerKind.Persist), ("delayed-ack", TimerKind.DelayedAck), ("keep-alive", TimerKind.KeepAlive),
    ];

    public static int Run(CliArgs args, TextWriter stdout)
    {
        var stateText = args.Get("--state") ?? throw new UsageException("step: --state STATE is required (try 'tcpmodel help step')");
        var state = CommonOptions.State(stateText);
        var profile = CommonOptions.Profile(args);
        int inputs = (args.Has("--segment") ? 1 : 0) + (args.Has("--call") ? 1 : 0) + (args.Has("--timer") ? 1 : 0);
        if (inputs != 1) throw new UsageException("step: give exactly one of --segment, --call, --timer");

        // Parse the input before building anything, so bad input fails fast.
        Segment segment = default;
        bool windowDefaulted = false;
        Trigger call = default;
        string sendText = "";
        TimerKind timer = default;
        if (args.Get("--segment") is { } segText)
        {
            if (!Segment.TryParse(segText, out segment, out var error, out var given))
                throw new UsageException($"--segment: {error}");
            if (!given.HasFlag(SegmentFields.Wnd))
            {
                segment = segment.WithWindow(CanonicalTcb.PeerWindow);
                windowDefaulted = true;
            }
        }
        else if (args.Get("--call") is { } callText)
        {
            if (callText.StartsWith("send:", StringComparison.OrdinalIgnoreCase))
            {
                call = Trigger.Send;
                sendText = callText["send:".Length..];
                if (sendText.Length == 0) throw new UsageException("--call send:TEXT needs some text after 'send:'");
            }
            else
            {
                var match = Calls.Where(c => c.Call != Trigger.Send && string.Equals(c.Name, callText, StringComparison.OrdinalIgnoreCase)).ToArray();
                if (match.Length == 0)
                    throw new UsageException($"--call: unknown call '{callText}' (expected one of {string.Join(", ", Calls.Select(c => c.Name))})");
                call = match[0].Call;
            }
        }
        else
        {
            var timerText = args.Get("--timer")!;
            var match = Timers.Where(t => string.Equals(t.Name, timerText, StringComparison.OrdinalIgnoreCase)).ToArray();
            if (match.Length == 0)
                throw new UsageException($"--timer: unknown timer '{timerText}' (expected one of {string.Join(", ", Timers.Select(t => t.Name))})");
            timer = match[0].Kind;
        }

        bool timestamps = args.Has("--timestamps");
        if (timestamps) profile = profile with { Timestamps = true };
        var (ep, path) = CanonicalTcb.Build(state, profile, timestamps);
        var o = new StringBuilder();
        o.Append(CultureInfo.InvariantCulture, $"tcpmodel step: {state.RfcName()}, profile {profile.Name}\n\n");
        o.Append(CultureInfo.InvariantCulture, $"Canonical TCB (built from CLOSED by real inputs; our ISS={CanonicalTcb.Iss}, the peer's ISS={CanonicalTcb.Irs}):\n");
        AppendPath(o, path);
        AppendTcb(o, ep, "  ");
        o.Append('\n');

        var outbox = new Outbox();
        long now = CanonicalTcb.InputTime;
        var receiveBuffer = new byte[65536];
        Input input;
        string what;
        if (args.Has("--segment"))
        {
            input = Input.Arrive(segment);
            what = $"segment arrives {segment}" + (windowDefaulted ? $" (no <WND=...> given: the peer's canonical window {CanonicalTcb.PeerWindow})" : "");
        }
        else if (args.Has("--call"))
        {
            (input, what) = call switch
            {
                Trigger.OpenPassive => (Input.OpenPassive(), "OPEN (passive)"),
                Trigger.OpenActive => (Input.OpenActive, "OPEN (active)"),
                Trigger.Send => (Input.Send(Encoding.UTF8.GetBytes(sendText)), $"SEND {CommonOptions.Quote(Encoding.UTF8.GetBytes(sendText))}"),
                Trigger.Receive => (Input.Receive(receiveBuffer), "RECEIVE"),
                Trigger.Close => (Input.Close, "CLOSE"),
                Trigger.Abort => (Input.Abort, "ABORT"),
                _ => (Input.Status, "STATUS"),
            };
        }
        else
        {
            long armed = ep.Tcb.Timers.Get(timer);
            ep.Tcb.Timers.Set(timer, now);
            input = Input.Tick;
            what = $"the {Timers.First(t => t.Kind == timer).Name} timer expires "
                   + (armed == TimerSet.Off ? "(it was not armed: its deadline is set to now)" : $"(armed for {CommonOptions.Seconds(armed)}; its deadline is set to now)");
        }
        var before = ep.State;
        var tcbBefore = TcbFields(ep);
        ep.Step(input, now, outbox);
        if (args.Has("--json"))
        {
            stdout.Write(Json(state, profile, path, tcbBefore, now, what, outbox, ep, call, args.Has("--call"), receiveBuffer));
            return ExitCode.Ok;
        }

        o.Append(CultureInfo.InvariantCulture, $"Input at {CommonOptions.Seconds(now)}: {what}\n\n");
        o.Append("Cells fired:\n");
        if (outbox.FiredCount == 0) o.Append("  none (no timer was due)\n");
        foreach (var f in outbox.Fired)
        {
            var c = f.Cell;
            string guard = c.Key.Guard1 == Guard.None ? "" : $" [{c.Key.GuardText}]";
            o.Append(CultureInfo.InvariantCulture, $"  {f.From.RfcName()} x {c.Key.Trigger}{guard} -> {c.Next.RfcName()}  ({KindText(c.Kind)}; effect {c.Effect})\n");
            o.Append(CultureInfo.InvariantCulture, $"      {c.Rfc}\n");
            if (c.Emits.Length > 0) o.Append(CultureInfo.InvariantCulture, $"      emits {c.Emits}\n");
        }
        o.Append(CultureInfo.InvariantCulture, $"Next state: {ep.State.RfcName()}{(ep.State == before ? " (unchanged)" : "")}\n");
        if (outbox.SegmentCount == 0) o.Append("Sent: nothing sent\n");
        else
        {
            o.Append("Sent:\n");
            foreach (var s in outbox.Segments) o.Append("  ").Append(s.ToString()).Append('\n');
        }
        if (outbox.NoticeCount == 0) o.Append("Notices: none\n");
        else
        {
            o.Append("Notices:\n");
            foreach (var n in outbox.Notices) o.Append("  ").Append(n.Text()).Append('\n');
        }
        if (call == Trigger.Receive && args.Has("--call"))
            o.Append(CultureInfo.InvariantCulture, $"Received: {outbox.Received} octets {CommonOptions.Quote(receiveBuffer.AsSpan(0, outbox.Received))}\n");
        if (call == Trigger.Send && args.Has("--call"))
            o.Append(CultureInfo.InvariantCulture, $"Accepted: {outbox.Accepted} octets\n");
        o.Append("\nTCB after:\n");
        AppendTcb(o, ep, "  ");
        stdout.Write(o.ToString());
        return ExitCode.Ok;
    }

    /// <summary>The step as one JSON document (schema <c>tcpmodel-step/1</c>, spec/tcpmodel-json.md).</summary>
    private static string Json(TcpState state, Profile profile, IReadOnlyList<FixtureStep> path, IReadOnlyList<(string, object?)> tcbBefore,
        long now, string what, Outbox outbox, Endpoint ep, Trigger call, bool isCall, byte[] receiveBuffer)
    {
        using var ms = new MemoryStream();
        using (var w = new System.Text.Json.Utf8JsonWriter(ms, JsonOutput.Indented))
        {
            w.WriteStartObject();
            w.WriteString("schema", "tcpmodel-step/1");
            w.WriteString("state", state.RfcName());
            w.WriteString("profile", profile.Name);
            w.WriteStartArray("path");
            foreach (var p in path)
            {
                w.WriteStartObject();
                w.WriteNumber("time_us", p.Time);
                w.WriteString("input", p.Label);
                w.WriteString("after", p.After.RfcName());
                w.WriteStartArray("sent");
                foreach (var seg in p.Sent) w.WriteStringValue(seg.ToString());
                w.WriteEndArray();
                w.WriteEndObject();
            }
            w.WriteEndArray();
            WriteTcb(w, "tcb_before", tcbBefore);
            w.WriteNumber("time_us", now);
            w.WriteString("input", what);
            w.WriteStartArray("fired");
            foreach (var f in outbox.Fired)
            {
                var c = f.Cell;
                w.WriteStartObject();
                w.WriteString("from", f.From.RfcName());
                w.WriteString("trigger", c.Key.Trigger.ToString());
                if (c.Key.Guard1 == Guard.None) w.WriteNull("guard"); else w.WriteString("guard", c.Key.GuardText);
                w.WriteString("next", c.Next.RfcName());
                w.WriteString("kind", KindText(c.Kind));
                w.WriteString("effect", c.Effect.ToString());
                w.WriteString("rfc", c.Rfc);
                w.WriteString("emits", c.Emits.Length > 0 ? c.Emits.ToString() : null);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteString("next", ep.State.RfcName());
            w.WriteStartArray("sent");
            foreach (var seg in outbox.Segments) w.WriteStringValue(seg.ToString());
            w.WriteEndArray();
            w.WriteStartArray("notices");
            foreach (var n in outbox.Notices) w.WriteStringValue(n.Text());
            w.WriteEndArray();
            if (isCall && call == Trigger.Receive)
            {
                w.WriteNumber("received", outbox.Received);
                w.WriteString("received_data", CommonOptions.Quote(receiveBuffer.AsSpan(0, outbox.Received)));
            }
            if (isCall && call == Trigger.Send) w.WriteNumber("accepted", outbox.Accepted);
            WriteTcb(w, "tcb_after", TcbFields(ep));
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(ms.ToArray()) + "\n";
    }

    private static void WriteTcb(System.Text.Json.Utf8JsonWriter w, string name, IReadOnlyList<(string Name, object? Value)> fields)
    {
        w.WriteStartObject(name);
        foreach (var (n, v) in fields)
        {
            switch (v)
            {
                case null: w.WriteNull(n); break;
                case bool b: w.WriteBoolean(n, b); break;
                case long l: w.WriteNumber(n, l); break;
                case string t: w.WriteString(n, t); break;
                case IReadOnlyList<(string, long)> timers:
                    w.WriteStartObject(n);
                    foreach (var (tn, at) in timers) w.WriteNumber(tn, at);
                    w.WriteEndObject();
                    break;
            }
        }
        w.WriteEndObject();
    }

    /// <summary>The TCB variables <see cref="AppendTcb"/> prints, as name/value pairs (null: not yet known).</summary>
    private static List<(string, object?)> TcbFields(Endpoint ep)
    {
        var t = ep.Tcb;
        bool seq = ep.State is not (TcpState.Closed or TcpState.Listen);
        bool rcv = seq && ep.State != TcpState.SynSent;
        return
        [
            ("exists", ep.State != TcpState.Closed),
            ("iss", seq ? (long)t.Iss.Value : null),
            ("snd_una", seq ? (long)t.SndUna.Value : null),
            ("snd_nxt", seq ? (long)t.SndNxt.Value : null),
            ("snd_wnd", seq ? (long)t.SndWnd : null),
            ("irs", rcv ? (long)t.Irs.Value : null),
            ("rcv_nxt", rcv ? (long)t.RcvNxt.Value : null),
            ("rcv_wnd", seq ? (long)t.RcvWnd : null),
            ("fin_queued", seq && t.FinQueued),
            ("fin_sent", seq && t.FinSent),
            ("fin_acked", seq && t.FinAcked),
            ("fin_received", seq && t.FinReceived),
            ("send_queue", seq ? (long)t.SendQueue.Count : 0L),
            ("receive_queue", seq ? (long)t.ReceiveQueue.Count : 0L),
            ("timers_us", (IReadOnlyList<(string, long)>)Timers.Where(x => seq && t.Timers.Get(x.Kind) != TimerSet.Off)
                .Select(x => (x.Name, t.Timers.Get(x.Kind))).ToList()),
        ];
    }

    private static string KindText(CellKind k) => k switch
    {
        CellKind.Transition => "transition",
        CellKind.Internal => "reply and stay",
        _ => "ignore",
    };

    private static void AppendPath(StringBuilder o, IReadOnlyList<FixtureStep> path)
    {
        if (path.Count == 0) o.Append("  (no inputs: a new endpoint is CLOSED)\n");
        foreach (var p in path)
        {
            o.Append(CultureInfo.InvariantCulture, $"  {CommonOptions.Seconds(p.Time)}  {p.Label} -> {p.After.RfcName()}\n");
            foreach (var s in p.Sent) o.Append("             sent ").Append(s).Append('\n');
        }
    }

    /// <summary>The TCB variables of RFC 9293 §3.3.1 that matter to the state machine.</summary>
    private static void AppendTcb(StringBuilder o, Endpoint ep, string indent)
    {
        var t = ep.Tcb;
        if (ep.State == TcpState.Closed)
        {
            o.Append(indent).Append("CLOSED: no TCB (RFC 9293 §3.3.2: CLOSED \"represents the state when there is no TCB\")\n");
            return;
        }
        if (ep.State == TcpState.Listen)
        {
            o.Append(indent).Append("LISTEN: TCB created, no sequence variables yet\n");
            return;
        }
        string V(SeqNum s) => s.Value.ToString(CultureInfo.InvariantCulture);
        o.Append(CultureInfo.InvariantCulture, $"{indent}ISS={V(t.Iss)}  SND.UNA={V(t.SndUna)}  SND.NXT={V(t.SndNxt)}  SND.WND={t.SndWnd}\n");
        if (ep.State == TcpState.SynSent)
            o.Append(CultureInfo.InvariantCulture, $"{indent}IRS, RCV.NXT: not yet known  RCV.WND={t.RcvWnd}\n");
        else
            o.Append(CultureInfo.InvariantCulture, $"{indent}IRS={V(t.Irs)}  RCV.NXT={V(t.RcvNxt)}  RCV.WND={t.RcvWnd}\n");
        if (t.TimestampsOn)
            o.Append(CultureInfo.InvariantCulture, $"{indent}timestamps: TS.Recent={t.TsRecent}  Last.ACK.sent={V(t.LastAckSent)}\n");
        var extras = new List<string>();
        if (t.FinSent) extras.Add($"our FIN at SEQ={V(t.FinSeq)} {(t.FinAcked ? "acknowledged" : "unacknowledged")}");
        else if (t.FinQueued) extras.Add("our FIN queued");
        if (t.FinReceived) extras.Add("the peer's FIN received");
        if (t.SendQueue.Count > 0) extras.Add($"{t.SendQueue.Count} octets in the send queue");
        if (t.ReceiveQueue.Count > 0) extras.Add($"{t.ReceiveQueue.Count} octets unread");
        if (extras.Count > 0) o.Append(indent).Append(string.Join("; ", extras)).Append('\n');
        var armed = Timers.Where(x => t.Timers.Get(x.Kind) != TimerSet.Off)
                          .Select(x => $"{x.Name} at {CommonOptions.Seconds(t.Timers.Get(x.Kind))}").ToList();
        o.Append(indent).Append("timers: ").Append(armed.Count == 0 ? "none armed" : string.Join(", ", armed)).Append('\n');
    }

    private static string BuildHelp()
    {
        var o = new StringBuilder();
        o.Append($"""
            Give --state and exactly one of --segment, --call, --timer.

            Puts one endpoint in STATE with the canonical TCB below, applies one input at t={CommonOptions.Seconds(CanonicalTcb.InputTime)}
            and prints the cells of the transition table that fired (guard, kind, RFC reference), the
            next state, every segment sent in RFC notation (or "nothing sent"), and the notices to the
            user in RFC words.

            --segment takes RFC notation (spec/notation.md); in the notation WND defaults to
            0; for step, a segment without <WND=...> gets the peer's canonical window {CanonicalTcb.PeerWindow} instead.

            Canonical TCB: a real endpoint driven from CLOSED by real inputs, {CanonicalTcb.Spacing / 1000} ms apart.
            Our ISS is {CanonicalTcb.Iss}; the peer's ISS (our IRS) is {CanonicalTcb.Irs}; the peer offers WND={CanonicalTcb.PeerWindow} and
            MSS {CanonicalTcb.PeerMss} and sends no data. LISTEN and SYN-RECEIVED come from a passive OPEN, the
            others from an active OPEN; past our CLOSE, SND.NXT includes our FIN; past the peer's FIN,
            RCV.NXT includes it. With --timestamps every segment of the peer carries the timestamps
            option, TSval {CanonicalTcb.PeerTsBase} plus the peer's 1 ms clock (its SYN,ACK at 0.010 s: {CanonicalTcb.PeerTsBase + 10}), and
            the profile offers it too, so TS.Recent (RFC 7323 §4.3) is the TSval of the peer's last segment.
            Profile rfc9293 gives:

            """);
        o.Append("  STATE         path from CLOSED                                      SND.UNA  SND.NXT  RCV.NXT\n");
        foreach (var s in TcpStates.All)
        {
            var (ep, path) = CanonicalTcb.Build(s, Profile.Rfc9293);
            string Steps() => path.Count == 0 ? "(new endpoint)" : string.Join(", ", path.Select(p => Short(p.Label)));
            bool seq = s is not (TcpState.Closed or TcpState.Listen);
            bool rcv = seq && s != TcpState.SynSent;
            o.Append(CultureInfo.InvariantCulture,
                $"  {s.RfcName(),-13} {Steps(),-53} {(seq ? ep.Tcb.SndUna.Value.ToString(CultureInfo.InvariantCulture) : "-"),7}  {(seq ? ep.Tcb.SndNxt.Value.ToString(CultureInfo.InvariantCulture) : "-"),7}  {(rcv ? ep.Tcb.RcvNxt.Value.ToString(CultureInfo.InvariantCulture) : "-"),7}\n");
        }
        o.Append("""

            Examples:
              tcpmodel step --state ESTABLISHED --segment '<SEQ=5001><CTL=RST>'
              tcpmodel step --state ESTABLISHED --segment '<SEQ=5100><CTL=RST>'     (challenge ACK, RFC 5961)
              tcpmodel step --state TIME-WAIT --segment '<SEQ=5001><ACK=1002><CTL=FIN,ACK>'
              tcpmodel step --state FIN-WAIT-1 --timer retransmit
              tcpmodel step --state CLOSE-WAIT --call close

            Readings that differ by profile (spec/policies.md), compare --profile rfc9293 / rfc793 / standard:
              tcpmodel step --state SYN-RECEIVED --segment '<SEQ=5000><CTL=SYN>'      (syn-received-resend-synack)
              tcpmodel step --state ESTABLISHED --segment '<SEQ=5000><ACK=1001><CTL=SYN,ACK><DATA="abc">'
                                                                        (rfc5961-syn-any-sequence)
              tcpmodel step --state TIME-WAIT --segment '<SEQ=5001><ACK=1009><CTL=FIN,ACK>'
                                                                        (time-wait-fin-ack-checks; try freebsd)
              tcpmodel step --state CLOSING --segment '<SEQ=5001><ACK=1002><CTL=FIN,ACK>'
                                                                        (simultaneous-close-fin-ack)
            """);
        return o.ToString();
    }

    /// <summary>A fixture label made short for the help table.</summary>
    private static string Short(string label) => label switch
    {
        "OPEN (passive)" => "passive OPEN",
        "OPEN (active)" => "active OPEN",
        _ when label.StartsWith("arrives ", StringComparison.Ordinal) => "rcv " + CtlOf(label),
        _ => label,
    };

    private static string CtlOf(string label)
    {
        int i = label.IndexOf("<CTL=", StringComparison.Ordinal);
        if (i < 0) return "segment";
        int j = label.IndexOf('>', i);
        return label[(i + 5)..j];
    }
}
