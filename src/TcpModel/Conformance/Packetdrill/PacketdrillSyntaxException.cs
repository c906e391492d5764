namespace TcpModel.Conformance.Packetdrill;

/// <summary>
/// A packetdrill script is malformed. <see cref="Exception.Message"/> is exactly
/// <c>file:line:column: detail</c>; the parser throws no other exception type for bad input.
/// </summary>
public sealed class PacketdrillSyntaxException : Exception
{
    /// <summary>Creates the exception for <paramref name="detail"/> at <paramref name="position"/>.</summary>
    public PacketdrillSyntaxException(SourcePosition position, string detail)
        : base($"{position}: {TcpModel.Wire.ErrorText.Clean(detail)}")
    {
        Position = position;
        Detail = TcpModel.Wire.ErrorText.Clean(detail);
    }

    /// <summary>Where the problem is.</summary>
    public SourcePosition Position { get; }

    /// <summary>The message without the position prefix (control characters escaped, long tokens cut:
    /// <see cref="TcpModel.Wire.ErrorText"/>).</summary>
    public string Detail { get; }
}
