using TcpModel.Machine;

namespace TcpModel.Tests.Spec;

/// <summary>The fixtures the classifier properties run against reach every state, under every profile.</summary>
[Trait("Spec", "transitions")]
public sealed class CanonicalFixtures
{
    public static TheoryData<string, string> FixturesAndProfiles()
    {
        var data = new TheoryData<string, string>();
        foreach (var f in StateFixtures.All)
            foreach (var p in Profile.BuiltIn.Keys) data.Add(f.Name, p);
        return data;
    }

    [Theory]
    [MemberData(nameof(FixturesAndProfiles))]
    public void EachFixtureIsInItsState(string fixture, string profile)
    {
        var f = StateFixtures.All.Single(x => x.Name == fixture);
        Assert.Equal(f.State, f.Build(Profile.BuiltIn[profile]).State);
    }

    [Fact]
    public void EveryStateHasAFixture() =>
        Assert.Equal(TcpStates.All, StateFixtures.All.Select(f => f.State).Distinct().Order());
}
