using System.Reflection;
using System.Text.RegularExpressions;

namespace TcpModel.Tests.Spec;

/// <summary>spec/properties.md is the one numbering of the model's claims: every row names, in its
/// "Checked by" column, test methods that exist; every property test is named after its row's ID and
/// carries it as its <c>Property</c> trait; no property test is left out of the table.</summary>
[Trait("Spec", "properties")]
public sealed partial class PropertiesSpecFile
{
    /// <summary>A property test: a method named P&lt;NN&gt;_… (regression replays are named the same way).</summary>
    [GeneratedRegex(@"^P(\d\d)_")]
    private static partial Regex PropertyTestName();

    [GeneratedRegex(@"`([A-Za-z_][A-Za-z0-9_]*)\.([A-Za-z_][A-Za-z0-9_]*)`")]
    private static partial Regex CheckedByEntry();

    /// <summary>Rows in order: ID and the test names of the "Checked by" column.</summary>
    private static readonly Lazy<List<(string Id, List<(string Class, string Method)> Tests)>> Rows = new(() =>
    {
        var rows = new List<(string, List<(string, string)>)>();
        foreach (var line in File.ReadAllLines(RepoPaths.Spec("properties.md")))
        {
            var cells = line.Split('|', StringSplitOptions.TrimEntries);
            if (cells.Length != 6 || !Regex.IsMatch(cells[1], @"^P-\d\d$")) continue;
            rows.Add((cells[1], CheckedByEntry().Matches(cells[4]).Select(m => (m.Groups[1].Value, m.Groups[2].Value)).ToList()));
        }
        return rows;
    });

    /// <summary>Every test method of this assembly ([Fact] or [Theory]) by class name.</summary>
    private static readonly Lazy<ILookup<string, MethodInfo>> Tests = new(() =>
        typeof(PropertiesSpecFile).Assembly.GetTypes()
            .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly))
            .Where(m => m.GetCustomAttributes<FactAttribute>(inherit: true).Any())
            .ToLookup(m => m.DeclaringType!.Name));

    private static string? PropertyTrait(MethodInfo m) => m.GetCustomAttributesData()
        .Where(a => a.AttributeType == typeof(TraitAttribute) && (string?)a.ConstructorArguments[0].Value == "Property")
        .Select(a => (string?)a.ConstructorArguments[1].Value).FirstOrDefault();

    [Fact]
    public void TheIdsRunFromP01WithoutGapsOrRepeats()
    {
        var ids = Rows.Value.Select(r => r.Id).ToList();
        Assert.True(ids.Count >= 24, $"spec/properties.md lists only {ids.Count} properties");
        Assert.Equal(Enumerable.Range(1, ids.Count).Select(n => $"P-{n:00}"), ids);
    }

    [Fact]
    public void EveryRowIsCheckedByAtLeastOneTest()
    {
        var unchecked_ = Rows.Value.Where(r => r.Tests.Count == 0).Select(r => r.Id).ToList();
        Assert.True(unchecked_.Count == 0, $"rows without a test in \"Checked by\": {string.Join(", ", unchecked_)}");
    }

    [Fact]
    public void EveryCheckedByEntryNamesAnExistingTestMethod()
    {
        var missing = Rows.Value.SelectMany(r => r.Tests.Where(t => !Tests.Value[t.Class].Any(m => m.Name == t.Method))
            .Select(t => $"{r.Id}: {t.Class}.{t.Method}")).ToList();
        Assert.True(missing.Count == 0, "\"Checked by\" names no such test:\n" + string.Join("\n", missing));
    }

    [Fact]
    public void EveryPropertyTestListedIsNamedAfterItsRowAndCarriesItsTrait()
    {
        var problems = new List<string>();
        foreach (var (id, tests) in Rows.Value)
        {
            foreach (var (cls, method) in tests.Where(t => PropertyTestName().IsMatch(t.Method)))
            {
                string prefix = id.Replace("-", "", StringComparison.Ordinal) + "_";
                if (!method.StartsWith(prefix, StringComparison.Ordinal)) problems.Add($"{id} lists {cls}.{method}, not named {prefix}…");
                var m = Tests.Value[cls].FirstOrDefault(x => x.Name == method);
                if (m is not null && PropertyTrait(m) != id) problems.Add($"{cls}.{method} has Property trait '{PropertyTrait(m)}', expected {id}");
            }
        }
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Fact]
    public void EveryPropertyTestIsListedExceptRegressionReplays()
    {
        var listed = Rows.Value.SelectMany(r => r.Tests).Select(t => $"{t.Class}.{t.Method}").ToHashSet();
        var unlisted = Tests.Value.SelectMany(g => g)
            .Where(m => PropertyTestName().IsMatch(m.Name) && m.DeclaringType!.Name != "Regressions")
            .Select(m => $"{m.DeclaringType!.Name}.{m.Name}").Where(n => !listed.Contains(n)).ToList();
        Assert.True(unlisted.Count == 0, "property tests missing from spec/properties.md:\n" + string.Join("\n", unlisted));
    }

    [Fact]
    public void EveryPropertyTraitAndRegressionNamesARow()
    {
        var ids = Rows.Value.Select(r => r.Id).ToHashSet();
        var problems = new List<string>();
        foreach (var m in Tests.Value.SelectMany(g => g))
        {
            var trait = PropertyTrait(m);
            if (trait is not null && !ids.Contains(trait)) problems.Add($"{m.DeclaringType!.Name}.{m.Name}: Property trait {trait} is no row");
            var name = PropertyTestName().Match(m.Name);
            if (name.Success && trait != $"P-{name.Groups[1].Value}")
                problems.Add($"{m.DeclaringType!.Name}.{m.Name}: named P{name.Groups[1].Value} but its Property trait is '{trait}'");
        }
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }
}
