using TcpModel.Machine;

namespace TcpModel.Tests.Machine;

/// <summary>Every seeded bug has a named check site in the model and a name the CLI can parse.</summary>
public sealed class MutantSites
{
    private static string Root()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "TcpModel.sln"))) return dir.FullName;
        throw new InvalidOperationException("TcpModel.sln not found above " + AppContext.BaseDirectory);
    }

    private static readonly string ModelSource = string.Join("\n",
        Directory.GetFiles(Path.Combine(Root(), "src", "TcpModel"), "*.cs", SearchOption.AllDirectories).Select(File.ReadAllText));

    public static TheoryData<string> Names() => [.. Mutants.All.Select(Mutants.Name)];

    [Theory]
    [MemberData(nameof(Names))]
    public void EveryMutantHasAMarkedCheckSiteInTheModel(string name) =>
        Assert.Contains("// MUTANT " + name, ModelSource, StringComparison.Ordinal);

    [Theory]
    [MemberData(nameof(Names))]
    public void EveryMutantNameParsesBackToItsMember(string name)
    {
        Assert.True(Mutants.TryParse(name, out var m));
        Assert.Equal(name, Mutants.Name(m));
    }

    [Fact]
    public void AMutantOfATableCellChangesOnlyThatProfilesTable()
    {
        var plain = CompiledTable.Instance.For(Profile.Rfc9293);
        var mutated = CompiledTable.Instance.For(Profile.Rfc9293 with { Mutant = Mutant.FinInFinWait1ToCloseWait });
        var tcb = new Tcb();
        Assert.Equal(TcpState.Closing, plain.Next(TcpState.FinWait1, Trigger.Fin, tcb));
        Assert.Equal(TcpState.CloseWait, mutated.Next(TcpState.FinWait1, Trigger.Fin, tcb));
        Assert.Equal(TcpState.CloseWait, mutated.Lookup(TcpState.FinWait1, Trigger.Fin, tcb)!.Next);
    }
}
