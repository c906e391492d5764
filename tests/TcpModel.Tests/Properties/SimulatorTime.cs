using TcpModel.Machine;
using TcpModel.Network;

namespace TcpModel.Tests.Properties;

/// <summary>Virtual time in the simulator passes for both endpoints: a jump to one side's deadline fires the other
/// side's timers that fall due on the way, each at its own deadline.</summary>
public sealed class SimulatorTime
{
    private static Scenario LastAckWaitsWhileTheActiveCloserIsInTimeWait(params Ev[] then) => new(4294967000u, 4294966000u,
    [
        Ev.OpenPassive(Side.B),
        Ev.OpenActive(Side.A),
        Ev.Deliver(Side.B),   // SYN
        Ev.Deliver(Side.A),   // SYN,ACK
        Ev.Deliver(Side.B),   // ACK
        Ev.Close(Side.A),
        Ev.Deliver(Side.B),   // A's FIN: B in CLOSE-WAIT
        Ev.Deliver(Side.A),   // its ACK: A in FIN-WAIT-2
        Ev.Close(Side.B),     // B in LAST-ACK, its FIN timed
        Ev.Deliver(Side.A),   // B's FIN: A in TIME-WAIT
        Ev.Lose(Side.B),      // the last ACK is lost
        .. then,
    ]);

    [Fact]
    public void WhenTheActiveCloser2MslElapses_ThePassiveClosersRetransmissionsFallDueOnTheWay_AndR2EndsIt()
    {
        var sim = new Simulator(LastAckWaitsWhileTheActiveCloserIsInTimeWait(Ev.TimeWaitExpires(Side.A)), Profile.Rfc9293);
        Assert.Null(sim.Run());
        Assert.Equal(TcpState.Closed, sim[Side.A].State);
        // B retransmitted its FIN at 1, 3, 7, … s and gave up at R2 (100 s), long before A's 2 MSL (240 s) ended
        Assert.Equal(TcpState.Closed, sim[Side.B].State);
        Assert.Contains((Side.B, Notice.RetransmissionTimeout), sim.AllNotices);
        Assert.Contains("B: timer fires at 1.", sim.Ladder);
    }

    [Fact]
    public void BeforeTheJump_NothingHasFallenDue()
    {
        var sim = new Simulator(LastAckWaitsWhileTheActiveCloserIsInTimeWait(), Profile.Rfc9293);
        Assert.Null(sim.Run());
        Assert.Equal(TcpState.TimeWait, sim[Side.A].State);
        Assert.Equal(TcpState.LastAck, sim[Side.B].State);
    }
}
