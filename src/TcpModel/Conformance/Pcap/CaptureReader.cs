using System.Buffers.Binary;

namespace TcpModel.Conformance.Pcap;

/// <summary>One record (packet) of a capture file: its 0-based index over all records, its time,
/// its link type, the bytes captured and the packet's length on the wire.</summary>
public sealed record CaptureRecord(int Index, long TimeMicros, int LinkType, byte[] Data, int OriginalLength)
{
    /// <summary>The snap length cut the packet (fewer bytes captured than were on the wire).</summary>
    public bool Cut => Data.Length < OriginalLength;
}

/// <summary>A capture file that cannot be read: the file, the record (0-based; -1 for the file
/// header) and what is wrong.</summary>
public sealed class CaptureFormatException(string file, int record, string message)
    : Exception(record < 0 ? $"{file}: {message}" : $"{file}: record {record}: {message}")
{
    /// <summary>The file.</summary>
    public string File { get; } = file;
    /// <summary>The 0-based record index, or -1 for the file header.</summary>
    public int Record { get; } = record;
}

/// <summary>
/// Reads the two capture container formats tcpdump and Wireshark write: classic pcap (both byte
/// orders, microsecond and nanosecond magic) and pcapng (Section Header, Interface Description,
/// Enhanced/Simple/obsolete Packet blocks; other blocks skipped). The containers are read here;
/// the packets inside are dissected by PacketDotNet (<see cref="PacketDecoder"/>).
/// </summary>
public static class CaptureReader
{
    /// <summary>Largest record accepted (pcap's own limit for a snap length is 256 KiB; pcapng allows more).</summary>
    public const int MaxRecordLength = 1 << 20;

    /// <summary>Reads a file; throws <see cref="CaptureFormatException"/> on any malformed part.</summary>
    public static List<CaptureRecord> ReadFile(string path)
    {
        byte[] bytes;
        try { bytes = System.IO.File.ReadAllBytes(path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CaptureFormatException(path, -1, "cannot read: " + e.Message);
        }
        return Read(bytes, path);
    }

    /// <summary>Reads capture bytes; <paramref name="name"/> names the file in errors.</summary>
    public static List<CaptureRecord> Read(ReadOnlySpan<byte> bytes, string name)
    {
        if (bytes.Length < 4) throw new CaptureFormatException(name, -1, $"too short for a capture file ({bytes.Length} bytes)");
        uint magic = BinaryPrimitives.ReadUInt32LittleEndian(bytes);
        return magic switch
        {
            0xA1B2C3D4 or 0xD4C3B2A1 or 0xA1B23C4D or 0x4D3CB2A1 => ReadPcap(bytes, name),
            0x0A0D0D0A => ReadPcapNg(bytes, name),
            _ => throw new CaptureFormatException(name, -1, $"not a pcap or pcapng file (magic 0x{magic:x8})"),
        };
    }

    private static List<CaptureRecord> ReadPcap(ReadOnlySpan<byte> b, string name)
    {
        if (b.Length < 24) throw new CaptureFormatException(name, -1, "truncated pcap file header");
        uint magic = BinaryPrimitives.ReadUInt32LittleEndian(b);
        bool big = magic is 0xD4C3B2A1 or 0x4D3CB2A1;
        bool nanos = magic is 0xA1B23C4D or 0x4D3CB2A1;
        uint U32(ReadOnlySpan<byte> s) => big ? BinaryPrimitives.ReadUInt32BigEndian(s) : BinaryPrimitives.ReadUInt32LittleEndian(s);
        int link = (int)(U32(b[20..]) & 0x0FFFFFFF);
        var list = new List<CaptureRecord>();
        int off = 24;
        while (off < b.Length)
        {
            int index = list.Count;
            if (b.Length - off < 16) throw new CaptureFormatException(name, index, $"truncated record header ({b.Length - off} of 16 bytes)");
            uint sec = U32(b[off..]), frac = U32(b[(off + 4)..]), incl = U32(b[(off + 8)..]), orig = U32(b[(off + 12)..]);
            if (incl > MaxRecordLength) throw new CaptureFormatException(name, index, $"absurd captured length {incl}");
            if (orig > MaxRecordLength) throw new CaptureFormatException(name, index, $"absurd original length {orig}");
            if (b.Length - off - 16 < incl) throw new CaptureFormatException(name, index, $"truncated record ({b.Length - off - 16} of {incl} bytes)");
            long time = sec * 1_000_000L + (nanos ? frac / 1000 : frac);
            list.Add(new CaptureRecord(index, time, link, b.Slice(off + 16, (int)incl).ToArray(), (int)Math.Max(orig, incl)));
            off += 16 + (int)incl;
        }
        return list;
    }

    private static List<CaptureRecord> ReadPcapNg(ReadOnlySpan<byte> b, string name)
    {
        var list = new List<CaptureRecord>();
        var interfaces = new List<(int Link, long TicksPerSecond)>();
        bool big = false;
        int off = 0;
        uint U32(ReadOnlySpan<byte> s) => big ? BinaryPrimitives.ReadUInt32BigEndian(s) : BinaryPrimitives.ReadUInt32LittleEndian(s);
        ushort U16(ReadOnlySpan<byte> s) => big ? BinaryPrimitives.ReadUInt16BigEndian(s) : BinaryPrimitives.ReadUInt16LittleEndian(s);
        while (off < b.Length)
        {
            int index = list.Count;
            if (b.Length - off < 12) throw new CaptureFormatException(name, index, $"truncated pcapng block header at byte {off}");
            uint type = BinaryPrimitives.ReadUInt32LittleEndian(b[off..]);
            if (type == 0x0A0D0D0A)
            {
                uint bom = BinaryPrimitives.ReadUInt32LittleEndian(b[(off + 8)..]);
                big = bom switch
                {
                    0x1A2B3C4D => false,
                    0x4D3C2B1A => true,
                    _ => throw new CaptureFormatException(name, index, $"bad pcapng byte-order magic 0x{bom:x8}"),
                };
                interfaces.Clear(); // interface ids are per section
            }
            else type = U32(b[off..]);
            uint len = U32(b[(off + 4)..]);
            if (len < 12 || len % 4 != 0 || len > MaxRecordLength + 64)
                throw new CaptureFormatException(name, index, $"absurd pcapng block length {len} at byte {off}");
            if (b.Length - off < len) throw new CaptureFormatException(name, index, $"truncated pcapng block ({b.Length - off} of {len} bytes)");
            var body = b.Slice(off + 8, (int)len - 12);
            switch (type)
            {
                case 1: // Interface Description Block
                {
                    if (body.Length < 8) throw new CaptureFormatException(name, index, "truncated interface description block");
                    int link = U16(body);
                    long tps = 1_000_000;
                    int o = 8; // options: if_tsresol (9)
                    while (o + 4 <= body.Length)
                    {
                        int code = U16(body[o..]), olen = U16(body[(o + 2)..]);
                        if (code == 0 || o + 4 + olen > body.Length) break;
                        if (code == 9 && olen >= 1)
                        {
                            byte r = body[o + 4];
                            int exp = r & 0x7F;
                            if (exp > 18) throw new CaptureFormatException(name, index, $"unsupported timestamp resolution {r}");
                            tps = (r & 0x80) != 0 ? 1L << Math.Min(exp, 62) : (long)Math.Pow(10, exp);
                        }
                        o += 4 + ((olen + 3) & ~3);
                    }
                    interfaces.Add((link, tps));
                    break;
                }
                case 6 or 2: // Enhanced Packet Block, obsolete Packet Block
                {
                    if (body.Length < 20) throw new CaptureFormatException(name, index, "truncated packet block");
                    int ifid = type == 6 ? (int)U32(body) : U16(body);
                    if (ifid >= interfaces.Count) throw new CaptureFormatException(name, index, $"packet on undeclared interface {ifid}");
                    ulong ts = ((ulong)U32(body[4..]) << 32) | U32(body[8..]);
                    uint incl = U32(body[12..]), orig = U32(body[16..]);
                    if (incl > MaxRecordLength || incl > body.Length - 20)
                        throw new CaptureFormatException(name, index, $"absurd captured length {incl}");
                    var (link, tps) = interfaces[ifid];
                    long micros = tps == 1_000_000 ? (long)ts : (long)((decimal)ts * 1_000_000m / tps);
                    list.Add(new CaptureRecord(index, micros, link, body.Slice(20, (int)incl).ToArray(), (int)Math.Max(Math.Min(orig, (uint)MaxRecordLength), incl)));
                    break;
                }
                case 3: // Simple Packet Block: no timestamp
                {
                    if (interfaces.Count == 0) throw new CaptureFormatException(name, index, "simple packet block before any interface");
                    if (body.Length < 4) throw new CaptureFormatException(name, index, "truncated simple packet block");
                    uint orig = U32(body);
                    int incl = (int)Math.Min(orig, (uint)body.Length - 4);
                    list.Add(new CaptureRecord(index, list.Count > 0 ? list[^1].TimeMicros : 0, interfaces[0].Link, body.Slice(4, incl).ToArray(), (int)Math.Max(Math.Min(orig, (uint)MaxRecordLength), (uint)incl)));
                    break;
                }
            }
            off += (int)len;
        }
        return list;
    }
}
