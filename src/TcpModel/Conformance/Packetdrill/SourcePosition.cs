namespace TcpModel.Conformance.Packetdrill;

/// <summary>A place in a packetdrill script: file name, 1-based line and 1-based column.</summary>
/// <param name="File">The file name given to the parser.</param>
/// <param name="Line">1-based line number.</param>
/// <param name="Column">1-based column (a tab counts as one column).</param>
public readonly record struct SourcePosition(string File, int Line, int Column)
{
    /// <summary>Prints <c>file:line:column</c>.</summary>
    public override string ToString() => $"{File}:{Line}:{Column}";
}
