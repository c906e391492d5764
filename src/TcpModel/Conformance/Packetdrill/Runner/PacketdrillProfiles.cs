using TcpModel.Machine;

namespace TcpModel.Conformance.Packetdrill;

/// <summary>The profiles scripts run under and the <c>#ifdef</c> names each selects.</summary>
public static class PacketdrillProfiles
{
    /// <summary>The profiles the FreeBSD suite's scripts are written for: <c>standard</c> and <c>freebsd</c>.</summary>
    public static IReadOnlyList<string> Names { get; } = ["standard", "freebsd"];

    /// <summary>Every profile the runner accepts: all built-in profiles (<see cref="Profile.BuiltIn"/>).</summary>
    public static IReadOnlyList<string> Accepted { get; } = [.. Profile.BuiltIn.Keys];

    /// <summary>The <c>#ifdef</c> names a profile defines: <c>FreeBSD</c> for freebsd, <c>Linux</c> for linux,
    /// <c>STANDARD</c> for the others.</summary>
    public static IReadOnlySet<string> Defines(string profile) =>
        profile.Equals("freebsd", StringComparison.OrdinalIgnoreCase)
            ? new HashSet<string>(StringComparer.Ordinal) { "FreeBSD" }
            : profile.Equals("linux", StringComparison.OrdinalIgnoreCase)
                ? new HashSet<string>(StringComparer.Ordinal) { "Linux" }
                : new HashSet<string>(StringComparer.Ordinal) { "STANDARD" };

    /// <summary>True for the profile whose sockets API is Linux's (fcntl flag values, sysctl names).</summary>
    public static bool IsLinux(string profile) => profile.Equals("linux", StringComparison.OrdinalIgnoreCase);

    /// <summary>The built-in profile for a name (<see cref="Profile.BuiltIn"/>).</summary>
    public static Profile Lookup(string profile) =>
        Profile.BuiltIn.TryGetValue(profile, out var p) ? p : throw new ArgumentException($"unknown profile '{profile}'", nameof(profile));

    /// <summary>Applies <c>sysctl -w name=value</c> to a profile; null when the variable or value is not supported.
    /// <paramref name="basis"/> is the profile the run started from (restores its default on "on").</summary>
    public static Profile? ApplySysctl(Profile current, Profile basis, string name, string value)
    {
        bool? flag = value switch { "0" => false, "1" => true, _ => null };
        long number = long.TryParse(value, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var n) ? n : -1;
        if (name.StartsWith("net.ipv4.", StringComparison.Ordinal) || name.StartsWith("/proc/sys/", StringComparison.Ordinal))
            return LinuxSetup.ApplySysctl(current, basis, name, value);
        return name switch
        {
            // RFC 5961 mitigations switched off (1) or on (0)
            "net.inet.tcp.insecure_rst" when flag is { } f => current with { ChallengeAckOnRst = !f },
            "net.inet.tcp.insecure_syn" when flag is { } f => current with { ChallengeAckOnSyn = !f },
            "net.inet.tcp.drop_synfin" when flag is { } f => current with { DropSynFin = f },
            "net.inet.tcp.rexmit_initial" when number > 0 => current with { RtoInitial = number * 1000 },
            "net.inet.tcp.rfc1323" when flag is { } f => current with
            {
                WindowScale = f ? basis.WindowScale : null,
                Timestamps = f && basis.Timestamps,
            },
            "net.inet.tcp.sack.enable" when flag is { } f => current with { SackPermitted = f && basis.SackPermitted },
            "net.inet.tcp.recvspace" when number > 0 => current with { ReceiveBuffer = (int)number },
            "net.inet.tcp.sendspace" when number > 0 => current with { SendBuffer = (int)number },
            // settings the model has no counterpart for, accepted only at the values that mean "off"/default
            "net.inet.tcp.blackhole" when value == "0" => current,
            "net.inet.tcp.ecn.enable" when value is "0" or "2" => current, // 2: ECN only when the peer asks; the model never negotiates it
            "kern.ipc.maxsockbuf" when number > 0 => current,
            "net.inet.tcp.hostcache.purgenow" when value == "1" => current, // the model keeps no host cache
            _ => null,
        };
    }
}
