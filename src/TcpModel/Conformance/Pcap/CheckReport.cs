using System.Globalization;
using System.Text;
using System.Text.Json;
using TcpModel.Machine;

namespace TcpModel.Conformance.Pcap;

/// <summary>Prints check results: JSON (schema <c>tcpmodel-check/1</c>, spec/tcpmodel-check.md), a text
/// timeline per connection, and a Mermaid <c>sequenceDiagram</c> ladder.</summary>
public static class CheckReport
{
    /// <summary>The schema identifier written into every JSON document.</summary>
    public const string Schema = "tcpmodel-check/1";

    /// <summary>The JSON document for the results of one run.</summary>
    public static string Json(IReadOnlyList<FileResult> files, string profile)
    {
        using var ms = new MemoryStream();
        using (var w = new Utf8JsonWriter(ms, new JsonWriterOptions { Indented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            w.WriteStartObject();
            w.WriteString("schema", Schema);
            w.WriteString("profile", profile);
            w.WriteBoolean("accepted", files.All(f => f.AllAccepted));
            w.WriteStartArray("files");
            foreach (var f in files) WriteFile(w, f);
            w.WriteEndArray();
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(ms.ToArray()) + "\n";
    }

    private static void WriteFile(Utf8JsonWriter w, FileResult f)
    {
        w.WriteStartObject();
        w.WriteString("file", f.File);
        w.WriteNumber("records", f.Records);
        w.WriteNumber("tcp_packets", f.TcpPackets);
        w.WriteStartObject("skipped");
        foreach (var (k, v) in f.Skipped) w.WriteNumber(k, v);
        w.WriteEndObject();
        w.WriteStartArray("warnings");
        foreach (var x in f.Warnings) w.WriteStringValue(x);
        w.WriteEndArray();
        w.WriteStartArray("connections");
        foreach (var c in f.Connections) WriteConnection(w, c);
        w.WriteEndArray();
        w.WriteEndObject();
    }

    private static string? Name(TcpState? s) => s?.RfcName();

    private static void WriteConnection(Utf8JsonWriter w, ConnectionResult c)
    {
        var a = c.Connection.A.ToString();
        var b = c.Connection.B.ToString();
        w.WriteStartObject();
        w.WriteNumber("id", c.Connection.Id);
        w.WriteString("a", a);
        w.WriteString("b", b);
        w.WriteStartArray("endpoints");
        w.WriteStringValue(a);
        w.WriteStringValue(b);
        w.WriteEndArray();
        w.WriteString("verdict", c.Verdict.ToString().ToLowerInvariant());
        if (c.Note is null) w.WriteNull("note"); else w.WriteString("note", c.Note);
        w.WriteStartArray("lost");
        foreach (var p in c.Packets.Where(p => p.AssumedLost)) w.WriteNumberValue(p.Record);
        w.WriteEndArray();
        w.WriteStartArray("packets");
        foreach (var p in c.Packets)
        {
            w.WriteStartObject();
            w.WriteNumber("record", p.Record);
            w.WriteNumber("time", Math.Round(p.TimeMicros / 1e6, 6));
            w.WriteNumber("time_us", p.TimeMicros);
            w.WriteString("sender", p.Sender == 'A' ? "a" : "b");
            w.WriteString("from", p.From.ToString());
            w.WriteString("to", p.To.ToString());
            w.WriteString("segment", p.Segment);
            w.WriteNumber("length", p.Length);
            w.WriteBoolean("cut", p.Cut);
            WriteState(w, "state_a", p.StateA);
            WriteState(w, "state_b", p.StateB);
            w.WriteStartObject("states");
            WriteState(w, a, p.StateA);
            WriteState(w, b, p.StateB);
            w.WriteEndObject();
            WriteList(w, "hidden_a", p.HiddenA);
            WriteList(w, "hidden_b", p.HiddenB);
            w.WriteBoolean("assumed_lost", p.AssumedLost);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        if (c.FirstUnexplained is not { } u) w.WriteNull("first_unexplained");
        else
        {
            w.WriteStartObject("first_unexplained");
            w.WriteNumber("record", u.Record);
            w.WriteString("sender", u.Sender == 'A' ? "a" : "b");
            w.WriteString("segment", u.Segment);
            w.WriteStartArray("possible_states");
            foreach (var s in u.Before)
            {
                w.WriteStartObject();
                w.WriteString("state", s.State.RfcName());
                w.WriteString("reason", s.Reason);
                w.WriteString("rule", s.Rule);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        w.WriteEndObject();
    }

    private static void WriteState(Utf8JsonWriter w, string name, TcpState? s)
    {
        if (Name(s) is { } n) w.WriteString(name, n); else w.WriteNull(name);
    }

    private static void WriteList(Utf8JsonWriter w, string name, IReadOnlyList<string> items)
    {
        w.WriteStartArray(name);
        foreach (var i in items) w.WriteStringValue(i);
        w.WriteEndArray();
    }

    /// <summary>The text timeline: per connection, one line per packet with time, direction, segment,
    /// hidden events and both sides' states; then the verdict and any rejection's reasons.</summary>
    public static string Text(IReadOnlyList<FileResult> files)
    {
        var sb = new StringBuilder();
        foreach (var f in files)
        {
            var skipped = f.Skipped.Count == 0 ? "" : " (skipped: " + string.Join(", ", f.Skipped.Select(kv => $"{kv.Value} {kv.Key}")) + ")";
            sb.Append(CultureInfo.InvariantCulture, $"{f.File}: {f.Records} records, {f.TcpPackets} TCP{skipped}, {f.Connections.Count} connection(s), profile {f.Profile}\n");
            foreach (var w in f.Warnings) sb.Append("  warning: ").Append(w).Append('\n');
            foreach (var c in f.Connections)
            {
                sb.Append(CultureInfo.InvariantCulture, $"\nconnection {c.Connection.Id}: A={c.Connection.A} B={c.Connection.B}: {c.Verdict.ToString().ToUpperInvariant()}\n");
                if (c.Note is not null) sb.Append("  ").Append(c.Note).Append('\n');
                long t0 = c.Packets.Count > 0 ? c.Packets[0].TimeMicros : 0;
                foreach (var p in c.Packets)
                {
                    var hidden = p.HiddenA.Select(h => "A: " + h).Concat(p.HiddenB.Select(h => "B: " + h)).ToList();
                    if (hidden.Count > 0) sb.Append(CultureInfo.InvariantCulture, $"{"",-19}{"",10}  [{string.Join("; ", hidden)}]\n");
                    string arrow = p.Sender == 'A' ? "A->B" : "B->A";
                    string lost = p.AssumedLost ? "  (lost after capture)" : "";
                    string cut = p.Cut ? " (cut)" : "";
                    sb.Append(CultureInfo.InvariantCulture,
                        $"  #{p.Record,-4} {(p.TimeMicros - t0) / 1e6,9:0.000000}s {arrow} {p.Segment}{cut}  => A {Name(p.StateA) ?? "?"}, B {Name(p.StateB) ?? "?"}{lost}\n");
                }
                if (c.FirstUnexplained is { } u)
                {
                    sb.Append(CultureInfo.InvariantCulture, $"  first unexplained: record {u.Record} from {u.Sender}: {u.Segment}\n");
                    foreach (var s in u.Before)
                        sb.Append(CultureInfo.InvariantCulture, $"    in {s.State.RfcName()}: {s.Reason} [{s.Rule}]\n");
                }
            }
        }
        return sb.ToString();
    }

    /// <summary>A Mermaid <c>sequenceDiagram</c> of every connection: segments as arrows (lost ones
    /// crossed), hidden events and states as notes.</summary>
    public static string Mermaid(IReadOnlyList<FileResult> files)
    {
        var sb = new StringBuilder("sequenceDiagram\n");
        int n = 0;
        foreach (var f in files)
            foreach (var c in f.Connections)
            {
                string a = $"A{n}", b = $"B{n}";
                n++;
                sb.Append(CultureInfo.InvariantCulture, $"    participant {a} as {c.Connection.A}\n    participant {b} as {c.Connection.B}\n");
                foreach (var p in c.Packets)
                {
                    foreach (var h in p.HiddenA) sb.Append(CultureInfo.InvariantCulture, $"    Note over {a}: {Escape(h)}\n");
                    foreach (var h in p.HiddenB) sb.Append(CultureInfo.InvariantCulture, $"    Note over {b}: {Escape(h)}\n");
                    var (from, to) = p.Sender == 'A' ? (a, b) : (b, a);
                    string arrow = p.AssumedLost ? "-x" : "->>";
                    sb.Append(CultureInfo.InvariantCulture, $"    {from}{arrow}{to}: #{p.Record} {Escape(p.Segment)}\n");
                    sb.Append(CultureInfo.InvariantCulture, $"    Note over {a},{b}: {Name(p.StateA) ?? "?"} | {Name(p.StateB) ?? "?"}\n");
                }
                if (c.FirstUnexplained is { } u)
                    sb.Append(CultureInfo.InvariantCulture, $"    Note over {a},{b}: REJECTED at #{u.Record}\n");
            }
        return sb.ToString();
    }

    private static string Escape(string s) => s.Replace(";", ",", StringComparison.Ordinal).Replace("#", "no.", StringComparison.Ordinal)
        .Replace("<", "&lt;", StringComparison.Ordinal).Replace(">", "&gt;", StringComparison.Ordinal);
}
