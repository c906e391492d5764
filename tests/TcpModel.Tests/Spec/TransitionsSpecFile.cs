using TcpModel.Machine;

namespace TcpModel.Tests.Spec;

/// <summary>
/// spec/transitions.md is the declared table: every row is a declared cell with exactly these facts,
/// and every declared cell has a row. With TCPMODEL_REGEN_SPEC=1 the file is first rewritten from
/// the declaration (review the diff: it is a change of the specification).
/// </summary>
[Trait("Spec", "transitions")]
public sealed class TransitionsSpecFile
{
    private static readonly Lazy<string> Text = new(Load);

    private static string Load()
    {
        var path = RepoPaths.Spec(TransitionSpec.FileName);
        if (Environment.GetEnvironmentVariable(TransitionSpec.RegenVariable) == "1")
        {
            var errors = new List<string>();
            var text = TransitionSpec.Render(TransitionSpec.FromDeclared(new TransitionTable(), errors));
            Assert.True(errors.Count == 0, string.Join("\n", errors));
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, text);
        }
        Assert.True(File.Exists(path), $"{path} is missing: run with {TransitionSpec.RegenVariable}=1 to generate it");
        return File.ReadAllText(path);
    }

    private static (List<(int Line, SpecRow Row)> Spec, List<SpecRow> Declared) Both()
    {
        var errors = new List<string>();
        var spec = TransitionSpec.Parse(Text.Value, errors);
        var declared = TransitionSpec.FromDeclared(TransitionTable.Declared, errors);
        Assert.True(errors.Count == 0, string.Join("\n", errors));
        return (spec, declared);
    }

    [Fact]
    public void EveryRowOfTheSpecIsADeclaredCellWithTheSameFacts()
    {
        var (spec, declared) = Both();
        var byKey = declared.ToDictionary(r => r.Key);
        var problems = new List<string>();
        foreach (var (line, row) in spec)
        {
            if (!byKey.TryGetValue(row.Key, out var d))
            {
                problems.Add($"line {line}: {row.CellName} is in the spec but not declared");
                continue;
            }
            for (int i = 0; i < SpecRow.Columns.Length; i++)
            {
                if (row.Cells[i] != d.Cells[i])
                    problems.Add($"line {line}: {row.CellName}: {SpecRow.Columns[i]} is '{row.Cells[i]}' in the spec but '{d.Cells[i]}' in the declaration");
            }
        }
        Assert.True(problems.Count == 0, $"spec/transitions.md disagrees with the declared table:\n{string.Join("\n", problems)}");
    }

    [Fact]
    public void EveryDeclaredCellHasARowInTheSpec()
    {
        var (spec, declared) = Both();
        var inSpec = spec.Select(r => r.Row.Key).ToHashSet();
        var missing = declared.Where(d => !inSpec.Contains(d.Key)).Select(d => d.CellName).ToList();
        Assert.True(missing.Count == 0, $"declared cells missing from spec/transitions.md:\n{string.Join("\n", missing)}");
    }

    [Fact]
    public void NoCellHasTwoRows()
    {
        var (spec, _) = Both();
        var twice = spec.GroupBy(r => r.Row.Key).Where(g => g.Count() > 1)
            .Select(g => $"{SpecRow.Name(g.Key)} on lines {string.Join(", ", g.Select(r => r.Line))}").ToList();
        Assert.True(twice.Count == 0, $"cells with more than one row:\n{string.Join("\n", twice)}");
    }

    [Fact]
    public void TheSpecHasOneRowPerDeclaredFact()
    {
        var (spec, _) = Both();
        Assert.Equal(TransitionTable.Declared.Facts.Count, spec.Count);
    }

    [Fact]
    public void ParsingTheRenderedTableGivesBackEveryRow()
    {
        var errors = new List<string>();
        var declared = TransitionSpec.FromDeclared(TransitionTable.Declared, errors);
        var parsed = TransitionSpec.Parse(TransitionSpec.Render(declared), errors).Select(r => r.Row).ToList();
        Assert.Empty(errors);
        Assert.Equal(declared, parsed);
    }
}
