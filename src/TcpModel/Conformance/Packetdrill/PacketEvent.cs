using TcpModel.Wire;

namespace TcpModel.Conformance.Packetdrill;

/// <summary>Which way a packet line goes.</summary>
public enum PacketDirection
{
    /// <summary><c>&lt;</c>: injected into the stack under test.</summary>
    Inbound,
    /// <summary><c>&gt;</c>: expected from the stack under test.</summary>
    Outbound,
}

/// <summary>
/// A packet line, e.g. <c>+0.00 &gt; S. 0:0(0) ack 1 win 65535 &lt;mss 1460,sackOK&gt;</c>.
/// Sequence and ack numbers are kept as written (relative to the ISNs); the runner translates them.
/// </summary>
/// <param name="Position">Where the line starts.</param>
/// <param name="Time">When.</param>
/// <param name="Direction">Inbound (<c>&lt;</c>) or outbound (<c>&gt;</c>).</param>
/// <param name="Flags">The flags word.</param>
/// <param name="Start">Start sequence number, or null for <c>...</c>.</param>
/// <param name="End">End sequence number, or null for <c>...</c>.</param>
/// <param name="Length">Payload length, or null for a bare <c>...</c> (<c>...(0)</c> gives 0).</param>
/// <param name="Ack">The <c>ack N</c> value, or null when absent.</param>
/// <param name="Window">The <c>win N</c> value, or null when absent.</param>
/// <param name="Options">The <c>&lt;…&gt;</c> list in order, or null when the line has none (<c>&lt;&gt;</c> gives empty).</param>
public sealed record PacketEvent(
    SourcePosition Position,
    PacketdrillTime Time,
    PacketDirection Direction,
    PacketFlags Flags,
    uint? Start,
    uint? End,
    uint? Length,
    uint? Ack,
    ushort? Window,
    IReadOnlyList<PacketOption>? Options) : PacketdrillEvent(Position, Time)
{
    /// <summary><c>&lt;...&gt;</c>: any options (not compared).</summary>
    public bool AnyOptions { get; init; }

    /// <summary>The IP information in brackets before the flags (e.g. <c>ect0</c>, <c>tos 0x4</c>), or null.</summary>
    public string? IpInfo { get; init; }

    /// <summary><c>urg N</c>: the urgent pointer, or null.</summary>
    public ushort? Urgent { get; init; }

    /// <summary>The RFC 9293 control bits of <see cref="Flags"/> ('.' is ACK).</summary>
    public Control Control => Flags.ToControl();

    /// <summary>True when the sequence range is written <c>...</c> (any).</summary>
    public bool AnySequence => Start is null;
}
