using TcpModel.Machine;

namespace TcpModel.Tests.Spec;

/// <summary>spec/triggers.md names every trigger once, with the states where it can occur as the
/// declared table has them (cells not marked "not armed" or "not produced in this state").</summary>
[Trait("Spec", "transitions")]
public sealed class TriggersSpecFile
{
    private static readonly Lazy<Dictionary<string, List<string>>> Rows = new(() =>
    {
        var rows = new Dictionary<string, List<string>>();
        foreach (var line in File.ReadAllLines(RepoPaths.Spec("triggers.md")))
        {
            if (!line.StartsWith("| `", StringComparison.Ordinal)) continue;
            var cells = line.Split('|', StringSplitOptions.TrimEntries);
            var name = cells[1].Trim('`');
            Assert.False(rows.ContainsKey(name), $"spec/triggers.md lists {name} twice");
            rows[name] = cells[3] == "all"
                ? TcpStates.All.Select(s => s.RfcName()).ToList()
                : cells[3].Split(',', StringSplitOptions.TrimEntries).ToList();
        }
        return rows;
    });

    private static bool Occurs(CellFacts f) =>
        !f.Rfc.Contains("(not armed)", StringComparison.Ordinal) && !f.Rfc.Contains("(not produced in this state)", StringComparison.Ordinal);

    public static TheoryData<Trigger> AllTriggers() => new(Triggers.All);

    [Theory]
    [MemberData(nameof(AllTriggers))]
    public void TheSpecListsExactlyTheStatesWhereTheTriggerOccurs(Trigger t)
    {
        Assert.True(Rows.Value.TryGetValue(t.ToString(), out var listed), $"spec/triggers.md has no row for {t}");
        var declared = TcpStates.All
            .Where(s => TransitionTable.Declared.Facts.Values.Any(f => f.Key.State == s && f.Key.Trigger == t && Occurs(f)))
            .Select(s => s.RfcName()).ToList();
        Assert.Equal(declared, listed);
    }

    [Fact]
    public void EveryRowNamesATrigger()
    {
        var unknown = Rows.Value.Keys.Where(k => !Enum.TryParse<Trigger>(k, out _)).ToList();
        Assert.Empty(unknown);
    }
}
