using System.Text.Json;
using TcpModel.Conformance.Pcap;
using TcpModel.Machine;
using TcpModel.Tests.Spec;

namespace TcpModel.Tests.Pcap;

/// <summary>The loopback capture fixtures of tests/fixtures/pcap (made by capture.py on a real Linux
/// kernel) and their `ss -tan` ground truth.</summary>
internal static class Fixtures
{
    public static string Dir => Path.Combine(RepoPaths.Root, "tests", "fixtures", "pcap");

    public static string Pcap(string name) => Path.Combine(Dir, name + ".pcap");

    public static IEnumerable<object[]> Names() =>
        Directory.GetFiles(Path.Combine(RepoPaths.Root, "tests", "fixtures", "pcap"), "*.pcap")
            .Select(f => new object[] { Path.GetFileNameWithoutExtension(f) }).OrderBy(o => (string)o[0]);

    /// <summary>The profile Linux captures are checked under: <c>linux</c> when it is built in,
    /// otherwise rfc9293 (spec/tcpmodel-check.md lists the gap).</summary>
    public static Profile LinuxProfile => Profile.BuiltIn.TryGetValue("linux", out var p) ? p : Profile.Rfc9293;

    public sealed record Socket(string State, string Local, string Peer);

    public sealed record Step(string What, int Packets, List<Socket> Sockets);

    public static List<Step> Truth(string name)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(Dir, name + ".truth.json")));
        return doc.RootElement.GetProperty("steps").EnumerateArray().Select(s => new Step(
            s.GetProperty("step").GetString()!,
            s.GetProperty("packets").GetInt32(),
            s.GetProperty("sockets").EnumerateArray().Select(k => new Socket(
                k.GetProperty("state").GetString()!, k.GetProperty("local").GetString()!, k.GetProperty("peer").GetString()!)).ToList())).ToList();
    }

    /// <summary>ss state names (iproute2 misc/ss.c sstate_name) as RFC 9293 states.</summary>
    public static TcpState FromSs(string ss) => ss switch
    {
        "ESTAB" => TcpState.Established,
        "SYN-SENT" => TcpState.SynSent,
        "SYN-RECV" => TcpState.SynReceived,
        "FIN-WAIT-1" => TcpState.FinWait1,
        "FIN-WAIT-2" => TcpState.FinWait2,
        "TIME-WAIT" => TcpState.TimeWait,
        "CLOSE-WAIT" => TcpState.CloseWait,
        "LAST-ACK" => TcpState.LastAck,
        "LISTEN" => TcpState.Listen,
        "CLOSING" => TcpState.Closing,
        _ => TcpState.Closed,
    };
}
