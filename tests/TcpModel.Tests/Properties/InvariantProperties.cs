using FsCheck;
using FsCheck.Fluent;
using TcpModel.Network;

namespace TcpModel.Tests.Properties;

/// <summary>
/// The model's named invariants (spec/properties.md P-01 to P-06 and P-25), checked with FsCheck on
/// adversarial scenarios. Each failure prints its seed, the shrunk scenario as a ladder and a
/// regression test to paste.
/// </summary>
public sealed class InvariantProperties
{
    private static readonly Gen<Scenario> Adversarial = Generators.FromState(GeneratorOptions.Adversarial);

    /// <summary>One connection incarnation: opened once, never aborted or attacked, so that every
    /// octet delivered must come from the peer's SENDs of this incarnation.</summary>
    private static readonly Gen<Scenario> OneIncarnation =
        Generators.FromState(GeneratorOptions.OneIncarnation);

    [Fact]
    [Trait("Property", "P-01")]
    public void P01_TheModelNeverThrowsOnAnySegmentInAnyState() =>
        PropertyRunner.Verify("P-01", "the model never throws on any segment in any state",
            SegmentAttacks.Attacks, SegmentAttacks.Shrink, Claims.P01, a => a.ToCode(), defaultRuns: 300);

    [Fact]
    [Trait("Property", "P-02")]
    public void P02_SndUnaNeverPassesSndNxt() =>
        PropertyRunner.Verify("P-02", "SND.UNA =< SND.NXT after every step",
            Adversarial, Generators.Shrink, Claims.P02, s => s.ToCode());

    [Fact]
    [Trait("Property", "P-03")]
    public void P03_RcvNxtNeverMovesBackwardsWithinAnIncarnation() =>
        PropertyRunner.Verify("P-03", "RCV.NXT never moves backwards within a connection incarnation",
            Adversarial, Generators.Shrink, Claims.P03, s => s.ToCode());

    [Fact]
    [Trait("Property", "P-04")]
    public void P04_DeliveredDataIsAPrefixOfTheDataThePeerSent() =>
        PropertyRunner.Verify("P-04", "data delivered to the user is a prefix of the data the peer sent (loss, duplication, reordering)",
            OneIncarnation, Generators.Shrink, Claims.P04, s => s.ToCode());

    [Fact]
    [Trait("Property", "P-05")]
    public void P05_OpenOpenOverALosslessNetworkEstablishesBothSides() =>
        PropertyRunner.Verify("P-05", "over a lossless network OPEN/OPEN completes to ESTABLISHED on both sides",
            Openings, Generators.Shrink, Claims.P05, s => s.ToCode(), mustExercise: true);

    [Fact]
    [Trait("Property", "P-06")]
    public void P06_AfterANormalCloseTheActiveCloserWaitsExactlyTwoMslInTimeWait() =>
        PropertyRunner.Verify("P-06", "after a normal close the active closer is in TIME-WAIT for exactly 2MSL, then CLOSED",
            NormalCloses, Generators.Shrink, Claims.P06, s => s.ToCode(), mustExercise: true);

    [Fact]
    [Trait("Property", "P-25")]
    public void P25_ALostLastAckMakesThePeerRetransmitItsFinWhichTimeWaitAcksAgain() =>
        PropertyRunner.Verify("P-25", "a lost last ACK makes the peer retransmit its FIN; TIME-WAIT ACKs it again and restarts the timer",
            LostLastAcks, Generators.Shrink, Claims.P25, s => s.ToCode(), defaultRuns: 60, mustExercise: true);

    /// <summary>Two OPENs (passive then active, active then passive before any delivery, or
    /// simultaneous), then deliveries in any interleaving; the check drains the rest.</summary>
    private static readonly Gen<Scenario> Openings =
        from issA in Generators.Iss
        from issB in Generators.Iss
        from kind in Gen.Choose(0, 3)
        from n in Gen.Choose(0, 8)
        from order in Gen.ArrayOf(Gen.Elements(Side.A, Side.B), n)
        select new Scenario(issA, issB,
        [
            .. kind switch
            {
                0 => new[] { Ev.OpenPassive(Side.B), Ev.OpenActive(Side.A) },
                1 => [Ev.OpenActive(Side.A), Ev.OpenPassive(Side.B)],
                2 => [Ev.OpenActive(Side.A), Ev.OpenActive(Side.B)],
                _ => [Ev.OpenPassive(Side.A), Ev.OpenActive(Side.B)],
            },
            .. order.Select(Ev.Deliver),
        ]);

    /// <summary>An opening, the handshake (or not yet), data both ways, and one CLOSE on each side at
    /// random points (sometimes crossing: simultaneous close); the check drains the network.</summary>
    private static readonly Gen<Scenario> NormalCloses =
        from issA in Generators.Iss
        from issB in Generators.Iss
        from open in Generators.Opening.Where(o => o.Length > 0)
        from n in Gen.Choose(0, 10)
        from middle in Gen.ArrayOf(Gen.Frequency(
            (3, Gen.Elements(Side.A, Side.B).Select(Ev.Deliver)),
            (2, Gen.Elements(Side.A, Side.B).SelectMany(_ => Gen.Choose(1, 3), (s, k) => Ev.Send(s, k))),
            (1, Gen.Elements(Side.A, Side.B).Select(s => Ev.Receive(s, 64)))), n)
        from early in Gen.Elements(true, false)
        from first in Gen.Elements(Side.A, Side.B)
        from p1 in Gen.Choose(0, n)
        from p2 in Gen.Choose(p1, n)
        select new Scenario(issA, issB,
        [
            // early: SENDs and CLOSEs may come during the handshake (queued in SYN-RECEIVED: data and FIN together)
            .. open, .. early ? [] : new[] { Ev.Deliver(Side.B), Ev.Deliver(Side.A), Ev.Deliver(Side.B), Ev.Deliver(Side.A) },
            .. middle.Take(p1), Ev.Close(first), .. middle.Skip(p1).Take(p2 - p1),
            Ev.Close(first == Side.A ? Side.B : Side.A), .. middle.Skip(p2),
        ]);

    /// <summary>A's active close completes up to TIME-WAIT; its ACK of B's FIN is lost 1-4 times
    /// (each time B's retransmission timer resends the FIN), then gets through.</summary>
    private static readonly Gen<Scenario> LostLastAcks =
        from issA in Generators.Iss
        from issB in Generators.Iss
        from dataA in Gen.Choose(0, 3)
        from dataB in Gen.Choose(0, 3)
        from losses in Gen.Choose(1, 4)
        select new Scenario(issA, issB,
        [
            Ev.OpenPassive(Side.B), Ev.OpenActive(Side.A), Ev.Deliver(Side.B), Ev.Deliver(Side.A), Ev.Deliver(Side.B),
            .. dataA > 0 ? new[] { Ev.Send(Side.A, dataA), Ev.Deliver(Side.B), Ev.Deliver(Side.A) } : [],
            .. dataB > 0 ? new[] { Ev.Send(Side.B, dataB), Ev.Deliver(Side.A), Ev.Deliver(Side.B) } : [],
            Ev.Close(Side.A), Ev.Deliver(Side.B), Ev.Deliver(Side.A), Ev.Close(Side.B), Ev.Deliver(Side.A),
            .. Enumerable.Range(0, losses).SelectMany(_ => new[] { Ev.Lose(Side.B), Ev.Tick(), Ev.Deliver(Side.A) }),
            Ev.Deliver(Side.B),
        ]);
}
