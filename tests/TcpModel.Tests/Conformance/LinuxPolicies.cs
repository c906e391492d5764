using TcpModel.Conformance.Packetdrill;
using static TcpModel.Tests.Conformance.PolicyScript;

namespace TcpModel.Tests.Conformance;

/// <summary>The policies the linux profile brought in, each run on (linux) and off (another profile) as a
/// packetdrill script: the same script passes in one setting and fails, at the line the policy decides, in the other.</summary>
public sealed class LinuxPolicies
{
    private const string AckAhead = Accepted + """
        +0 < . 1:1(0) ack 9999 win 257
        +0 write(4, ..., 10) = 10
        +0 > P. 1:11(10) ack 1

        """;

    [Fact]
    public void AckBeyondSndNxt_IsDroppedSilently_UnderLinux() => PassesUnder(AckAhead, "linux");

    [Fact]
    public void AckBeyondSndNxt_IsAnsweredWithAnAck_UnderRfc9293() => FailsUnderAt(AckAhead, "rfc9293", 11);

    private const string DataAfterClose = Accepted + """
        +0 close(4) = 0
        +0 > F. 1:1(0) ack 1
        +0 < . 1:1001(1000) ack 1 win 257
        +0 > R 1:1(0)

        """;

    [Fact]
    public void DataAfterClose_IsAnsweredByAReset_UnderLinux() => PassesUnder(DataAfterClose, "linux");

    [Fact]
    public void DataAfterClose_IsAnsweredByAReset_UnderFreeBsd() => PassesUnder(DataAfterClose, "freebsd");

    [Fact]
    public void DataAfterClose_IsAcknowledged_UnderRfc9293() => FailsUnderAt(DataAfterClose, "rfc9293", 12);

    [Fact]
    public void DataAfterShutdownWr_IsStillAcknowledged_UnderLinux() => PassesUnder(Accepted + """
        +0 shutdown(4, SHUT_WR) = 0
        +0 > F. 1:1(0) ack 1
        +0 < . 1:1001(1000) ack 2 win 257
        +0 > . 2:2(0) ack 1001
        +0 read(4, ..., 1000) = 1000

        """, "linux");

    private const string CloseWithUnread = Accepted + """
        +0 < P. 1:1001(1000) ack 1 win 257
        +0 > . 1:1(0) ack 1001
        +0 close(4) = 0
        +0 > R. 1:1(0) ack 1001

        """;

    [Fact]
    public void CloseWithUnreadData_Resets_UnderLinux() => PassesUnder(CloseWithUnread, "linux");

    [Fact]
    public void CloseWithUnreadData_SendsAFin_UnderRfc9293() => FailsUnderAt(CloseWithUnread, "rfc9293", 12);

    private const string ReadThenClose = Accepted + """
        +0 < P. 1:1001(1000) ack 1 win 257
        +0 > . 1:1(0) ack 1001
        +0 read(4, ..., 1000) = 1000
        +0 close(4) = 0
        +0 > F. 1:1(0) ack 1001

        """;

    [Fact]
    public void ARead_SendsNoSmallWindowUpdate_UnderLinux() => PassesUnder(ReadThenClose, "linux");

    [Fact]
    public void ARead_SendsAWindowUpdateWhenTheWindowGrowsByAnMss_UnderRfc9293() => FailsUnderAt(ReadThenClose, "rfc9293", 13);

    private const string NoSackOffered = """
         0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3
        +0 bind(3, ..., ...) = 0
        +0 listen(3, 1) = 0
        +0 < S 0:0(0) win 32792 <mss 1000>
        +0 > S. 0:0(0) ack 1 <mss 1460>

        """;

    [Fact]
    public void SynAck_CarriesSackPermittedOnlyWhenOffered_UnderLinux() => PassesUnder(NoSackOffered, "linux");

    [Fact]
    public void SynAck_CarriesSackPermittedOnlyWhenOffered_UnderStandardToo() => PassesUnder(NoSackOffered, "standard");

    private const string Rto = """
         0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3
        +0 bind(3, ..., ...) = 0
        +0 listen(3, 1) = 0
        +0 < S 0:0(0) win 32792 <mss 1000>
        +0 > S. 0:0(0) ack 1 <mss 1460>
        +.010 < . 1:1(0) ack 1 win 257
        +0 accept(3, ..., ...) = 4
        +0 write(4, ..., 100) = 100
        +0 > P. 1:101(100) ack 1
        +.210 > P. 1:101(100) ack 1

        """;

    [Fact]
    public void Rto_IsSrttPlusTheMinimumOverTheVariance_UnderLinux() => PassesUnder(Rto, "linux"); // 10 ms + max(20 ms, 200 ms)

    [Fact]
    public void Rto_IsBoundedBelowByRtoMin_UnderRfc9293() => FailsUnderAt(Rto, "rfc9293", 10); // max(1 s, 10 ms + 20 ms)

    /// <summary>Two segments outstanding after a 10 ms handshake RTT (SACK-permitted offered and echoed).</summary>
    private static string TwoSegmentsOut(string sackOption) => $$"""
         0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3
        +0 bind(3, ..., ...) = 0
        +0 listen(3, 1) = 0
        +0 < S 0:0(0) win 32792 <mss 1000{{sackOption}}>
        +0 > S. 0:0(0) ack 1 <mss 1460{{(sackOption.Length > 0 ? ",nop,nop,sackOK" : "")}}>
        +.010 < . 1:1(0) ack 1 win 32792
        +0 accept(3, ..., ...) = 4
        +0 write(4, ..., 2000) = 2000
        +0 > . 1:1001(1000) ack 1
        +0 > P. 1001:2001(1000) ack 1
        +.022 > P. 1001:2001(1000) ack 1
        +.010 < . 1:1(0) ack 2001 win 32792

        """;

    [Fact, Trait("RFC", "8985 §7")]
    public void TheLastSegment_IsProbedAfterTwiceTheSrttPlusTwoMilliseconds_UnderLinux() =>
        PassesUnder(TwoSegmentsOut(",sackOK,nop,nop"), "linux"); // POLICY tail-loss-probe: 2·10 ms + TCP_TIMEOUT_MIN_US

    [Fact, Trait("RFC", "6298 §5")]
    public void TheLastSegment_WaitsForTheRto_UnderFreeBsd() => FailsUnderAt(TwoSegmentsOut(",sackOK,nop,nop"), "freebsd", 11); // no TLP in its default stack

    [Fact, Trait("RFC", "8985 §7")]
    public void TheLastSegment_IsNotProbed_WithoutSack_UnderLinux() => FailsUnderAt(TwoSegmentsOut(""), "linux", 11); // tcp_is_sack

    private const string FinProbedThenRto = """
         0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3
        +0 bind(3, ..., ...) = 0
        +0 listen(3, 1) = 0
        +0 < S 0:0(0) win 32792 <mss 1000,sackOK,nop,nop>
        +0 > S. 0:0(0) ack 1 <mss 1460,nop,nop,sackOK>
        +.100 < . 1:1(0) ack 1 win 257
        +0 accept(3, ..., ...) = 4
        +0 close(4) = 0
        +0 > F. 1:1(0) ack 1
        +.300 > F. 1:1(0) ack 1
        +.300 > F. 1:1(0) ack 1
        +.600 > F. 1:1(0) ack 1

        """;

    [Fact, Trait("RFC", "8985 §7")]
    public void AFinAlone_IsProbedOnce_ThenTheRtoRestartsFromTheProbeUnbackedOff_UnderLinux() =>
        PassesUnder(FinProbedThenRto, "linux"); // PTO = min(2·100 + 200, RTO 300); then RTO 300; then 600

    [Fact, Trait("RFC", "8985 §7")]
    public void AFinAlone_IsRetransmittedByTheRtoOnly_UnderLinuxWithEarlyRetransmitOff() =>
        FailsUnderAt("`sysctl -q net.ipv4.tcp_early_retrans=0`\n" + FinProbedThenRto, "linux", 12); // 600 ms after the first

    private const string TimeWaitThenConnect = """
         0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3
        +0 bind(3, ..., ...) = 0
        +0 fcntl(3, F_SETFL, O_RDWR|O_NONBLOCK) = 0
        +0 connect(3, ..., ...) = -1 EINPROGRESS
        +0 > S 0:0(0) <...>
        +0 < S. 0:0(0) ack 1 win 5792 <mss 1460,sackOK,TS val 700 ecr 100,nop,wscale 7>
        +0 > . 1:1(0) ack 1 <...>
        +0 close(3) = 0
        +0 > F. 1:1(0) ack 1 <...>
        +0 < F. 1:1(0) ack 2 win 257 <nop,nop,TS val 800 ecr 100>
        +0 > . 2:2(0) ack 2 <...>
        WAIT socket(..., SOCK_STREAM, IPPROTO_TCP) = 3
        +0 setsockopt(3, SOL_SOCKET, SO_REUSEADDR, [1], 4) = 0
        +0 bind(3, ..., ...) = 0
        +0 fcntl(3, F_SETFL, O_RDWR|O_NONBLOCK) = 0
        +0 connect(3, ..., ...) = RESULT

        """;

    private static string TimeWait(string wait, string result, string setup = "") =>
        setup + TimeWaitThenConnect.Replace("WAIT", wait, StringComparison.Ordinal).Replace("RESULT", result, StringComparison.Ordinal);

    [Fact]
    public void ConnectOntoATimeWaitPair_IsRefusedWithEaddrnotavail_UnderLinux() =>
        PassesUnder(TimeWait("+2", "-1 EADDRNOTAVAIL"), "linux");

    [Fact]
    public void ConnectOntoATimeWaitPair_IsRefusedWithEaddrinuse_UnderRfc9293AndFreeBsd()
    {
        PassesUnder(TimeWait("+2", "-1 EADDRINUSE"), "rfc9293");
        PassesUnder(TimeWait("+2", "-1 EADDRINUSE"), "freebsd");
        FailsUnderAt(TimeWait("+2", "-1 EADDRNOTAVAIL"), "rfc9293", 16);
    }

    [Fact]
    public void ConnectOntoATimeWaitPair_ReusesItWithTcpTwReuse_OnceItsLastTimestampIsASecondOld()
    {
        const string reuse = "`sysctl -q net.ipv4.tcp_tw_reuse=1`\n";
        PassesUnder(TimeWait("+2", "-1 EINPROGRESS", reuse) + "+0 > S 0:0(0) <...>\n", "linux");
        PassesUnder(TimeWait("+0.5", "-1 EADDRNOTAVAIL", reuse), "linux");
    }
}
