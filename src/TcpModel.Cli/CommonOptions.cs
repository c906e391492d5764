using System.Globalization;
using TcpModel.Machine;

namespace TcpModel.Cli;

/// <summary>Option values shared by several commands, with their error messages.</summary>
internal static class CommonOptions
{
    /// <summary>The profile named by <c>--profile</c> (default rfc9293).</summary>
    public static Profile Profile(CliArgs args)
    {
        var name = args.Get("--profile");
        if (name is null) return Machine.Profile.Rfc9293;
        if (Machine.Profile.BuiltIn.TryGetValue(name, out var p)) return p;
        throw new UsageException($"unknown profile '{name}' (expected one of {string.Join(", ", Machine.Profile.BuiltIn.Keys)})");
    }

    /// <summary>A sequence number option (0..2^32-1).</summary>
    public static uint SeqNumber(CliArgs args, string name, uint fallback)
    {
        var text = args.Get(name);
        if (text is null) return fallback;
        if (uint.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var v)) return v;
        throw new UsageException($"{name}: '{text}' is not a sequence number (expected 0..4294967295)");
    }

    /// <summary>The state named by <c>--state</c>.</summary>
    public static TcpState State(string text)
    {
        if (TcpStates.TryParse(text, out var s)) return s;
        throw new UsageException($"unknown state '{text}' (expected one of {string.Join(", ", TcpStates.All.Select(x => x.RfcName()))})");
    }

    /// <summary>Seconds with millisecond precision, for printing virtual time.</summary>
    public static string Seconds(long micros) => (micros / 1e6).ToString("0.000", CultureInfo.InvariantCulture) + " s";

    /// <summary>Octets quoted like segment text: printable ASCII as is, others as <c>\xNN</c>.</summary>
    public static string Quote(ReadOnlySpan<byte> data)
    {
        var sb = new System.Text.StringBuilder("\"");
        foreach (var b in data)
        {
            if (b == (byte)'"' || b == (byte)'\\') sb.Append('\\').Append((char)b);
            else if (b is >= 0x20 and < 0x7f) sb.Append((char)b);
            else sb.Append("\\x").Append(b.ToString("x2", CultureInfo.InvariantCulture));
        }
        return sb.Append('"').ToString();
    }
}
