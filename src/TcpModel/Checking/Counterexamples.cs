using System.Globalization;
using System.Text;
using TcpModel.Machine;
using TcpModel.Network;

namespace TcpModel.Checking;

/// <summary>Counterexample renderings: a ladder in RFC notation with both states, Mermaid
/// <c>sequenceDiagram</c>, DOT, and a replayable xunit test.</summary>
public static class Counterexamples
{
    /// <summary>The ladder: one row per event, time, A's state, what happened, B's state.</summary>
    public static string Ladder(Violation v)
    {
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"violation {v.Check}: {v.Detail}\n");
        sb.Append(CultureInfo.InvariantCulture, $"shortest trace, {v.Depth} moves:\n");
        sb.Append(CultureInfo.InvariantCulture, $"{"time",9}  {"A",-12} {"",-74} {"B",-12}\n");
        long time = 0;
        TcpState a = TcpState.Closed, b = TcpState.Closed;
        foreach (var step in v.Trace)
        {
            foreach (var e in step.Events)
            {
                time += e.Kind == TraceEventKind.Tick ? e.Time : 0;
                a = e.StateA;
                b = e.StateB;
                sb.Append(CultureInfo.InvariantCulture, $"{time / 1e6,8:0.000}s  {a.RfcName(),-12} {Row(e),-74} {b.RfcName(),-12}\n");
            }
        }
        return sb.ToString();
    }

    private static string Row(TraceEvent e)
    {
        string seg = e.Segment is { } s ? s.ToShortString() : "";
        string who = e.Side.ToString();
        return e.Kind switch
        {
            TraceEventKind.Call => e.Side == Side.A ? $"{e.Text}" : $"{"",40}{e.Text}",
            TraceEventKind.Send => e.Side == Side.A ? $"--> {seg}" : $"{seg} <--",
            TraceEventKind.Deliver => e.Side == Side.B ? $"    {seg} -->  (arrives)" : $"(arrives)  <-- {seg}",
            TraceEventKind.Lose => $"    {seg}  (lost)",
            TraceEventKind.Duplicate => $"    {seg}  (duplicated)",
            TraceEventKind.Tick => e.Side == Side.A ? $"timeout (+{e.Time / 1e6:0.###} s)" : $"{"",40}timeout (+{e.Time / 1e6:0.###} s)",
            TraceEventKind.Expire => "    a segment older than MSL leaves the network",
            TraceEventKind.Inject => e.Side == Side.B ? $"attacker: {seg} -->" : $"<-- {seg} :attacker",
            TraceEventKind.Notice => e.Side == Side.A ? $"\"{e.Text}\"" : $"{"",40}\"{e.Text}\"",
            _ => who,
        };
    }

    private static string MermaidText(string s)
    {
        var sb = new StringBuilder();
        foreach (char c in s)
        {
            sb.Append(c switch { '<' => "#lt;", '>' => "#gt;", ';' => "#59;", '#' => "#35;", '"' => "#quot;", _ => c.ToString() });
        }
        return sb.ToString();
    }

    /// <summary>Mermaid <c>sequenceDiagram</c>: A, the network, B; notes for calls, timeouts and state changes.</summary>
    public static string Mermaid(Violation v)
    {
        var sb = new StringBuilder("sequenceDiagram\n    participant A\n    participant N as network\n    participant B\n");
        TcpState a = TcpState.Closed, b = TcpState.Closed;
        foreach (var step in v.Trace)
        {
            foreach (var e in step.Events)
            {
                if (e.StateA != a || e.StateB != b)
                {
                    a = e.StateA; b = e.StateB;
                    sb.Append(CultureInfo.InvariantCulture, $"    Note over A,B: A {a.RfcName()}, B {b.RfcName()}\n");
                }
                string seg = e.Segment is { } s ? MermaidText(s.ToShortString()) : "";
                string side = e.Side.ToString();
                switch (e.Kind)
                {
                    case TraceEventKind.Call: sb.Append(CultureInfo.InvariantCulture, $"    Note over {side}: {MermaidText(e.Text)}\n"); break;
                    case TraceEventKind.Send: sb.Append(CultureInfo.InvariantCulture, $"    {side}->>N: {seg}\n"); break;
                    case TraceEventKind.Deliver: sb.Append(CultureInfo.InvariantCulture, $"    N->>{side}: {seg}\n"); break;
                    case TraceEventKind.Lose: sb.Append(CultureInfo.InvariantCulture, $"    Note over N: lost {seg}\n"); break;
                    case TraceEventKind.Duplicate: sb.Append(CultureInfo.InvariantCulture, $"    Note over N: duplicated {seg}\n"); break;
                    case TraceEventKind.Tick: sb.Append(CultureInfo.InvariantCulture, $"    Note over {side}: timeout after {e.Time / 1e6:0.###} s\n"); break;
                    case TraceEventKind.Expire: sb.Append("    Note over N: a segment older than MSL expires\n"); break;
                    case TraceEventKind.Inject: sb.Append(CultureInfo.InvariantCulture, $"    N-x{side}: attacker {seg}\n"); break;
                    case TraceEventKind.Notice: sb.Append(CultureInfo.InvariantCulture, $"    Note over {side}: {MermaidText(e.Text)}\n"); break;
                }
            }
        }
        sb.Append(CultureInfo.InvariantCulture, $"    Note over A,B: violation {v.Check}\n");
        return sb.ToString();
    }

    private static string Dot(string s) => s.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal);

    /// <summary>DOT: the ladder as a chain of events, the segment's path drawn from sender column to receiver column.</summary>
    public static string DotGraph(Violation v)
    {
        var sb = new StringBuilder("digraph counterexample {\n    rankdir=TB;\n    node [shape=box, fontname=\"monospace\", fontsize=10];\n");
        sb.Append(CultureInfo.InvariantCulture, $"    label=\"{Dot("violation " + v.Check)}\";\n");
        int n = 0;
        foreach (var step in v.Trace)
        {
            foreach (var e in step.Events)
            {
                string text = $"{e.StateA.RfcName()} | {e.Kind} {e.Side}: {(e.Segment is { } s ? s.ToShortString() : e.Text)} | {e.StateB.RfcName()}";
                string color = e.Kind switch
                {
                    TraceEventKind.Lose or TraceEventKind.Expire => "gray",
                    TraceEventKind.Inject => "red",
                    TraceEventKind.Deliver => "blue",
                    TraceEventKind.Tick => "orange",
                    _ => "black",
                };
                sb.Append(CultureInfo.InvariantCulture, $"    e{n} [label=\"{Dot(text)}\", color={color}];\n");
                if (n > 0) sb.Append(CultureInfo.InvariantCulture, $"    e{n - 1} -> e{n};\n");
                n++;
            }
        }
        sb.Append("}\n");
        return sb.ToString();
    }

    /// <summary>An xunit test that replays the trace by move labels and expects the same violation.</summary>
    public static string XunitTest(Violation v, ExplorerConfig cfg, string name)
    {
        var sb = new StringBuilder();
        sb.Append("[Fact]\n");
        sb.Append(CultureInfo.InvariantCulture, $"public void {name}()\n{{\n");
        // every bound the replay depends on (a test that left one out would replay other bounds)
        var d = ExplorerConfig.Default;
        var inv = CultureInfo.InvariantCulture;
        var fields = new List<string>
        {
            $"Profile = Profile.BuiltIn[\"{cfg.Profile.Name}\"]", $"Mutant = Mutant.{cfg.Mutant}",
            string.Create(inv, $"Calls = {cfg.Calls}"), string.Create(inv, $"Loss = {cfg.Loss}"), string.Create(inv, $"Dup = {cfg.Dup}"),
            string.Create(inv, $"Attacks = {cfg.Attacks}"), $"OldDuplicates = {(cfg.OldDuplicates ? "true" : "false")}", $"Aborts = {(cfg.Aborts ? "true" : "false")}",
        };
        if (cfg.SimultaneousOpen != d.SimultaneousOpen) fields.Add($"SimultaneousOpen = {(cfg.SimultaneousOpen ? "true" : "false")}");
        if (cfg.Retries != d.Retries) fields.Add(cfg.Retries is int r ? string.Create(inv, $"Retries = {r}") : "Retries = null");
        if (cfg.Payload != d.Payload) fields.Add(string.Create(inv, $"Payload = {cfg.Payload}"));
        if (cfg.IsnA != d.IsnA) fields.Add(string.Create(inv, $"IsnA = {cfg.IsnA}u"));
        if (cfg.IsnB != d.IsnB) fields.Add(string.Create(inv, $"IsnB = {cfg.IsnB}u"));
        if (cfg.IsnStep != d.IsnStep) fields.Add(string.Create(inv, $"IsnStep = {cfg.IsnStep}u"));
        if (cfg.CustomScriptA is { } a) fields.Add($"CustomScriptA = ExplorerConfig.ParseScript(\"{ExplorerConfig.FormatScript(a)}\", out _)");
        if (cfg.CustomScriptB is { } b) fields.Add($"CustomScriptB = ExplorerConfig.ParseScript(\"{ExplorerConfig.FormatScript(b)}\", out _)");
        sb.Append(inv, $"    var config = ExplorerConfig.Default with {{ {string.Join(", ", fields)} }};\n");
        sb.Append("    var violation = Explorer.Replay(config,\n    [\n");
        foreach (var step in v.Trace) sb.Append(CultureInfo.InvariantCulture, $"        \"{step.Move.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal)}\",\n");
        sb.Append("    ]);\n");
        sb.Append(CultureInfo.InvariantCulture, $"    Assert.Equal(\"{v.Check}\", violation?.Check);\n}}\n");
        return sb.ToString();
    }
}
