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

    /// <summary>
    /// The compiled table against an independent source, the specification text (spec/transitions.md,
    /// parsed from the file, not rendered from the declaration): every alternative the hot path looks up
    /// has a row with its guards (the guards of a cell are mutually exclusive, TransitionsSpecFile proves it,
    /// so the order of alternatives does not matter), with the same kind, next state, effect, outcome, emitted segments and RFC reference; and every row has
    /// an alternative. A compiled cell that lost, gained, reordered or mixed up an alternative fails here
    /// even if the facts dictionary still agrees with itself.
    /// </summary>
    [Fact]
    public void EveryCompiledAlternativeIsTheSpecificationsRowWithTheSameGuards()
    {
        var errors = new List<string>();
        var spec = TransitionSpec.Parse(File.ReadAllText(RepoPaths.Spec(TransitionSpec.FileName)), errors);
        Assert.True(errors.Count == 0, string.Join("\n", errors));
        var rowsByCell = spec.Select(r => r.Row).GroupBy(r => (r.State, r.Trigger)).ToDictionary(g => g.Key, g => g.ToList());
        var problems = new List<string>();
        int compiledCount = 0;
        foreach (var s in TcpStates.All)
        {
            foreach (var t in Triggers.All)
            {
                var compiled = CompiledTable.Instance.Alternatives(s, t).ToArray();
                compiledCount += compiled.Length;
                var rows = rowsByCell.GetValueOrDefault((s.RfcName(), t.ToString())) ?? [];
                if (rows.Count != compiled.Length)
                    problems.Add($"{s.RfcName()} × {t}: the compiled table has {compiled.Length} alternative(s), the specification {rows.Count}");
                for (int k = 0; k < compiled.Length; k++)
                {
                    var c = compiled[k];
                    var f = c.Facts;
                    string guard = new CellKey(s, t, c.Guard1, c.Guard2).GuardText;
                    string[] got =
                    [
                        s.RfcName(), t.ToString(), guard, TransitionSpec.KindText(f.Kind), c.Next.RfcName(), f.Effect.ToString(),
                        t.IsSegment() ? f.Outcome.ToString().ToLowerInvariant() : "-", f.Emits.Length == 0 ? "-" : f.Emits, f.Rfc,
                    ];
                    var row = rows.FirstOrDefault(r => r.Guard == guard);
                    if (row is null)
                    {
                        problems.Add($"{s.RfcName()} × {t} [{guard}]: compiled, but the specification has no row with these guards");
                        continue;
                    }
                    var want = row.Cells;
                    for (int col = 0; col < got.Length; col++)
                    {
                        if (got[col] != want[col])
                            problems.Add($"{s.RfcName()} × {t}, alternative {k + 1}: {SpecRow.Columns[col]} is \"{got[col]}\" in the compiled table, \"{want[col]}\" in the specification");
                    }
                    if (f.Key != new CellKey(s, t, c.Guard1, c.Guard2))
                        problems.Add($"{s.RfcName()} × {t}, alternative {k + 1}: the compiled guards [{guard}] carry the facts of {f.Key.GuardText}");
                }
            }
        }
        Assert.Equal(spec.Count, compiledCount);
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }
}
