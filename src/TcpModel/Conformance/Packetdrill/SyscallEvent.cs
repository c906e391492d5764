namespace TcpModel.Conformance.Packetdrill;

/// <summary>The expected outcome of a system call: <c>= value [ERRNO] [(note)]</c>.</summary>
/// <param name="Value">The return value, e.g. 3, 0, -1, 0x02.</param>
/// <param name="Errno">The errno symbol, e.g. <c>EINPROGRESS</c>, or null.</param>
/// <param name="Note">The parenthesised text without the parentheses, e.g. <c>Operation now in progress</c> or <c>flags O_RDWR</c>, or null.</param>
public readonly record struct SyscallResult(long Value, string? Errno = null, string? Note = null);

/// <summary>
/// A system call line, e.g. <c>+0 connect(3, ..., ...) = -1 EINPROGRESS (Operation now in progress)</c>.
/// Names are not checked by the parser; the runner reports unknown ones.
/// </summary>
/// <param name="Position">Where the line starts.</param>
/// <param name="Time">When the call starts.</param>
/// <param name="Name">The system call name.</param>
/// <param name="Arguments">The argument expressions in order.</param>
/// <param name="Result">The expected result.</param>
/// <param name="NamePosition">Where the name is.</param>
/// <param name="BlockingEnd">For blocking calls written <c>time...end name(…)</c>: when the call returns; else null.</param>
public sealed record SyscallEvent(
    SourcePosition Position,
    PacketdrillTime Time,
    string Name,
    IReadOnlyList<SyscallArg> Arguments,
    SyscallResult Result,
    SourcePosition NamePosition,
    PacketdrillTime? BlockingEnd = null) : PacketdrillEvent(Position, Time);
