using System.Reflection;
using TcpModel.Machine;
using TcpModel.Tests.Spec;

namespace TcpModel.Tests.Checking;

/// <summary>The explorer stores endpoints by <c>Endpoint.Save</c>: a TCB field it leaves out makes states that
/// differ in that field hash equal (the search then misses their futures) and a loaded endpoint lose it. Merges
/// that added fields to <see cref="Tcb"/> (RcvAdv, PersistBackoff, UserTimeout, …) once slipped past it.</summary>
public sealed class SnapshotCoversTheTcb
{
    [Fact]
    public void EveryFieldOfTheTcbIsWrittenAndReadByTheExplorersSnapshot()
    {
        var snapshot = File.ReadAllText(Path.Combine(RepoPaths.Root, "src", "TcpModel", "Machine", "Endpoint.Snapshot.cs"));
        var missing = typeof(Tcb).GetFields(BindingFlags.Public | BindingFlags.Instance)
            .Select(f => f.Name)
            .Where(n => !snapshot.Contains("t." + n, StringComparison.Ordinal))
            .ToList();
        Assert.True(missing.Count == 0, $"Endpoint.Save/Load leave out Tcb fields: {string.Join(", ", missing)}");
    }
}
