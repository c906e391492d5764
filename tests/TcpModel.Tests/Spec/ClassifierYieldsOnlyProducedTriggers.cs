using FsCheck;
using FsCheck.Fluent;
using TcpModel.Machine;
using TcpModel.Wire;

namespace TcpModel.Tests.Spec;

/// <summary>
/// Cells declared "(not produced in this state)" are decisions that rest on a claim about the
/// classifier: it never yields that trigger in that state. Random segments near the TCB's
/// boundaries (RCV.NXT, the window's right edge, SND.UNA, SND.NXT, ISS, IRS, SND.UNA - MAX.SND.WND),
/// with random flags and small payloads, are classified against a canonical endpoint in each state.
/// </summary>
[Trait("Spec", "transitions")]
public sealed class ClassifierYieldsOnlyProducedTriggers
{
    private const string NotProduced = "(not produced in this state)";
    private const int CasesPerFixture = 1500;

    /// <summary>Where a generated sequence or acknowledgment number is placed.</summary>
    public enum Anchor { RcvNxt, RcvWndEnd, SndUna, SndNxt, Iss, Irs, OldestAcceptableAck, Anywhere }

    /// <summary>A segment described relative to the TCB it will be classified against.</summary>
    public sealed record Case(Anchor SeqAt, int SeqOffset, Anchor AckAt, int AckOffset,
        Control Flags, int PayloadLength, ushort Window, uint Anywhere)
    {
        public Segment Resolve(Tcb tcb) => new(
            At(tcb, SeqAt, SeqOffset), At(tcb, AckAt, AckOffset), Flags, Window,
            "xyz"u8.ToArray().AsMemory(0, PayloadLength));

        private SeqNum At(Tcb tcb, Anchor a, int offset)
        {
            var at = a switch
            {
                Anchor.RcvNxt => tcb.RcvNxt,
                Anchor.RcvWndEnd => tcb.RcvNxt + new SeqLen(tcb.RcvWnd),
                Anchor.SndUna => tcb.SndUna,
                Anchor.SndNxt => tcb.SndNxt,
                Anchor.Iss => tcb.Iss,
                Anchor.Irs => tcb.Irs,
                Anchor.OldestAcceptableAck => tcb.SndUna - new SeqLen(tcb.MaxSndWnd),
                _ => new SeqNum(Anywhere),
            };
            return new SeqNum(unchecked(at.Value + (uint)offset));
        }
    }

    private static readonly Gen<int> Offset = Gen.Frequency(
        (4, Gen.Constant(0)),
        (4, Gen.Choose(-3, 3)),
        (1, Gen.Elements(int.MinValue, int.MaxValue, 65535, -65535, 65536)));

    /// <summary>A flag set with probability 1/4, ACK with 3/4 (most segments in a connection carry ACK).</summary>
    private static readonly Gen<Control> Flags =
        from bits in Gen.ArrayOf(Gen.Choose(0, 3), 6)
        select Enumerable.Range(0, 6).Aggregate(Control.None, (acc, i) =>
            (Control)(1 << i) == Control.ACK ? (bits[i] != 0 ? acc | Control.ACK : acc) : bits[i] == 0 ? acc | (Control)(1 << i) : acc);

    private static readonly Arbitrary<Case> Cases = Arb.From(
        from seqAt in Gen.Elements(Enum.GetValues<Anchor>())
        from seqOffset in Offset
        from ackAt in Gen.Elements(Enum.GetValues<Anchor>())
        from ackOffset in Offset
        from flags in Flags
        from len in Gen.Choose(0, 3)
        from wnd in Gen.Elements<ushort>(0, 1, 1000, 65535)
        from anywhere in Gen.Choose(int.MinValue, int.MaxValue)
        select new Case(seqAt, seqOffset, ackAt, ackOffset, flags, len, wnd, unchecked((uint)anywhere)));

    private static readonly Config Checked = Config.QuickThrowOnFailure.WithMaxTest(CasesPerFixture);

    public static TheoryData<string> Fixtures() => new(StateFixtures.All.Select(f => f.Name));

    private static readonly Dictionary<TcpState, HashSet<Trigger>> NotProducedIn =
        TcpStates.All.ToDictionary(s => s, s => TransitionTable.Declared.Facts.Values
            .Where(f => f.Key.State == s && f.Rfc.Contains(NotProduced, StringComparison.Ordinal))
            .Select(f => f.Key.Trigger).ToHashSet());

    [Theory]
    [MemberData(nameof(Fixtures))]
    public void TheClassifierNeverYieldsATriggerDeclaredNotProducedInTheState(string name)
    {
        var fixture = StateFixtures.All.Single(f => f.Name == name);
        Prop.ForAll(Cases, c =>
        {
            var e = fixture.Build(Profile.Rfc9293);
            var seg = c.Resolve(e.Tcb);
            var t = Classifier.First(e.State, e.Tcb, seg);
            Assert.False(NotProducedIn[e.State].Contains(t),
                $"{fixture.Name}: {seg} classified as {t}, declared not produced in {e.State.RfcName()}");
        }).Check(Checked);
    }

    [Theory]
    [MemberData(nameof(Fixtures))]
    public void SegmentArrivalNeverFiresACellDeclaredNotProduced(string name)
    {
        var fixture = StateFixtures.All.Single(f => f.Name == name);
        Prop.ForAll(Cases, Gen.Elements(Profile.BuiltIn.Values.ToArray()).ToArbitrary(), (c, profile) =>
        {
            var e = fixture.Build(profile);
            var seg = c.Resolve(e.Tcb);
            var outbox = new Outbox();
            e.Step(Input.Arrive(seg), 1_000, outbox);
            foreach (var fired in outbox.Fired)
                Assert.False(fired.Cell.Rfc.Contains(NotProduced, StringComparison.Ordinal),
                    $"{fixture.Name} ({profile.Name}): {seg} fired {TransitionSpec.Name(fired.Cell.Key)}, declared not produced");
        }).Check(Checked);
    }

    /// <summary>
    /// <see cref="Classifier.First"/> must name the cell SEGMENT ARRIVES (RFC 9293 §3.10.7) really fires first.
    /// Under rfc793 with the three policies that act ahead of the first check switched off
    /// (synack-rule-after-syn-sent-only, repeated-synack-bad-ack, time-wait-fin-ack-checks) the endpoint's own classification and
    /// the classifier's answer must be the same trigger.
    /// </summary>
    private static readonly Profile RfcOrder =
        Profile.Rfc793 with { Name = "rfc793-rfc-order", SynAckRuleOnlyAfterSynSent = false, TimeWaitFinChecksAck = false, ResetRepeatedSynAckWithBadAck = false };

    [Theory]
    [MemberData(nameof(Fixtures))]
    public void TheFirstCellSegmentArrivalFiresIsTheOneTheClassifierNames(string name)
    {
        var fixture = StateFixtures.All.Single(f => f.Name == name);
        Prop.ForAll(Cases, c =>
        {
            var e = fixture.Build(RfcOrder);
            var seg = c.Resolve(e.Tcb);
            var expected = Classifier.First(e.State, e.Tcb, seg);
            var state = e.State;
            var outbox = new Outbox();
            e.Step(Input.Arrive(seg), 1_000, outbox);
            Assert.True(outbox.FiredCount > 0, $"{fixture.Name}: {seg} fired no cell, the classifier names {expected}");
            var first = outbox.Fired[0].Cell.Key;
            Assert.True(first.State == state && first.Trigger == expected,
                $"{fixture.Name}: {seg} fired {TransitionSpec.Name(first)} first, the classifier names {expected}");
        }).Check(Checked);
    }

    [Fact]
    public void SomeCellsAreDeclaredNotProduced() =>
        Assert.Contains(Trigger.SynNewIncarnation, NotProducedIn[TcpState.Established]);
}
