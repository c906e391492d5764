using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using TcpModel.Network;
using TcpModel.Wire;

namespace TcpModel.Export;

/// <summary>One segment to write: when it was sent (virtual µs), from where to where.</summary>
public readonly record struct PcapSegment(long TimeMicros, IPEndPoint From, IPEndPoint To, Segment Segment);

/// <summary>
/// Writes segments as a classic pcap file (LINKTYPE_RAW: IPv4 or IPv6 packets without a link
/// header) with correct IPv4 header and TCP checksums (RFC 791 §3.1, RFC 9293 §3.1 with the
/// RFC 8200 §8.1 pseudo-header for IPv6) and the options the segment carries (MSS, window scale,
/// SACK-permitted, timestamps, others raw; NOP-padded to 32 bits). Time is the model's virtual time
/// added to <see cref="Epoch"/>, so a run written twice gives the same bytes.
/// </summary>
public static class PcapWriter
{
    /// <summary>LINKTYPE_RAW.</summary>
    public const int LinkTypeRaw = 101;

    /// <summary>Virtual time 0 in the file (2026-01-01T00:00:00Z, in µs since the Unix epoch).</summary>
    public const long Epoch = 1_767_225_600L * 1_000_000;

    /// <summary>The pcap file bytes for the segments.</summary>
    public static byte[] ToBytes(IEnumerable<PcapSegment> segments)
    {
        using var ms = new MemoryStream();
        Span<byte> header = stackalloc byte[24];
        BinaryPrimitives.WriteUInt32LittleEndian(header, 0xA1B2C3D4);
        BinaryPrimitives.WriteUInt16LittleEndian(header[4..], 2);
        BinaryPrimitives.WriteUInt16LittleEndian(header[6..], 4);
        BinaryPrimitives.WriteUInt32LittleEndian(header[16..], 262144);
        BinaryPrimitives.WriteUInt32LittleEndian(header[20..], LinkTypeRaw);
        ms.Write(header);
        Span<byte> rec = stackalloc byte[16];
        foreach (var s in segments)
        {
            var packet = Packet(s.From, s.To, s.Segment);
            long t = Epoch + s.TimeMicros;
            BinaryPrimitives.WriteUInt32LittleEndian(rec, (uint)(t / 1_000_000));
            BinaryPrimitives.WriteUInt32LittleEndian(rec[4..], (uint)(t % 1_000_000));
            BinaryPrimitives.WriteUInt32LittleEndian(rec[8..], (uint)packet.Length);
            BinaryPrimitives.WriteUInt32LittleEndian(rec[12..], (uint)packet.Length);
            ms.Write(rec);
            ms.Write(packet);
        }
        return ms.ToArray();
    }

    /// <summary>Writes the file whole to a temporary file beside <paramref name="path"/> and moves it
    /// over, so a failure never leaves a half-written capture.</summary>
    public static void WriteFile(string path, IEnumerable<PcapSegment> segments)
    {
        var bytes = ToBytes(segments);
        string full = Path.GetFullPath(path);
        string temp = Path.Combine(Path.GetDirectoryName(full) ?? ".", $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
        try
        {
            File.WriteAllBytes(temp, bytes);
            File.Move(temp, full, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
    }

    /// <summary>The segments of a <see cref="Simulator"/> run (its <see cref="Simulator.Rows"/>), A at
    /// <paramref name="a"/> and B at <paramref name="b"/>. The capture point is each sender's interface: every segment
    /// sent is in the file at its send time, also those the network then lost (a receiver-side capture would not show
    /// them); an attacker's segment appears as it arrives, from the receiver's peer's address.</summary>
    public static IEnumerable<PcapSegment> FromRows(IEnumerable<SimRow> rows, IPEndPoint a, IPEndPoint b) =>
        rows.Where(r => r.Segment is not null && r.Event is ("sends" or "injected"))
            .Select(r => (r.Event == "sends" ? r.Side : r.Side == Side.A ? Side.B : Side.A) == Side.A
                ? new PcapSegment(r.Time, a, b, r.Segment!.Value)
                : new PcapSegment(r.Time, b, a, r.Segment!.Value));

    /// <summary>One IP packet carrying the segment.</summary>
    public static byte[] Packet(IPEndPoint from, IPEndPoint to, in Segment s)
    {
        bool v6 = from.AddressFamily == AddressFamily.InterNetworkV6;
        if (v6 != (to.AddressFamily == AddressFamily.InterNetworkV6))
            throw new ArgumentException("both ends must be IPv4 or both IPv6");
        var options = Options(s.Options);
        int tcpLen = 20 + options.Length + s.Payload.Length;
        int ipLen = v6 ? 40 : 20;
        var p = new byte[ipLen + tcpLen];
        var src = from.Address.GetAddressBytes();
        var dst = to.Address.GetAddressBytes();
        if (v6)
        {
            p[0] = 0x60;
            BinaryPrimitives.WriteUInt16BigEndian(p.AsSpan(4), (ushort)tcpLen);
            p[6] = 6;   // next header: TCP
            p[7] = 64;  // hop limit
            src.CopyTo(p, 8);
            dst.CopyTo(p, 24);
        }
        else
        {
            p[0] = 0x45;
            BinaryPrimitives.WriteUInt16BigEndian(p.AsSpan(2), (ushort)p.Length);
            p[6] = 0x40; // don't fragment
            p[8] = 64;   // TTL
            p[9] = 6;    // TCP
            src.CopyTo(p, 12);
            dst.CopyTo(p, 16);
            BinaryPrimitives.WriteUInt16BigEndian(p.AsSpan(10), Checksum(p.AsSpan(0, 20), 0));
        }
        var t = p.AsSpan(ipLen);
        BinaryPrimitives.WriteUInt16BigEndian(t, (ushort)from.Port);
        BinaryPrimitives.WriteUInt16BigEndian(t[2..], (ushort)to.Port);
        BinaryPrimitives.WriteUInt32BigEndian(t[4..], s.Seq.Value);
        BinaryPrimitives.WriteUInt32BigEndian(t[8..], s.HasAck ? s.Ack.Value : 0);
        t[12] = (byte)((20 + options.Length) / 4 << 4);
        t[13] = (byte)s.Control;
        BinaryPrimitives.WriteUInt16BigEndian(t[14..], s.Window);
        BinaryPrimitives.WriteUInt16BigEndian(t[18..], s.Urgent);
        options.CopyTo(t[20..]);
        s.Payload.Span.CopyTo(t[(20 + options.Length)..]);
        // the pseudo-header: addresses, protocol and TCP length (RFC 9293 §3.1; RFC 8200 §8.1)
        uint sum = 0;
        for (int i = 0; i < src.Length; i += 2) sum += (uint)((src[i] << 8) | src[i + 1]) + (uint)((dst[i] << 8) | dst[i + 1]);
        sum += 6u + (uint)tcpLen;
        BinaryPrimitives.WriteUInt16BigEndian(t[16..], Checksum(t, sum));
        return p;
    }

    private static byte[] Options(in TcpOptions o)
    {
        var b = new List<byte>();
        if (o.Mss is { } m) b.AddRange([2, 4, (byte)(m >> 8), (byte)m]);
        if (o.SackPermitted) b.AddRange([4, 2]);
        if (o.Timestamp is { } ts)
        {
            b.AddRange([1, 1, 8, 10]);
            b.AddRange([(byte)(ts.Value >> 24), (byte)(ts.Value >> 16), (byte)(ts.Value >> 8), (byte)ts.Value]);
            b.AddRange([(byte)(ts.Echo >> 24), (byte)(ts.Echo >> 16), (byte)(ts.Echo >> 8), (byte)ts.Echo]);
        }
        if (o.WindowScale is { } w) b.AddRange([1, 3, 3, w]);
        b.AddRange(o.Other.Span.ToArray());
        while (b.Count % 4 != 0) b.Add(1);
        return b.Count > 40 ? b.GetRange(0, 40).ToArray() : b.ToArray();
    }

    /// <summary>The Internet checksum (RFC 1071) of <paramref name="data"/> plus a partial sum.</summary>
    public static ushort Checksum(ReadOnlySpan<byte> data, uint sum)
    {
        int i = 0;
        for (; i + 1 < data.Length; i += 2) sum += (uint)((data[i] << 8) | data[i + 1]);
        if (i < data.Length) sum += (uint)(data[i] << 8);
        while (sum >> 16 != 0) sum = (sum & 0xFFFF) + (sum >> 16);
        return (ushort)~sum;
    }
}
