namespace TcpModel.Machine;

/// <summary>How a cell is declared in Stateless.</summary>
public enum CellKind : byte
{
    /// <summary><c>Permit</c>/<c>PermitIf</c>: a change of state.</summary>
    Transition,
    /// <summary><c>InternalTransition</c>/<c>InternalTransitionIf</c>: reply and stay.</summary>
    Internal,
    /// <summary><c>Ignore</c>/<c>IgnoreIf</c>: nothing happens in this cell.</summary>
    Ignore,
}

/// <summary>Identifies one guarded alternative of a state × trigger cell.</summary>
public readonly record struct CellKey(TcpState State, Trigger Trigger, Guard Guard1 = Guard.None, Guard Guard2 = Guard.None)
{
    /// <summary>The guards joined as the spec prints them (<c>-</c> when unguarded).</summary>
    public string GuardText => Guard1 == Guard.None ? "-" : Guard2 == Guard.None ? Guard1.Name() : Guard1.Name() + " & " + Guard2.Name();
}

/// <summary>
/// The facts kept beside the Stateless table for one cell (Stateless keeps only the shape):
/// the effect routine, whether segment processing continues, the emitted segments in words,
/// and the RFC reference.
/// </summary>
public sealed record CellFacts(
    CellKey Key,
    CellKind Kind,
    TcpState Next,
    Effect Effect,
    Outcome Outcome,
    string Emits,
    string Rfc);
