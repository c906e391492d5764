namespace TcpModel.Tests.Cli;

public sealed class BadInput
{
    public static TheoryData<string[], string> Cases => new()
    {
        { [], "tcpmodel: missing command" },
        { ["frobnicate"], "tcpmodel: unknown command 'frobnicate'" },
        { ["--frobnicate"], "tcpmodel: unknown option '--frobnicate'" },
        { ["graph", "--colour"], "tcpmodel graph: unknown option '--colour'" },
        { ["graph", "--out"], "tcpmodel graph: option --out needs a value" },
        { ["graph", "--format", "png"], "tcpmodel graph: --format: unknown value 'png'" },
        { ["graph", "stray"], "tcpmodel graph: unexpected argument 'stray'" },
        { ["graph", "--format", "dot", "--format", "dot"], "tcpmodel graph: option --format given twice" },
        { ["walkthrough", "--profile", "bsd"], "tcpmodel walkthrough: unknown profile 'bsd' (expected one of rfc9293, rfc793, standard, freebsd, linux)" },
        { ["walkthrough", "--iss-a", "-1"], "tcpmodel walkthrough: --iss-a: '-1' is not a sequence number" },
        { ["walkthrough", "--iss-b", "4294967296"], "tcpmodel walkthrough: --iss-b: '4294967296' is not a sequence number" },
        { ["step", "--call", "close"], "tcpmodel step: --state STATE is required" },
        { ["step", "--state", "FOO", "--call", "close"], "tcpmodel step: unknown state 'FOO' (expected one of CLOSED, LISTEN, SYN-SENT, SYN-RECEIVED, ESTABLISHED, FIN-WAIT-1, FIN-WAIT-2, CLOSE-WAIT, CLOSING, LAST-ACK, TIME-WAIT)" },
        { ["step", "--state", "LISTEN"], "tcpmodel step: give exactly one of --segment, --call, --timer" },
        { ["step", "--state", "LISTEN", "--call", "close", "--timer", "user"], "tcpmodel step: give exactly one of --segment, --call, --timer" },
        { ["step", "--state", "LISTEN", "--segment", "<SEQ=1><CTL=SYX>"], "tcpmodel step: --segment: column " },
        { ["step", "--state", "LISTEN", "--segment", "SEQ=1"], "tcpmodel step: --segment: column 1: " },
        { ["step", "--state", "LISTEN", "--call", "connect"], "tcpmodel step: --call: unknown call 'connect'" },
        { ["step", "--state", "LISTEN", "--call", "send:"], "tcpmodel step: --call send:TEXT needs some text" },
        { ["step", "--state", "LISTEN", "--timer", "idle"], "tcpmodel step: --timer: unknown timer 'idle'" },
        { ["step", "--state", "LISTEN", "--call", "close", "--profile", "openbsd"], "tcpmodel step: unknown profile 'openbsd'" },
        { ["help", "frobnicate"], "tcpmodel help: unknown command 'frobnicate'" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void PrintsOneLineOnStderrAndExits2(string[] args, string expectedStart)
    {
        var r = CliRun.Run(args);
        Assert.Equal(2, r.ExitCode);
        Assert.Equal("", r.Stdout);
        var line = Assert.Single(r.StderrLines);
        Assert.StartsWith(expectedStart, line);
        Assert.DoesNotContain("   at ", r.Stderr);
        Assert.DoesNotContain("Exception", r.Stderr);
    }

    [Fact]
    public void AnUnexpectedFailurePrintsOneInternalErrorLineAndExits70()
    {
        var stderr = new StringWriter();
        int code = TcpModel.Cli.CliMain.Run(["walkthrough"], new BrokenWriter(), stderr);
        Assert.Equal(70, code);
        Assert.Equal("tcpmodel walkthrough: internal error: the pipe is gone\n", stderr.ToString().ReplaceLineEndings("\n"));
    }

    private sealed class BrokenWriter : StringWriter
    {
        public override void Write(string? value) => throw new InvalidOperationException("the pipe\nis gone");
    }
}
