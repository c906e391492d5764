using FsCheck;
using FsCheck.Fluent;
using TcpModel.Network;

namespace TcpModel.Tests.Properties;

/// <summary>spec/properties.md P-31, P-32, P-33 and a reordering differential: oracles computed outside the model's own bookkeeping.</summary>
public sealed class OracleProperties
{
    private static readonly Gen<Side> Sides = Gen.Elements(Side.A, Side.B);

    /// <summary>An established connection whose 4-octet windows close: A sends more than B reads, time
    /// passes (zero-window probes), A closes (a FIN at a closed window), with some loss.</summary>
    private static readonly Gen<Scenario> ZeroWindows =
        from issA in Generators.Iss
        from issB in Generators.Iss
        from rest in Gen.ArrayOf(Gen.Frequency(
            (6, Gen.Choose(2, 3).Select(k => Ev.Send(Side.A, k))),
            (6, Gen.Constant(Ev.Deliver(Side.B))),
            (3, Gen.Constant(Ev.Deliver(Side.A))),
            (4, Gen.Constant(Ev.Tick())),
            (1, Gen.Elements(1, 2).Select(k => Ev.Receive(Side.B, k))),
            (1, Sides.Select(Ev.Lose)),
            (2, Gen.Constant(Ev.Close(Side.A)))), 28)
        select new Scenario(issA, issB,
        [
            Ev.OpenPassive(Side.B), Ev.OpenActive(Side.A), Ev.Deliver(Side.B), Ev.Deliver(Side.A), Ev.Deliver(Side.B), .. rest,
        ]);

    /// <summary>An established connection, both sides sending into 4-octet windows with few RECEIVEs, and the
    /// network reordering and duplicating (no timers: what the reference supports).</summary>
    private static readonly Gen<Scenario> ReorderedSmallWindows =
        from issA in Generators.Iss
        from issB in Generators.Iss
        from rest in Gen.ArrayOf(Gen.Frequency(
            (5, Sides.SelectMany(_ => Gen.Choose(1, 3), (s, k) => Ev.Send(s, k))),
            (6, Sides.Select(Ev.Deliver)),
            (3, Sides.Select(Ev.Reorder)),
            (1, Sides.Select(Ev.Duplicate)),
            (1, Sides.SelectMany(_ => Gen.Elements(1, 2), (s, k) => Ev.Receive(s, k)))), 24)
        select new Scenario(issA, issB,
        [
            Ev.OpenPassive(Side.B), Ev.OpenActive(Side.A), Ev.Deliver(Side.B), Ev.Deliver(Side.A), Ev.Deliver(Side.B), .. rest,
        ]);

    [Fact]
    [Trait("Property", "P-31")]
    public void P31_RcvNxtNeverPassesTheRightEdgeTheWindowHadBeforeTheStep() =>
        PropertyRunner.Verify("P-31", "RCV.NXT never moves beyond the right edge the receive window had before the step",
            ZeroWindows, Generators.Shrink, Claims.P26, s => s.ToCode(), defaultRuns: 150);

    [Fact]
    [Trait("Property", "P-08")]
    public void P08_ModelAgreesWithTheReferenceWhenFourOctetWindowsFillAndSegmentsAreReordered() =>
        PropertyRunner.Verify("P-08", "with 4-octet receive buffers, reordered and duplicated segments, the model and the reference agree (window updates under old segments)",
            ReorderedSmallWindows, Generators.Shrink, Claims.P08FourOctetBuffers, s => s.ToCode(), defaultRuns: 200, claimName: nameof(Claims.P08FourOctetBuffers));

    [Fact]
    [Trait("Property", "P-32")]
    public void P32_RetransmissionsOfTheSameSegmentBackOff() =>
        PropertyRunner.Verify("P-32", "successive retransmissions of SND.UNA wait at least twice as long each time (RFC 6298 §5.5)",
            StepProperties.Lossy, Generators.Shrink, Claims.P27, s => s.ToCode(), defaultRuns: 100);

    [Fact]
    [Trait("Property", "P-33")]
    public void P33_AnAcceptableSegmentCoveringRcvNxtMovesRcvNxtForward() =>
        PropertyRunner.Verify("P-33", "an acceptable segment whose text covers RCV.NXT advances RCV.NXT (only the old part is dropped)",
            StepProperties.Lossy, Generators.Shrink, Claims.P28, s => s.ToCode(), defaultRuns: 250);
}
