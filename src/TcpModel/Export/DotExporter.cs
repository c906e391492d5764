using System.Text;
using TcpModel.Machine;

namespace TcpModel.Export;

/// <summary>
/// Writes a <see cref="StateGraph"/> as a Graphviz digraph: one box per RFC 9293 state, one edge per
/// pair of states with every cell between them as a left-justified label line. Deterministic.
/// </summary>
public static class DotExporter
{
    /// <summary>The DOT text of the graph (LF line ends, trailing newline).</summary>
    public static string Write(StateGraph graph)
    {
        var sb = new StringBuilder();
        sb.Append("// TCP connection states, generated from the declared transition table (RFC 9293 §3.10).\n");
        sb.Append("// Do not edit: regenerate with `tcpmodel graph --format dot`.\n");
        sb.Append("digraph tcp {\n");
        sb.Append("  rankdir=TB;\n");
        sb.Append("  node [shape=box, style=rounded, fontname=\"Helvetica\"];\n");
        sb.Append("  edge [fontname=\"Helvetica\", fontsize=9];\n");
        foreach (var n in graph.Nodes) sb.Append("  ").Append(Quote(n.Name)).Append(";\n");
        foreach (var e in graph.Edges)
        {
            sb.Append("  ").Append(Quote(e.From.RfcName())).Append(" -> ").Append(Quote(e.To.RfcName()))
              .Append(" [label=\"");
            foreach (var l in e.Labels) sb.Append(Escape(l.ToString())).Append("\\l");
            sb.Append("\"];\n");
        }
        sb.Append("}\n");
        return sb.ToString();
    }

    private static string Quote(string id) => "\"" + Escape(id) + "\"";

    private static string Escape(string s) => s.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal);
}
