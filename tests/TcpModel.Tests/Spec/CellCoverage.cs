using TcpModel.Machine;

namespace TcpModel.Tests.Spec;

/// <summary>Every state × trigger cell is a decision: declared, with guards that pick exactly one
/// alternative under every combination of guard outcomes, and an RFC reference.</summary>
[Trait("Spec", "transitions")]
public sealed class CellCoverage
{
    private static readonly TransitionTable Table = TransitionTable.Declared;

    public static TheoryData<TcpState> States() => new(TcpStates.All);

    [Theory]
    [MemberData(nameof(States))]
    public void EveryTriggerHasADeclaredAlternativeInEveryState(TcpState state)
    {
        var undeclared = Triggers.All.Where(t => !Table.Facts.Keys.Any(k => k.State == state && k.Trigger == t)).ToList();
        Assert.True(undeclared.Count == 0, $"{state.RfcName()}: no cell declared for {string.Join(", ", undeclared)}");
    }

    [Theory]
    [MemberData(nameof(States))]
    public void UnderEveryGuardValuationExactlyOneAlternativeApplies(TcpState state)
    {
        var problems = new List<string>();
        foreach (var t in Triggers.All)
        {
            var alternatives = Table.Facts.Keys.Where(k => k.State == state && k.Trigger == t).ToList();
            foreach (var v in GuardValuations.ForCell(Table, state, t))
            {
                var holding = alternatives.Where(v.Holds).ToList();
                if (holding.Count != 1)
                    problems.Add($"{state.RfcName()} × {t} under {v}: {holding.Count} alternatives apply ({string.Join("; ", holding.Select(k => k.GuardText))})");
            }
        }
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Fact]
    public void EveryGuardUsedHasAComplementAndIsItsComplementsComplement()
    {
        foreach (var g in GuardValuations.GuardsOf(Table.Facts.Keys))
        {
            Assert.NotEqual(Guard.None, g.Complement());
            Assert.Equal(g, g.Complement().Complement());
        }
    }

    [Fact]
    public void NoAlternativeCombinesAGuardWithItsComplement()
    {
        var contradictory = Table.Facts.Keys.Where(k => k.Guard2 != Guard.None && k.Guard2 == k.Guard1.Complement()).ToList();
        Assert.Empty(contradictory);
    }

    [Fact]
    public void EveryCellCitesAnRfc()
    {
        var uncited = Table.Facts.Values.Where(f => string.IsNullOrWhiteSpace(f.Rfc) || !f.Rfc.StartsWith("RFC ", StringComparison.Ordinal))
            .Select(f => $"{TransitionSpec.Name(f.Key)}: '{f.Rfc}'").ToList();
        Assert.True(uncited.Count == 0, string.Join("\n", uncited));
    }

    [Fact]
    public void UserCallsAndTimeoutsNeverAskToContinueSegmentProcessing()
    {
        var odd = Table.Facts.Values.Where(f => !f.Key.Trigger.IsSegment() && f.Outcome != Outcome.Drop).Select(f => TransitionSpec.Name(f.Key)).ToList();
        Assert.Empty(odd);
    }

    [Fact]
    public void IgnoreAndInternalCellsStayInTheirStateAndTransitionsNameTheirTarget()
    {
        foreach (var f in Table.Facts.Values.Where(f => f.Kind != CellKind.Transition))
            Assert.True(f.Next == f.Key.State, $"{TransitionSpec.Name(f.Key)} is {f.Kind} but names next state {f.Next.RfcName()}");
        foreach (var f in Table.Facts.Values.Where(f => f.Kind == CellKind.Ignore))
            Assert.True(f.Effect == Effect.None && f.Emits.Length == 0, $"{TransitionSpec.Name(f.Key)} is ignored but has an effect");
    }
}
