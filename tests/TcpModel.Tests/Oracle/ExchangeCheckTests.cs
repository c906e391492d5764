using TcpModel.Conformance;
using TcpModel.Machine;
using TcpModel.Wire;

namespace TcpModel.Tests.Oracle;

/// <summary>
/// Records what a stack did as an <see cref="Exchange"/>: here the "stack" is a model endpoint with its own ISN
/// and profile, so a test can take a real exchange and then change one thing in it.
/// </summary>
internal sealed class Recorder
{
    private readonly Endpoint _ep;
    private readonly Outbox _out = new();
    public List<ExchangeEvent> Events { get; } = [];

    public Recorder(Profile profile, uint isn) =>
        _ep = new Endpoint(profile, new EndpointOptions { Isn = new FixedIsnSource(isn) });

    public Endpoint Endpoint => _ep;

    public Recorder Call(long t, Input input) { Until(t); Events.Add(new UserCallEvent(t, input)); Step(input, t); return this; }

    public Recorder Arrive(long t, string segment)
    {
        Until(t);
        var s = Segment.Parse(segment);
        Events.Add(new ArrivedEvent(t, s));
        Step(Input.Arrive(s), t);
        return this;
    }

    /// <summary>Runs the stack's timers up to <paramref name="t"/>.</summary>
    public Recorder Until(long t)
    {
        while (_ep.NextDeadline <= t) Step(Input.Tick, _ep.NextDeadline);
        return this;
    }

    private void Step(in Input input, long t)
    {
        _out.Clear();
        _ep.Step(input, t, _out);
        foreach (var s in _out.Segments) Events.Add(new SentEvent(t, s.WithPayload(s.Payload.ToArray())));
    }

    /// <summary>The exchange, with <paramref name="change"/> applied to each event (null drops it).</summary>
    public Exchange Exchange(Func<ExchangeEvent, ExchangeEvent?>? change = null)
    {
        var ex = new Exchange();
        foreach (var e in Events.Select(e => change is null ? e : change(e)).Where(e => e is not null).OrderBy(e => e!.Time))
        {
            switch (e)
            {
                case UserCallEvent u: ex.Call(u.Time, u.Input); break;
                case ArrivedEvent a: ex.Arrived(a.Time, a.Segment); break;
                case SentEvent s: ex.Sent(s.Time, s.Segment); break;
            }
        }
        return ex;
    }
}

/// <summary>
/// Issue 12, "check an exchange": <see cref="ExchangeCheck.Check"/> answers allowed / not allowed with the RFC
/// clause, accepting each nondeterminism a real stack has — and only within its bound.
/// </summary>
public sealed class ExchangeCheckTests
{
    private const long Ms = 1000;

    /// <summary>An active open near the top of sequence space, the peer's SYN,ACK at 10 ms, data both ways, our close.</summary>
    private static Recorder ActiveOpen(Profile profile, uint isn)
    {
        var r = new Recorder(profile, isn).Call(0, Input.OpenActive);
        var iss = r.Endpoint.Tcb.Iss.Value;
        return r
            .Arrive(10 * Ms, $"<SEQ=4294967000><ACK={iss + 1}><CTL=SYN,ACK><WND=65535>")
            .Call(20 * Ms, Input.Send(new byte[] { 1, 2, 3 }))
            .Arrive(30 * Ms, $@"<SEQ=4294967001><ACK={iss + 4}><CTL=ACK><WND=65535><DATA=""xy"">")
            .Call(40 * Ms, Input.Close)
            .Arrive(50 * Ms, $"<SEQ=4294967003><ACK={iss + 5}><CTL=FIN,ACK><WND=65535>")
            .Until(60 * Ms);
    }

    [Theory]
    [InlineData(0u)]
    [InlineData(12_345u)]
    [InlineData(0xFFFF_FFF0u)]
    public void WhateverIsnTheStackChooses_ItsExchangeIsAllowed(uint isn)
    {
        var verdict = ExchangeCheck.Check(ActiveOpen(Profile.Rfc9293, isn).Exchange(), Profile.Rfc9293);
        Assert.True(verdict.Allowed, verdict.ToString());
    }

    [Fact]
    public void AnAcknowledgmentOfTheWrongNumber_IsNotAllowed_NamingTheClauseOfTheCell()
    {
        var ex = ActiveOpen(Profile.Rfc9293, 100).Exchange(e =>
            e is SentEvent { Time: 10 * Ms } s ? s with { Segment = new Segment(s.Segment.Seq, s.Segment.Ack + new SeqLen(1), s.Segment.Control, s.Segment.Window) } : e);
        var verdict = ExchangeCheck.Check(ex, Profile.Rfc9293);
        Assert.False(verdict.Allowed);
        Assert.Equal(3, verdict.EventIndex); // OPEN, SYN sent, SYN,ACK arrives, our ACK
        Assert.StartsWith("RFC 9293 §3.10.7.3", verdict.Clause);
        Assert.Contains("<SEQ=101><ACK=4294967001><CTL=ACK>", verdict.Reason);
        Assert.Contains("not <SEQ=101><ACK=4294967002><CTL=ACK>", verdict.Reason);
    }

    [Fact]
    public void ASegmentTheModelNeverSends_IsNotAllowed()
    {
        var ex = ActiveOpen(Profile.Rfc9293, 100).Exchange();
        ex.Sent(70 * Ms, "<SEQ=105><ACK=4294967004><CTL=RST,ACK>");
        var verdict = ExchangeCheck.Check(ex, Profile.Rfc9293);
        Assert.False(verdict.Allowed, verdict.ToString());
        Assert.Contains("the model sends nothing", verdict.Reason);
    }

    /// <summary>The SYN is retransmitted at RTO (1 s): a stack's timer may fire within the jitter either way.</summary>
    [Theory]
    [InlineData(0L, true)]
    [InlineData(4_000L, true)]
    [InlineData(-4_000L, true)]
    [InlineData(30_000L, false)]
    [InlineData(-30_000L, false)]
    public void ARetransmissionWithinTheTimerJitter_IsAllowed_AndBeyondItIsNot(long shift, bool allowed)
    {
        var r = new Recorder(Profile.Rfc9293, 100).Call(0, Input.OpenActive).Until(1_500 * Ms);
        var retransmit = r.Events.OfType<SentEvent>().Skip(1).First();
        Assert.Equal(1_000 * Ms, retransmit.Time);
        var ex = r.Exchange(e => ReferenceEquals(e, retransmit) ? retransmit with { Time = retransmit.Time + shift } : e);
        ex.Call(1_500 * Ms, Input.Status); // the exchange goes on past the tolerance
        var verdict = ExchangeCheck.Check(ex, Profile.Rfc9293, new ExchangeTolerance { TimerJitter = 10 * Ms });
        Assert.True(allowed == verdict.Allowed, verdict.ToString());
        if (shift > 0 && !allowed) Assert.StartsWith("RFC 6298", verdict.Clause); // owed: the retransmission's clause
        if (shift < 0 && !allowed) Assert.Contains("the model sends nothing at 0.970000s (SND.NXT=101 RCV.NXT=0, its next timer fires at 1.000000s)", verdict.Reason);
    }

    private static Recorder DataArrives(Profile profile)
    {
        var r = new Recorder(profile, 100).Call(0, Input.OpenActive);
        return r.Arrive(10 * Ms, "<SEQ=500><ACK=101><CTL=SYN,ACK><WND=65535>")
                .Arrive(20 * Ms, @"<SEQ=501><ACK=101><CTL=ACK><WND=65535><DATA=""abcd"">");
    }

    /// <summary>RFC 9293 §3.8.6.3: the model (rfc9293: no delay) ACKs data at once; a stack may delay its ACK up
    /// to 0.5 s (MUST-40), not longer.</summary>
    [Theory]
    [InlineData(0L, true)]
    [InlineData(200_000L, true)]
    [InlineData(490_000L, true)]
    [InlineData(600_000L, false)]
    public void TheAcknowledgmentOfData_MayBeDelayedUpToHalfASecond(long delay, bool allowed)
    {
        var r = DataArrives(Profile.Rfc9293);
        var ack = r.Events.OfType<SentEvent>().Last();
        Assert.Equal("<SEQ=101><ACK=505><CTL=ACK>", ack.Segment.ToShortString());
        var ex = r.Exchange(e => ReferenceEquals(e, ack) ? null : e);
        ex.Sent(20 * Ms + delay, ack.Segment);
        var verdict = ExchangeCheck.Check(ex, Profile.Rfc9293);
        Assert.True(allowed == verdict.Allowed, verdict.ToString());
        if (!allowed) Assert.StartsWith("RFC 9293 §3.8.6.3 (MUST-40)", verdict.Clause);
    }

    /// <summary>The other way round: under a profile whose model delays the ACK, a stack may ACK at once — and the
    /// ACK the model then owes is covered.</summary>
    [Fact]
    public void AnImmediateAcknowledgment_IsAllowedWhereTheModelDelaysIt()
    {
        var delaying = Profile.Rfc9293 with { DelayedAck = 200_000 };
        var r = DataArrives(delaying).Until(300 * Ms);
        var ack = r.Events.OfType<SentEvent>().Last();
        Assert.Equal(220 * Ms, ack.Time);
        var ex = r.Exchange(e => ReferenceEquals(e, ack) ? ack with { Time = 20 * Ms } : e);
        ex.Call(900 * Ms, Input.Status);
        var verdict = ExchangeCheck.Check(ex, delaying);
        Assert.True(verdict.Allowed, verdict.ToString());
    }

    [Fact]
    public void AnAcknowledgmentNeverSent_IsNotAllowedOnceHalfASecondHasPassed()
    {
        var r = DataArrives(Profile.Rfc9293);
        var ack = r.Events.OfType<SentEvent>().Last();
        var ex = r.Exchange(e => ReferenceEquals(e, ack) ? null : e);
        ex.Call(521 * Ms, Input.Status);
        var verdict = ExchangeCheck.Check(ex, Profile.Rfc9293);
        Assert.False(verdict.Allowed);
        Assert.Contains("an acknowledgment <SEQ=101><ACK=505><CTL=ACK>", verdict.Reason);
        Assert.StartsWith("RFC 9293 §3.8.6.3 (MUST-40)", verdict.Clause);
        // the same exchange ending before the bound passes is not yet wrong
        var early = r.Exchange(e => ReferenceEquals(e, ack) ? null : e);
        early.Call(300 * Ms, Input.Status);
        Assert.True(ExchangeCheck.Check(early, Profile.Rfc9293).Allowed);
    }

    [Theory]
    [InlineData((ushort)65535, true)]
    [InlineData((ushort)60000, true)]
    [InlineData((ushort)1000, true)]
    public void ASynWindowWithinTheProfilesBuffer_IsAllowed(ushort window, bool allowed)
    {
        var ex = new Recorder(Profile.Rfc9293, 100).Call(0, Input.OpenActive).Exchange(e =>
            e is SentEvent s ? s with { Segment = s.Segment.WithWindow(window) } : e);
        Assert.Equal(allowed, ExchangeCheck.Check(ex, Profile.Rfc9293).Allowed);
    }

    [Fact]
    public void AWindowBeyondTheProfilesBuffer_IsNotAllowed()
    {
        var ex = new Recorder(Profile.Rfc9293, 100).Call(0, Input.OpenActive).Exchange();
        var verdict = ExchangeCheck.Check(ex, Profile.Rfc9293, new ExchangeTolerance { MaxWindow = 32_768 });
        Assert.False(verdict.Allowed);
        Assert.Equal("RFC 9293 §3.8.6.2", verdict.Clause);
        Assert.Contains("window 65535", verdict.Reason);
    }

    [Fact]
    public void AWindowWhoseRightEdgeMovesLeft_IsNotAllowed_UnlessShrinkingIsTolerated()
    {
        var r = DataArrives(Profile.Rfc9293);
        var ack = r.Events.OfType<SentEvent>().Last();
        var ex = r.Exchange(e => ReferenceEquals(e, ack) ? ack with { Segment = ack.Segment.WithWindow(100) } : e);
        var verdict = ExchangeCheck.Check(ex, Profile.Rfc9293);
        Assert.False(verdict.Allowed);
        Assert.Equal("RFC 9293 §3.8.6.2.2 (SHLD-14)", verdict.Clause);
        Assert.True(ExchangeCheck.Check(ex, Profile.Rfc9293, new ExchangeTolerance { AllowShrinkingWindow = true }).Allowed);
    }

    [Fact]
    public void AFinRetransmittedIntoTimeWait_AcknowledgedBeyondRcvNxt_IsNotAllowed()
    {
        var r = ActiveOpen(Profile.Rfc9293, 100).Arrive(70 * Ms, "<SEQ=4294967003><ACK=105><CTL=FIN,ACK><WND=65535>");
        Assert.Equal(TcpState.TimeWait, r.Endpoint.State);
        var last = r.Events.OfType<SentEvent>().Last();
        Assert.True(ExchangeCheck.Check(r.Exchange(), Profile.Rfc9293).Allowed);
        var ex = r.Exchange(e => ReferenceEquals(e, last)
            ? last with { Segment = new Segment(last.Segment.Seq, last.Segment.Ack + new SeqLen(1), Control.ACK, last.Segment.Window) } : e);
        var verdict = ExchangeCheck.Check(ex, Profile.Rfc9293);
        Assert.False(verdict.Allowed);
        Assert.Equal(TcpState.TimeWait, verdict.State);
        Assert.Contains("§3.10.7.4", verdict.Clause);
    }

    /// <summary>docs/readme/oracle.md's example, verdict as printed there.</summary>
    [Fact]
    public void TheDocumentsExample_IsNotAllowedAtTheAcknowledgmentOfOneTooMany()
    {
        var exchange = new Exchange()
            .Call(0, Input.OpenActive)
            .Sent(0, "<SEQ=7000><CTL=SYN><WND=65535><OPT=MSS:1460>")
            .Arrived(10_000, "<SEQ=300><ACK=7001><CTL=SYN,ACK><WND=65535>")
            .Sent(10_000, "<SEQ=7001><ACK=302><CTL=ACK><WND=65535>");
        var verdict = ExchangeCheck.Check(exchange, Profile.Rfc9293);
        Assert.StartsWith("not allowed at event 3 (state ESTABLISHED): the model sends <SEQ=7001><ACK=301><CTL=ACK> at 0.010000s, not <SEQ=7001><ACK=302><CTL=ACK> [RFC 9293 §3.10.7.3",
            verdict.ToString());
        var doc = File.ReadAllText(Path.Combine(TcpModel.Tests.Spec.RepoPaths.Root, "docs", "readme", "oracle.md"));
        Assert.Contains(verdict.Clause, doc);
    }

    [Fact]
    public void AnExchangeOutOfTimeOrder_IsRefusedWhenBuilt() =>
        Assert.Throws<ArgumentException>(() => new Exchange().Call(10, Input.OpenActive).Call(5, Input.Close));
}
