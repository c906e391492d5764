using System.Text;
using TcpModel.Conformance.Packetdrill;
using TcpModel.Wire;

namespace TcpModel.Fuzz;

/// <summary>A harness found a bug: an invariant broke (a thrown exception of any other type is one too).</summary>
public sealed class FuzzFinding(string message) : Exception(message);

/// <summary>
/// The fuzz targets: each takes arbitrary bytes and either returns (the input was handled: accepted, or
/// rejected with the error the API documents) or throws (a finding: an undocumented exception, or a
/// broken invariant). The same functions run under AFL++ (Program.cs) and in-process over the seed
/// corpus in <c>dotnet test</c> (the CI smoke run).
/// </summary>
public static class FuzzTargets
{
    /// <summary>The targets by name.</summary>
    public static IReadOnlyDictionary<string, Action<byte[]>> All { get; } = new Dictionary<string, Action<byte[]>>
    {
        ["notation"] = Notation,
        ["packetdrill"] = Packetdrill,
        ["step"] = StepPair.Run,
        ["pcap"] = PcapTarget.Run,
    };

    /// <summary>The segment notation parser (spec/notation.md): TryParse never throws; what it accepts
    /// prints back to text that parses to the same segment.</summary>
    public static void Notation(byte[] data)
    {
        var text = Encoding.UTF8.GetString(data);
        if (!Segment.TryParse(text, out var seg, out var error))
        {
            if (string.IsNullOrEmpty(error)) throw new FuzzFinding("rejected without an error message");
            if (error.Contains('\n', StringComparison.Ordinal) || error.Length > 4 * ErrorText.MaxLine)
                throw new FuzzFinding($"error message is not one short line ({error.Length} chars)");
            return;
        }
        var printed = seg.ToString();
        if (!Segment.TryParse(printed, out var again, out var why))
            throw new FuzzFinding($"the printed form '{ErrorText.Clean(printed)}' does not parse: {why}");
        if (again != seg)
            throw new FuzzFinding($"round trip changed the segment: '{ErrorText.Clean(printed)}' parses to '{ErrorText.Clean(again.ToString())}'");
    }

    /// <summary>The packetdrill parser and runner: a script either fails to parse with
    /// <see cref="PacketdrillSyntaxException"/> (one line, file:line:col), or runs to a verdict under both
    /// profiles without throwing; a failing verdict names a line of the script.</summary>
    public static void Packetdrill(byte[] data)
    {
        var text = Encoding.UTF8.GetString(data);
        PacketdrillScript script;
        try
        {
            script = PacketdrillParser.Parse(text, "fuzz.pkt");
        }
        catch (PacketdrillSyntaxException e)
        {
            if (e.Position.Line < 1 || e.Position.Column < 1) throw new FuzzFinding($"bad position {e.Position}");
            if (e.Message.Contains('\n', StringComparison.Ordinal)) throw new FuzzFinding("multi-line syntax error");
            return;
        }
        // lines as the parser counts them: LF, CRLF and a lone CR each end a line
        int lines = text.Replace("\r\n", "\n", StringComparison.Ordinal).Count(c => c is '\n' or '\r') + 1;
        foreach (var profile in PacketdrillProfiles.Names)
        {
            var verdict = PacketdrillRunner.Run(script, new PacketdrillRunOptions { Profile = profile });
            if (verdict.Divergence is { } d && (d.Position.Line < 1 || d.Position.Line > lines))
                throw new FuzzFinding($"divergence at line {d.Position.Line} of a {lines}-line script");
            if (verdict.Divergence is { } d2 && d2.Actual.StartsWith("internal error", StringComparison.Ordinal))
                throw new FuzzFinding($"the runner failed: {d2}");
        }
    }
}
