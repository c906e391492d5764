using FsCheck;
using FsCheck.Fluent;
using TcpModel.Network;

namespace TcpModel.Tests.Properties;

/// <summary>
/// spec/properties.md P-10 to P-22: per-step invariants and run-level claims, under every built-in
/// profile (rfc9293, rfc793, standard, freebsd), on adversarial two-endpoint scenarios.
/// </summary>
public sealed class StepProperties
{
    private static readonly Gen<Side> Sides = Gen.Elements(Side.A, Side.B);

    /// <summary>The full alphabet with timers, and now and then time passing by up to 3 s.</summary>
    private static readonly Gen<Ev> AnyEvent = Gen.Frequency(
        (12, Generators.Event(timers: true)),
        (1, Gen.Choose(1, 30).Select(Ev.Wait)));

    internal static readonly Gen<Scenario> Adversarial = Generators.FromState(GeneratorOptions.Adversarial);

    [Fact]
    [Trait("Property", "P-10")]
    public void P10_NothingIsSentBeyondSndNxt() =>
        PropertyRunner.Verify("P-10", "every non-RST segment sent lies between ISS and SND.NXT",
            Adversarial, Generators.Shrink, Claims.P10, s => s.ToCode(), defaultRuns: 400);

    [Fact]
    [Trait("Property", "P-11")]
    public void P11_AResetIsNeverAnsweredWithAReset() =>
        PropertyRunner.Verify("P-11", "a segment carrying RST is never answered with an RST",
            Attacked, Generators.Shrink, Claims.P11, s => s.ToCode(), defaultRuns: 400);

    [Fact]
    [Trait("Property", "P-12")]
    public void P12_InSynchronizedStatesEverySegmentAcknowledgesRcvNxt() =>
        PropertyRunner.Verify("P-12", "in synchronized states every non-RST segment sent has ACK = RCV.NXT",
            Adversarial, Generators.Shrink, Claims.P12, s => s.ToCode(), defaultRuns: 400);

    [Fact]
    [Trait("Property", "P-13")]
    public void P13_NewDataStaysWithinThePeersWindowExceptAOneOctetProbe() =>
        PropertyRunner.Verify("P-13", "new text sent ends within SND.UNA + SND.WND, except a one-octet zero-window probe",
            SmallWindows, Generators.Shrink, Claims.P13, s => s.ToCode(), defaultRuns: 400, mustExercise: true);

    [Fact]
    [Trait("Property", "P-14")]
    public void P14_TheRightEdgeOfTheReceiveWindowNeverMovesLeft() =>
        PropertyRunner.Verify("P-14", "RCV.NXT + RCV.WND never decreases",
            Adversarial, Generators.Shrink, Claims.P14, s => s.ToCode(), defaultRuns: 400);

    [Fact]
    [Trait("Property", "P-15")]
    public void P15_ClosedHoldsNothingAndNoTimer() =>
        PropertyRunner.Verify("P-15", "in CLOSED the TCB is empty and no timer is armed",
            Adversarial, Generators.Shrink, Claims.P15, s => s.ToCode(), defaultRuns: 400);

    [Fact]
    [Trait("Property", "P-16")]
    public void P16_TheNextDeadlineIsInTheFutureAndAnEarlyTickChangesNothing() =>
        PropertyRunner.Verify("P-16", "NextDeadline is off or after now; a Tick before it changes nothing",
            Adversarial, Generators.Shrink, Claims.P16, s => s.ToCode(), defaultRuns: 400);

    [Fact]
    [Trait("Property", "P-17")]
    public void P17_TheSameInputsAtTheSameTimesGiveTheSameRun() =>
        PropertyRunner.Verify("P-17", "the same scenario run twice gives the same segments, notices, states, variables and deadlines",
            Adversarial, Generators.Shrink, Claims.P17, s => s.ToCode(), defaultRuns: 250);

    [Fact]
    [Trait("Property", "P-18")]
    public void P18_AGracefulCloseDeliversEveryOctetAndClosesBothSides() =>
        PropertyRunner.Verify("P-18", "over a reliable network every octet is on hand before \"connection closing\" and both sides reach CLOSED",
            GracefulCloses, Generators.Shrink, Claims.P18, s => s.ToCode(), defaultRuns: 250, mustExercise: true);

    [Fact]
    [Trait("Property", "P-19")]
    public void P19_ABlindResetNotAtRcvNxtNeverResetsASynchronizedConnection() =>
        PropertyRunner.Verify("P-19", "under rfc5961-rst an RST with SEQ other than RCV.NXT never changes a synchronized state",
            Attacked, Generators.Shrink, Claims.P19, s => s.ToCode(), defaultRuns: 400, mustExercise: true);

    [Fact]
    [Trait("Property", "P-20")]
    public void P20_ChallengeAcksStayWithinTheLimitPerInterval() =>
        PropertyRunner.Verify("P-20", "challenge ACKs never exceed ChallengeAckLimitPerSecond in a throttling interval",
            ChallengeStorms, Generators.Shrink, Claims.P20, s => s.ToCode(), defaultRuns: 250, mustExercise: true);

    [Fact]
    [Trait("Property", "P-21")]
    public void P21_AConnectionReopenedFromTimeWaitStartsAboveTheOldSndNxt() =>
        PropertyRunner.Verify("P-21", "a reopen from TIME-WAIT uses an ISS above the old SND.NXT",
            TimeWaitReopens, Generators.Shrink, Claims.P21, s => s.ToCode(), defaultRuns: 250, mustExercise: true);

    [Fact]
    [Trait("Property", "P-22")]
    public void P22_OnceTheNetworkFallsSilentNoSideWaitsForeverForAnAcknowledgment() =>
        PropertyRunner.Verify("P-22", "after the network falls silent every side with something unacknowledged reaches CLOSED by R2, the user timeout or 2 MSL",
            Lossy, Generators.Shrink, Claims.P22, s => s.ToCode(), defaultRuns: 250);

    /// <summary>Mostly established connections under a stream of injected RSTs and SYNs.</summary>
    private static readonly Gen<Scenario> Attacked = Generators.Scenarios(Gen.Frequency(
        (6, AnyEvent),
        (2, Sides.SelectMany(_ => Gen.Choose(0, 30), (s, k) => Ev.InjectRst(s, k))),
        (1, Sides.SelectMany(_ => Gen.Choose(0, 30), (s, k) => Ev.InjectSyn(s, k)))), alwaysOpen: true);

    /// <summary>An established connection, then mostly SENDs and deliveries with few RECEIVEs, so that
    /// 4-octet windows fill and close (probes, window updates), with loss and time passing.</summary>
    internal static readonly Gen<Scenario> SmallWindows =
        from issA in Generators.Iss
        from issB in Generators.Iss
        from n in Gen.Choose(4, 26)
        from rest in Gen.ArrayOf(Gen.Frequency(
            (5, Sides.SelectMany(_ => Gen.Choose(1, 3), (s, k) => Ev.Send(s, k))),
            (6, Sides.Select(Ev.Deliver)),
            (1, Sides.SelectMany(_ => Gen.Elements(1, 2, 64), (s, k) => Ev.Receive(s, k))),
            (1, Sides.Select(Ev.Lose)),
            (1, Sides.Select(Ev.Reorder)),
            (1, Gen.Constant(Ev.Tick())),
            (1, Gen.Choose(1, 30).Select(Ev.Wait)),
            (1, Sides.Select(Ev.Close))), n)
        select new Scenario(issA, issB,
        [
            Ev.OpenPassive(Side.B), Ev.OpenActive(Side.A), Ev.Deliver(Side.B), Ev.Deliver(Side.A), Ev.Deliver(Side.B), .. rest,
        ]);

    /// <summary>An established connection, then a burst of in-window RSTs, SYNs and old ACKs arriving
    /// 1 ms apart, with time passing (up to 1.5 s) now and then.</summary>
    private static readonly Gen<Scenario> ChallengeStorms =
        from issA in Generators.Iss
        from issB in Generators.Iss
        from n in Gen.Choose(5, 40)
        from burst in Gen.ArrayOf(Gen.Frequency(
            (6, Sides.SelectMany(_ => Gen.Choose(0, 10), (s, k) => Ev.InjectRst(s, 3 * k + 1))),
            (3, Sides.SelectMany(_ => Gen.Choose(0, 30), (s, k) => Ev.InjectSyn(s, k))),
            (2, Sides.Select(Ev.Deliver)),
            (1, Sides.SelectMany(_ => Gen.Choose(1, 3), (s, k) => Ev.Send(s, k))),
            (2, Gen.Choose(1, 15).Select(Ev.Wait))), n)
        select new Scenario(issA, issB,
        [
            Ev.OpenPassive(Side.B), Ev.OpenActive(Side.A), Ev.Deliver(Side.B), Ev.Deliver(Side.A), Ev.Deliver(Side.B), .. burst,
        ]);

    /// <summary>A normal close leaving A in TIME-WAIT, then SYNs (injected anywhere near RCV.NXT,
    /// replayed, or a new OPEN from B) and other events.</summary>
    private static readonly Gen<Scenario> TimeWaitReopens =
        from issA in Generators.Iss
        from issB in Generators.Iss
        from dataA in Gen.Choose(0, 3)
        from n in Gen.Choose(1, 8)
        from after in Gen.ArrayOf(Gen.Frequency(
            (4, Gen.Choose(0, 30).Select(k => Ev.InjectSyn(Side.A, k))),
            (3, Sides.Select(Ev.Deliver)),
            (1, Gen.Choose(0, 10).Select(k => Ev.Replay(Side.A, k))),
            (1, Gen.Constant(Ev.OpenActive(Side.B)))), n)
        select new Scenario(issA, issB,
        [
            Ev.OpenPassive(Side.B), Ev.OpenActive(Side.A), Ev.Deliver(Side.B), Ev.Deliver(Side.A), Ev.Deliver(Side.B),
            .. dataA > 0 ? new[] { Ev.Send(Side.A, dataA), Ev.Deliver(Side.B), Ev.Deliver(Side.A), Ev.Receive(Side.B, 64) } : [],
            Ev.Close(Side.A), Ev.Deliver(Side.B), Ev.Deliver(Side.A), Ev.Close(Side.B), Ev.Deliver(Side.A), Ev.Deliver(Side.B),
            .. after,
        ]);

    /// <summary>An opening and its handshake, data both ways with RECEIVEs, and each user RECEIVEs what is
    /// on hand and CLOSEs at a random point (sometimes crossing: simultaneous close); no loss.</summary>
    private static readonly Gen<Scenario> GracefulCloses =
        from issA in Generators.Iss
        from issB in Generators.Iss
        from open in Generators.Opening.Where(o => o.Length > 0)
        from n in Gen.Choose(0, 12)
        from middle in Gen.ArrayOf(Gen.Frequency(
            (3, Sides.Select(Ev.Deliver)),
            (2, Sides.SelectMany(_ => Gen.Choose(1, 3), (s, k) => Ev.Send(s, k))),
            (1, Sides.Select(s => Ev.Receive(s, 64)))), n)
        from first in Sides
        from p1 in Gen.Choose(0, n)
        from p2 in Gen.Choose(p1, n)
        let second = first == Side.A ? Side.B : Side.A
        select new Scenario(issA, issB,
        [
            .. open, Ev.Deliver(Side.B), Ev.Deliver(Side.A), Ev.Deliver(Side.B), Ev.Deliver(Side.A),
            .. middle.Take(p1), Ev.Receive(first, 64), Ev.Close(first), .. middle.Skip(p1).Take(p2 - p1),
            Ev.Receive(second, 64), Ev.Close(second), .. middle.Skip(p2),
        ]);

    /// <summary>Any scenario with extra losses and time passing.</summary>
    internal static readonly Gen<Scenario> Lossy = Generators.FromState(GeneratorOptions.Adversarial with { Network = 160 });
}
