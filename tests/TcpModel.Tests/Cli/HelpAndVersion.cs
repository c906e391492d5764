namespace TcpModel.Tests.Cli;

public sealed class HelpAndVersion
{
    [Theory]
    [InlineData("--help")]
    [InlineData("-h")]
    [InlineData("help")]
    public void GeneralHelpListsTheCommands(string flag)
    {
        var r = CliRun.Run(flag);
        Assert.Equal(0, r.ExitCode);
        Assert.Equal("", r.Stderr);
        foreach (var c in new[] { "graph", "walkthrough", "step" }) Assert.Contains($"\n  {c} ", r.Stdout);
    }

    [Theory]
    [InlineData("graph", "Usage: tcpmodel graph")]
    [InlineData("walkthrough", "Usage: tcpmodel walkthrough")]
    [InlineData("step", "Usage: tcpmodel step")]
    public void EachCommandHasHelpByHelpCommandOrByFlag(string command, string usage)
    {
        Assert.StartsWith(usage, CliRun.Run("help", command).Stdout);
        var r = CliRun.Run(command, "--help");
        Assert.Equal(0, r.ExitCode);
        Assert.StartsWith(usage, r.Stdout);
    }

    [Fact]
    public void VersionIsOneLine()
    {
        var r = CliRun.Run("--version");
        Assert.Equal(0, r.ExitCode);
        Assert.Matches(@"^tcpmodel \d+\.\d+\.\d+\S*\n$", r.Stdout);
    }
}
