using TcpModel.Machine;
using static TcpModel.Tests.Machine.Fixtures;

namespace TcpModel.Tests.Machine.Fidelity;

/// <summary>RFC 6298 §2 (SRTT, RTTVAR, RTO with alpha 1/8, beta 1/4, K 4, G 1 µs) and §3 (Karn's algorithm), read
/// from the RFC's own state variables after each measured round trip. The ESTABLISHED fixture's handshake took
/// 10 ms: its first sample.</summary>
public sealed class RttEstimation
{
    /// <summary>"hello" sent now and acknowledged <paramref name="rtt"/> µs later.</summary>
    private static void RoundTrip(Conn c, long rtt, string text = "hello")
    {
        c.Send(text);
        c.Now += rtt;
        AssertSent(c.Arrive($"<SEQ={c.PeerNxt}><ACK={c.OurNxt + text.Length}><CTL=ACK><WND={PeerWnd}>"));
        c.OurNxt += text.Length;
    }

    [Fact, Trait("RFC", "6298 §2.2"), Trait("RFC", "6298 §2.4")]
    public void TheFirstMeasurement_SetsSrttToRAndRttvarToHalfOfIt_AndTheRtoIsRoundedUpToOneSecond()
    {
        var c = Established();
        Assert.Equal(PeerDelay, c.Tcb.Srtt);
        Assert.Equal(PeerDelay / 2, c.Tcb.RttVar);
        Assert.Equal(Second, c.Tcb.Rto); // SRTT + 4·RTTVAR = 30 ms, below the 1 s minimum
    }

    [Fact, Trait("RFC", "6298 §2.3")]
    public void ASubsequentMeasurement_UpdatesRttvarWithTheOldSrttFirst_ThenSrtt_AndTheRtoFollows()
    {
        var c = Established();
        RoundTrip(c, 900_000);
        // RTTVAR = 3/4 · 5 ms + 1/4 · |10 ms − 900 ms| = 226.25 ms; SRTT = 7/8 · 10 ms + 1/8 · 900 ms = 121.25 ms
        Assert.Equal(226_250, c.Tcb.RttVar);
        Assert.Equal(121_250, c.Tcb.Srtt);
        Assert.Equal(121_250 + 4 * 226_250, c.Tcb.Rto); // 1026.25 ms, above the minimum
        c.Send("more");
        Assert.Equal(c.Now + 1_026_250, c.Deadline(TimerKind.Retransmit));
    }

    [Fact, Trait("RFC", "6298 §2.2"), Trait("RFC", "6298 §2.3")]
    public void AFirstMeasurementOfZero_IsStillAMeasurement_SoTheNextOneIsASubsequentOne()
    {
        // the peer's SYN,ACK at the instant of our SYN: R = 0 on the 1 µs clock
        var c = new Conn(new Endpoint(Profile.Rfc9293, new EndpointOptions { Isn = new FixedIsnSource(OurIss) }));
        c.User(Input.OpenActive);
        c.Arrive($"<SEQ={Irs}><ACK={Iss + 1}><CTL=SYN,ACK><WND={PeerWnd}><OPT=MSS:1460>");
        c.PeerNxt = Irs + 1;
        c.OurNxt = Iss + 1;
        Assert.Equal(0, c.Tcb.Srtt);
        Assert.Equal(0, c.Tcb.RttVar);
        Assert.Equal(Second, c.Tcb.Rto); // G = 1 µs, then rounded up to the 1 s minimum
        RoundTrip(c, 900_000);
        Assert.Equal(225_000, c.Tcb.RttVar); // 3/4 · 0 + 1/4 · 900 ms
        Assert.Equal(112_500, c.Tcb.Srtt);   // 7/8 · 0 + 1/8 · 900 ms
    }

    [Fact, Trait("RFC", "6298 §2.3")]
    public void EachRoundTrip_IsTimedFromItsOwnSegment()
    {
        var c = Established();
        RoundTrip(c, 100_000);
        Assert.Equal(21_250, c.Tcb.Srtt);   // 7/8 · 10 ms + 1/8 · 100 ms
        Assert.Equal(26_250, c.Tcb.RttVar); // 3/4 · 5 ms + 1/4 · 90 ms
        c.Now += 5 * Second; // idle: the next segment is timed from when it is sent, not from the last one
        RoundTrip(c, 100_000);
        Assert.Equal(39_375, c.Tcb.RttVar); // 3/4 · 26.25 ms + 1/4 · |21.25 ms − 100 ms|
        Assert.Equal(31_093, c.Tcb.Srtt);   // (7 · 21.25 ms + 100 ms) / 8, in whole µs
    }

    [Fact, Trait("RFC", "6298 §2.3")]
    public void AnAckOfPartOfTheTimedSegment_IsNoMeasurement_TheAckOfAllOfItIs()
    {
        var c = Established();
        c.Send("hello");
        c.Now += 100_000;
        AssertSent(c.Arrive($"<SEQ={c.PeerNxt}><ACK={c.OurNxt + 2}><CTL=ACK><WND={PeerWnd}>"));
        Assert.Equal(PeerDelay, c.Tcb.Srtt);
        c.Now += 100_000;
        AssertSent(c.Arrive($"<SEQ={c.PeerNxt}><ACK={c.OurNxt + 5}><CTL=ACK><WND={PeerWnd}>"));
        Assert.Equal((7 * PeerDelay + 200_000) / 8, c.Tcb.Srtt);
    }

    [Fact, Trait("RFC", "6298 §3"), Trait("RFC", "6298 §5.5")]
    public void TheAckOfARetransmittedSegment_IsNoMeasurement_KarnsAlgorithm()
    {
        // "RTT samples MUST NOT be made using segments that were retransmitted"
        var c = Established();
        c.Send("hello");
        AssertSent(c.FireNextTimer(), $"<SEQ={c.OurNxt}><ACK={c.PeerNxt}><CTL=PSH,ACK><DATA=\"hello\">");
        Assert.Equal(2 * Second, c.Tcb.Rto); // §5.5: backed off
        c.Now += 100_000;
        AssertSent(c.Arrive($"<SEQ={c.PeerNxt}><ACK={c.OurNxt + 5}><CTL=ACK><WND={PeerWnd}>"));
        Assert.Equal(PeerDelay, c.Tcb.Srtt);
        Assert.Equal(PeerDelay / 2, c.Tcb.RttVar);
        Assert.Equal(2 * Second, c.Tcb.Rto);
    }

    private static Profile RtoMinOnVariance => Profile.Rfc9293 with { RtoMinOnVariance = true, RtoMin = 200_000 };

    [Fact, Trait("RFC", "6298 §2.3")]
    public void UnderRtoMinOnVariance_TheMinimumIsAddedToSrtt_WhenItExceedsFourRttvar()
    {
        // POLICY rto-min-on-variance (Linux tcp_set_rto): RTO = SRTT + max(4·RTTVAR, RTO.min)
        var c = Established(RtoMinOnVariance);
        Assert.Equal(PeerDelay + 200_000, c.Tcb.Rto);
        RoundTrip(c, 100_000);
        Assert.Equal(21_250 + 200_000, c.Tcb.Rto); // 4 · 26.25 ms = 105 ms < 200 ms
    }

    [Fact, Trait("RFC", "6298 §2.3")]
    public void UnderRtoMinOnVariance_FourRttvarIsAddedToSrtt_WhenItExceedsTheMinimum()
    {
        var c = Established(RtoMinOnVariance);
        RoundTrip(c, 900_000);
        Assert.Equal(121_250 + 4 * 226_250, c.Tcb.Rto);
    }
}
