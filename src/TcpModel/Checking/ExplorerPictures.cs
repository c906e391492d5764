using System.Globalization;
using System.Text;
using TcpModel.Machine;

namespace TcpModel.Checking;

/// <summary>Pictures of an exploration: the product graph (node cap) and the table graph as a coverage heat map.</summary>
public static class ExplorerPictures
{
    private static string Esc(string s) => s.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal);

    /// <summary>The reachable product graph up to the node cap, as DOT (finished states doubled).</summary>
    public static string ProductGraphDot(ExplorerResult r)
    {
        var sb = new StringBuilder("digraph product {\n    rankdir=LR;\n    node [shape=box, fontname=\"monospace\", fontsize=9];\n    edge [fontname=\"monospace\", fontsize=8];\n");
        var nodes = r.Nodes ?? [];
        foreach (var n in nodes)
            sb.Append(CultureInfo.InvariantCulture, $"    s{n.Id} [label=\"{n.Id}: {Esc(n.Label)}\"{(n.Finished ? ", peripheries=2" : "")}];\n");
        foreach (var e in r.Edges ?? [])
            sb.Append(CultureInfo.InvariantCulture, $"    s{e.From} -> s{e.To} [label=\"{Esc(Short(e.Label))}\"];\n");
        sb.Append("}\n");
        return sb.ToString();
    }

    private static string Short(string label) => label.Length > 60 ? label[..57] + "..." : label;

    /// <summary>Cells never fired by the exploration, as "STATE × Trigger [guards]" lines (sorted).</summary>
    public static IReadOnlyList<string> NeverFired(ExplorerResult r)
    {
        var fired = r.CellCoverage ?? new Dictionary<CellKey, long>();
        return TransitionTable.Declared.Facts.Keys
            .Where(k => !fired.ContainsKey(k))
            .Select(CellText)
            .OrderBy(s => s, StringComparer.Ordinal)
            .ToList();
    }

    private static string CellText(CellKey k) => $"{k.State.RfcName()} × {k.Trigger}{(k.GuardText == "-" ? "" : " [" + k.GuardText + "]")}";

    /// <summary>The table graph: states as nodes, every declared cell as an edge (self-loops for reply-and-stay and
    /// ignore cells), coloured by how often the exploration fired it (grey dashed: never); never-fired cells listed.</summary>
    public static string CoverageDot(ExplorerResult r)
    {
        var fired = r.CellCoverage ?? new Dictionary<CellKey, long>();
        long max = fired.Count == 0 ? 1 : fired.Values.Max();
        var sb = new StringBuilder("digraph coverage {\n    rankdir=TB;\n    node [shape=ellipse, fontname=\"Helvetica\"];\n    edge [fontname=\"Helvetica\", fontsize=8];\n");
        sb.Append(CultureInfo.InvariantCulture, $"    label=\"cell coverage: {fired.Count} of {TransitionTable.Declared.Facts.Count} declared cells fired; red = most often, grey dashed = never\";\n");
        foreach (var s in Enum.GetValues<TcpState>()) sb.Append(CultureInfo.InvariantCulture, $"    \"{s.RfcName()}\";\n");
        foreach (var (key, facts) in TransitionTable.Declared.Facts.OrderBy(f => f.Key.State).ThenBy(f => f.Key.Trigger).ThenBy(f => f.Key.GuardText, StringComparer.Ordinal))
        {
            var to = facts.Kind == CellKind.Transition ? facts.Next : key.State;
            fired.TryGetValue(key, out long c);
            string attrs;
            if (c == 0) attrs = "color=gray, style=dashed, fontcolor=gray";
            else
            {
                // heat: log scale from yellow (once) to red (most often)
                double h = Math.Log(1 + c) / Math.Log(1 + max);
                int g = (int)Math.Round(200 * (1 - h));
                attrs = string.Create(CultureInfo.InvariantCulture, $"color=\"#ff{g:x2}00\", penwidth={1 + 2 * h:0.0}");
            }
            string guard = key.GuardText == "-" ? "" : " [" + key.GuardText + "]";
            sb.Append(CultureInfo.InvariantCulture, $"    \"{key.State.RfcName()}\" -> \"{to.RfcName()}\" [label=\"{Esc(key.Trigger + guard)} ×{c}\", {attrs}];\n");
        }
        sb.Append("}\n");
        return sb.ToString();
    }
}
