namespace TcpModel.Conformance.Packetdrill;

/// <summary>A top-level item of a script body: an event or a conditional block.</summary>
/// <param name="Position">Where the item starts.</param>
public abstract record ScriptItem(SourcePosition Position);

/// <summary>A timed line of a script (packet, system call, shell command or inline code).</summary>
/// <param name="Position">Where the event's line starts (the time's first character).</param>
/// <param name="Time">When the event happens.</param>
public abstract record PacketdrillEvent(SourcePosition Position, PacketdrillTime Time) : ScriptItem(Position);

/// <summary>
/// <c>#ifdef Name</c> (or <c>#ifndef Name</c> when <see cref="Negated"/>) … [<c>#else</c> …] <c>#endif</c>.
/// </summary>
/// <param name="Position">Where the <c>#ifdef</c> is.</param>
/// <param name="Name">The condition name, e.g. <c>STANDARD</c>.</param>
/// <param name="Negated">True for <c>#ifndef</c>.</param>
/// <param name="Then">Items used when the condition holds.</param>
/// <param name="Else">Items used otherwise (empty without <c>#else</c>).</param>
public sealed record ConditionalBlock(
    SourcePosition Position, string Name, bool Negated,
    IReadOnlyList<ScriptItem> Then, IReadOnlyList<ScriptItem> Else) : ScriptItem(Position)
{
    /// <summary>True when the <see cref="Then"/> branch applies for the defined names.</summary>
    public bool Holds(IReadOnlySet<string> defined) => defined.Contains(Name) != Negated;
}
