using System.Text;
using TcpModel.Machine;

namespace TcpModel.Export;

/// <summary>
/// Writes a <see cref="StateGraph"/> as a Mermaid <c>stateDiagram-v2</c>. State ids replace the
/// RFC names' hyphens with underscores and carry the RFC name as the display text; the parallel
/// cells of an edge become one label with <c>&lt;br/&gt;</c> line breaks. Deterministic.
/// </summary>
public static class MermaidExporter
{
    /// <summary>The Mermaid text of the graph (LF line ends, trailing newline).</summary>
    public static string Write(StateGraph graph)
    {
        var sb = new StringBuilder();
        sb.Append("%% TCP connection states, generated from the declared transition table (RFC 9293 §3.10).\n");
        sb.Append("%% Do not edit: regenerate with `tcpmodel graph --format mermaid`.\n");
        sb.Append("stateDiagram-v2\n");
        foreach (var n in graph.Nodes) sb.Append("    state \"").Append(n.Name).Append("\" as ").Append(Id(n.Name)).Append('\n');
        if (graph.Nodes.Count > 0) sb.Append("    [*] --> ").Append(Id(graph.Nodes[0].Name)).Append('\n');
        foreach (var e in graph.Edges)
        {
            sb.Append("    ").Append(Id(e.From.RfcName())).Append(" --> ").Append(Id(e.To.RfcName())).Append(" : ");
            sb.Append(string.Join("<br/>", e.Labels.Select(l => Escape(l.ToString()))));
            sb.Append('\n');
        }
        return sb.ToString();
    }

    private static string Id(string rfcName) => rfcName.Replace('-', '_');

    // ';' ends a Mermaid statement and '#' starts an entity code; neither may appear in a label.
    private static string Escape(string s) => s.Replace(";", ",", StringComparison.Ordinal).Replace("#", "no.", StringComparison.Ordinal);
}
