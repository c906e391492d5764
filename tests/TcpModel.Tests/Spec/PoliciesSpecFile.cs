using System.Globalization;
using System.Reflection;
using TcpModel.Machine;

namespace TcpModel.Tests.Spec;

/// <summary>spec/policies.md has a row for every <see cref="Profile"/> property, and its rfc9293 and
/// rfc793, standard, freebsd and linux columns are the values of the built-in profiles.</summary>
public sealed class PoliciesSpecFile
{
    private static readonly PropertyInfo[] Properties = typeof(Profile)
        .GetProperties(BindingFlags.Public | BindingFlags.Instance)
        .Where(p => p.Name is not ("Name" or "EqualityContract" or "Mutant"))
        .ToArray();

    /// <summary>Rows keyed by property name: (rfc9293 value, rfc793 value, guards column).</summary>
    private static readonly Lazy<Dictionary<string, (string Rfc9293, string Rfc793, string Standard, string FreeBsd, string Linux, string Guards)>> Rows = new(() =>
    {
        var rows = new Dictionary<string, (string, string, string, string, string, string)>();
        foreach (var line in File.ReadAllLines(RepoPaths.Spec("policies.md")))
        {
            var cells = line.Split('|', StringSplitOptions.TrimEntries);
            if (cells.Length != 13 || !cells[2].StartsWith('`')) continue;
            var name = cells[2].Trim('`');
            Assert.False(rows.ContainsKey(name), $"spec/policies.md lists {name} twice");
            rows[name] = (cells[7], cells[8], cells[9], cells[10], cells[11], cells[6]);
        }
        return rows;
    });

    /// <summary>How the spec prints a policy value.</summary>
    private static string Print(string property, object? value) => value switch
    {
        null => "none",
        bool b => b ? "on" : "off",
        long t when property is not ("ReceiveBuffer" or "SendBuffer") => t == 0 ? "none"
            : t % 1_000_000 == 0 ? $"{t / 1_000_000} s" : $"{t / 1000} ms",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "none",
    };

    public static TheoryData<string> PropertyNames() => new(Properties.Select(p => p.Name));

    [Theory]
    [MemberData(nameof(PropertyNames))]
    public void EveryProfilePropertyHasARowWithTheBuiltInValues(string property)
    {
        Assert.True(Rows.Value.TryGetValue(property, out var row), $"spec/policies.md has no row for Profile.{property}");
        var p = typeof(Profile).GetProperty(property)!;
        Assert.Equal(Print(property, p.GetValue(Profile.Rfc9293)), row.Rfc9293);
        Assert.Equal(Print(property, p.GetValue(Profile.Rfc793)), row.Rfc793);
        Assert.Equal(Print(property, p.GetValue(Profile.Standard)), row.Standard);
        Assert.Equal(Print(property, p.GetValue(Profile.FreeBsd)), row.FreeBsd);
        Assert.Equal(Print(property, p.GetValue(Profile.Linux)), row.Linux);
    }

    [Fact]
    public void EveryRowNamesAProfileProperty()
    {
        var unknown = Rows.Value.Keys.Where(k => Properties.All(p => p.Name != k)).ToList();
        Assert.True(unknown.Count == 0, $"rows naming no Profile property: {string.Join(", ", unknown)}");
    }

    [Fact]
    public void EveryGuardNamedInTheSpecIsAGuardWithItsComplement()
    {
        foreach (var guards in Rows.Value.Values.Select(r => r.Guards).Where(g => g != "-"))
        {
            var pair = guards.Split('/', StringSplitOptions.TrimEntries).Select(g => Guards.FromName(g.Trim('`'))).ToArray();
            Assert.Equal(2, pair.Length);
            Assert.Equal(pair[1], pair[0].Complement());
        }
    }
}
