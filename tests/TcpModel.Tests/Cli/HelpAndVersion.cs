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
    [InlineData("graph")]
    [InlineData("walkthrough")]
    [InlineData("step")]
    [InlineData("simulate")]
    [InlineData("explore")]
    [InlineData("packetdrill")]
    [InlineData("check-pcap")]
    [InlineData("report")]
    public void EachCommandHasHelpByHelpCommandOrByFlag(string command)
    {
        var byCommand = CliRun.Run("help", command);
        Assert.Equal(0, byCommand.ExitCode);
        foreach (var flag in new[] { "--help", "-h" })
        {
            var r = CliRun.Run(command, flag);
            Assert.Equal(0, r.ExitCode);
            Assert.Equal("", r.Stderr);
            Assert.Contains($"Usage:\n  tcpmodel {command} ", r.Stdout);
            Assert.Contains("\nOptions:\n", r.Stdout);
            Assert.Equal(byCommand.Stdout, r.Stdout);
        }
    }

    [Fact]
    public void VersionIsOneLine()
    {
        var r = CliRun.Run("--version");
        Assert.Equal(0, r.ExitCode);
        Assert.Matches(@"^tcpmodel \d+\.\d+\.\d+\S*\n$", r.Stdout);
    }
}
