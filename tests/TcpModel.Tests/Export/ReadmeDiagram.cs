using TcpModel.Export;

namespace TcpModel.Tests.Export;

/// <summary>The lifecycle diagram embedded in README.md is the one the table generates today.</summary>
public sealed class ReadmeDiagram
{
    [Fact]
    public void TheReadmeEmbedsTheCurrentLifecycleDiagram()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "TcpModel.sln"))) dir = dir.Parent;
        Assert.NotNull(dir);
        var readme = File.ReadAllText(Path.Combine(dir.FullName, "README.md")).ReplaceLineEndings("\n");
        var block = "```mermaid\n" + MermaidExporter.Write(StateGraph.Lifecycle) + "```";
        Assert.True(readme.Contains(block, StringComparison.Ordinal),
            "README.md's mermaid block is stale: regenerate it with ./tcpmodel graph --lifecycle --format mermaid");
    }
}
