using TcpModel.Machine;
using static TcpModel.Tests.Machine.Fixtures;

namespace TcpModel.Tests.Machine;

/// <summary>RFC 1122 §4.2.3.5: R1 gives negative advice, R2 closes the connection.</summary>
public sealed class RetransmissionThresholds
{
    [Fact, Trait("RFC", "1122 §4.2.3.5")]
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
    public void R1IsAProfileValue()
    {
        var c = Established(With(p => p with { R1 = 1 }));
        c.Send("hello");
        c.FireNextTimer();
        Assert.Equal([Notice.ExcessiveRetransmissions], c.Notices);
    }
}
