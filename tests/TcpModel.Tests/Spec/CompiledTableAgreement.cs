using TcpModel.Machine;

namespace TcpModel.Tests.Spec;

/// <summary>
/// The compiled table (the hot path) and the declared Stateless machine agree on every cell under
/// every combination of guard outcomes. The machine is fired on a private instance of the same
/// declaration, so its mutable <c>Current</c> and <c>GuardOracle</c> are not shared with other tests.
/// </summary>
[Trait("Spec", "transitions")]
public sealed class CompiledTableAgreement
{
    public static TheoryData<TcpState> States() => new(TcpStates.All);

    [Theory]
    [MemberData(nameof(States))]
    public void FiringTheDeclaredMachineReachesTheStateTheCompiledTableLooksUp(TcpState state)
    {
        var declared = new TransitionTable();
        var problems = new List<string>();
        foreach (var t in Triggers.All)
        {
            foreach (var v in GuardValuations.ForCell(declared, state, t))
            {
                var cell = CompiledTable.Instance.Lookup(state, t, v.Oracle);
                if (cell is null) { problems.Add($"{state.RfcName()} × {t} under {v}: the compiled table has no cell"); continue; }
                var expected = cell.Kind == CellKind.Transition ? cell.Next : state;

                declared.Current = state;
                declared.GuardOracle = v.Oracle;
                try
                {
                    declared.Machine.Fire(t);
                }
                catch (InvalidOperationException e)
                {
                    problems.Add($"{state.RfcName()} × {t} under {v}: Stateless throws: {e.Message}");
                    continue;
                }
                if (declared.Current != expected)
                    problems.Add($"{state.RfcName()} × {t} under {v}: Stateless goes to {declared.Current.RfcName()}, compiled cell [{cell.Key.GuardText}] to {expected.RfcName()}");
            }
        }
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Fact]
    public void TheCompiledTableHoldsEveryDeclaredAlternativeWithItsFacts()
    {
        var compiled = TcpStates.All.SelectMany(s => Triggers.All.SelectMany(t => CompiledTable.Instance.Alternatives(s, t).ToArray()))
            .Select(c => c.Facts).ToList();
        Assert.Equal(TransitionTable.Declared.Facts.Count, compiled.Count);
        foreach (var f in compiled) Assert.Same(TransitionTable.Declared.Facts[f.Key], f);
    }
}
