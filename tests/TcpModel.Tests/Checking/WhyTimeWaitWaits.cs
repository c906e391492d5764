using TcpModel.Checking;
using TcpModel.Machine;

namespace TcpModel.Tests.Checking;

/// <summary>
/// Why TIME-WAIT waits, as the explorer finds it: with a second incarnation of the connection (A opens again,
/// B listens again; the ISN moves by one tick) and the network free to duplicate one segment, a TIME-WAIT of
/// zero lets a duplicate of the first incarnation's data into the second (RFC 9293 §3.4.1, §3.6), and so does
/// an RST that ends TIME-WAIT early — RFC 1337's TIME-WAIT assassination (hazard H1), which RFC 9293's text
/// allows and POLICY rfc1337 (standard, freebsd) forbids. The runs are the explorer's shortest
/// counterexamples (tcpmodel explore --script-a open,send,close,open --script-b listen,close,listen --loss 0
/// --dup 1 --retries 0 --check old-duplicate-accepted [--mutant time-wait-zero]; docs/readme/explorer.md),
/// replayed here by their move labels.
/// </summary>
[Trait("Area", "Explorer")]
public class WhyTimeWaitWaits
{
    private static ExplorerConfig Reincarnation(string profile, Mutant mutant = Mutant.None) => Reincarnation(Profile.BuiltIn[profile], mutant);

    private static ExplorerConfig Reincarnation(Profile profile, Mutant mutant = Mutant.None) => ExplorerConfig.Default with
    {
        Profile = profile, Mutant = mutant, OnlyChecks = new HashSet<string>(["old-duplicate-accepted"]), Loss = 0, Dup = 1, Retries = 0,
        CustomScriptA = ExplorerConfig.ParseScript("open,send,close,open", out _),
        CustomScriptB = ExplorerConfig.ParseScript("listen,close,listen", out _),
    };

    private static readonly string[] TimeWaitOfZeroRun =
    [
        "A: OPEN (active)",
        "B: OPEN (passive)",
        "deliver A -> B: <SEQ=4294967294><CTL=SYN><WND=65535><OPT=MSS:1460>",
        "B: CLOSE",
        "deliver B -> A: <SEQ=4294967280><ACK=4294967295><CTL=SYN,ACK><WND=65535><OPT=MSS:1460>",
        "deliver B -> A: <SEQ=4294967281><ACK=4294967295><CTL=FIN,ACK><WND=65535>",
        "A: SEND",
        "A: CLOSE",
        "deliver A -> B: <SEQ=1><ACK=4294967282><CTL=FIN,ACK><WND=65535>",
        "duplicate A -> B: <SEQ=4294967295><ACK=4294967282><CTL=PSH,ACK><WND=65535><DATA=\"\\x00\\x01\">",
        "deliver A -> B: <SEQ=4294967295><ACK=4294967282><CTL=PSH,ACK><WND=65535><DATA=\"\\x00\\x01\">",
        "deliver B -> A: <SEQ=4294967282><ACK=2><CTL=ACK><WND=65533>",
        "A: OPEN (active)",
        "B: timeout after 0 s",
        "B: OPEN (passive)",
        "deliver A -> B: <SEQ=4294967295><CTL=SYN><WND=65535><OPT=MSS:1460>",
        "deliver A -> B: <SEQ=4294967295><ACK=4294967282><CTL=PSH,ACK><WND=65535><DATA=\"\\x00\\x01\">",
    ];

    private static readonly string[] AssassinationRun =
    [
        "A: OPEN (active)",
        "B: OPEN (passive)",
        "deliver A -> B: <SEQ=4294967294><CTL=SYN><WND=65535><OPT=MSS:1460>",
        "B: CLOSE",
        "deliver B -> A: <SEQ=4294967280><ACK=4294967295><CTL=SYN,ACK><WND=65535><OPT=MSS:1460>",
        "deliver B -> A: <SEQ=4294967281><ACK=4294967295><CTL=FIN,ACK><WND=65535>",
        "A: SEND",
        "A: CLOSE",
        "deliver A -> B: <SEQ=1><ACK=4294967282><CTL=FIN,ACK><WND=65535>",
        "duplicate A -> B: <SEQ=4294967295><ACK=4294967282><CTL=PSH,ACK><WND=65535><DATA=\"\\x00\\x01\">",
        "deliver A -> B: <SEQ=4294967295><ACK=4294967282><CTL=PSH,ACK><WND=65535><DATA=\"\\x00\\x01\">",
        "deliver B -> A: <SEQ=4294967282><ACK=2><CTL=ACK><WND=65533>",
        "A: OPEN (active)",
        "deliver A -> B: <SEQ=4294967295><ACK=4294967281><CTL=ACK><WND=65535>",
        "deliver B -> A: <SEQ=4294967282><ACK=2><CTL=ACK><WND=65533>",
        "deliver A -> B: <SEQ=2><CTL=RST><WND=0>",
        "B: OPEN (passive)",
        "deliver A -> B: <SEQ=4294967295><CTL=SYN><WND=65535><OPT=MSS:1460>",
        "deliver A -> B: <SEQ=4294967295><ACK=4294967282><CTL=PSH,ACK><WND=65535><DATA=\"\\x00\\x01\">",
    ];

    [Fact]
    public void ATimeWaitOfZero_LetsAnOldDuplicateIntoTheNextIncarnation()
    {
        var v = Explorer.Replay(Reincarnation("rfc9293", Mutant.TimeWaitZero), TimeWaitOfZeroRun);
        Assert.Equal("old-duplicate-accepted", v?.Check);
        Assert.Contains("earlier incarnation", v!.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void ATimeWaitOf2Msl_KeepsTheSameRunFromReopening()
    {
        // B is still in TIME-WAIT: its timer is 2 MSL, not 0, so the move "B: timeout after 0 s" does not exist
        var e = Assert.Throws<ArgumentException>(() => Explorer.Replay(Reincarnation("rfc9293"), TimeWaitOfZeroRun));
        Assert.Contains("B: timeout after 0 s", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AnRstInTimeWait_EndsItEarly_AndAnOldDuplicateGetsIn_UnderRfc9293Text()
    {
        // RFC 1337 H1: A's new incarnation answers B's TIME-WAIT ACK with <SEQ=2><CTL=RST>, which RFC 9293
        // §3.10.7.4 second accepts in TIME-WAIT; B listens again and takes the old octet
        var v = Explorer.Replay(Reincarnation("rfc9293"), AssassinationRun);
        Assert.Equal("old-duplicate-accepted", v?.Check);
    }

    [Fact]
    public void WithRfc1337_TheRstIsIgnoredInTimeWait_AndTheOldDuplicateStaysOut()
    {
        // POLICY rfc1337 (standard, freebsd: tcp_twcheck drops an RST in TIME-WAIT), here on the rfc9293 profile so
        // that only the policy differs: the run replays up to the RST, and from there B, still in TIME-WAIT, never
        // takes the old octet
        Assert.True(Profile.BuiltIn["freebsd"].IgnoreRstInTimeWait);
        var cfg = Reincarnation(Profile.Rfc9293 with { IgnoreRstInTimeWait = true });
        int rst = Array.FindIndex(AssassinationRun, m => m.Contains("<CTL=RST>", StringComparison.Ordinal));
        Assert.Null(Explorer.Replay(cfg, AssassinationRun[..(rst + 1)]));
        try { Assert.Null(Explorer.Replay(cfg, AssassinationRun)); }
        catch (ArgumentException e) { Assert.DoesNotContain("<CTL=RST>", e.Message.Split(" is not enabled")[0], StringComparison.Ordinal); }
    }

    [Fact]
    public void AStaleRstThatResetsTheReceiver_IsNotCalledATimeWaitThatEndedTooSoon()
    {
        // A, still CLOSED, refuses B's early SYN with <SEQ=0><CTL=RST,ACK>; delivered late, SEQ=0 is exactly B's
        // RCV.NXT (A's ISN 2^32-2 plus SYN and FIN wraps to 0), so B in CLOSING is rightly reset (§3.10.7.4
        // second) and answers A's retransmitted FIN from CLOSED with RST (§3.10.7.1): no TIME-WAIT was cut short
        var cfg = ExplorerConfig.Default with { Payload = 0, Loss = 0 };
        Assert.Null(Explorer.Replay(cfg,
        [
            "B: OPEN (active)",
            "deliver B -> A: <SEQ=4294967280><CTL=SYN><WND=65535><OPT=MSS:1460>",
            "A: OPEN (active)",
            "deliver A -> B: <SEQ=4294967294><CTL=SYN><WND=65535><OPT=MSS:1460>",
            "B: CLOSE",
            "deliver B -> A: <SEQ=4294967280><ACK=4294967295><CTL=SYN,ACK><WND=65535><OPT=MSS:1460>",
            "A: CLOSE",
            "deliver B -> A: <SEQ=4294967281><ACK=4294967295><CTL=FIN,ACK><WND=65535>",
            "deliver A -> B: <SEQ=4294967295><ACK=4294967281><CTL=FIN,ACK><WND=65535>",
            "deliver A -> B: <SEQ=0><ACK=4294967281><CTL=RST,ACK><WND=0>",
            "A: timeout after 1 s",
            "deliver A -> B: <SEQ=4294967295><ACK=4294967282><CTL=FIN,ACK><WND=65535>",
        ]));
    }

    [Fact]
    public void AGeneratedTest_NamesEveryBoundItsReplayDependsOn()
    {
        var cfg = Reincarnation("freebsd", Mutant.TimeWaitZero);
        var v = Explorer.Replay(Reincarnation("rfc9293", Mutant.TimeWaitZero), TimeWaitOfZeroRun)!;
        string test = Counterexamples.XunitTest(v, cfg, "Replays");
        Assert.Contains("Retries = 0", test, StringComparison.Ordinal);
        Assert.Contains("CustomScriptA = ExplorerConfig.ParseScript(\"open,send,close,open\", out _)", test, StringComparison.Ordinal);
        Assert.Contains("CustomScriptB = ExplorerConfig.ParseScript(\"listen,close,listen\", out _)", test, StringComparison.Ordinal);
        Assert.Contains("Profile = Profile.BuiltIn[\"freebsd\"]", test, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("open,send,close,open", "open,send,close,open")]
    [InlineData("listen|open, send ,close|abort", "listen|open,send,close|abort")]
    public void AScript_ReadsAsStepsOfAlternatives(string text, string formatted)
    {
        var s = ExplorerConfig.ParseScript(text, out var error);
        Assert.Null(error);
        Assert.Equal(formatted, ExplorerConfig.FormatScript(s!));
    }

    [Theory]
    [InlineData("open,connect", "'connect' is not a user call")]
    [InlineData("open,,close", "'' is not a user call")]
    [InlineData("open,open,open,open,open,open,open,open,open", "at most 8 steps")]
    public void AScript_ThatIsNotOne_IsRefusedWithTheReason(string text, string reason)
    {
        Assert.Null(ExplorerConfig.ParseScript(text, out var error));
        Assert.Contains(reason, error, StringComparison.Ordinal);
    }
}
