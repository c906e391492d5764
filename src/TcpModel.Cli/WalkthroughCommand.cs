using System.Globalization;
using System.Text;
using TcpModel.Export;
using TcpModel.Machine;
using TcpModel.Network;

namespace TcpModel.Cli;

/// <summary>
/// <c>tcpmodel walkthrough</c>: the life of one connection between two real endpoints on virtual
/// time — handshake, data, close, a lost last ACK and TIME-WAIT doing its job — run on the
/// <see cref="Simulator"/> clocked with a fixed one-way delay.
/// </summary>
internal static class WalkthroughCommand
{
    /// <summary>What <c>--help</c> prints after the generated option list.</summary>
    public const string Details = """
        Runs one TCP connection between two endpoints of the model on virtual time (10 ms one-way
        delay) and prints it as a ladder in the style of the RFC 9293 figures:
          B: passive OPEN; A: active OPEN (SYN seq=x, SYN,ACK seq=y ack=x+1, ACK seq=x+1 ack=y+1);
          A sends "hello", B reads it; A CLOSEs (FIN), B ACKs; B CLOSEs (FIN); A's last ACK is lost;
          B retransmits its FIN after its RTO; A, in TIME-WAIT, ACKs again and restarts its 2MSL
          timer; B goes CLOSED; A goes CLOSED after 2MSL.
        """;

    private const long Latency = 10_000;

    /// <summary>The addresses the walkthrough's pcap gives A and B (RFC 5737 documentation addresses).</summary>
    internal static readonly System.Net.IPEndPoint PcapA = new(System.Net.IPAddress.Parse("192.0.2.1"), 49152);
    internal static readonly System.Net.IPEndPoint PcapB = new(System.Net.IPAddress.Parse("192.0.2.2"), 80);

    public static int Run(CliArgs args, TextWriter stdout)
    {
        var profile = CommonOptions.Profile(args);
        uint x = CommonOptions.SeqNumber(args, "--iss-a", 100);
        uint y = CommonOptions.SeqNumber(args, "--iss-b", 300);

        var a = new Endpoint(profile, new EndpointOptions { Isn = new FixedIsnSource(x) });
        var b = new Endpoint(profile, new EndpointOptions { Isn = new FixedIsnSource(y) });
        // The network loses the ACK A sends on entering TIME-WAIT (its last ACK), once.
        var sim = new Simulator(a, b, Latency)
        {
            Lose = s => s.From == Side.A && s.Run[Side.A].State == TcpState.TimeWait && !s.Segment.Syn && !s.Segment.Fin
                        && s.Segment.Length.Value == 0 && s.First("last ACK"),
        };

        var notes = new Dictionary<int, string>();
        sim.User(Side.B, Input.OpenPassive(), "OPEN (passive)");
        sim.User(Side.A, Input.OpenActive, "OPEN (active)");
        sim.RunUntil(100_000);
        sim.User(Side.A, Input.Send("hello"u8.ToArray()), "SEND \"hello\"");
        sim.RunUntil(200_000);
        var buffer = new byte[1024];
        int receiveRow = LadderRow.Of(sim.Rows).Count;
        int before = sim.Read[1].Count;
        sim.User(Side.B, Input.Receive(buffer), "RECEIVE");
        notes[receiveRow] = $"B reads {CommonOptions.Quote(buffer.AsSpan(0, sim.Read[1].Count - before))}";
        sim.RunUntil(300_000);
        sim.User(Side.A, Input.Close, "CLOSE");
        sim.RunUntil(400_000);
        sim.User(Side.B, Input.Close, "CLOSE");
        sim.RunUntil();
        if (sim.Failure is not null) throw new CommandFailedException($"the run failed: {sim.Failure}");
        var ladder = LadderRow.Of(sim.Rows);

        var marks = Annotate(ladder, notes);
        var o = new StringBuilder();
        o.Append(Header(profile, x, y));
        o.Append('\n');
        o.Append(LadderExporter.Write(ladder, notes));
        o.Append('\n');
        o.Append(Footer(profile, marks, a.State, b.State));
        if (args.Get("--pcap") is { } pcap)
        {
            try
            {
                PcapWriter.WriteFile(pcap, PcapWriter.FromRows(sim.Rows, PcapA, PcapB));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
            {
                throw new CommandFailedException($"cannot write '{pcap}': {e.Message}");
            }
        }
        stdout.Write(args.Has("--json") ? Json(profile, x, y, ladder, notes, a.State, b.State) : o.ToString());
        return ExitCode.Ok;
    }

    /// <summary>The ladder as one JSON document (schema <c>tcpmodel-walkthrough/1</c>, spec/tcpmodel-json.md).</summary>
    private static string Json(Profile p, uint x, uint y, List<LadderRow> rows, Dictionary<int, string> notes, TcpState finalA, TcpState finalB)
    {
        using var ms = new MemoryStream();
        using (var w = new System.Text.Json.Utf8JsonWriter(ms, JsonOutput.Indented))
        {
            w.WriteStartObject();
            w.WriteString("schema", "tcpmodel-walkthrough/1");
            w.WriteString("profile", p.Name);
            w.WriteNumber("iss_a", x);
            w.WriteNumber("iss_b", y);
            w.WriteNumber("latency_us", Latency);
            w.WriteStartArray("rows");
            for (int i = 0; i < rows.Count; i++)
            {
                var r = rows[i];
                w.WriteStartObject();
                w.WriteNumber("line", i + 1);
                w.WriteNumber("time_us", r.Time);
                w.WriteString("a", r.StateA.RfcName());
                w.WriteString("b", r.StateB.RfcName());
                if (r.Segment is { } s)
                {
                    w.WriteString("from", r.From.ToString());
                    w.WriteString("segment", s.ToString());
                    w.WriteBoolean("lost", r.Lost);
                }
                else w.WriteString("event", r.Event);
                if (notes.TryGetValue(i, out var note)) w.WriteString("note", note);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteStartObject("final");
            w.WriteString("a", finalA.RfcName());
            w.WriteString("b", finalB.RfcName());
            w.WriteEndObject();
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(ms.ToArray()) + "\n";
    }

    /// <summary>Row numbers (1-based) of the rows the footer refers to.</summary>
    private sealed record Marks(int LostAck, int RetransmittedFin, int ReAck, long ReAckTime, long TimeWaitEnd);

    /// <summary>Notes for the key rows, found from what the rows contain (not from their position).</summary>
    private static Marks Annotate(List<LadderRow> rows, Dictionary<int, string> notes)
    {
        var fins = new Dictionary<(Side, uint), int>();
        int lost = 0, rtxFin = 0, reAck = 0;
        long reAckTime = -1, timeWaitEnd = -1;
        bool handshakeAcked = false;
        for (int i = 0; i < rows.Count; i++)
        {
            var r = rows[i];
            if (r.Segment is not { } s)
            {
                if (r.Event is { } ev && ev.EndsWith("-> CLOSED", StringComparison.Ordinal) && !notes.ContainsKey(i))
                {
                    bool timeWait = ev.Contains(nameof(Trigger.TimeWaitTimeout), StringComparison.Ordinal);
                    if (timeWait) timeWaitEnd = r.Time;
                    notes[i] = timeWait
                        ? "2MSL passed since the last FIN: TIME-WAIT ends, TCB deleted"
                        : "our FIN is acknowledged: TCB deleted";
                }
                continue;
            }
            var side = r.From;
            var peerState = side == Side.A ? r.StateB : r.StateA;
            var ownState = side == Side.A ? r.StateA : r.StateB;
            string? note = null;
            if (s.Syn && !s.HasAck) note = $"SYN: seq=ISS={s.Seq.Value.ToString(CultureInfo.InvariantCulture)}";
            else if (s.Syn) note = $"SYN,ACK: seq=ISS={s.Seq.Value.ToString(CultureInfo.InvariantCulture)}, ack=peer's ISS+1";
            else if (!handshakeAcked && s.HasAck && peerState == TcpState.SynReceived)
            {
                handshakeAcked = true;
                note = "ACK of the SYN,ACK: handshake complete";
            }
            else if (s.Payload.Length > 0) note = $"data, {s.Payload.Length.ToString(CultureInfo.InvariantCulture)} octets";
            else if (s.Fin)
            {
                if (fins.TryGetValue((side, s.Seq.Value), out _))
                {
                    note = $"{side} retransmits its FIN: RTO expired (RFC 6298 §5.4)";
                    rtxFin = i + 1;
                }
                else note = $"{side} CLOSEs: FIN";
                fins[(side, s.Seq.Value)] = i;
            }
            else if (ownState == TcpState.TimeWait && r.Lost)
            {
                note = "last ACK lost";
                lost = i + 1;
            }
            else if (ownState == TcpState.TimeWait && lost > 0)
            {
                note = "TIME-WAIT ACKs the FIN again and restarts its 2MSL timer";
                reAck = i + 1;
                reAckTime = r.Time;
            }
            else if (r.Lost) note = "lost";
            else if (ownState == TcpState.CloseWait) note = $"{side} ACKs the FIN; its user hears \"connection closing\"";
            else if (s.HasAck) note = "ACK";
            if (note is not null) notes[i] = note;
        }
        return new Marks(lost, rtxFin, reAck, reAckTime, timeWaitEnd);
    }

    private static string Header(Profile p, uint x, uint y) =>
        $"""
        tcpmodel walkthrough: one TCP connection from OPEN to CLOSED (profile {p.Name})

        Two endpoints of the model, A and B, run on virtual time with {Latency / 1000} ms one-way delay.
        B does a passive OPEN; A does an active OPEN with ISS x={x}; B's ISS is y={y}.
        Three-way handshake (RFC 9293 §3.5, Figure 6): A sends SYN seq=x, B answers SYN,ACK seq=y
        ack=x+1, A completes with ACK seq=x+1 ack=y+1. A sends "hello" and B reads it. A closes first
        (FIN) and B acknowledges it; then B closes (FIN). The network loses A's last ACK, so B
        retransmits its FIN when its retransmission timer expires, and A, still in TIME-WAIT,
        acknowledges it again.

        Columns: line, virtual time, A's state, the segment (--> A to B, <-- B to A, --X or X-- lost
        in the network), B's state (states as they are after the sender's step), note.

        """;

    private static string Footer(Profile p, Marks m, TcpState finalA, TcpState finalB)
    {
        string msl = (p.Msl / 1e6).ToString("0.###", CultureInfo.InvariantCulture);
        string lostAt = m.LostAck > 0 ? $" (line {m.LostAck})" : "";
        string rtxAt = m.RetransmittedFin > 0 ? $" (line {m.RetransmittedFin})" : "";
        string reAckAt = m.ReAck > 0 ? $" (line {m.ReAck})" : "";
        string ended = m.TimeWaitEnd >= 0 && m.ReAckTime >= 0
            ? $"Here MSL is {msl} s, so A left TIME-WAIT {CommonOptions.Seconds(m.TimeWaitEnd - m.ReAckTime)} after its last ACK{reAckAt}."
            : $"Here MSL is {msl} s.";
        return $"""
            Why TIME-WAIT waits (RFC 9293 §3.6, §3.10.7.4 eighth, §3.10.8):
              The side that closes first cannot know whether its last ACK arrived. When it is lost{lostAt},
              the peer retransmits its FIN{rtxAt}; only an endpoint still in TIME-WAIT can answer with the
              ACK the peer needs{reAckAt} - a CLOSED one would answer with a reset. Every FIN that arrives in
              TIME-WAIT is acknowledged and restarts the 2 MSL time-wait timeout. Waiting 2 MSL also lets
              old duplicate segments of this connection die out before the same socket pair can be
              used again (RFC 9293 §3.4.1 suggests MSL = 2 minutes).
              {ended}
            Final states: A {finalA.RfcName()}, B {finalB.RfcName()}.

            """;
    }
}
