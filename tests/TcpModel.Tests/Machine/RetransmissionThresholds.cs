using TcpModel.Machine;
using static TcpModel.Tests.Machine.Fixtures;

namespace TcpModel.Tests.Machine;

/// <summary>RFC 1122 §4.2.3.5: R1 gives negative advice, R2 closes the connection.</summary>
public sealed class RetransmissionThresholds
{
    [Fact, Trait("RFC", "1122 §4.2.3.5")]
    [Trait("RFC", "MUST-20")]
    [Trait("RFC", "SHLD-9")]
    public void TheThirdRetransmissionOfOneSegment_GivesNegativeAdvice_AndTheConnectionGoesOn()
    {
        var c = Established();
        c.Send("hello");
        c.FireNextTimer();
        Assert.DoesNotContain(Notice.ExcessiveRetransmissions, c.Notices);
        c.FireNextTimer();
        Assert.DoesNotContain(Notice.ExcessiveRetransmissions, c.Notices);
        Assert.Single(c.FireNextTimer());
        Assert.Equal([Notice.ExcessiveRetransmissions], c.Notices);
        Assert.Equal(TcpState.Established, c.State);
        c.FireNextTimer();
        Assert.DoesNotContain(Notice.ExcessiveRetransmissions, c.Notices);
    }

    [Fact, Trait("RFC", "1122 §4.2.3.5")]
    [Trait("RFC", "SHLD-10")]
    public void R1IsAProfileValue()
    {
        var c = Established(With(p => p with { R1 = 1 }));
        c.Send("hello");
        c.FireNextTimer();
        Assert.Equal([Notice.ExcessiveRetransmissions], c.Notices);
    }
}

/// <summary>RFC 6298 §5.7: a SYN that timed out leaves an RTO of 3 s for the data that follows.</summary>
public sealed class RtoAfterSynTimeout
{
    [Fact, Trait("RFC", "6298 §5.7")]
    public void AfterASynRetransmission_TheFirstDataRetransmissionWaitsThreeSeconds()
    {
        var e = new Endpoint(Profile.Rfc9293, new EndpointOptions { Isn = new FixedIsnSource(Iss.Value) });
        var o = new Outbox();
        e.Step(Input.OpenActive, 0, o);
        e.Step(Input.Tick, 1_000_000, o); // the SYN is retransmitted; RTO backs off to 2 s
        Assert.Equal(2_000_000, e.Tcb.Rto);
        e.Step(Input.Arrive(TcpModel.Wire.Segment.Parse($"<SEQ={Irs}><ACK={Iss + 1}><CTL=SYN,ACK><WND={PeerWnd}>")), 1_100_000, o);
        Assert.Equal(TcpState.Established, e.State);
        Assert.Equal(3_000_000, e.Tcb.Rto);
        e.Step(Input.Send("x"u8.ToArray()), 1_200_000, o);
        Assert.Equal(1_200_000 + 3_000_000, e.Tcb.Timers.Get(TimerKind.Retransmit));
    }

    [Fact, Trait("RFC", "6298 §5.7")]
    public void AfterThreeSynRetransmissions_TheBackedOffRtoIsReinitializedToThreeSeconds()
    {
        // "re-initialized to 3 seconds": the 1 s initial RTO is "less than 3 seconds", so the backed-off 8 s goes back
        // to 3 s too (Linux tcp_init_metrics: icsk_rto = TCP_TIMEOUT_FALLBACK)
        var e = new Endpoint(Profile.Rfc9293, new EndpointOptions { Isn = new FixedIsnSource(Iss.Value) });
        var o = new Outbox();
        e.Step(Input.OpenActive, 0, o);
        e.Step(Input.Tick, 1_000_000, o);
        e.Step(Input.Tick, 3_000_000, o);
        e.Step(Input.Tick, 7_000_000, o);
        Assert.Equal(8_000_000, e.Tcb.Rto);
        e.Step(Input.Arrive(TcpModel.Wire.Segment.Parse($"<SEQ={Irs}><ACK={Iss + 1}><CTL=SYN,ACK><WND={PeerWnd}>")), 7_100_000, o);
        Assert.Equal(TcpState.Established, e.State);
        Assert.Equal(3_000_000, e.Tcb.Rto);
        e.Step(Input.Send("x"u8.ToArray()), 7_200_000, o);
        Assert.Equal(7_200_000 + 3_000_000, e.Tcb.Timers.Get(TimerKind.Retransmit));
    }

    [Fact, Trait("RFC", "6298 §5.7")]
    public void WithoutASynTimeout_TheRtoComesFromTheHandshakeSample()
    {
        var e = new Endpoint(Profile.Rfc9293, new EndpointOptions { Isn = new FixedIsnSource(Iss.Value) });
        var o = new Outbox();
        e.Step(Input.OpenActive, 0, o);
        e.Step(Input.Arrive(TcpModel.Wire.Segment.Parse($"<SEQ={Irs}><ACK={Iss + 1}><CTL=SYN,ACK><WND={PeerWnd}>")), 100_000, o);
        Assert.Equal(TcpState.Established, e.State);
        Assert.Equal(1_000_000, e.Tcb.Rto); // 100 ms sample, RTO rounded up to the 1 s minimum (RFC 6298 §2.4)
    }

    [Fact, Trait("RFC", "6298 §5.7")]
    public void AfterASynRetransmission_AnAckOfOurSynArrivingInFinWait1_AlsoLeavesThreeSeconds()
    {
        // the handshake completes in FIN-WAIT-1 (a simultaneous open, then CLOSE in SYN-RECEIVED): "when data
        // transmission begins (i.e., after the three-way handshake completes)" is here too, not only ESTABLISHED
        var e = new Endpoint(Profile.Rfc9293, new EndpointOptions { Isn = new FixedIsnSource(Iss.Value) });
        var o = new Outbox();
        e.Step(Input.OpenActive, 0, o);
        e.Step(Input.Tick, 1_000_000, o); // the SYN is retransmitted; RTO backs off to 2 s
        e.Step(Input.Arrive(TcpModel.Wire.Segment.Parse($"<SEQ={Irs}><CTL=SYN><WND={PeerWnd}>")), 1_100_000, o);
        Assert.Equal(TcpState.SynReceived, e.State);
        e.Step(Input.Close, 1_150_000, o);
        Assert.Equal(TcpState.FinWait1, e.State);
        e.Step(Input.Arrive(TcpModel.Wire.Segment.Parse($"<SEQ={Irs + 1}><ACK={Iss + 1}><CTL=ACK><WND={PeerWnd}>")), 1_200_000, o);
        Assert.Equal(TcpState.FinWait1, e.State);
        Assert.Equal(3_000_000, e.Tcb.Rto);
        Assert.Equal(1_200_000 + 3_000_000, e.Tcb.Timers.Get(TimerKind.Retransmit)); // our FIN is still outstanding
    }
}

/// <summary>POLICY simultaneous-open-rtt (RFC 6298 §3): whether, and from when, the ACK that completes a simultaneous
/// open is an RTT sample. Our SYN leaves at 0 s, the peer's SYN crosses it at 2 s (our SYN,ACK answers), the peer's
/// ACK of our SYN arrives at 3 s; RTO.initial is 10 s so that no timer fires and every reading shows.</summary>
public sealed class SimultaneousOpenRttSample
{
    private static Endpoint CompleteASimultaneousOpen(SimultaneousOpenRtt reading)
    {
        var profile = Profile.Rfc9293 with { RtoInitial = 10_000_000, SimultaneousOpenRtt = reading };
        var e = new Endpoint(profile, new EndpointOptions { Isn = new FixedIsnSource(Iss.Value) });
        var o = new Outbox();
        e.Step(Input.OpenActive, 0, o);
        e.Step(Input.Arrive(TcpModel.Wire.Segment.Parse($"<SEQ={Irs}><CTL=SYN><WND={PeerWnd}>")), 2_000_000, o);
        Assert.Equal(TcpState.SynReceived, e.State);
        e.Step(Input.Arrive(TcpModel.Wire.Segment.Parse($"<SEQ={Irs + 1}><ACK={Iss + 1}><CTL=ACK><WND={PeerWnd}>")), 3_000_000, o);
        Assert.Equal(TcpState.Established, e.State);
        return e;
    }

    [Fact, Trait("RFC", "6298 §3")]
    public void UnderKarn_TheAckOfASimultaneousOpen_IsNoSample_BecauseTheSynAckSentOurSynAgain()
    {
        var e = CompleteASimultaneousOpen(SimultaneousOpenRtt.Karn);
        Assert.True(e.Tcb.Srtt < 0);
        Assert.Equal(10_000_000, e.Tcb.Rto);
    }

    [Fact, Trait("RFC", "6298 §3")]
    public void FromSyn_TheSampleRunsFromOurFirstSyn_AsFreeBsdTcpOutputKeepsItsTiming()
    {
        var e = CompleteASimultaneousOpen(SimultaneousOpenRtt.FromSyn);
        Assert.Equal(3_000_000, e.Tcb.Srtt);
        Assert.Equal(3_000_000 + 4 * 1_500_000, e.Tcb.Rto); // RFC 6298 §2.2: SRTT = R, RTTVAR = R/2, RTO = SRTT + 4·RTTVAR
    }

    [Fact, Trait("RFC", "6298 §3")]
    public void FromSynAck_TheSampleRunsFromTheSynAck_AsLinuxTcpSendSynackRestampsTheSyn()
    {
        var e = CompleteASimultaneousOpen(SimultaneousOpenRtt.FromSynAck);
        Assert.Equal(1_000_000, e.Tcb.Srtt);
        Assert.Equal(1_000_000 + 4 * 500_000, e.Tcb.Rto);
    }

    [Fact]
    public void TheBuiltInProfilesRead_Karn_ForTheRfcs_FromSyn_ForFreeBsd_AndFromSynAck_ForLinux()
    {
        Assert.Equal(SimultaneousOpenRtt.Karn, Profile.Rfc9293.SimultaneousOpenRtt);
        Assert.Equal(SimultaneousOpenRtt.Karn, Profile.Rfc793.SimultaneousOpenRtt);
        Assert.Equal(SimultaneousOpenRtt.FromSyn, Profile.FreeBsd.SimultaneousOpenRtt);
        Assert.Equal(SimultaneousOpenRtt.FromSynAck, Profile.Linux.SimultaneousOpenRtt);
    }
}
