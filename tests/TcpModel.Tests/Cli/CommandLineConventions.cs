using System.CommandLine;
using TcpModel.Cli;

namespace TcpModel.Tests.Cli;

/// <summary>The command line follows the .NET conventions (System.CommandLine): help generated from the
/// declarations, "did you mean" for a mistyped name, response files, the [suggest] completion directive,
/// POSIX option forms, and still one line and exit code 2 for every usage error.</summary>
public sealed class CommandLineConventions
{
    private static RootCommand Root() => CliCommands.Build(new CliContext(TextWriter.Null, TextWriter.Null, new CliEnvironment(null)));

    [Fact]
    public void EveryDeclaredCommandAndOptionIsInTheGeneratedHelp()
    {
        var root = Root();
        var top = CliRun.Run("--help").Stdout;
        Assert.True(root.Subcommands.Count >= 9);
        foreach (var command in root.Subcommands)
        {
            Assert.Contains($"\n  {command.Name}", top);
            var help = CliRun.Run(command.Name, "--help").Stdout;
            Assert.Contains(command.Description!, help.ReplaceLineEndings(" ").Replace("  ", " ", StringComparison.Ordinal), StringComparison.Ordinal);
            foreach (var option in command.Options)
            {
                Assert.Contains(option.Name, help);
                Assert.False(string.IsNullOrWhiteSpace(option.Description), $"{command.Name} {option.Name} has no description");
            }
        }
    }

    [Theory]
    [InlineData(new[] { "grpah" }, "tcpmodel: unknown command 'grpah' (did you mean 'graph'?")]
    [InlineData(new[] { "walktrough" }, "tcpmodel: unknown command 'walktrough' (did you mean 'walkthrough'?")]
    [InlineData(new[] { "check-pacp", "x.pcap" }, "tcpmodel: unknown command 'check-pacp' (did you mean 'check-pcap'?")]
    [InlineData(new[] { "graph", "--fromat", "dot" }, "tcpmodel graph: unknown option '--fromat' (did you mean '--format'?")]
    [InlineData(new[] { "explore", "--mutnat", "x" }, "tcpmodel explore: unknown option '--mutnat' (did you mean '--mutant'?")]
    [InlineData(new[] { "step", "--stat", "LISTEN", "--call", "close" }, "tcpmodel step: unknown option '--stat' (did you mean '--state'?")]
    [InlineData(new[] { "packetdrill", "--jsno", "x.pkt" }, "tcpmodel packetdrill: unknown option '--jsno' (did you mean '--json'?")]
    public void AMistypedNameGetsOneLineWithTheClosestName(string[] args, string expectedStart)
    {
        var r = CliRun.Run(args);
        Assert.Equal(2, r.ExitCode);
        Assert.Equal("", r.Stdout);
        var line = Assert.Single(r.StderrLines);
        Assert.StartsWith(expectedStart, line);
        Assert.EndsWith("--help')", line);
    }

    [Fact]
    public void ANameFarFromEveryCommandListsTheCommandsInstead()
    {
        var line = Assert.Single(CliRun.Run("zzzzzz").StderrLines);
        Assert.Equal("tcpmodel: unknown command 'zzzzzz' (expected one of graph, walkthrough, step, simulate, explore, export, packetdrill, check-pcap, report, help)", line);
    }

    [Fact]
    public void AResponseFileSuppliesTheArguments()
    {
        var file = Path.Combine(Path.GetTempPath(), $"tcpmodel-{Guid.NewGuid():N}.rsp");
        File.WriteAllText(file, "step\n--state ESTABLISHED\n--segment \"<SEQ=5001><CTL=RST>\"\n");
        try
        {
            var viaFile = CliRun.Run("@" + file);
            var direct = CliRun.Run("step", "--state", "ESTABLISHED", "--segment", "<SEQ=5001><CTL=RST>");
            Assert.Equal(0, viaFile.ExitCode);
            Assert.Equal(direct.Stdout, viaFile.Stdout);
            Assert.Contains("Next state: CLOSED", viaFile.Stdout);
        }
        finally { File.Delete(file); }
    }

    [Fact]
    public void AMissingResponseFileIsOneLine()
    {
        var r = CliRun.Run("@/nonexistent/args.rsp");
        Assert.Equal(2, r.ExitCode);
        var line = Assert.Single(r.StderrLines);
        Assert.StartsWith("tcpmodel: ", line);
        Assert.Contains("/nonexistent/args.rsp", line);
    }

    /// <summary>The [suggest:POSITION] directive dotnet-suggest sends for the command line as typed.</summary>
    private static string[] Suggestions(string line) =>
        CliRun.Run($"[suggest:{line.Length}]", line).Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    [Theory]
    [InlineData("gr", "graph")]
    [InlineData("check", "check-pcap")]
    [InlineData("graph --fo", "--format")]
    [InlineData("graph --format ", "mermaid")]
    [InlineData("step --state TIME", "TIME-WAIT")]
    [InlineData("walkthrough --profile free", "freebsd")]
    [InlineData("explore --mutant time-wait", "time-wait-zero")]
    [InlineData("help sim", "simulate")]
    public void TheSuggestDirectiveCompletesCommandsOptionsAndValues(string line, string expected) =>
        Assert.Contains(expected, Suggestions(line));

    [Fact]
    public void TheSuggestDirectiveOffersOnlyWhatMatches()
    {
        Assert.Equal(["mermaid"], Suggestions("graph --format m"));
        Assert.Equal(["dot", "mermaid", "svg"], Suggestions("graph --format "));
    }

    [Theory]
    [InlineData("--format=mermaid")]
    [InlineData("--format:mermaid")]
    public void AnOptionValueMayBeJoinedToItsName(string option)
    {
        var r = CliRun.Run("graph", option);
        Assert.Equal(0, r.ExitCode);
        Assert.Contains("\nstateDiagram-v2\n", r.Stdout);
    }

    [Fact]
    public void AnErrorNeverPrintsTheHelpText()
    {
        foreach (var args in new[] { new[] { "graph", "--colour" }, ["step"], ["explore", "--calls"], ["packetdrill"], ["check-pcap"], ["--version", "x"], ["simulate", "--seed", "x"], ["check-pcap", "--bogus", "x.pcap"] })
        {
            var r = CliRun.Run(args);
            Assert.Equal(2, r.ExitCode);
            Assert.Equal("", r.Stdout);
            var line = Assert.Single(r.StderrLines);
            Assert.DoesNotContain("Usage:", r.Stderr);
            Assert.DoesNotContain("Options:", r.Stderr);
            Assert.StartsWith("tcpmodel", line);
        }
    }

    [Fact]
    public void AfterDoubleDashAnArgumentMayStartWithADash()
    {
        var r = CliRun.Run("packetdrill", "--", "-no-such.pkt");
        Assert.Equal(2, r.ExitCode);
        Assert.Equal("tcpmodel packetdrill: -no-such.pkt: no such file or directory", Assert.Single(r.StderrLines));
    }

    [Fact]
    public void AFlagGivenTwiceIsAnError()
    {
        var line = Assert.Single(CliRun.Run("graph", "--all", "--all").StderrLines);
        Assert.Equal("tcpmodel graph: option --all given twice", line);
    }

    [Fact]
    public void AValueForAFlagIsAnError()
    {
        var r = CliRun.Run("graph", "--all=maybe");
        Assert.Equal(2, r.ExitCode);
        Assert.Equal("tcpmodel graph: option --all takes no value", Assert.Single(r.StderrLines));
    }

    [Fact]
    public void TheVersionComesFromTheAssembly()
    {
        var r = CliRun.Run("--version");
        var v = typeof(CliMain).Assembly.GetName().Version!;
        Assert.StartsWith($"tcpmodel {v.Major}.{v.Minor}.{v.Build}", r.Stdout);
    }
}

/// <summary>docs/readme/cli.md shows real output: every example there that names no file is run again
/// and must print exactly what the page shows.</summary>
public sealed class CliTour
{
    private static IEnumerable<(string Command, string Output)> Examples()
    {
        var text = File.ReadAllText(Path.Combine(Spec.RepoPaths.Root, "docs", "readme", "cli.md"));
        foreach (var block in text.Split("```console\n").Skip(1).Select(b => b[..b.IndexOf("```", StringComparison.Ordinal)]))
        {
            var lines = block.Split('\n').ToList();
            if (!lines[0].StartsWith("$ tcpmodel ", StringComparison.Ordinal)) continue;
            string command = lines[0]["$ tcpmodel ".Length..];
            if (command.Contains('|') || command.Contains('@') || command.Contains("spec/", StringComparison.Ordinal)) continue;
            yield return (command, string.Join("\n", lines.Skip(1).Where(l => !l.StartsWith("(exit ", StringComparison.Ordinal))));
        }
    }

    /// <summary>Words as a POSIX shell splits them (single quotes only).</summary>
    private static string[] Words(string command)
    {
        var words = new List<string>();
        var current = new System.Text.StringBuilder();
        bool quoted = false, any = false;
        foreach (char c in command)
        {
            if (c == '\'') { quoted = !quoted; any = true; }
            else if (c == ' ' && !quoted) { if (any) words.Add(current.ToString()); current.Clear(); any = false; }
            else { current.Append(c); any = true; }
        }
        if (any) words.Add(current.ToString());
        return [.. words];
    }

    [Fact]
    public void EveryExampleWithoutFilesPrintsWhatThePageShows()
    {
        var examples = Examples().ToList();
        Assert.True(examples.Count >= 7, string.Join(", ", examples.Select(e => e.Command)));
        foreach (var (command, output) in examples)
        {
            var r = CliRun.Run(Words(command));
            Assert.Equal(output.TrimEnd('\n'), (r.Stdout + r.Stderr).TrimEnd('\n'));
        }
    }
}
