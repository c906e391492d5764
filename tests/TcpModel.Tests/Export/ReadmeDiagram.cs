using TcpModel.Export;

namespace TcpModel.Tests.Export;

/// <summary>What README.md shows is what the code produces today: the lifecycle diagram and the
/// walk-through ladder.</summary>
public sealed class ReadmeDiagram
{
    private static string Readme()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "TcpModel.sln"))) dir = dir.Parent;
        Assert.NotNull(dir);
        return File.ReadAllText(Path.Combine(dir.FullName, "README.md")).ReplaceLineEndings("\n");
    }

    [Fact]
    public void TheReadmeShowsTheCurrentWalkthrough()
    {
        var o = new StringWriter();
        Assert.Equal(0, TcpModel.Cli.CliMain.Run(["walkthrough"], o, new StringWriter()));
        var block = "$ ./tcpmodel walkthrough\n" + o.ToString().ReplaceLineEndings("\n").TrimEnd('\n') + "\n```";
        Assert.True(Readme().Contains(block, StringComparison.Ordinal),
            "README.md's walk-through is stale: paste the output of ./tcpmodel walkthrough");
    }

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
