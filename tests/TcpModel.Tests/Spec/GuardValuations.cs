using TcpModel.Machine;

namespace TcpModel.Tests.Spec;

/// <summary>
/// Every combination of outcomes of the guards a cell involves. Guards come in complementary
/// pairs, so a pair is one boolean variable: the valuation fixes the lower-numbered guard of each
/// pair and its complement gets the opposite outcome.
/// </summary>
internal static class GuardValuations
{
    /// <summary>The variable a guard belongs to (the lower-numbered member of its pair).</summary>
    public static Guard Variable(Guard g) => g.Complement() is var c && c != Guard.None && c < g ? c : g;

    /// <summary>The guards used by the alternatives of a cell.</summary>
    public static IEnumerable<Guard> GuardsOf(IEnumerable<CellKey> alternatives) =>
        alternatives.SelectMany(k => new[] { k.Guard1, k.Guard2 }).Where(g => g != Guard.None).Distinct();

    /// <summary>All 2^n oracles over the variables of the given guards (one oracle when there are none).</summary>
    public static IEnumerable<Valuation> All(IEnumerable<Guard> guards)
    {
        var vars = guards.Select(Variable).Distinct().OrderBy(g => g).ToArray();
        for (int bits = 0; bits < 1 << vars.Length; bits++)
        {
            var truth = new Dictionary<Guard, bool>();
            for (int i = 0; i < vars.Length; i++) truth[vars[i]] = (bits >> i & 1) != 0;
            yield return new Valuation(truth);
        }
    }

    /// <summary>All oracles for the alternatives of one state × trigger cell of the declaration.</summary>
    public static IEnumerable<Valuation> ForCell(TransitionTable table, TcpState s, Trigger t) =>
        All(GuardsOf(table.Facts.Keys.Where(k => k.State == s && k.Trigger == t)));
}

/// <summary>One combination of guard outcomes, usable as <see cref="TransitionTable.GuardOracle"/>.</summary>
internal sealed class Valuation(IReadOnlyDictionary<Guard, bool> truth)
{
    public bool this[Guard g] => g == Guard.None
        || (truth.TryGetValue(GuardValuations.Variable(g), out var v)
            ? (GuardValuations.Variable(g) == g ? v : !v)
            : throw new InvalidOperationException($"guard {g} is not part of this valuation"));

    public bool Holds(CellKey k) => this[k.Guard1] && this[k.Guard2];

    public Func<Guard, bool> Oracle => g => this[g];

    public override string ToString() =>
        truth.Count == 0 ? "(no guards)" : string.Join(", ", truth.Select(kv => (kv.Value ? "" : "¬") + kv.Key));
}
