using TcpModel.Conformance.Packetdrill;
using static TcpModel.Tests.Conformance.PolicyScript;
using TcpModel.Machine;

namespace TcpModel.Tests.Conformance;

/// <summary>POLICY orphan-fin-wait-2-timeout, fin-wait-2-timeout, syn-linear-timeouts and abort-reset-with-ack as
/// packetdrill scripts: each passes in the setting it describes and fails, at the line the policy decides, in the
/// other (the runner reads TCP_LINGER2 and the sysctls tcp_fin_timeout, tcp_syn_linear_timeouts, tcp_syn_retries).</summary>
public sealed class LinuxTimersAndLinger
{
    private const string Orphaned = """
        +0 close(4) = 0
        +0 > F. 1:1(0) ack 1
        +0 < . 1:1(0) ack 2 win 257

        """;

    private static string FinAfter(string seconds, bool answeredByReset) => $"""
        +{seconds} < F. 1:1(0) ack 2 win 257
        {(answeredByReset ? "+0 > R 2:2(0)" : "+0 > . 2:2(0) ack 2")}

        """;

    [Fact]
    public void AnOrphanInFinWait2_IsGoneAfterTcpFinTimeout_UnderLinux() =>
        PassesUnder(Accepted + Orphaned + FinAfter("60", answeredByReset: true), "linux");

    [Fact]
    public void AnOrphanInFinWait2_StillTakesTheFinBeforeTcpFinTimeout_UnderLinux() =>
        PassesUnder(Accepted + Orphaned + FinAfter("59.9", answeredByReset: false), "linux");

    [Fact]
    public void AnOrphanInFinWait2_WaitsForTheFinForEver_UnderRfc9293() =>
        FailsUnderAt(Accepted + Orphaned + FinAfter("60", answeredByReset: true), "rfc9293", 13);

    [Fact]
    public void TheSysctlTcpFinTimeout_SetsTheOrphansTime_UnderLinux() =>
        PassesUnder("`sysctl -q net.ipv4.tcp_fin_timeout=5`\n" + Accepted + Orphaned + FinAfter("5", answeredByReset: true), "linux");

    [Fact]
    public void TcpLinger2_ReplacesTheSysctlForItsSocket_UnderLinux() =>
        PassesUnder(Accepted + "+0 setsockopt(4, SOL_TCP, TCP_LINGER2, [10], 4) = 0\n" + Orphaned + FinAfter("9", answeredByReset: false), "linux");

    [Fact]
    public void TcpLinger2_EndsTheOrphanWhenItsTimeIsUp_UnderLinux() =>
        PassesUnder(Accepted + "+0 setsockopt(4, SOL_TCP, TCP_LINGER2, [10], 4) = 0\n" + Orphaned + FinAfter("10", answeredByReset: true), "linux");

    [Fact]
    public void ANegativeTcpLinger2_AnswersTheAckOfTheFinWithAReset_UnderLinux() =>
        PassesUnder(Accepted + "+0 setsockopt(4, SOL_TCP, TCP_LINGER2, [-1], 4) = 0\n" + Orphaned + "+0 > R 2:2(0)\n", "linux");

    [Fact]
    public void ANegativeTcpLinger2_ChangesNothing_UnderRfc9293() =>
        FailsUnderAt(Accepted + "+0 setsockopt(4, SOL_TCP, TCP_LINGER2, [-1], 4) = 0\n" + Orphaned + "+0 > R 2:2(0)\n", "rfc9293", 13);

    [Fact]
    public void ANegativeTcpLinger2_ResetsAtCloseInFinWait2_UnderLinux() => PassesUnder(Accepted + """
        +0 setsockopt(4, SOL_TCP, TCP_LINGER2, [-1], 4) = 0
        +0 shutdown(4, SHUT_WR) = 0
        +0 > F. 1:1(0) ack 1
        +0 < . 1:1(0) ack 2 win 257
        +0 close(4) = 0
        +0 > R. 2:2(0) ack 1

        """, "linux");

    [Fact]
    public void TheTimewaitSockOfAnOrphan_AnswersASynAboveRcvNxtWithAReset_UnderLinux() =>
        PassesUnder(Accepted + Orphaned + "+1 < S. 1000:1000(0) ack 2 win 257\n+0 > R 2:2(0)\n", "linux");

    [Fact]
    public void AFinWait2Connection_AnswersASynWithAChallengeAck_UnderRfc9293() =>
        PassesUnder(Accepted + Orphaned + "+1 < S. 1000:1000(0) ack 2 win 257\n+0 > . 2:2(0) ack 1\n", "rfc9293");

    [Fact]
    public void AClosedConnectionInFinWait2_IsDeletedAfterTenMinutesIdle_UnderFreeBsd() =>
        PassesUnder(Accepted + Orphaned + FinAfter("675", answeredByReset: true), "freebsd");

    [Fact]
    public void AClosedConnectionInFinWait2_IsCheckedAgainEveryKeepAliveIntervalOnceTenMinutesPass_UnderFreeBsd() =>
        PassesUnder(Accepted + Orphaned + FinAfter("674", answeredByReset: false), "freebsd");

    private const string SynRetransmissions = """
         0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3
        +0 fcntl(3, F_SETFL, O_RDWR|O_NONBLOCK) = 0
        +0 connect(3, ..., ...) = -1 EINPROGRESS (Operation now in progress)
        +0 > S 0:0(0) <...>
        +1 > S 0:0(0) <...>

        """;

    private const string Linear = SynRetransmissions + """
        +1 > S 0:0(0) <...>
        +1 > S 0:0(0) <...>
        +1 > S 0:0(0) <...>
        +1 > S 0:0(0) <...>
        +2 > S 0:0(0) <...>
        +4 > S 0:0(0) <...>

        """;

    private const string Exponential = SynRetransmissions + """
        +2 > S 0:0(0) <...>
        +4 > S 0:0(0) <...>

        """;

    [Fact]
    public void TheFirstFourSynRetransmissionsComeASecondApart_ThenBackOff_UnderLinux() => PassesUnder(Linear, "linux");

    [Fact]
    public void EverySynRetransmissionDoublesTheRto_UnderRfc9293() => FailsUnderAt(Linear, "rfc9293", 6);

    [Fact]
    public void TcpSynLinearTimeoutsZero_GivesExponentialBackoff_UnderLinux() =>
        PassesUnder("`sysctl -q net.ipv4.tcp_syn_linear_timeouts=0`\n" + Exponential, "linux");

    [Fact]
    public void ConnectTimesOutAfterTheLinearAndBackedOffRetries_UnderLinux() => PassesUnder("""
        `sysctl -q net.ipv4.tcp_syn_retries=1`
         0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3
        +0...7 connect(3, ..., ...) = -1 ETIMEDOUT (Connection timed out)

        """, "linux");

    [Fact]
    public void ConnectTimesOutAfterTheBackedOffRetries_WithoutLinearTimeouts_UnderLinux() => PassesUnder("""
        `sysctl -q net.ipv4.tcp_syn_retries=1 net.ipv4.tcp_syn_linear_timeouts=0`
         0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3
        +0...3 connect(3, ..., ...) = -1 ETIMEDOUT (Connection timed out)

        """, "linux");

    [Fact]
    public void TheDefaultSynGiveUpTime_Is131SecondsWithLinearTimeouts_And127Without()
    {
        Assert.Equal(131_000_000, LinuxSetup.SynGiveUpTime(Profile.Linux, 6, 4));
        Assert.Equal(Profile.Linux.R2Syn, LinuxSetup.SynGiveUpTime(Profile.Linux, 6, Profile.Linux.SynLinearTimeouts));
        Assert.Equal(127_000_000, LinuxSetup.SynGiveUpTime(Profile.Linux, 6, 0));
    }

    private const string LingerZero = Accepted + """
        +0 setsockopt(4, SOL_SOCKET, SO_LINGER, {onoff=1, linger=0}, 8) = 0
        +0 close(4) = 0
        +0 > R. 1:1(0) ack 1

        """;

    [Fact]
    public void AnAbortiveClose_SendsRstAck_UnderLinux() => PassesUnder(LingerZero, "linux");

    [Fact]
    public void AnAbortiveClose_SendsAPlainRst_UnderRfc9293() => FailsUnderAt(LingerZero, "rfc9293", 11);
}
