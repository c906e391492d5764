namespace TcpModel.Conformance.Packetdrill;

/// <summary>
/// A packetdrill script is malformed. <see cref="Exception.Message"/> is exactly
/// <c>file:line:column: detail</c>; the parser throws no other exception type for bad input.
/// </summary>
public sealed class PacketdrillSyntaxException : Exception
{
    /// <summary>Creates the exception for <paramref name="detail"/> at <paramref name="position"/>.</summary>
    public PacketdrillSyntaxException(SourcePosition position, string detail)
        : base($"{position}: {detail}")
    {
        Position = position;
        Detail = detail;
    }

    /// <summary>Where the problem is.</summary>
    public SourcePosition Position { get; }

    /// <summary>The message without the position prefix.</summary>
    public string Detail { get; }
}
