using TcpModel.Export;
using TcpModel.Machine;
using TcpModel.Network;
using TcpModel.Wire;

namespace TcpModel.Tests.Export;

public sealed class LadderExport
{
    /// <summary>A handshake on the clocked simulator (10 ms one-way), as a figure ladder.</summary>
    private static List<LadderRow> Handshake(Func<SegmentSent, bool>? lose = null)
    {
        var a = new Endpoint(Profile.Rfc9293, new EndpointOptions { Isn = new FixedIsnSource(100) });
        var b = new Endpoint(Profile.Rfc9293, new EndpointOptions { Isn = new FixedIsnSource(300) });
        var sim = new Simulator(a, b, latency: 10_000) { Lose = lose };
        sim.User(Side.B, Input.OpenPassive(), "OPEN (passive)");
        sim.User(Side.A, Input.OpenActive, "OPEN (active)");
        sim.RunUntil(500_000);
        return LadderRow.Of(sim.Rows);
    }

    [Fact]
    public void NumbersEveryRowAndShowsDirectionAndRfcNotation()
    {
        var ladder = Handshake();
        var lines = LadderExporter.Write(ladder).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(ladder.Count + 1, lines.Length);
        Assert.Contains("TCP A", lines[0]);
        Assert.Contains("TCP B", lines[0]);
        Assert.Contains(lines, l => l.Contains("SYN-SENT     --> <SEQ=100><CTL=SYN>", StringComparison.Ordinal) && l.TrimStart().StartsWith("3.", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("<-- <SEQ=300><ACK=101><CTL=SYN,ACK>", StringComparison.Ordinal) && l.Contains("<-- SYN-RECEIVED", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("--> <SEQ=101><ACK=301><CTL=ACK>", StringComparison.Ordinal));
    }

    [Fact]
    public void MarksALostSegmentWhereItWouldHaveArrived()
    {
        var text = LadderExporter.Write(Handshake(s => s.From == Side.B && s.Number == 1)); // B's first: the SYN,ACK
        Assert.Contains(text.Split('\n'), l => l.Contains("X-- <SEQ=300><ACK=101><CTL=SYN,ACK>", StringComparison.Ordinal));
    }

    [Fact]
    public void AppendsNotesToTheirRows()
    {
        var text = LadderExporter.Write(Handshake(), new Dictionary<int, string> { [2] = "SYN" });
        var third = text.Split('\n')[3];
        Assert.EndsWith("  ; SYN", third);
        Assert.Contains("<SEQ=100><CTL=SYN>", third);
    }

    [Fact]
    public void NoLineEndsInWhitespace() =>
        Assert.All(LadderExporter.Write(Handshake()).Split('\n'), l => Assert.Equal(l.TrimEnd(), l));
}
