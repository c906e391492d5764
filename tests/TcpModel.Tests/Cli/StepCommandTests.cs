using TcpModel.Cli;
using TcpModel.Machine;

namespace TcpModel.Tests.Cli;

public sealed class StepCommand
{
    private static CliResult Step(params string[] args) => CliRun.Run(["step", .. args]);

    private static string Section(string output, string heading)
    {
        int i = output.IndexOf(heading, StringComparison.Ordinal);
        Assert.True(i >= 0, output);
        int end = output.IndexOf("\n\n", i, StringComparison.Ordinal);
        return end < 0 ? output[i..] : output[i..end];
    }

    [Fact]
    public void InEstablished_RstAtRcvNxt_FiresTheSecondCheckCellAndResets()
    {
        var r = Step("--state", "ESTABLISHED", "--segment", "<SEQ=5001><CTL=RST>");
        Assert.Equal(0, r.ExitCode);
        var fired = Section(r.Stdout, "Cells fired:");
        Assert.Contains("ESTABLISHED x RstValid -> CLOSED  (transition; effect ConnectionReset)", fired);
        Assert.Contains("RFC 9293 §3.10.7.4 second", fired);
        Assert.Contains("Next state: CLOSED", fired);
        Assert.Contains("Sent: nothing sent", fired);
        Assert.Contains("connection reset", fired);
    }

    [Fact]
    public void InEstablished_InWindowRstNotAtRcvNxt_GetsAChallengeAck()
    {
        var r = Step("--state", "ESTABLISHED", "--segment", "<SEQ=5100><CTL=RST>");
        var fired = Section(r.Stdout, "Cells fired:");
        Assert.Contains("ESTABLISHED x RstInWindow [ChallengeRst] -> ESTABLISHED  (reply and stay; effect ChallengeAck)", fired);
        Assert.Contains("RFC 5961 §3.2", fired);
        Assert.Contains("Sent:\n  <SEQ=1001><ACK=5001><CTL=ACK><WND=65535>", fired);
        Assert.Contains("Next state: ESTABLISHED (unchanged)", fired);
    }

    [Fact, Trait("RFC", "7323 §5.3")]
    public void WithTimestamps_TextWithAnOlderTsvalThanTsRecent_IsAnsweredAndDroppedByPaws()
    {
        var r = Step("--state", "ESTABLISHED", "--profile", "standard", "--timestamps",
            "--segment", "<SEQ=5001><ACK=1001><CTL=ACK><OPT=TS:1005:100><DATA=\"abc\">");
        Assert.Equal(0, r.ExitCode);
        Assert.Contains("arrives <SEQ=5000><ACK=1001><CTL=SYN,ACK><WND=65535><OPT=MSS:1460,TS:1010:100>", r.Stdout);
        Assert.Contains("timestamps: TS.Recent=1010  Last.ACK.sent=5001", r.Stdout);
        var fired = Section(r.Stdout, "Cells fired:");
        Assert.Contains("ESTABLISHED x Unacceptable -> ESTABLISHED", fired);
        Assert.Contains("Sent:\n  <SEQ=1001><ACK=5001><CTL=ACK><WND=65535><OPT=TS:600:1010>", fired);
        // with a TSval at TS.Recent the same text is taken
        var ok = Step("--state", "ESTABLISHED", "--profile", "standard", "--timestamps",
            "--segment", "<SEQ=5001><ACK=1001><CTL=ACK><OPT=TS:1010:100><DATA=\"abc\">");
        Assert.Contains("RCV.NXT=5004", Section(ok.Stdout, "TCB after:"));
    }

    [Fact]
    public void UnderRfc793_TheSameRstResets()
    {
        var r = Step("--state", "ESTABLISHED", "--profile", "rfc793", "--segment", "<SEQ=5100><CTL=RST>");
        Assert.Contains("ESTABLISHED x RstInWindow [ClassicRst] -> CLOSED", r.Stdout);
    }

    [Fact]
    public void InTimeWait_ARetransmittedFinIsAckedAndRestartsTheTimer()
    {
        var r = Step("--state", "TIME-WAIT", "--segment", "<SEQ=5001><ACK=1002><CTL=FIN,ACK>");
        var fired = Section(r.Stdout, "Cells fired:");
        Assert.Contains("TIME-WAIT x Fin -> TIME-WAIT", fired);
        Assert.Contains("RFC 9293 §3.10.7.4 eighth", fired);
        Assert.Contains("<SEQ=1002><ACK=5002><CTL=ACK><WND=65535>", fired);
        Assert.Contains("timers: time-wait at 240.500 s", Section(r.Stdout, "TCB after:"));
    }

    [Fact]
    public void ASegmentWithoutWnd_CarriesThePeersCanonicalWindow()
    {
        var r = Step("--state", "ESTABLISHED", "--segment", "<SEQ=5001><ACK=1001><CTL=ACK>");
        Assert.Contains("segment arrives <SEQ=5001><ACK=1001><CTL=ACK><WND=65535> (no <WND=...> given", r.Stdout);
        Assert.Contains("SND.WND=65535", Section(r.Stdout, "TCB after:"));
    }

    [Fact]
    public void ASegmentWithWnd_KeepsIt()
    {
        var r = Step("--state", "ESTABLISHED", "--segment", "<SEQ=5001><ACK=1001><CTL=ACK><WND=0>");
        Assert.DoesNotContain("no <WND=...> given", r.Stdout);
        Assert.Contains("SND.WND=0", Section(r.Stdout, "TCB after:"));
    }

    [Fact]
    public void AWndFieldWrittenWithSpaces_IsAWindow()
    {
        var r = Step("--state", "ESTABLISHED", "--segment", "<SEQ=5001><ACK=1001>< WND = 0>");
        Assert.DoesNotContain("no <WND=...> given", r.Stdout);
        Assert.Contains("SND.WND=0", Section(r.Stdout, "TCB after:"));
    }

    [Fact]
    public void WndInsideData_IsNotAWindow()
    {
        var r = Step("--state", "ESTABLISHED", "--segment", "<SEQ=5001><ACK=1001><DATA=\"<WND=\">");
        Assert.Contains("(no <WND=...> given", r.Stdout);
    }

    [Fact]
    public void ABadSegment_IsOneLineWithControlCharactersEscapedAndLongTokensCut()
    {
        var r = Step("--state", "ESTABLISHED", "--segment", "<SEQ=5001><CTL=" + new string('Q', 100_000) + "\n\u0007>");
        Assert.Equal(2, r.ExitCode);
        var line = Assert.Single(r.StderrLines);
        Assert.StartsWith("tcpmodel step: --segment: column 16: unknown control flag 'QQQQ", line);
        Assert.True(line.Length < 200, $"{line.Length} characters");
        Assert.Contains("…", line);
        Assert.DoesNotContain('\u0007', line);
    }

    [Fact]
    public void AControlCharacterInASegment_IsEscaped()
    {
        var r = Step("--state", "ESTABLISHED", "--segment", "<SEQ=5001><CTL=A\u0007\nB>");
        var line = Assert.Single(r.StderrLines);
        Assert.Contains("'A\\x07\\nB'", line);
    }

    [Fact]
    public void InFinWait1_TheRetransmitTimerResendsTheFin()
    {
        var r = Step("--state", "FIN-WAIT-1", "--timer", "retransmit");
        var fired = Section(r.Stdout, "Cells fired:");
        Assert.Contains("FIN-WAIT-1 x RetransmitTimeout -> FIN-WAIT-1", fired);
        Assert.Contains("RFC 6298 §5.4", fired);
        Assert.Contains("Sent:\n  <SEQ=1001><ACK=5001><CTL=FIN,ACK><WND=65535>", fired);
    }

    [Fact]
    public void InCloseWait_CloseSendsFinAndEntersLastAck()
    {
        var r = Step("--state", "close_wait", "--call", "close");
        var fired = Section(r.Stdout, "Cells fired:");
        Assert.Contains("CLOSE-WAIT x Close [NormalClose] -> LAST-ACK", fired);
        Assert.Contains("<SEQ=1001><ACK=5002><CTL=FIN,ACK><WND=65535>", fired);
    }

    [Fact]
    public void InEstablished_SendTransmitsTheText()
    {
        var r = Step("--state", "ESTABLISHED", "--call", "send:hi");
        Assert.Contains("<SEQ=1001><ACK=5001><CTL=PSH,ACK><WND=65535><DATA=\"hi\">", r.Stdout);
        Assert.Contains("Accepted: 2 octets", r.Stdout);
    }

    [Fact]
    public void InClosed_CloseSaysTheConnectionDoesNotExist()
    {
        var r = Step("--state", "CLOSED", "--call", "close");
        Assert.Contains("CLOSED: no TCB", r.Stdout);
        Assert.Contains("error: connection does not exist", Section(r.Stdout, "Cells fired:"));
    }

    public static TheoryData<TcpState> States => new(TcpStates.All);

    [Theory]
    [MemberData(nameof(States))]
    public void EveryStateHasACanonicalTcbBuiltByRealInputs(TcpState state)
    {
        var (ep, _) = CanonicalTcb.Build(state, Profile.Rfc9293);
        Assert.Equal(state, ep.State);
        var r = Step("--state", state.RfcName(), "--call", "status");
        Assert.Equal(0, r.ExitCode);
        Assert.StartsWith($"tcpmodel step: {state.RfcName()}, profile rfc9293\n", r.Stdout);
    }

    [Theory]
    [InlineData(TcpState.SynSent, 1000u, 1001u, 0u)]
    [InlineData(TcpState.Established, 1001u, 1001u, 5001u)]
    [InlineData(TcpState.FinWait1, 1001u, 1002u, 5001u)]
    [InlineData(TcpState.FinWait2, 1002u, 1002u, 5001u)]
    [InlineData(TcpState.CloseWait, 1001u, 1001u, 5002u)]
    [InlineData(TcpState.Closing, 1001u, 1002u, 5002u)]
    [InlineData(TcpState.LastAck, 1001u, 1002u, 5002u)]
    [InlineData(TcpState.TimeWait, 1002u, 1002u, 5002u)]
    public void TheCanonicalTcbCountsOurFinInSndNxtAndThePeersInRcvNxt(TcpState state, uint una, uint nxt, uint rcvNxt)
    {
        var (ep, _) = CanonicalTcb.Build(state, Profile.Rfc9293);
        Assert.Equal(una, ep.Tcb.SndUna.Value);
        Assert.Equal(nxt, ep.Tcb.SndNxt.Value);
        if (state != TcpState.SynSent) Assert.Equal(rcvNxt, ep.Tcb.RcvNxt.Value);
    }

    [Fact]
    public void HelpDocumentsTheCanonicalTcbOfEveryState()
    {
        var r = CliRun.Run("help", "step");
        Assert.Equal(0, r.ExitCode);
        Assert.Contains("Our ISS is 1000; the peer's ISS (our IRS) is 5000", r.Stdout);
        foreach (var s in TcpStates.All) Assert.Contains($"\n  {s.RfcName(),-13} ", r.Stdout);
        Assert.Contains("WND defaults to\n", r.Stdout);
    }
}
