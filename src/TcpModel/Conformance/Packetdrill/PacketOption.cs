using System.Globalization;

namespace TcpModel.Conformance.Packetdrill;

/// <summary>The kind of a TCP option written in a packet's <c>&lt;…&gt;</c> list.</summary>
public enum PacketOptionKind
{
    /// <summary><c>eol</c>.</summary>
    Eol,
    /// <summary><c>nop</c>.</summary>
    Nop,
    /// <summary><c>mss N</c>.</summary>
    Mss,
    /// <summary><c>wscale N</c>.</summary>
    WindowScale,
    /// <summary><c>sackOK</c>.</summary>
    SackPermitted,
    /// <summary><c>TS val N ecr M</c>.</summary>
    Timestamp,
    /// <summary>Anything else (e.g. <c>sack 1:2</c>), kept as text.</summary>
    Unknown,
}

/// <summary>One TCP option of a packet line, in the order written.</summary>
/// <param name="Kind">Which option.</param>
/// <param name="Value">MSS value, window scale shift, or TS val; 0 otherwise.</param>
/// <param name="Echo">TS ecr; 0 otherwise.</param>
/// <param name="Text">The option as written, with runs of white space collapsed to one space.</param>
public readonly record struct PacketOption(PacketOptionKind Kind, uint Value, uint Echo, string Text)
{
    /// <summary><c>eol</c>.</summary>
    public static PacketOption Eol => new(PacketOptionKind.Eol, 0, 0, "eol");

    /// <summary><c>nop</c>.</summary>
    public static PacketOption Nop => new(PacketOptionKind.Nop, 0, 0, "nop");

    /// <summary><c>sackOK</c>.</summary>
    public static PacketOption SackPermitted => new(PacketOptionKind.SackPermitted, 0, 0, "sackOK");

    /// <summary><c>mss N</c>.</summary>
    public static PacketOption Mss(ushort mss) => new(PacketOptionKind.Mss, mss, 0, "mss " + Num(mss));

    /// <summary><c>wscale N</c>.</summary>
    public static PacketOption WindowScale(byte shift) =>
        new(PacketOptionKind.WindowScale, shift, 0, "wscale " + Num(shift));

    /// <summary><c>TS val N ecr M</c>.</summary>
    public static PacketOption Timestamp(uint val, uint ecr) =>
        new(PacketOptionKind.Timestamp, val, ecr, $"TS val {Num(val)} ecr {Num(ecr)}");

    /// <summary>An option the parser does not interpret.</summary>
    public static PacketOption Unknown(string text) => new(PacketOptionKind.Unknown, 0, 0, text);

    /// <summary>Prints <see cref="Text"/>.</summary>
    public override string ToString() => Text;

    private static string Num(uint n) => n.ToString(CultureInfo.InvariantCulture);
}
