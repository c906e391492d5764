using TcpModel.Export;

namespace TcpModel.Tests.Cli;

public sealed class GraphCommand : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("tcpmodel-graph-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void WithoutOptions_PrintsTheDotExportOnStdout()
    {
        var r = CliRun.Run("graph");
        Assert.Equal(0, r.ExitCode);
        Assert.Equal(DotExporter.Write(StateGraph.Declared), r.Stdout);
        Assert.Equal("", r.Stderr);
    }

    [Fact]
    public void FormatMermaid_PrintsTheMermaidExport() =>
        Assert.Equal(MermaidExporter.Write(StateGraph.Declared), CliRun.Run("graph", "--format", "mermaid").Stdout);

    [Fact]
    public void OptionValuesMayFollowAnEqualsSign() =>
        Assert.Equal(MermaidExporter.Write(StateGraph.Declared), CliRun.Run("graph", "--format=mermaid").Stdout);

    [Fact]
    public void FormatSvgWithoutDotOnPath_SaysHowToGetItAndExits1()
    {
        var r = CliRun.RunWithPath(_dir, "graph", "--format", "svg");
        Assert.Equal(1, r.ExitCode);
        Assert.Equal("", r.Stdout);
        Assert.Equal(["tcpmodel graph: graph --format svg needs Graphviz 'dot' on PATH (apt-get install graphviz) or use --format dot"], r.StderrLines);
    }

    [Fact]
    public void FormatSvg_PipesTheDotTextThroughDotFoundOnPath()
    {
        if (OperatingSystem.IsWindows()) return; // the fake 'dot' is a shell script
        var bin = Path.Combine(_dir, "bin");
        Directory.CreateDirectory(bin);
        FakeDot(bin, "#!/bin/sh\necho \"<svg args='$*'>\"\nwc -l | tr -d ' '\necho '</svg>'\n");
        var r = CliRun.RunWithPath(Path.Combine(_dir, "nowhere") + Path.PathSeparator + bin, "graph", "--format", "svg");
        Assert.Equal(0, r.ExitCode);
        int lines = DotExporter.Write(StateGraph.Declared).Count(c => c == '\n');
        Assert.Equal($"<svg args='-Tsvg'>\n{lines}\n</svg>\n", r.Stdout);
    }

    [Fact]
    public void Out_WritesTheFileAndNothingOnStdout()
    {
        var file = Path.Combine(_dir, "states.dot");
        var r = CliRun.Run("graph", "--out", file);
        Assert.Equal(0, r.ExitCode);
        Assert.Equal("", r.Stdout);
        Assert.Equal(DotExporter.Write(StateGraph.Declared), File.ReadAllText(file));
        Assert.Equal([file], Directory.GetFiles(_dir));
    }

    [Fact]
    public void Out_ReplacesAnExistingFileWhole()
    {
        var file = Path.Combine(_dir, "states.mmd");
        File.WriteAllText(file, new string('x', 100_000));
        Assert.Equal(0, CliRun.Run("graph", "--format", "mermaid", "--out", file).ExitCode);
        Assert.Equal(MermaidExporter.Write(StateGraph.Declared), File.ReadAllText(file));
    }

    [Fact]
    public void Out_LeavesNoFileWhenSvgCannotBeMade()
    {
        var file = Path.Combine(_dir, "states.svg");
        var r = CliRun.RunWithPath(_dir, "graph", "--format", "svg", "--out", file);
        Assert.Equal(1, r.ExitCode);
        Assert.Empty(Directory.GetFileSystemEntries(_dir));
    }

    [Fact]
    public void Out_LeavesNoFileWhenDotFails()
    {
        if (OperatingSystem.IsWindows()) return;
        var bin = Path.Combine(_dir, "bin");
        Directory.CreateDirectory(bin);
        FakeDot(bin, "#!/bin/sh\ncat > /dev/null\necho '<svg partial'\necho 'Error: syntax error in line 1' >&2\nexit 3\n");
        var outDir = Path.Combine(_dir, "out");
        Directory.CreateDirectory(outDir);
        var r = CliRun.RunWithPath(bin, "graph", "--format", "svg", "--out", Path.Combine(outDir, "states.svg"));
        Assert.Equal(1, r.ExitCode);
        var line = Assert.Single(r.StderrLines);
        Assert.StartsWith("tcpmodel graph: ", line);
        Assert.Contains("exit code 3", line);
        Assert.Empty(Directory.GetFileSystemEntries(outDir));
    }

    [Fact]
    public void Out_IntoAMissingDirectory_FailsWithOneLineAndExit1()
    {
        var file = Path.Combine(_dir, "missing", "states.dot");
        var r = CliRun.Run("graph", "--out", file);
        Assert.Equal(1, r.ExitCode);
        var line = Assert.Single(r.StderrLines);
        Assert.StartsWith($"tcpmodel graph: cannot write '{file}'", line);
        Assert.Empty(Directory.GetFileSystemEntries(_dir));
    }

    private static void FakeDot(string dir, string script)
    {
        var path = Path.Combine(dir, "dot");
        File.WriteAllText(path, script);
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }
}
