using System.Globalization;
using System.Text.RegularExpressions;
using TcpModel.Machine;

namespace TcpModel.Conformance.Packetdrill;

/// <summary>
/// The shell setup of Linux packetdrill scripts (the <c>`../common/defaults.sh`</c> init command and its
/// sysctls, <c>set_sysctls.py</c>, the <c>sysctl_restore</c> cleanup), interpreted the way the FreeBSD
/// <c>sysctl -w</c> lines are: a sysctl the profile models sets its policy; one that restates Linux's default,
/// or that tunes a mechanism outside the lifecycle which no lifecycle step reads, is accepted; anything else
/// is a named unsupported feature.
/// </summary>
public static partial class LinuxSetup
{
    /// <summary>Applies one Linux sysctl (<c>net.ipv4.tcp_*</c>) to a profile; null when the variable or value is
    /// not supported. <paramref name="basis"/> is the profile the run started from.</summary>
    public static Profile? ApplySysctl(Profile current, Profile basis, string name, string value)
    {
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(basis);
        var words = value.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
        long[] n = words.Select(w => long.TryParse(w, NumberStyles.Integer, CultureInfo.InvariantCulture, out var x) ? x
            : w.StartsWith("0x", StringComparison.OrdinalIgnoreCase) && long.TryParse(w[2..], NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var h) ? h
            : long.MinValue).ToArray();
        bool one = n.Length == 1 && n[0] != long.MinValue;
        long v = one ? n[0] : long.MinValue;
        bool? flag = one && v is 0 or 1 ? v == 1 : null;
        var key = name.Replace('/', '.');
        if (key.StartsWith(".proc.sys.", StringComparison.Ordinal)) key = key[".proc.sys.".Length..];
        return key switch
        {
            // modelled: they set policies
            // tcp_rmem "min default max": the receive buffer is the default; the window scale we offer is
            // ilog2(max) - 15 clamped to 0..14 (tcp_select_initial_window)
            "net.ipv4.tcp_rmem" when n.Length == 3 && n.All(x => x > 0) => current with
            {
                ReceiveBuffer = (int)Math.Min(n[1], int.MaxValue),
                WindowScale = current.WindowScale is null ? null : (byte)Math.Clamp(63 - long.LeadingZeroCount(n[2]) - 15, 0, 14),
            },
            "net.ipv4.tcp_wmem" when n.Length == 3 && n.All(x => x > 0) => current with { SendBuffer = (int)Math.Min(n[1], int.MaxValue) },
            "net.ipv4.tcp_timestamps" when v is 0 or 1 or 2 => current with { Timestamps = v != 0 && basis.Timestamps },
            "net.ipv4.tcp_sack" when flag is { } f => current with { SackPermitted = f && basis.SackPermitted },
            "net.ipv4.tcp_window_scaling" when flag is { } f => current with { WindowScale = f ? basis.WindowScale : null },
            // tcp_syn_retries: SYN retransmissions before connect() fails; at 1 s doubling, giving up at (2^(n+1) - 1) s
            // (tcp_write_timeout counts icsk_retransmits for SYN-SENT)
            // tcp_syn_retries, tcp_syn_linear_timeouts: SYN retransmissions before connect() fails (tcp_write_timeout:
            // "max_retransmits = retry_until; if (sk->sk_state == TCP_SYN_SENT) max_retransmits +=
            // sysctl_tcp_syn_linear_timeouts"), the first linear ones at the initial RTO (tcp_retransmit_timer)
            "net.ipv4.tcp_syn_retries" when v is >= 1 and <= 127 => WithSynRetries(current, (int)v, current.SynLinearTimeouts),
            "net.ipv4.tcp_syn_linear_timeouts" when v is >= 0 and <= 127 => WithSynRetries(current with { SynLinearTimeouts = (int)v }, SynRetries(current), (int)v),
            // tcp_fin_timeout: how long an orphan stays in FIN-WAIT-2 (tcp_fin_time; POLICY orphan-fin-wait-2-timeout)
            "net.ipv4.tcp_fin_timeout" when v is >= 0 && current.OrphanFinWait2 == OrphanFinWait2Rule.Linux => current with { FinWait2Timeout = v * 1_000_000 },
            // tcp_syncookies 0 (drop), 1 (cookies on SYN-queue overflow), 2 (always): POLICY syn-cookies
            "net.ipv4.tcp_syncookies" when v is 0 or 1 or 2 => current with { SynCookies = (int)v },
            // tcp_abort_on_overflow: POLICY abort-on-listen-overflow
            "net.ipv4.tcp_abort_on_overflow" when flag is { } f => current with { AbortOnListenOverflow = f },
            "net.ipv4.tcp_rfc1337" when flag is { } f => current with { IgnoreRstInTimeWait = f },
            "net.ipv4.tcp_tw_reuse" when v is 0 or 2 => current with { TimeWaitConnect = TimeWaitConnectRule.AddressNotAvailable },
            "net.ipv4.tcp_tw_reuse" when v == 1 => current with { TimeWaitConnect = TimeWaitConnectRule.ReuseWithTimestamps },
            // tcp_invalid_ratelimit (ms): the per-socket spacing of challenge ACKs (POLICY challenge-ack-interval)
            "net.ipv4.tcp_invalid_ratelimit" when v >= 0 => current with { ChallengeAckMinInterval = v * 1000 },
            // tcp_challenge_ack_limit INT_MAX: no host-wide count (any other value draws a random count per second)
            "net.ipv4.tcp_challenge_ack_limit" when v == int.MaxValue => current with { ChallengeAckLimitPerSecond = 0 },
            "net.ipv4.tcp_ecn" when v == 0 => current, // the model never negotiates ECN: tcp_ecn=0 is exactly what it does
            // restating Linux's defaults (net/ipv4/tcp_ipv4.c tcp_sk_init, tcp_input.c, tcp.c)
            "net.ipv4.tcp_synack_retries" when v == 5 => current,
            "net.ipv4.tcp_dsack" when v == 1 => current,
            "net.ipv4.tcp_frto" when v == 2 => current,
            "net.ipv4.tcp_fack" when v == 0 => current, // removed from Linux in 4.15; 0 is "off"
            "net.ipv4.tcp_reordering" when v == 3 => current,
            "net.ipv4.tcp_congestion_control" when value == "cubic" => current,
            "net.ipv4.tcp_recovery" when v == 1 => current,
            "net.ipv4.tcp_tso_win_divisor" when v == 3 => current,
            "net.ipv4.tcp_pacing_ss_ratio" when v == 200 => current,
            "net.ipv4.tcp_pacing_ca_ratio" when v == 120 => current,
            "net.ipv4.tcp_notsent_lowat" when v == uint.MaxValue => current,
            "net.ipv4.tcp_min_tso_segs" when v > 0 => current, // TSO sizing: the model sends MSS-sized segments only
            // POLICY tail-loss-probe: tcp_schedule_loss_probe probes only "if (early_retrans == 3 || early_retrans == 4)"
            // (RACK's early retransmit, the other half of 1-3, is loss recovery and not modelled)
            "net.ipv4.tcp_early_retrans" when v is >= 0 and <= 4 => current with { TailLossProbe = v is 3 or 4 && basis.TailLossProbe },
            // mechanisms outside the lifecycle that no lifecycle step reads (docs/readme/linux.md: out of scope):
            // congestion control after idle, ECN option, Fast Open (a Fast Open option in a script is reported
            // unsupported where it appears)
            "net.ipv4.tcp_slow_start_after_idle" when flag is not null => current,
            "net.ipv4.tcp_ecn_option" when v is >= 0 and <= 2 => current,
            "net.ipv4.tcp_fastopen" when v >= 0 => current,
            "net.ipv4.tcp_fastopen_key" => current,
            _ => null,
        };
    }

    /// <summary>How long SYN-SENT lasts with <paramref name="retries"/> SYN retries of which the first
    /// <paramref name="linear"/> keep the initial RTO: the sum of the n + linear + 1 timeouts, the k-th (from 1) being
    /// RTO.initial · 2^max(0, k − 1 − linear), at most RTO.max (tcp_retransmit_timer, tcp_write_timeout).</summary>
    public static long SynGiveUpTime(Profile p, int retries, int linear)
    {
        ArgumentNullException.ThrowIfNull(p);
        long total = 0;
        for (int k = 1; k <= retries + linear + 1; k++)
            total += Math.Min(p.RtoInitial << Math.Min(Math.Max(0, k - 1 - linear), 30), p.RtoMax);
        return total;
    }

    /// <summary>The SYN retries a profile's R2 for SYN stands for (the inverse of <see cref="SynGiveUpTime"/>).</summary>
    private static int SynRetries(Profile p)
    {
        for (int n = 1; n <= 127; n++)
            if (SynGiveUpTime(p, n, p.SynLinearTimeouts) >= p.R2Syn) return n;
        return 127;
    }

    private static Profile WithSynRetries(Profile p, int retries, int linear) => p with { R2Syn = SynGiveUpTime(p, retries, linear) };

    /// <summary>Interprets one line of shell setup; returns the new profile, or null with
    /// <paramref name="unsupported"/> naming what is not supported. <paramref name="readFile"/> reads a setup
    /// script relative to the packetdrill script (null when absent).</summary>
    public static Profile? Interpret(string line, Profile current, Profile basis, Func<string, string?> readFile, out string? unsupported)
    {
        ArgumentNullException.ThrowIfNull(line);
        ArgumentNullException.ThrowIfNull(readFile);
        unsupported = null;
        var text = StripRedirections(line.Trim());
        if (text.Length == 0) return current;
        var w = text.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
        var cmd = w[0];
        if (cmd.EndsWith("defaults.sh", StringComparison.Ordinal) || cmd.EndsWith(".sh", StringComparison.Ordinal) && !cmd.StartsWith("/tmp/", StringComparison.Ordinal))
        {
            var body = readFile(cmd);
            if (body is null)
            {
                unsupported = "shell script " + cmd + " (not found)";
                return null;
            }
            foreach (var raw in body.Split('\n'))
            {
                var l = raw.Trim();
                if (l.Length == 0 || l.StartsWith('#')) continue;
                var next = Interpret(l, current, basis, readFile, out unsupported);
                if (next is null) return null;
                current = next;
            }
            return current;
        }
        if (cmd.StartsWith("/tmp/sysctl_restore", StringComparison.Ordinal)) return current; // cleanup: restores the sysctls after the run
        if (cmd.EndsWith("set_sysctls.py", StringComparison.Ordinal))
        {
            var args = text[(text.IndexOf("set_sysctls.py", StringComparison.Ordinal) + "set_sysctls.py".Length)..];
            var matches = ProcAssignment().Matches(args);
            if (matches.Sum(m => m.Length) + matches.Count - 1 > args.Trim().Length || matches.Count == 0)
            {
                unsupported = "set_sysctls.py arguments " + args.Trim();
                return null;
            }
            foreach (Match m in matches)
            {
                var name = m.Groups[1].Value.Replace("/proc/sys/", "", StringComparison.Ordinal).Replace('/', '.');
                var value = m.Groups[2].Success ? m.Groups[2].Value : m.Groups[3].Value;
                var next = ApplySysctl(current, basis, name, value);
                if (next is null) { unsupported = "sysctl " + name + "=" + value; return null; }
                current = next;
            }
            return current;
        }
        if (cmd == "sysctl")
        {
            foreach (Match m in SysctlAssignment().Matches(text))
            {
                var name = m.Groups[1].Value;
                var value = Evaluate(m.Groups[2].Success ? m.Groups[2].Value : m.Groups[3].Value);
                var next = value is null ? null : ApplySysctl(current, basis, name, value);
                if (next is null) { unsupported = "sysctl " + name + "=" + (value ?? m.Value); return null; }
                current = next;
            }
            return current;
        }
        // the model keeps no TCP metrics cache (fastopen cookies, cached RTT): flushing it changes nothing
        if (text.StartsWith("ip tcp_metrics flush", StringComparison.Ordinal)) return current;
        // a FIFO queue on the tunnel: segments leave as the model emits them, no pacing
        if (text is "tc qdisc add dev tun0 root pfifo" or "tc qdisc delete dev tun0 root") return current;
        if (text.Contains("pfifo limit 0", StringComparison.Ordinal))
        {
            unsupported = "tc qdisc pfifo limit 0 (the local queue drops every outgoing segment)";
            return null;
        }
        unsupported = "shell command `" + text + "`";
        return null;
    }

    private static string StripRedirections(string s)
    {
        foreach (var r in new[] { "2>/dev/null", "> /dev/null", ">/dev/null", "2>&1" })
            s = s.Replace(r, "", StringComparison.Ordinal);
        return s.Trim().TrimEnd(';').Trim();
    }

    /// <summary>A value with <c>$((a*b*c))</c> arithmetic (products and sums of integers) expanded; null when
    /// some other shell expansion is used.</summary>
    private static string? Evaluate(string value)
    {
        var expanded = Arithmetic().Replace(value, m =>
        {
            long sum = 0;
            foreach (var term in m.Groups[1].Value.Split('+'))
            {
                long product = 1;
                foreach (var f in term.Split('*'))
                {
                    if (!long.TryParse(f.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var x)) return "$?";
                    product *= x;
                }
                sum += product;
            }
            return sum.ToString(CultureInfo.InvariantCulture);
        });
        return expanded.Contains('$', StringComparison.Ordinal) ? null : expanded;
    }

    [GeneratedRegex(@"([a-z0-9_.]+)=(?:""([^""]*)""|(\S+))", RegexOptions.CultureInvariant)]
    private static partial Regex SysctlAssignment();

    [GeneratedRegex(@"(/proc/sys/[^\s=]+)=(?:""([^""]*)""|(\S+))", RegexOptions.CultureInvariant)]
    private static partial Regex ProcAssignment();

    [GeneratedRegex(@"\$\(\(([^()]*)\)\)", RegexOptions.CultureInvariant)]
    private static partial Regex Arithmetic();
}
