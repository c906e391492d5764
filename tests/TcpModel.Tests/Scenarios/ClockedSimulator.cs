using TcpModel.Machine;
using TcpModel.Network;

namespace TcpModel.Tests.Scenarios;

/// <summary>The <see cref="Simulator"/> clocked with a fixed one-way latency (the walkthrough's and the RFC
/// figures' network): segments arrive one latency after they are sent, time runs only as far as asked, and a
/// loss rule picks segments by their number as they are sent.</summary>
public sealed class ClockedSimulator
{
    private const long Latency = 10_000;

    private static Simulator Sim(Func<SegmentSent, bool>? lose = null) =>
        new(new Endpoint(Profile.Rfc9293, new EndpointOptions { Isn = new FixedIsnSource(100, 200) }),
            new Endpoint(Profile.Rfc9293, new EndpointOptions { Isn = new FixedIsnSource(300) }), Latency) { Lose = lose };

    private static List<(long Time, Side To, string Segment)> Arrivals(Simulator sim) =>
        [.. sim.Rows.Where(r => r.Event == "arrives").Select(r => (r.Time, r.Side, r.Segment!.Value.ToShortString()))];

    [Fact]
    public void EverySegmentArrivesOneLatencyAfterItWasSent()
    {
        var sim = Sim();
        sim.User(Side.B, Input.OpenPassive(), "OPEN (passive)");
        sim.User(Side.A, Input.OpenActive, "OPEN (active)");
        sim.RunUntil();
        Assert.Null(sim.Failure);
        Assert.Equal(
            [(10_000L, Side.B, "<SEQ=100><CTL=SYN><OPT=MSS:1460>"),
             (20_000L, Side.A, "<SEQ=300><ACK=101><CTL=SYN,ACK><OPT=MSS:1460>"),
             (30_000L, Side.B, "<SEQ=101><ACK=301><CTL=ACK>")],
            Arrivals(sim));
        Assert.Equal(30_000, sim.Now);
        Assert.Equal((TcpState.Established, TcpState.Established), (sim[Side.A].State, sim[Side.B].State));
    }

    [Fact]
    public void TimeRunsOnlyAsFarAsAsked_AndTheClockThenReadsThatTime()
    {
        var sim = Sim();
        sim.User(Side.B, Input.OpenPassive(), "OPEN (passive)");
        sim.User(Side.A, Input.OpenActive, "OPEN (active)");
        sim.RunUntil(Latency - 1);
        Assert.Empty(Arrivals(sim));
        Assert.Equal(Latency - 1, sim.Now);
        sim.RunUntil(Latency);                       // due at the limit: it arrives
        Assert.Single(Arrivals(sim));
        Assert.Equal(TcpState.SynReceived, sim[Side.B].State);
    }

    [Fact]
    public void TheLossRuleGetsEachSegmentWithItsNumberFromItsSender_AndALostSegmentNeverArrives()
    {
        var seen = new List<(Side, int)>();
        var sim = Sim(s =>
        {
            seen.Add((s.From, s.Number));
            return s.From == Side.A && s.Number == 1;  // A's first SYN
        });
        sim.User(Side.B, Input.OpenPassive(), "OPEN (passive)");
        sim.User(Side.A, Input.OpenActive, "OPEN (active)");
        sim.RunUntil();
        Assert.Equal([(Side.A, 1), (Side.A, 2), (Side.B, 1), (Side.A, 3)], seen);
        var lost = Assert.Single(sim.Rows, r => r.SentAndLost);
        Assert.Equal((0L, Side.A), (lost.Time, lost.Side));
        // the retransmission after the initial 1 s RTO (RFC 6298 §2.1) is the first to arrive
        Assert.Equal((1_000_000L + Latency, Side.B), (Arrivals(sim)[0].Time, Arrivals(sim)[0].To));
        Assert.Contains("(lost)", sim.Ladder, StringComparison.Ordinal);
    }

    [Fact]
    public void SegmentsDueAtOneInstantArriveInTheOrderSent()
    {
        var sim = Sim();
        sim.User(Side.A, Input.OpenActive, "OPEN");   // A's SYN is sent first,
        sim.User(Side.B, Input.OpenActive, "OPEN");   // B's at the same instant
        sim.RunUntil(Latency);
        Assert.Equal([Side.B, Side.A], Arrivals(sim).Select(a => a.To));
    }

    [Fact]
    public void UserCallsRecordWhatSendTookAndWhatReceiveReturned()
    {
        var sim = Sim();
        sim.User(Side.B, Input.OpenPassive(), "OPEN (passive)");
        sim.User(Side.A, Input.OpenActive, "OPEN (active)");
        sim.RunUntil();
        sim.User(Side.A, Input.Send("hello"u8.ToArray()), "SEND");
        sim.RunUntil();
        sim.User(Side.B, Input.Receive(new byte[3]), "RECEIVE");
        Assert.Equal("hello"u8.ToArray(), sim.Sent[0]);
        Assert.Equal("hel"u8.ToArray(), sim.Read[1]);
        Assert.Contains(sim.Rows, r => r.Event == "reads \"hel\"" && r.Side == Side.B);
    }

    [Fact]
    public void TheFigureLadderShowsCallsSegmentsAndStatesEnteredWithoutSending()
    {
        var sim = Sim();
        sim.User(Side.B, Input.OpenPassive(), "OPEN (passive)");
        sim.User(Side.A, Input.OpenActive, "OPEN (active)");
        sim.RunUntil();
        sim.User(Side.A, Input.Close, "CLOSE");
        sim.RunUntil();
        sim.User(Side.B, Input.Close, "CLOSE");
        sim.RunUntil();
        var ladder = LadderRow.Of(sim.Rows);
        Assert.Equal(
            ["B: OPEN (passive)", "A: OPEN (active)", "<SEQ=100><CTL=SYN><OPT=MSS:1460>", "<SEQ=300><ACK=101><CTL=SYN,ACK><OPT=MSS:1460>",
             "<SEQ=101><ACK=301><CTL=ACK>", "B: segment -> ESTABLISHED",
             "A: CLOSE", "<SEQ=101><ACK=301><CTL=FIN,ACK>", "<SEQ=301><ACK=102><CTL=ACK>", "A: segment -> FIN-WAIT-2",
             "B: CLOSE", "<SEQ=301><ACK=102><CTL=FIN,ACK>", "<SEQ=102><ACK=302><CTL=ACK>", "B: segment -> CLOSED",
             "A: TimeWaitTimeout -> CLOSED"],
            ladder.Select(r => r.Segment is { } s ? s.ToShortString() : r.Event));
        // a call shows the states before it, a segment its sender's state after sending
        Assert.Equal((TcpState.Closed, TcpState.Listen), (ladder[1].StateA, ladder[1].StateB));
        Assert.Equal(TcpState.SynSent, ladder[2].StateA);
        Assert.Equal(sim.Now, ladder[^1].Time);
    }

    [Fact]
    public void OnlyAClockedSimulatorRunsByItself()
    {
        var scripted = new Simulator(new Scenario(1, 2, [Ev.OpenPassive(Side.B)]), Profile.Rfc9293);
        Assert.Null(scripted.Latency);
        Assert.Throws<InvalidOperationException>(() => scripted.RunUntil());
        Assert.Throws<ArgumentException>(() => Sim().User(Side.A, Input.Tick, "tick"));
    }

    [Fact]
    public void TheOldestInFlight_IsTheSegmentSentFirst_WhicheverSideItIsBoundFor()
    {
        var sim = Sim();
        Assert.Null(sim.OldestInFlight());
        sim.User(Side.B, Input.OpenActive, "OPEN (active)"); // B's SYN first
        sim.User(Side.A, Input.OpenActive, "OPEN (active)");
        Assert.Equal(Side.A, sim.OldestInFlight()); // bound for A
        sim.Apply(Ev.Lose(Side.A));
        Assert.Equal(Side.B, sim.OldestInFlight());
    }

    [Fact]
    public void AReplacedEndpoint_LosesWhatWasInFlightToTheOldOne_AndRunsFromItsOwnState()
    {
        var sim = Sim();
        sim.User(Side.B, Input.OpenPassive(), "OPEN (passive)");
        sim.User(Side.A, Input.OpenActive, "OPEN (active)");
        sim.RunUntil(15_000); // the SYN is in, B's SYN,ACK on its way to A
        Assert.Single(sim.InFlightTo(Side.A));
        var fresh = new Endpoint(Profile.Rfc9293, new EndpointOptions { Isn = new FixedIsnSource(900) });
        sim.Replace(Side.A, fresh);
        Assert.Same(fresh, sim[Side.A]);
        Assert.Empty(sim.InFlightTo(Side.A));
        Assert.Equal(TcpState.Closed, sim[Side.A].State);
        Assert.Equal(TcpState.SynReceived, sim[Side.B].State);
    }
}
