using TcpModel.Machine;
using Xunit.Sdk;

namespace TcpModel.Tests.Machine.Fidelity;

/// <summary>Runs a regression test's body under a profile and under the same profile with a seeded bug:
/// the body must pass as specified and fail with the mutant, so the test is shown to catch the bug it
/// was written for.</summary>
internal static class MutantCheck
{
    /// <summary>Asserts that <paramref name="body"/> fails (an assertion or property failure) under
    /// <paramref name="profile"/> with <paramref name="mutant"/> seeded.</summary>
    public static void FailsUnder(Mutant mutant, Profile profile, Action<Profile> body)
    {
        var mutated = profile with { Mutant = mutant };
        var e = Record.Exception(() => body(mutated));
        Assert.True(e is XunitException or TcpModel.Tests.Properties.PropertyFailedException,
            $"the regression test passes with mutant {Mutants.Name(mutant)} seeded ({e?.GetType().Name ?? "no failure"})");
    }
}
