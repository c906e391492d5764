using TcpModel.Conformance.Packetdrill;

namespace TcpModel.Tests.Conformance;

/// <summary>A policy as a packetdrill script: the same script passes in the setting the policy describes and fails,
/// at the line the policy decides, in the other (LinuxPolicies, LinuxAcknowledgment, LinuxTimersAndLinger).</summary>
internal static class PolicyScript
{
    /// <summary>A listener that accepted one connection (fd 4) from a peer announcing MSS 1000 and window 257.</summary>
    public const string Accepted = """
         0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3
        +0 setsockopt(3, SOL_SOCKET, SO_REUSEADDR, [1], 4) = 0
        +0 bind(3, ..., ...) = 0
        +0 listen(3, 1) = 0
        +0 < S 0:0(0) win 32792 <mss 1000>
        +0 > S. 0:0(0) ack 1 <mss 1460>
        +0 < . 1:1(0) ack 1 win 257
        +0 accept(3, ..., ...) = 4

        """;

    public static PacketdrillVerdict Run(string text, string profile) =>
        PacketdrillRunner.Run(PacketdrillParser.Parse(text, "t.pkt"), new PacketdrillRunOptions { Profile = profile });

    public static void PassesUnder(string text, string profile)
    {
        var v = Run(text, profile);
        Assert.True(v.Passed, v.Divergence?.ToString() ?? v.Unsupported);
    }

    public static void FailsUnderAt(string text, string profile, int line)
    {
        var v = Run(text, profile);
        Assert.False(v.Passed, $"passes under {profile}");
        Assert.Null(v.Unsupported);
        Assert.True(line == v.Divergence!.Position.Line, v.Divergence.ToString());
    }
}
