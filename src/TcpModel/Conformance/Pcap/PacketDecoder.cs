using System.Buffers.Binary;
using System.Globalization;
using System.Net;
using PacketDotNet;
using TcpModel.Wire;

namespace TcpModel.Conformance.Pcap;

/// <summary>An IP address and TCP port: <c>127.0.0.1:41101</c>, <c>[::1]:80</c>.</summary>
public readonly record struct HostPort(IPAddress Address, ushort Port)
{
    /// <inheritdoc />
    public override string ToString() => Address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6
        ? $"[{Address}]:{Port.ToString(CultureInfo.InvariantCulture)}"
        : $"{Address}:{Port.ToString(CultureInfo.InvariantCulture)}";
}

/// <summary>A TCP segment found in a capture record: who sent it to whom, the segment as the model
/// sees it (options interpreted, RFC 9293 §3.2) and the facts of the record.</summary>
public sealed record TcpPacket(int Index, long TimeMicros, HostPort Source, HostPort Destination, Segment Segment, bool IPv6, bool Cut)
{
    /// <summary>Octets of text (from the IP lengths, so also for a cut packet).</summary>
    public int PayloadLength => Segment.Payload.Length;
}

/// <summary>What became of a record: a TCP segment, or why not.</summary>
public readonly record struct Decoded(TcpPacket? Tcp, string? Skipped, string? Warning);

/// <summary>
/// Dissects capture records with PacketDotNet: link types Ethernet, Linux cooked (SLL, SLL2), raw
/// IP, BSD loopback (NULL, LOOP); IPv4 and IPv6. Non-TCP packets are skipped with the reason; a
/// packet cut by the snap length is kept when its TCP header is whole (the text's length comes from
/// the IP header; the octets missing are zeros), otherwise skipped with a warning.
/// </summary>
public static class PacketDecoder
{
    /// <summary>The link types understood (LINKTYPE_* values of the pcap spec).</summary>
    public static readonly IReadOnlyDictionary<int, string> LinkTypes = new Dictionary<int, string>
    {
        [0] = "BSD loopback (NULL)", [1] = "Ethernet", [12] = "raw IP", [14] = "raw IP", [101] = "raw IP",
        [108] = "OpenBSD loopback (LOOP)", [113] = "Linux cooked (SLL)", [276] = "Linux cooked v2 (SLL2)",
        [228] = "raw IPv4", [229] = "raw IPv6",
    };

    /// <summary>Throws when the link type of a record is not one <see cref="LinkTypes"/> lists.</summary>
    public static void CheckLinkType(CaptureRecord r, string file)
    {
        if (!LinkTypes.ContainsKey(r.LinkType))
            throw new CaptureFormatException(file, r.Index, $"unsupported link type {r.LinkType} (supported: Ethernet 1, Linux SLL 113, SLL2 276, raw IP 101/228/229, BSD loopback 0/108)");
    }

    /// <summary>Dissects one record; never throws (a record that cannot be dissected is skipped with a warning).</summary>
    public static Decoded Decode(CaptureRecord r)
    {
        try { return DecodeUnsafe(r); }
#pragma warning disable CA1031 // a packet PacketDotNet cannot dissect is skipped with a warning, never a crash
        catch (Exception e)
        {
            return new Decoded(null, "undissectable", $"record {r.Index}: cannot be dissected ({e.GetType().Name}: {e.Message.ReplaceLineEndings(" ")}); skipped");
        }
#pragma warning restore CA1031
    }

    private static Decoded DecodeUnsafe(CaptureRecord r)
    {
        // PacketDotNet needs the whole packet: a record cut by the snap length is padded with zeros to
        // its length on the wire, and whether the TCP header was captured whole is checked after
        var data = r.Data;
        if (r.Cut) { data = new byte[r.OriginalLength]; r.Data.CopyTo(data, 0); }
        var packet = r.LinkType switch
        {
            228 or 229 or 12 or 14 or 101 => Packet.ParsePacket(LinkLayers.Raw, data),
            0 => Packet.ParsePacket(LinkLayers.Null, data),
            108 => Packet.ParsePacket(LinkLayers.Loop, data),
            113 => Packet.ParsePacket(LinkLayers.LinuxSll, data),
            276 => Packet.ParsePacket(LinkLayers.LinuxSll2, data),
            _ => Packet.ParsePacket(LinkLayers.Ethernet, data),
        };
        var ip = packet.Extract<IPPacket>();
        if (ip is null) return new Decoded(null, "not IP", null);
        if (ip.Protocol != ProtocolType.Tcp) return new Decoded(null, "not TCP", null);
        var tcp = packet.Extract<PacketDotNet.TcpPacket>();
        bool v6 = ip is IPv6Packet;
        int ipHeader = v6 ? 40 : ((IPv4Packet)ip).HeaderLength * 4;
        int ipTotal = v6 ? 40 + ((IPv6Packet)ip).PayloadLength : ((IPv4Packet)ip).TotalLength;
        if (tcp is null || tcp.Bytes is null || tcp.Bytes.Length < 20 || tcp.DataOffset * 4 > tcp.Bytes.Length)
            return new Decoded(null, "cut TCP header", $"record {r.Index}: TCP header cut by the snap length; skipped");
        int header = tcp.DataOffset * 4;
        if (tcp.BytesSegment.Offset + Math.Max(header, 20) > r.Data.Length)
            return new Decoded(null, "cut TCP header", $"record {r.Index}: TCP header cut by the snap length; skipped");
        if (header < 20)
            return new Decoded(null, "malformed TCP header", $"record {r.Index}: TCP data offset {tcp.DataOffset} is below 5; skipped");
        int textLength = Math.Max(0, ipTotal - ipHeader - header);
        if (!v6 && ipTotal == 0) textLength = Math.Max(0, tcp.Bytes.Length - header); // TSO captures carry total length 0
        var have = tcp.Bytes.AsSpan(header, Math.Max(0, Math.Min(tcp.Bytes.Length - header, r.Data.Length - tcp.BytesSegment.Offset - header)));
        byte[] text = new byte[textLength];
        have[..Math.Min(have.Length, textLength)].CopyTo(text);
        bool cut = r.Cut || have.Length < textLength;
        var ctl = (tcp.Synchronize ? Control.SYN : 0) | (tcp.Acknowledgment ? Control.ACK : 0) | (tcp.Finished ? Control.FIN : 0)
                  | (tcp.Reset ? Control.RST : 0) | (tcp.Push ? Control.PSH : 0) | (tcp.Urgent ? Control.URG : 0);
        var options = ParseOptions(tcp.Bytes.AsSpan(20, header - 20));
        var seg = new Segment(new SeqNum(tcp.SequenceNumber), new SeqNum(tcp.AcknowledgmentNumber), ctl, tcp.WindowSize,
            text, options, (ushort)tcp.UrgentPointer);
        return new Decoded(new TcpPacket(r.Index, r.TimeMicros, new HostPort(ip.SourceAddress, tcp.SourcePort),
            new HostPort(ip.DestinationAddress, tcp.DestinationPort), seg, v6, cut), null, null);
    }

    /// <summary>TCP options, RFC 9293 §3.2: MSS (kind 2), window scale (3, RFC 7323 §2), SACK-permitted
    /// (4, RFC 2018), timestamps (8, RFC 7323 §3); others kept raw; a malformed list stops at the fault.</summary>
    public static TcpOptions ParseOptions(ReadOnlySpan<byte> o)
    {
        ushort? mss = null; byte? ws = null; bool sack = false; TcpTimestamp? ts = null;
        var other = new List<byte>();
        for (int i = 0; i < o.Length;)
        {
            byte kind = o[i];
            if (kind == 0) break;
            if (kind == 1) { i++; continue; }
            if (i + 1 >= o.Length) break;
            int len = o[i + 1];
            if (len < 2 || i + len > o.Length) break;
            var body = o.Slice(i + 2, len - 2);
            switch (kind)
            {
                case 2 when len == 4: mss = BinaryPrimitives.ReadUInt16BigEndian(body); break;
                case 3 when len == 3: ws = body[0]; break;
                case 4 when len == 2: sack = true; break;
                case 8 when len == 10: ts = new TcpTimestamp(BinaryPrimitives.ReadUInt32BigEndian(body), BinaryPrimitives.ReadUInt32BigEndian(body[4..])); break;
                case 5: break; // SACK blocks: the model does no SACK recovery (Profile.SackPermitted)
                default: other.AddRange(o.Slice(i, len).ToArray()); break;
            }
            i += len;
        }
        return new TcpOptions(mss, ws, sack, ts, other.Count == 0 ? default : other.ToArray());
    }
}
