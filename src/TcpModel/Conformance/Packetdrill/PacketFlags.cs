using TcpModel.Wire;

namespace TcpModel.Conformance.Packetdrill;

/// <summary>
/// The flags word of a packet line: <c>F S R P . U E W</c> (<c>.</c> is ACK, <c>E</c> ECE,
/// <c>W</c> CWR) or <c>-</c> for none. Values are the TCP header bit positions.
/// </summary>
[Flags]
public enum PacketFlags
{
    /// <summary><c>-</c>: no flags.</summary>
    None = 0,
    /// <summary><c>F</c>.</summary>
    FIN = 0x01,
    /// <summary><c>S</c>.</summary>
    SYN = 0x02,
    /// <summary><c>R</c>.</summary>
    RST = 0x04,
    /// <summary><c>P</c>.</summary>
    PSH = 0x08,
    /// <summary><c>.</c>.</summary>
    ACK = 0x10,
    /// <summary><c>U</c>.</summary>
    URG = 0x20,
    /// <summary><c>E</c> (ECN-Echo, RFC 3168).</summary>
    ECE = 0x40,
    /// <summary><c>W</c> (Congestion Window Reduced, RFC 3168).</summary>
    CWR = 0x80,
}

/// <summary>Helpers over <see cref="PacketFlags"/>.</summary>
public static class PacketFlagsExtensions
{
    /// <summary>The RFC 9293 control bits (ECE and CWR are dropped: <see cref="Control"/> has no such bits).</summary>
    public static Control ToControl(this PacketFlags flags) => (Control)((int)flags & 0x3F);

    /// <summary>The flag for a packetdrill flag letter, or null when the letter is unknown.</summary>
    public static PacketFlags? FromLetter(char letter) => letter switch
    {
        'F' => PacketFlags.FIN,
        'S' => PacketFlags.SYN,
        'R' => PacketFlags.RST,
        'P' => PacketFlags.PSH,
        '.' => PacketFlags.ACK,
        'U' => PacketFlags.URG,
        'E' => PacketFlags.ECE,
        'W' => PacketFlags.CWR,
        _ => null,
    };
}
