namespace TcpModel.Tests.Cli;

public sealed class WalkthroughCommand
{
    private static readonly CliResult Default = CliRun.Run("walkthrough");

    /// <summary>The ladder rows (numbered lines) of the output.</summary>
    private static string[] Lines => Default.Stdout.Split('\n').Where(l => System.Text.RegularExpressions.Regex.IsMatch(l, @"^\s*\d+\.\s")).ToArray();

    private static int LineOf(string fragment) => Array.FindIndex(Lines, l => l.Contains(fragment, StringComparison.Ordinal));

    [Fact]
    public void SucceedsWithNothingOnStderr()
    {
        Assert.Equal(0, Default.ExitCode);
        Assert.Equal("", Default.Stderr);
    }

    [Fact]
    public void ShowsTheThreeWayHandshakeOfFigure6WithTheRfcsSequenceNumbers()
    {
        int syn = LineOf("--> <SEQ=100><CTL=SYN>");
        int synAck = LineOf("<-- <SEQ=300><ACK=101><CTL=SYN,ACK>");
        int ack = LineOf("--> <SEQ=101><ACK=301><CTL=ACK>");
        Assert.True(syn >= 0 && synAck > syn && ack > synAck, Default.Stdout);
    }

    [Fact]
    public void CarriesHelloFromAToBAndBReadsIt()
    {
        Assert.True(LineOf("--> <SEQ=101><ACK=301><CTL=PSH,ACK><DATA=\"hello\">") >= 0, Default.Stdout);
        Assert.True(LineOf("B reads \"hello\"") >= 0, Default.Stdout);
    }

    [Fact]
    public void LosesAsLastAckInTimeWait()
    {
        int lost = LineOf("--X");
        Assert.True(lost >= 0, Default.Stdout);
        Assert.Contains("TIME-WAIT", Lines[lost]);
        Assert.Contains("<CTL=ACK>", Lines[lost]);
        Assert.Contains("last ACK lost", Lines[lost]);
    }

    [Fact]
    public void BRetransmitsItsFinAfterItsRtoAndTimeWaitAcksAgainRestartingTwoMsl()
    {
        var fins = Lines.Select((l, i) => (l, i)).Where(x => x.l.Contains("<-- <SEQ=301><ACK=107><CTL=FIN,ACK>", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, fins.Count);
        int lost = LineOf("--X");
        Assert.True(fins[0].i < lost && lost < fins[1].i);
        Assert.Contains("RTO", fins[1].l);
        var reAck = Lines[fins[1].i + 1];
        Assert.Contains("TIME-WAIT    --> <SEQ=107><ACK=302><CTL=ACK>", reAck);
        Assert.Contains("restarts its 2MSL timer", reAck);
    }

    [Fact]
    public void EndsWithBothSidesClosedAndExplainsWhyTimeWaitWaits()
    {
        Assert.Contains("Why TIME-WAIT waits (RFC 9293 §3.6", Default.Stdout);
        Assert.Contains("A left TIME-WAIT 240.000 s after its last ACK", Default.Stdout);
        Assert.Contains("Final states: A CLOSED, B CLOSED.", Default.Stdout);
    }

    [Fact]
    public void AcceptsInitialSequenceNumbersNearWraparound()
    {
        var r = CliRun.Run("walkthrough", "--iss-a", "4294967294", "--iss-b", "4294967295");
        Assert.Equal(0, r.ExitCode);
        Assert.Contains("--> <SEQ=4294967294><CTL=SYN>", r.Stdout);
        Assert.Contains("<-- <SEQ=4294967295><ACK=4294967295><CTL=SYN,ACK>", r.Stdout);
        Assert.Contains("--> <SEQ=4294967295><ACK=0><CTL=ACK>", r.Stdout);
        Assert.Contains("Final states: A CLOSED, B CLOSED.", r.Stdout);
    }

    [Fact]
    public void RunsUnderTheRfc793ProfileToo()
    {
        var r = CliRun.Run("walkthrough", "--profile", "rfc793");
        Assert.Equal(0, r.ExitCode);
        Assert.Contains("(profile rfc793)", r.Stdout);
        Assert.Contains("last ACK lost", r.Stdout);
        Assert.Contains("Final states: A CLOSED, B CLOSED.", r.Stdout);
    }

    [Fact]
    public void IsDeterministic() => Assert.Equal(Default.Stdout, CliRun.Run("walkthrough").Stdout);
}
