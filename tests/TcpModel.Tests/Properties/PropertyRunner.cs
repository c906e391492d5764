using System.Globalization;
using FsCheck;
using FsCheck.Fluent;
using Microsoft.FSharp.Core;

namespace TcpModel.Tests.Properties;

/// <summary>A property failed: the message carries the seed, the shrunk case as a ladder and a
/// regression test to paste.</summary>
public sealed class PropertyFailedException(string message) : Exception(message);

/// <summary>
/// Runs a named claim with FsCheck over a custom arbitrary (generator + shrinker). The number of
/// cases is bounded so the suite stays fast; <c>TCPMODEL_PROPERTY_RUNS=10000</c> runs deeper, and
/// <c>TCPMODEL_PROPERTY_SEED=n</c> replays a run, <c>TCPMODEL_PROPERTY_SEED=random</c> explores with a
/// fresh seed (the default is a fixed seed per property, so CI is repeatable). On failure the shrunk counterexample is reported
/// by the check's own text (a ladder in RFC notation) and as C# for Regressions.cs.
/// </summary>
internal static class PropertyRunner
{
    /// <summary>Cases per property: the default, or TCPMODEL_PROPERTY_RUNS.</summary>
    public static int Runs(int defaultRuns) =>
        int.TryParse(Environment.GetEnvironmentVariable("TCPMODEL_PROPERTY_RUNS"), NumberStyles.Integer,
            CultureInfo.InvariantCulture, out int n) && n > 0 ? n : defaultRuns;

    [ThreadStatic] private static int t_exercised;

    /// <summary>Called by a check whose precondition held (so that a property that only ever passes
    /// vacuously fails instead).</summary>
    public static void Exercised() => t_exercised++;

    /// <summary>
    /// Checks <paramref name="check"/> (null: the claim holds; otherwise why not) on generated cases.
    /// </summary>
    public static void Verify<T>(string id, string claim, Gen<T> gen, Func<T, IEnumerable<T>> shrink,
        Func<T, string?> check, Func<T, string> toCode, int defaultRuns = 150, bool mustExercise = false,
        string? claimName = null)
        where T : notnull
    {
        int runs = Runs(defaultRuns);
        // Default: a fixed seed per property, so `dotnet test` and CI are repeatable; deeper or fresh
        // exploration is opt-in with TCPMODEL_PROPERTY_SEED=random (or a number to replay a run).
        var seedText = Environment.GetEnvironmentVariable("TCPMODEL_PROPERTY_SEED");
        ulong seed = seedText == "random" ? (ulong)Random.Shared.NextInt64()
            : ulong.TryParse(seedText, NumberStyles.Integer, CultureInfo.InvariantCulture, out var given) ? given
            : StableSeed(id + "/" + (claimName ?? ""));

        T? failing = default;
        string? why = null;
        int shrinks = -1;
        t_exercised = 0;
        var property = Prop.ForAll(Arb.From(gen, shrink), (T value) =>
        {
            var result = check(value);
            if (result is null) return true;
            failing = value;
            why = result;
            shrinks++;
            return false;
        });
        var config = Config.QuickThrowOnFailure
            .WithMaxTest(runs)
            .WithQuietOnSuccess(true)
            .WithReplay(FSharpOption<Replay>.Some(new Replay(new Rnd(seed), FSharpOption<int>.None)));
        try
        {
            Check.One(config, property);
        }
        catch (Exception ex) when (ex is not PropertyFailedException)
        {
            if (failing is null) throw;
            throw new PropertyFailedException(Report(id, claimName ?? id.Replace("-", "", StringComparison.Ordinal), claim, seed, runs, shrinks, why!, toCode(failing)));
        }
        if (mustExercise && t_exercised < runs / 4) // a coverage guard, with room for the seed's variation
            throw new PropertyFailedException($"{id} ({claim}): only {t_exercised} of {runs} generated cases met the " +
                                              "claim's precondition: the generator no longer exercises it.");
    }

    /// <summary>FNV-1a of the property's name: the same seed in every run and on every machine.</summary>
    private static ulong StableSeed(string name)
    {
        ulong h = 14695981039346656037UL;
        foreach (char c in name) h = unchecked((h ^ c) * 1099511628211UL);
        return h;
    }

    private static string Report(string id, string method, string claim, ulong seed, int runs, int shrinks, string why, string code)
    {
        // The test is named after the spec ID, then the claim's variant: P08_Rfc793_Seed…
        string prefix = id.Replace("-", "", StringComparison.Ordinal);
        string variant = method.StartsWith(prefix, StringComparison.Ordinal) ? method[prefix.Length..] : method;
        string test = variant.Length == 0 ? prefix : prefix + "_" + variant;
        return $"""

            {id} does not hold: {claim}
            Seed {seed} ({runs} cases; replay with TCPMODEL_PROPERTY_SEED={seed} TCPMODEL_PROPERTY_RUNS={runs}); shrunk {shrinks} time(s).

            {why}

            Regression test (paste into tests/TcpModel.Tests/Properties/Regressions.cs):

                [Fact]
                public void {test}_Seed{seed}() =>
                    Claims.AssertHolds(Claims.{method}, {code});

            """;
    }
}
