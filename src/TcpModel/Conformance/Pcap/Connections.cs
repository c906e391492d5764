namespace TcpModel.Conformance.Pcap;

/// <summary>One incarnation of a connection in a capture: its two endpoints (<see cref="A"/> sent
/// the first packet seen) and its packets in capture order.</summary>
public sealed class Connection
{
    internal Connection(int id, HostPort a, HostPort b) { Id = id; A = a; B = b; }

    /// <summary>0-based number of the connection in the file (order of first packet).</summary>
    public int Id { get; }
    /// <summary>The endpoint that sent the first packet seen (the client of a normal open).</summary>
    public HostPort A { get; }
    /// <summary>The other endpoint.</summary>
    public HostPort B { get; }
    /// <summary>The packets, in capture order.</summary>
    public List<TcpPacket> Packets { get; } = [];

    internal bool FinFromA, FinFromB, Reset;
    internal uint? SynSeqA, SynSeqB;

    /// <summary>Both FINs or an RST were seen: a new SYN starts a new incarnation.</summary>
    internal bool Ended => Reset || (FinFromA && FinFromB);
}

/// <summary>Splits TCP packets into connections by 4-tuple and incarnation: a SYN without ACK after the
/// previous incarnation on the same 4-tuple ended (both FINs or an RST seen), that is not a
/// retransmission of that incarnation's SYN, starts a new incarnation (RFC 9293 §3.4: a new
/// connection of the same socket pair, e.g. one reopened from TIME-WAIT, RFC 1122 §4.2.2.13).</summary>
public static class ConnectionSplitter
{
    /// <summary>Splits the packets (in capture order) into connections (in order of first packet).</summary>
    public static List<Connection> Split(IEnumerable<TcpPacket> packets)
    {
        var all = new List<Connection>();
        var current = new Dictionary<(HostPort, HostPort), Connection>();
        foreach (var p in packets)
        {
            var key = Compare(p.Source, p.Destination) <= 0 ? (p.Source, p.Destination) : (p.Destination, p.Source);
            var s = p.Segment;
            if (current.TryGetValue(key, out var c) && s.Syn && !s.HasAck && c.Ended)
            {
                uint? old = p.Source == c.A ? c.SynSeqA : c.SynSeqB;
                if (old != s.Seq.Value) c = null;
            }
            if (c is null)
            {
                c = new Connection(all.Count, p.Source, p.Destination);
                all.Add(c);
                current[key] = c;
            }
            c.Packets.Add(p);
            bool fromA = p.Source == c.A;
            if (s.Syn && !s.HasAck) { if (fromA) c.SynSeqA ??= s.Seq.Value; else c.SynSeqB ??= s.Seq.Value; }
            if (s.Syn && s.HasAck && !fromA) c.SynSeqB ??= s.Seq.Value;
            if (s.Syn && s.HasAck && fromA) c.SynSeqA ??= s.Seq.Value;
            if (s.Fin) { if (fromA) c.FinFromA = true; else c.FinFromB = true; }
            if (s.Rst) c.Reset = true;
        }
        return all;
    }

    private static int Compare(HostPort x, HostPort y)
    {
        int c = string.CompareOrdinal(x.Address.ToString(), y.Address.ToString());
        return c != 0 ? c : x.Port.CompareTo(y.Port);
    }
}
