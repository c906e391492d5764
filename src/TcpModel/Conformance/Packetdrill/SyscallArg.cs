namespace TcpModel.Conformance.Packetdrill;

/// <summary>An argument expression of a system call line.</summary>
/// <param name="Position">Where the expression starts.</param>
public abstract record SyscallArg(SourcePosition Position);

/// <summary><c>...</c>: any value / not checked.</summary>
public sealed record EllipsisArg(SourcePosition Position) : SyscallArg(Position);

/// <summary>An integer literal, decimal (<c>-1</c>, <c>65536</c>) or hexadecimal (<c>0x02</c>).</summary>
public sealed record IntegerArg(SourcePosition Position, long Value) : SyscallArg(Position);

/// <summary>A symbolic constant, e.g. <c>SOCK_STREAM</c> or <c>ECONNRESET</c>.</summary>
public sealed record SymbolArg(SourcePosition Position, string Name) : SyscallArg(Position);

/// <summary>A bitwise or, e.g. <c>O_RDWR | O_NONBLOCK</c> (two or more operands).</summary>
public sealed record BitOrArg(SourcePosition Position, IReadOnlyList<SyscallArg> Operands) : SyscallArg(Position);

/// <summary>A bracketed list, e.g. <c>[65700]</c> or <c>[ECONNRESET]</c>.</summary>
public sealed record ListArg(SourcePosition Position, IReadOnlyList<SyscallArg> Items) : SyscallArg(Position);

/// <summary>A brace struct, e.g. <c>{onoff=1, linger=0}</c>.</summary>
public sealed record StructArg(SourcePosition Position, IReadOnlyList<StructField> Fields) : SyscallArg(Position)
{
    /// <summary>The value of the field called <paramref name="name"/>, or null.</summary>
    public SyscallArg? this[string name] => Fields.FirstOrDefault(f => f.Name == name)?.Value;
}

/// <summary>One <c>name=value</c> of a <see cref="StructArg"/>.</summary>
public sealed record StructField(SourcePosition Position, string Name, SyscallArg Value)
{
    /// <summary>The parenthesised length or count after the name (<c>msg_iov(1)</c>), or null.</summary>
    public SyscallArg? Index { get; init; }
}

/// <summary>A double-quoted string (escapes <c>\"</c>, <c>\\</c>, <c>\n</c>, <c>\t</c>, <c>\r</c>, <c>\0</c> decoded).</summary>
public sealed record StringArg(SourcePosition Position, string Value) : SyscallArg(Position);

/// <summary>A function-style expression, e.g. <c>htons(8080)</c>.</summary>
public sealed record CallArg(SourcePosition Position, string Name, IReadOnlyList<SyscallArg> Arguments) : SyscallArg(Position);
