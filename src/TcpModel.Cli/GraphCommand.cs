using TcpModel.Export;

namespace TcpModel.Cli;

/// <summary><c>tcpmodel graph</c>: the state diagram generated from the declared transition table.</summary>
internal static class GraphCommand
{
    /// <summary>What <c>--help</c> prints after the generated option list.</summary>
    public const string Details = """
        Prints the TCP connection state diagram (RFC 9293 §3.3.2, Figure 5), generated from the
        declared transition table, never drawn by hand. Nodes are the eleven states; each edge
        carries every change-of-state cell between two states as a line
        'trigger [guard] / RFC reference'. (No --json: the output is the graph itself, in a
        format made for graph tools; the table as data is spec/transitions.md.)

        Examples:
          tcpmodel graph > tcp.dot
          tcpmodel graph --format mermaid --out docs/states.mmd
          tcpmodel graph --format svg --out tcp.svg
        """;

    public static int Run(CliArgs args, TextWriter stdout, CliEnvironment env)
    {
        string format = args.Choice("--format", "dot", "dot", "mermaid", "svg");
        if (args.Has("--all") && args.Has("--lifecycle")) throw new UsageException("graph: --all and --lifecycle cannot be combined");
        var graph = args.Has("--all") ? StateGraph.Build(Machine.TransitionTable.Declared, includeReplyAndStay: true)
            : args.Has("--lifecycle") ? StateGraph.Lifecycle
            : StateGraph.Declared;
        string text;
        switch (format)
        {
            case "mermaid":
                text = MermaidExporter.Write(graph);
                break;
            case "svg":
                var dot = Graphviz.FindDot(env.PathVariable)
                    ?? throw new CommandFailedException("graph --format svg needs Graphviz 'dot' on PATH (apt-get install graphviz) or use --format dot");
                text = Graphviz.RenderSvg(dot, DotExporter.Write(graph), env.DotTimeout);
                break;
            default:
                text = DotExporter.Write(graph);
                break;
        }
        OutputFile.Write(args.Get("--out"), text, stdout);
        return ExitCode.Ok;
    }
}
