using System.Collections.Concurrent;
using TcpModel.Machine;

namespace TcpModel.Network;

/// <summary>
/// Runs the property suite against a seeded bug: inside <see cref="Enter"/>, every endpoint the
/// simulator builds gets the mutant in its profile (the profile's name and policies unchanged).
/// Flows with the async context, so parallel test classes are unaffected.
/// </summary>
internal static class MutantScope
{
    private static readonly AsyncLocal<Mutant> s_current = new();
    private static readonly ConcurrentDictionary<(Profile, Mutant), Profile> s_mutated = new();

    /// <summary>The seeded bug in force (<see cref="Mutant.None"/> outside a scope).</summary>
    public static Mutant Current => s_current.Value;

    /// <summary>The profile with the current seeded bug (the same instance when there is none).</summary>
    public static Profile Apply(Profile p) =>
        s_current.Value == Mutant.None || p.Mutant != Mutant.None ? p
            : s_mutated.GetOrAdd((p, s_current.Value), k => k.Item1 with { Mutant = k.Item2 });

    /// <summary>Puts <paramref name="mutant"/> in force until the result is disposed.</summary>
    public static IDisposable Enter(Mutant mutant)
    {
        var before = s_current.Value;
        s_current.Value = mutant;
        return new Restore(before);
    }

    private sealed class Restore(Mutant before) : IDisposable
    {
        public void Dispose() => s_current.Value = before;
    }
}
