using TcpModel.Benchmarks;
using TcpModel.Machine;
using TcpModel.Wire;

namespace TcpModel.Tests.Benchmarks;

/// <summary>Runs the code path of every transition benchmark once, untimed, and checks that all four
/// means walk the lifecycle through the same states.</summary>
[Trait("Area", "Benchmarks")]
public sealed class TransitionBenchmarkPaths
{
    private readonly TransitionBenchmarks _b = new(new TransitionTable());

    public TransitionBenchmarkPaths() => _b.Setup();

    [Fact]
    public void TheLifecyclePathVisitsAllElevenStates() =>
        Assert.Equal(TcpStates.All.OrderBy(s => s), Lifecycle.States.Distinct().OrderBy(s => s));

    [Fact]
    public void EveryMeansWalksTheLifecycleThroughTheDeclaredStates()
    {
        var traces = _b.Trace();
        Assert.All(traces, t => Assert.Equal(Lifecycle.States, t));
    }

    [Fact]
    public void StatelessFireEndsTheLifecycleInClosed() => Assert.Equal(TcpState.Closed, _b.StatelessFire());

    [Fact]
    public void CompiledLookupEndsTheLifecycleInClosed() => Assert.Equal(TcpState.Closed, _b.CompiledLookup());

    [Fact]
    public void HandWrittenSwitchEndsTheLifecycleInClosed() => Assert.Equal(TcpState.Closed, _b.HandWritten());

    [Fact]
    public void RawArrayEndsTheLifecycleInClosed() => Assert.Equal(TcpState.Closed, _b.RawArray());
}

/// <summary>Runs the code path of every step benchmark (twice, to show the second operation starts from
/// the same state as the first), untimed, and checks what it emits.</summary>
[Trait("Area", "Benchmarks")]
public sealed class StepBenchmarkPaths
{
    private readonly StepBenchmarks _b = new();

    public StepBenchmarkPaths() => _b.Setup();

    [Fact]
    public void PureAckInEstablishedFiresDuplicateAckAndSendsNothing()
    {
        for (int i = 0; i < 2; i++)
        {
            Assert.Equal(0, _b.PureAck());
            var fired = Assert.Single(_b.Out.Fired.ToArray());
            Assert.Equal(new CellKey(TcpState.Established, Trigger.AckDuplicate), fired.Cell.Key);
            Assert.Equal(TcpState.Established, _b.Endpoints.Ack.State);
        }
    }

    [Fact]
    public void InOrderDataIsAcknowledgedAndReadOutEveryTime()
    {
        var tcb = _b.Endpoints.Data.Tcb;
        for (int i = 0; i < 2; i++)
        {
            var rcvNxt = tcb.RcvNxt;
            Assert.Equal(1 + 100, _b.InOrderData());
            Assert.Equal(rcvNxt + new SeqLen(100), tcb.RcvNxt);
            Assert.Equal(0, tcb.ReceiveQueue.Count);
            Assert.Equal(TcpState.Established, _b.Endpoints.Data.State);
        }
    }

    [Fact]
    public void InOrderDataCausesOneAckOfTheNewRcvNxt()
    {
        var server = _b.Endpoints.Data;
        var seg = Fixtures.DataAt(server.Tcb, new byte[100]);
        server.Step(Input.Arrive(seg), Fixtures.Now, _b.Out);
        var ack = Assert.Single(_b.Out.Segments.ToArray());
        Assert.Equal($"<SEQ={server.Tcb.SndNxt}><ACK={seg.Seq + new SeqLen(100)}><CTL=ACK>", ack.ToShortString());
    }

    [Fact]
    public void HandshakeOnFreshEndpointsEstablishes() =>
        Assert.Equal(TcpState.Established, _b.HandshakeFreshEndpoints());

    [Fact]
    public void HandshakeOnReusedEndpointsEstablishesBothSidesEveryTime()
    {
        for (int i = 0; i < 2; i++)
        {
            Assert.Equal(TcpState.Established, _b.HandshakeReusedEndpoints());
            Assert.Equal(TcpState.Established, _b.Endpoints.HsClient.State);
            Assert.Equal(new SeqNum(Fixtures.ClientIss + 1), _b.Endpoints.HsClient.Tcb.SndNxt);
        }
    }

    [Fact]
    public void ReleaseClosesBothEndpointsEveryTime()
    {
        for (int i = 0; i < 2; i++)
        {
            Assert.Equal(TcpState.Closed, _b.Release());
            Assert.Equal(TcpState.Closed, _b.Endpoints.RelB.State);
            // the last step was A's TIME-WAIT timeout
            Assert.Equal(new FiredCell(TcpState.TimeWait, TransitionTable.Declared.Facts[new CellKey(TcpState.TimeWait, Trigger.TimeWaitTimeout)]),
                Assert.Single(_b.PairOut.A.Fired.ToArray()));
        }
    }

    [Fact]
    public void InWindowRstGetsAChallengeAckEveryTime()
    {
        var tcb = _b.Endpoints.Rst.Tcb;
        for (int i = 0; i < 3; i++)
        {
            Assert.Equal(1, _b.ChallengeAck());
            Assert.Equal($"<SEQ={tcb.SndNxt}><ACK={tcb.RcvNxt}><CTL=ACK>", _b.Out.Segments[0].ToShortString());
            Assert.Equal(TcpState.Established, _b.Endpoints.Rst.State);
        }
    }
}

/// <summary>Runs the packetdrill benchmark's code path once, untimed: every script it finds passes.</summary>
[Trait("Area", "Benchmarks")]
public sealed class PacketdrillBenchmarkPath
{
    [Theory]
    [InlineData("standard")]
    [InlineData("freebsd")]
    public void RunningAllScriptsPassesEveryOne(string profile)
    {
        var b = new PacketdrillBenchmarks { Profile = profile };
        b.Setup();
        Assert.True(b.ScriptCount > 0);
        Assert.Equal(b.ScriptCount, b.RunAllScripts());
        Assert.True(b.ParseAllScripts() > 0);
    }
}

/// <summary>The schedule benchmark runs its generated schedules through model and reference.</summary>
public sealed class ScheduleBenchmarkPaths
{
    [Fact]
    public void EveryGeneratedScheduleRunsThroughModelAndReferenceWithoutThrowing()
    {
        var b = new TcpModel.Benchmarks.ScheduleBenchmarks();
        b.Setup();
        for (int i = 0; i < 256; i++)
        {
            Assert.InRange(b.ModelAndReference(), 0, TcpModel.Benchmarks.ScheduleBenchmarks.Steps);
            Assert.Equal(0, b.ModelOnly());
        }
    }
}

/// <summary>Runs the pcap benchmark's checking path once, untimed.</summary>
[Trait("Area", "Benchmarks")]
public sealed class PcapBenchmarkPath
{
    [Fact]
    public void TheMergedFixturesHoldEveryFixturesConnections()
    {
        var b = new PcapBenchmarks();
        b.Setup();
        Assert.True(b.Packets > 100);
        Assert.Equal(13, b.CheckPcap());
    }
}
