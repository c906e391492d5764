using System.Reflection;
using System.Text;
using TcpModel.Machine;
using TcpModel.Tests.Spec;

namespace TcpModel.Tests.Requirements;

/// <summary>How the model treats one requirement: <c>implemented</c> (and a test names it),
/// <c>policy</c> (a profile choice: the Profile property; a test names it), <c>out-of-scope</c> (why),
/// or <c>gap</c> (in scope, not yet done or not yet tested: what is missing).</summary>
public sealed record RequirementStatus(string Id, string Status, string How);

/// <summary>
/// Requirement traceability for RFC 9293 Table 8: spec/requirements/rfc9293-table8.tsv is the table
/// parsed from the RFC, spec/requirements/status.txt says how the model treats each id, tests carry the
/// ids as traits (<c>[Trait("RFC", "MUST-13")]</c>), and spec/requirements.md is generated from the three.
/// Regenerate the generated files with <c>TCPMODEL_REGEN_SPEC=1 dotnet test --filter RequirementsSpec</c>.
/// </summary>
public sealed class RequirementsSpec
{
    private static readonly string[] Statuses = ["implemented", "policy", "out-of-scope", "gap"];
    private static bool Regenerating => Environment.GetEnvironmentVariable("TCPMODEL_REGEN_SPEC") == "1";
    private static string TablePath => Path.Combine(RepoPaths.Root, "spec", "requirements", "rfc9293-table8.tsv");
    private static string StatusPath => Path.Combine(RepoPaths.Root, "spec", "requirements", "status.txt");

    private static IReadOnlyList<Requirement> Table => Rfc9293Requirements.FromTsv(File.ReadAllText(TablePath));

    private static IReadOnlyList<RequirementStatus> Status =>
        File.ReadAllLines(StatusPath).Where(l => l.Length > 0 && !l.StartsWith('#'))
            .Select(l => l.Split('|', 3)).Select(c => new RequirementStatus(c[0], c[1], c[2])).ToList();

    /// <summary>Test methods of this assembly by the requirement ids their RFC traits name.</summary>
    internal static IReadOnlyDictionary<string, List<string>> TestsById()
    {
        var map = new Dictionary<string, List<string>>();
        foreach (var type in typeof(RequirementsSpec).Assembly.GetTypes())
        foreach (var method in type.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly))
        foreach (var trait in method.GetCustomAttributesData().Where(a => a.AttributeType == typeof(TraitAttribute)))
        {
            if (trait.ConstructorArguments is [{ Value: "RFC" }, { Value: string id }] && id.Contains('-') && !id.Contains(' '))
            {
                if (!map.TryGetValue(id, out var list)) map[id] = list = [];
                list.Add($"{type.Name}.{method.Name}");
            }
        }
        foreach (var list in map.Values) list.Sort(StringComparer.Ordinal);
        return map;
    }

    [SkippableFact]
    public void TheCommittedListIsTable8AsParsedFromTheRfc()
    {
        var rfc = SharedPaths.SharedRoot is null ? null : Path.Combine(SharedPaths.SharedRoot, "rfc", "rfc9293.txt");
        bool present = rfc is not null && File.Exists(rfc);
        Assert.False(!present && Environment.GetEnvironmentVariable("CI") == "true", "CI runs with ../shared beside the clone, but ../shared/rfc/rfc9293.txt is absent");
        Skip.IfNot(present, "../shared/rfc/rfc9293.txt is absent: the committed list is not re-parsed");
        var parsed = Rfc9293Requirements.Parse(File.ReadAllText(rfc!));
        var tsv = Rfc9293Requirements.ToTsv(parsed);
        if (Regenerating) File.WriteAllText(TablePath, tsv);
        Assert.Equal(tsv, File.ReadAllText(TablePath).ReplaceLineEndings("\n"));
        // 118 MUST/SHLD/MAY ids plus REC-1; a handful stand twice in the table.
        Assert.Equal(118, parsed.Count(r => !r.Id.StartsWith("REC-", StringComparison.Ordinal)));
        Assert.All(parsed, r => Assert.NotEqual("?", r.Level));
    }

    [Fact]
    public void EveryIdOfTheTableHasExactlyOneStatus()
    {
        var status = Status;
        Assert.Empty(status.GroupBy(s => s.Id).Where(g => g.Count() > 1).Select(g => g.Key));
        Assert.Empty(Table.Select(r => r.Id).Except(status.Select(s => s.Id)));
        Assert.Empty(status.Select(s => s.Id).Except(Table.Select(r => r.Id)));
        Assert.All(status, s => Assert.Contains(s.Status, Statuses));
        Assert.All(status, s => Assert.False(string.IsNullOrWhiteSpace(s.How), $"{s.Id} says nothing of how"));
    }

    [Fact]
    public void NoIdIsClaimedImplementedOrAPolicyWithoutATestThatNamesIt()
    {
        var tests = TestsById();
        var untested = Status.Where(s => s.Status is "implemented" or "policy" && !tests.ContainsKey(s.Id)).Select(s => s.Id).ToList();
        Assert.True(untested.Count == 0, $"claimed but named by no [Trait(\"RFC\", id)] test: {string.Join(", ", untested)}");
    }

    [Fact]
    public void EveryPolicyRowNamesAProfileProperty()
    {
        foreach (var s in Status.Where(s => s.Status == "policy"))
            Assert.True(typeof(Profile).GetProperty(s.How.Trim()) is not null, $"{s.Id}: '{s.How}' is not a Profile property");
    }

    [Fact]
    public void EveryRequirementTraitNamesAnIdOfTheTable()
    {
        var ids = Table.Select(r => r.Id).ToHashSet();
        var unknown = TestsById().Keys.Where(k => !ids.Contains(k) && System.Text.RegularExpressions.Regex.IsMatch(k, @"^(MUST|SHLD|MAY|REC)-\d+$")).ToList();
        Assert.True(unknown.Count == 0, $"traits naming no Table 8 id: {string.Join(", ", unknown)}");
    }

    [Fact]
    public void SpecRequirementsMdIsGeneratedFromTheTableTheStatusAndTheTests()
    {
        var path = Path.Combine(RepoPaths.Root, "spec", "requirements.md");
        var text = Render(Table, Status, TestsById());
        if (Regenerating) File.WriteAllText(path, text);
        var committed = File.ReadAllText(path).ReplaceLineEndings("\n");
        if (committed == text) return;
        var e = committed.Split('\n'); var a = text.Split('\n');
        int i = 0; while (i < e.Length && i < a.Length && e[i] == a[i]) i++;
        Assert.Fail($"spec/requirements.md is not current at line {i + 1} (regenerate: TCPMODEL_REGEN_SPEC=1 dotnet test --filter RequirementsSpec)\n  committed: {(i < e.Length ? e[i] : "<end>")}\n  generated: {(i < a.Length ? a[i] : "<end>")}");
    }

    internal static string Render(IReadOnlyList<Requirement> table, IReadOnlyList<RequirementStatus> status, IReadOnlyDictionary<string, List<string>> tests)
    {
        var byId = status.ToDictionary(s => s.Id);
        var counts = Statuses.ToDictionary(s => s, s => status.Count(x => x.Status == s));
        var b = new StringBuilder();
        b.Append("# RFC 9293 requirements and how TcpModel treats each\n\n");
        b.Append("Generated from spec/requirements/rfc9293-table8.tsv (RFC 9293 §4, Table 8, parsed from the RFC text),\n");
        b.Append("spec/requirements/status.txt and the tests' `[Trait(\"RFC\", \"MUST-n\")]` attributes. Do not edit: regenerate with\n");
        b.Append("`TCPMODEL_REGEN_SPEC=1 dotnet test --filter RequirementsSpec`. A test fails when an id is missing, when an id is\n");
        b.Append("claimed implemented or a policy without a test naming it, or when this file is not current.\n\n");
        b.Append($"**{table.Count} ids**: {counts["implemented"]} implemented and tested, {counts["policy"]} profile policies (tested), ");
        b.Append($"{counts["out-of-scope"]} out of scope, {counts["gap"]} gaps (in scope, not yet done or not yet tested).\n\n");
        b.Append("| Id | Level | Section | Feature | Status | How | Tests |\n|---|---|---|---|---|---|---|\n");
        foreach (var r in table)
        {
            var s = byId.GetValueOrDefault(r.Id) ?? new RequirementStatus(r.Id, "?", "?");
            var how = s.Status == "policy" ? $"POLICY `{s.How}` (spec/policies.md)" : s.How;
            var t = tests.TryGetValue(r.Id, out var list) ? string.Join("<br>", list.Select(x => $"`{x}`")) : "";
            b.Append($"| {r.Id} | {r.Level} | {r.Section} | {Cell(r.Group + ": " + r.Feature)} | {s.Status} | {Cell(how)} | {t} |\n");
        }
        return b.ToString();
    }

    private static string Cell(string text) => text.Replace("|", "\\|", StringComparison.Ordinal);
}
