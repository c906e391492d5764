using System.Text;
using TcpModel.Conformance.Packetdrill;
using static TcpModel.Tests.Conformance.PolicyScript;

namespace TcpModel.Tests.Conformance;

/// <summary>POLICY quick-ack with delayed-ack (Linux tcp_event_data_recv, __tcp_ack_snd_check, tcp_send_delayed_ack,
/// tcp_event_data_sent) and challenge-ack-interval (tcp_send_challenge_ack), each as a packetdrill script that passes
/// in its setting and fails, at the line the policy decides, in the other.</summary>
public sealed class LinuxAcknowledgment
{
    /// <summary>Sixteen small segments, each acknowledged at once (lines 9..40), then a seventeenth (line 41) and its
    /// ACK (line 42).</summary>
    private static string SeventeenSegments(string lastAckDelay)
    {
        var b = new StringBuilder(Accepted);
        for (int k = 0; k < 17; k++)
        {
            int from = 1 + 100 * k;
            b.Append($"+0 < P. {from}:{from + 100}(100) ack 1 win 257\n");
            b.Append($"+{(k == 16 ? lastAckDelay : "0")} > . 1:1(0) ack {from + 100}\n");
        }
        return b.ToString();
    }

    [Fact]
    public void SixteenQuickAcks_ThenTheAckIsDelayedFortyMilliseconds_UnderLinux() => PassesUnder(SeventeenSegments(".04"), "linux");

    [Fact]
    public void EverySegmentIsAcknowledgedAtOnce_UnderRfc9293() => FailsUnderAt(SeventeenSegments(".04"), "rfc9293", 42);

    [Fact]
    public void TheSeventeenthSegmentIsNotAcknowledgedAtOnce_UnderLinux() => FailsUnderAt(SeventeenSegments("0"), "linux", 42);

    private const string Interactive = Accepted + """
        +0 < P. 1:101(100) ack 1 win 257
        +0 > . 1:1(0) ack 101
        +0 write(4, ..., 100) = 100
        +0 > P. 1:101(100) ack 101
        +0 < P. 101:201(100) ack 101 win 257
        +.04 > . 101:101(0) ack 201

        """;

    [Fact]
    public void AReplyWithinTheDelayedAckTime_MakesTheConnectionInteractive_AndTheNextAckIsDelayed_UnderLinux() =>
        PassesUnder(Interactive, "linux");

    [Fact]
    public void AReplyChangesNothing_UnderRfc9293() => FailsUnderAt(Interactive, "rfc9293", 14);

    [Fact]
    public void TwoFullSegments_AreAcknowledgedAtOnce_EvenWhenInteractive_UnderLinux() => PassesUnder(Accepted + """
        +0 < P. 1:101(100) ack 1 win 257
        +0 > . 1:1(0) ack 101
        +0 write(4, ..., 100) = 100
        +0 > P. 1:101(100) ack 101
        +0 < P. 101:1101(1000) ack 101 win 257
        +0 < P. 1101:2101(1000) ack 101 win 257
        +0 > . 101:101(0) ack 2101

        """, "linux");

    [Fact]
    public void TcpQuickAckOne_SendsThePendingDelayedAckAtOnce_UnderLinux() => PassesUnder(Accepted + """
        +0 < P. 1:101(100) ack 1 win 257
        +0 > . 1:1(0) ack 101
        +0 write(4, ..., 100) = 100
        +0 > P. 1:101(100) ack 101
        +0 < P. 101:201(100) ack 101 win 257
        +.01 setsockopt(4, SOL_TCP, TCP_QUICKACK, [1], 4) = 0
        +0 > . 101:101(0) ack 201

        """, "linux");

    [Fact]
    public void TcpQuickAckZero_MakesTheConnectionInteractive_SoEvenTheFirstAckIsDelayed_UnderLinux() => PassesUnder(Accepted + """
        +0 setsockopt(4, SOL_TCP, TCP_QUICKACK, [0], 4) = 0
        +0 < P. 1:101(100) ack 1 win 257
        +.04 > . 1:1(0) ack 101

        """, "linux");

    private const string WindowScaleByBuffer = """
         0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3
        +0 bind(3, ..., ...) = 0
        +0 listen(3, 1) = 0
        +0 < S 0:0(0) win 32792 <mss 1000,sackOK,nop,nop,nop,wscale 7>
        +0 > S. 0:0(0) ack 1 <mss 1460,nop,nop,sackOK,nop,wscale 7>

        """;

    [Fact]
    public void TheWindowScaleIsSevenForTheDefaultSixMebibyteTcpRmemMax_UnderLinux() => PassesUnder(WindowScaleByBuffer, "linux");

    [Fact]
    public void TheWindowScaleIsEightForAFifteenMebibyteTcpRmemMax_UnderLinux() =>
        FailsUnderAt("`sysctl -q net.ipv4.tcp_rmem=\"4096 540000 15728640\"`\n" + WindowScaleByBuffer, "linux", 6);

    private const string Challenges = Accepted + """
        +0 < R 100:100(0) win 257
        +0 > . 1:1(0) ack 1
        +.1 < R 200:200(0) win 257
        +.5 < R 300:300(0) win 257
        +0 > . 1:1(0) ack 1

        """;

    [Fact]
    public void ChallengeAcksAreSpacedFiveHundredMillisecondsApart_UnderLinux() => PassesUnder(Challenges, "linux");

    [Fact]
    public void ChallengeAcksAreCountedPerSecond_UnderRfc9293() => FailsUnderAt(Challenges, "rfc9293", 13);
}
