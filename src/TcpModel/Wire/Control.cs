namespace TcpModel.Wire;

/// <summary>
/// TCP control bits, RFC 9293 §3.1 (header format). Values are the header bit positions.
/// The RFC notation prints them in the fixed order SYN, FIN, RST, PSH, ACK, URG (spec/notation.md).
/// </summary>
[Flags]
public enum Control : byte
{
    /// <summary>No control bits.</summary>
    None = 0,
    /// <summary>No more data from sender.</summary>
    FIN = 0x01,
    /// <summary>Synchronize sequence numbers.</summary>
    SYN = 0x02,
    /// <summary>Reset the connection.</summary>
    RST = 0x04,
    /// <summary>Push function.</summary>
    PSH = 0x08,
    /// <summary>Acknowledgment field is significant.</summary>
    ACK = 0x10,
    /// <summary>Urgent pointer field is significant.</summary>
    URG = 0x20,
}

/// <summary>Helpers over <see cref="Control"/>.</summary>
public static class ControlExtensions
{
    /// <summary>The notation order of the flags (spec/notation.md).</summary>
    public static readonly Control[] NotationOrder =
        [Control.SYN, Control.FIN, Control.RST, Control.PSH, Control.ACK, Control.URG];

    /// <summary>True when every bit of <paramref name="flags"/> is set.</summary>
    public static bool Has(this Control c, Control flags) => (c & flags) == flags;
}
