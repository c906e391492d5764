using TcpModel.Machine;

namespace TcpModel.Conformance.Pcap;

/// <summary>The verdict on one connection (schema tcpmodel-check/1, spec/tcpmodel-check.md).</summary>
public enum Verdict : byte
{
    /// <summary>Some choice of hidden user calls, timer expiries and losses explains every segment.</summary>
    Accepted,
    /// <summary>A segment no choice explains: see <see cref="ConnectionResult.FirstUnexplained"/>.</summary>
    Rejected,
    /// <summary>Not checked (the capture starts after the connection's SYNs).</summary>
    Unchecked,
}

/// <summary>One packet of a connection as the checker explains it.</summary>
public sealed record PacketResult(
    int Record,
    long TimeMicros,
    char Sender,
    HostPort From,
    HostPort To,
    string Segment,
    int Length,
    bool Cut,
    TcpState? StateA,
    TcpState? StateB,
    IReadOnlyList<string> HiddenA,
    IReadOnlyList<string> HiddenB,
    bool AssumedLost);

/// <summary>One state the sender could have been in just before the unexplained segment, why no
/// choice from it explains the segment, and the RFC clause or profile policy that decides it.</summary>
public sealed record PossibleState(TcpState State, string Reason, string Rule);

/// <summary>The first segment no choice explains.</summary>
public sealed record Unexplained(int Record, char Sender, string Segment, IReadOnlyList<PossibleState> Before);

/// <summary>The result of checking one connection.</summary>
public sealed record ConnectionResult(
    Connection Connection,
    Verdict Verdict,
    IReadOnlyList<PacketResult> Packets,
    Unexplained? FirstUnexplained,
    string? Note,
    int CandidatesMax);

/// <summary>The result of checking one file.</summary>
public sealed record FileResult(
    string File,
    string Profile,
    int Records,
    int TcpPackets,
    IReadOnlyDictionary<string, int> Skipped,
    IReadOnlyList<string> Warnings,
    IReadOnlyList<ConnectionResult> Connections)
{
    /// <summary>Every connection is accepted.</summary>
    public bool AllAccepted => Connections.All(c => c.Verdict != Verdict.Rejected);
}
