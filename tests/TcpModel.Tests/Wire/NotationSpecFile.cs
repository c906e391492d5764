using TcpModel.Tests.Spec;
using TcpModel.Wire;

namespace TcpModel.Tests.Wire;

/// <summary>The examples of spec/notation.md parse and print as the file says.</summary>
public sealed class NotationSpecFile
{
    private static IEnumerable<string[]> Table(int columns) =>
        File.ReadAllLines(RepoPaths.Spec("notation.md"))
            .Where(l => l.StartsWith("| `<", StringComparison.Ordinal))
            .Select(l => l.Trim().Trim('|').Split(" | ", StringSplitOptions.TrimEntries))
            .Where(c => c.Length == columns);

    private static string Code(string cell) => cell.Trim('`');

    [Fact]
    public void EveryExampleParsesAndPrintsAsTheSpecShows()
    {
        var examples = Table(2).Where(c => c[1].StartsWith('`')).ToList();
        Assert.NotEmpty(examples);
        foreach (var c in examples)
            Assert.Equal(Code(c[1]), Segment.Parse(Code(c[0])).ToString());
    }

    [Fact]
    public void EveryMalformedExampleFailsAtTheColumnTheSpecShows()
    {
        var examples = Table(2).Where(c => int.TryParse(c[1], out _)).ToList();
        Assert.NotEmpty(examples);
        foreach (var c in examples)
            Assert.Equal(int.Parse(c[1], System.Globalization.CultureInfo.InvariantCulture),
                Assert.Throws<SegmentFormatException>(() => Segment.Parse(Code(c[0]))).Column);
    }
}
