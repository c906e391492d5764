using System.Runtime.CompilerServices;

namespace TcpModel.Tests.Export;

/// <summary>
/// Golden-file comparison: the expected text lives in tests/TcpModel.Tests/Golden/ and is copied to
/// the output folder. An exact compare fails with the first differing line; with
/// <c>TCPMODEL_REGEN_GOLDEN=1</c> the source file is rewritten instead (review the diff, commit it).
/// </summary>
internal static class GoldenFile
{
    public static bool Regenerating => Environment.GetEnvironmentVariable("TCPMODEL_REGEN_GOLDEN") == "1";

    public static void AssertMatches(string name, string actual, [CallerFilePath] string callerFile = "")
    {
        if (Regenerating)
        {
            var sourceDir = Path.Combine(Path.GetDirectoryName(callerFile)!, "..", "Golden");
            Directory.CreateDirectory(sourceDir);
            File.WriteAllText(Path.Combine(sourceDir, name), actual);
            return;
        }
        var path = Path.Combine(AppContext.BaseDirectory, "Golden", name);
        Assert.True(File.Exists(path), $"golden file {name} is missing; run the tests once with TCPMODEL_REGEN_GOLDEN=1");
        var expected = File.ReadAllText(path).ReplaceLineEndings("\n");
        if (expected == actual) return;
        var e = expected.Split('\n');
        var a = actual.Split('\n');
        int i = 0;
        while (i < e.Length && i < a.Length && e[i] == a[i]) i++;
        Assert.Fail($"output differs from golden file {name} at line {i + 1}:\n  expected: {(i < e.Length ? e[i] : "<end>")}\n  actual:   {(i < a.Length ? a[i] : "<end>")}\n(if the change is intended, regenerate with TCPMODEL_REGEN_GOLDEN=1 and review the diff)");
    }
}
