namespace TcpModel.Conformance.Packetdrill;

/// <summary>An inline code line <c>%{ … }%</c>.</summary>
/// <param name="Position">Where the line starts.</param>
/// <param name="Time">When.</param>
/// <param name="Code">The code between <c>%{</c> and <c>}%</c>, trimmed.</param>
public abstract record InlineCodeEvent(SourcePosition Position, PacketdrillTime Time, string Code)
    : PacketdrillEvent(Position, Time);

/// <summary><c>%{ assert tcpi_state == TCPI_NAME }%</c>.</summary>
/// <param name="Position">Where the line starts.</param>
/// <param name="Time">When.</param>
/// <param name="Code">The code, trimmed.</param>
/// <param name="State">The state name as written, e.g. <c>TCPI_SYN_RECEIVED</c>.</param>
public sealed record AssertTcpStateEvent(SourcePosition Position, PacketdrillTime Time, string Code, string State)
    : InlineCodeEvent(Position, Time, Code);

/// <summary>Inline code the parser does not interpret; the runner fails it.</summary>
/// <param name="Position">Where the line starts.</param>
/// <param name="Time">When.</param>
/// <param name="Code">The code, trimmed.</param>
public sealed record UnsupportedCodeEvent(SourcePosition Position, PacketdrillTime Time, string Code)
    : InlineCodeEvent(Position, Time, Code);

/// <summary>A line of valid packetdrill the runner does not model (e.g. an ICMP or UDP packet); the runner
/// reports it as <c>unsupported: Feature</c>.</summary>
/// <param name="Position">Where the line starts.</param>
/// <param name="Time">When.</param>
/// <param name="Feature">The feature's name, e.g. <c>icmp packets</c>.</param>
public sealed record UnsupportedLineEvent(SourcePosition Position, PacketdrillTime Time, string Feature)
    : PacketdrillEvent(Position, Time);
