namespace TcpModel.Conformance.Packetdrill;

/// <summary>Where a run first departed from its script.</summary>
/// <param name="Position">The script line.</param>
/// <param name="Expected">What the script expected.</param>
/// <param name="Actual">What the model did.</param>
/// <param name="State">The script connection's state at that point (RFC name).</param>
public sealed record PacketdrillDivergence(SourcePosition Position, string Expected, string Actual, string State)
{
    /// <summary>The named feature the script needs and the runner or model does not support, or null for a
    /// real divergence.</summary>
    public string? Unsupported { get; init; }

    /// <summary>Prints <c>file:line:col: expected … , actual … (state S)</c>.</summary>
    public override string ToString() => $"{Position}: expected {Expected}; actual {Actual} (state {State})";
}

/// <summary>The outcome of running one script under one profile.</summary>
/// <param name="File">The script file.</param>
/// <param name="Profile">The profile name.</param>
/// <param name="Divergence">The first divergence, or null when the script passed.</param>
public sealed record PacketdrillVerdict(string File, string Profile, PacketdrillDivergence? Divergence)
{
    /// <summary>True when the run matched the script to the end.</summary>
    public bool Passed => Divergence is null;

    /// <summary>The unsupported feature that stopped the run, or null.</summary>
    public string? Unsupported => Divergence?.Unsupported;

    /// <summary>Segment fields the runner does not compare.</summary>
    public static IReadOnlyList<string> NotCompared { get; } =
    [
        "TS val/ecr values (presence is compared)", "option order", "nop/eol padding",
        "urgent pointer", "IP header fields and checksums", "ECN bits (E/W fail as unsupported)",
    ];
}
