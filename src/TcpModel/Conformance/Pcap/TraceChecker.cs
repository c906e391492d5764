using TcpModel.Machine;

namespace TcpModel.Conformance.Pcap;

/// <summary>
/// Checks captures against the model (issue 11): reads the file, splits it into connections, and
/// replays each side through <see cref="Endpoint.Step"/> under a profile, inferring the hidden user
/// calls, timer expiries and losses after the capture point by a bounded search (<see cref="SideChecker"/>).
/// A connection is accepted when, for each side, some choice explains every segment that side sent.
/// </summary>
public sealed class TraceChecker(Profile profile)
{
    /// <summary>At most this many candidate configurations per side are carried from packet to packet.</summary>
    public const int BeamWidth = 64;

    /// <summary>At most this many hidden events (user calls, timer expiries, deliveries) before one sent segment.</summary>
    public const int MaxHidden = 4;

    /// <summary>The profile.</summary>
    public Profile Profile { get; } = profile;

    /// <summary>Reads and checks a file; throws <see cref="CaptureFormatException"/> on a malformed file.</summary>
    public FileResult CheckFile(string path) => Check(CaptureReader.ReadFile(path), path);

    /// <summary>Checks records already read.</summary>
    public FileResult Check(IReadOnlyList<CaptureRecord> records, string file)
    {
        var skipped = new SortedDictionary<string, int>(StringComparer.Ordinal);
        var warnings = new List<string>();
        var tcp = new List<TcpPacket>();
        foreach (var r in records)
        {
            PacketDecoder.CheckLinkType(r, file);
            var d = PacketDecoder.Decode(r);
            if (d.Warning is not null) warnings.Add($"{file}: {d.Warning}");
            if (d.Tcp is not null) tcp.Add(d.Tcp);
            else skipped[d.Skipped!] = skipped.GetValueOrDefault(d.Skipped!) + 1;
        }
        var results = ConnectionSplitter.Split(tcp).Select(Check).ToList();
        return new FileResult(file, Profile.Name, records.Count, tcp.Count, skipped, warnings, results);
    }

    /// <summary>Checks one connection.</summary>
    public ConnectionResult Check(Connection conn)
    {
        var first = conn.Packets[0].Segment;
        if (!first.Syn || first.HasAck)
            return Unchecked(conn, "the capture starts after the connection's first SYN; the states before its first packet are unknown");
        var a = new SideChecker(conn, true, Profile, BeamWidth, MaxHidden).Run();
        var b = new SideChecker(conn, false, Profile, BeamWidth, MaxHidden).Run();
        var histA = Flatten(a.Best?.Hist);
        var histB = Flatten(b.Best?.Hist);
        var lost = new HashSet<int>();
        for (var l = a.Best?.Lost; l is not null; l = l.Prev) lost.Add(l.Packet);
        for (var l = b.Best?.Lost; l is not null; l = l.Prev) lost.Add(l.Packet);
        int failAt = a.FailedAt < 0 ? b.FailedAt : b.FailedAt < 0 ? a.FailedAt : Math.Min(a.FailedAt, b.FailedAt);
        var rows = new List<PacketResult>();
        for (int i = 0; i < conn.Packets.Count; i++)
        {
            var p = conn.Packets[i];
            var ha = histA.GetValueOrDefault(i);
            var hb = histB.GetValueOrDefault(i);
            rows.Add(new PacketResult(p.Index, p.TimeMicros, p.Source == conn.A ? 'A' : 'B', p.Source, p.Destination,
                SegmentText.Of(p.Segment), p.PayloadLength, p.Cut, ha?.State, hb?.State,
                ha?.Hidden ?? [], hb?.Hidden ?? [], lost.Contains(i)));
        }
        Unexplained? unexplained = null;
        if (failAt >= 0)
        {
            bool byA = a.FailedAt == failAt;
            var failures = (byA ? a.Failures : b.Failures)
                .GroupBy(f => (f.State, f.Reason)).Select(g => g.First())
                .Take(12).Select(f => new PossibleState(f.State, f.Reason, f.Rule)).ToList();
            var p = conn.Packets[failAt];
            unexplained = new Unexplained(p.Index, byA ? 'A' : 'B', SegmentText.Of(p.Segment), failures);
        }
        return new ConnectionResult(conn, failAt >= 0 ? Verdict.Rejected : Verdict.Accepted, rows, unexplained, null, 0);
    }

    private static Dictionary<int, Hist> Flatten(Hist? h)
    {
        var d = new Dictionary<int, Hist>();
        for (; h is not null; h = h.Prev) d.TryAdd(h.Packet, h);
        return d;
    }

    private static ConnectionResult Unchecked(Connection conn, string note) =>
        new(conn, Verdict.Unchecked, conn.Packets.Select(p => new PacketResult(p.Index, p.TimeMicros, p.Source == conn.A ? 'A' : 'B',
            p.Source, p.Destination, SegmentText.Of(p.Segment), p.PayloadLength, p.Cut, null, null, [], [], false)).ToList(), null, note, 0);
}
