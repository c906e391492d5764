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
    public void WithoutASynTimeout_TheRtoComesFromTheHandshakeSample()
    {
        var e = new Endpoint(Profile.Rfc9293, new EndpointOptions { Isn = new FixedIsnSource(Iss.Value) });
        var o = new Outbox();
        e.Step(Input.OpenActive, 0, o);
        e.Step(Input.Arrive(TcpModel.Wire.Segment.Parse($"<SEQ={Irs}><ACK={Iss + 1}><CTL=SYN,ACK><WND={PeerWnd}>")), 100_000, o);
        Assert.Equal(TcpState.Established, e.State);
        Assert.Equal(1_000_000, e.Tcb.Rto); // 100 ms sample, RTO rounded up to the 1 s minimum (RFC 6298 §2.4)
    }
}
