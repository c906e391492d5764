using TcpModel.Network;
using FsCheck;
using FsCheck.Fluent;
using TcpModel.Machine;
using TcpModel.Tests.Machine;
using TcpModel.Tests.Machine.Fidelity;
using TcpModel.Wire;
using static TcpModel.Tests.Machine.Fixtures;

namespace TcpModel.Tests.Properties;

/// <summary>Properties over whole classes of inputs for the fidelity fixes of issue 7 (spec/properties.md
/// P-26 to P-29); each is also run under the mutant that puts its bug back, and must fail there.</summary>
public sealed class FidelityProperties
{
    // ---- P-26 effective send MSS

    /// <summary>A peer MSS option (0 = absent), our MTU, IPv6, timestamps.</summary>
    public sealed record MssCase(int PeerMss, int Mtu, bool IPv6, bool Timestamps)
    {
        public override string ToString() => $"new MssCase({PeerMss}, {Mtu}, {(IPv6 ? "true" : "false")}, {(Timestamps ? "true" : "false")})";
    }

    private static readonly Gen<MssCase> MssCases =
        from mss in Gen.Frequency((1, Gen.Constant(0)), (4, Gen.Choose(1, 65535)), (2, Gen.Elements(536, 1220, 1440, 1460, 8960, 9000)))
        from mtu in Gen.Frequency((3, Gen.Constant(1500)), (2, Gen.Choose(1280, 9216)))
        from v6 in Gen.Elements(false, true)
        from ts in Gen.Elements(false, true)
        select new MssCase(mss, mtu, v6, ts);

    /// <summary>RFC 6691 §2, computed here independently of the model.</summary>
    private static int Expected(MssCase k)
    {
        int sendMss = k.PeerMss > 0 ? k.PeerMss : k.IPv6 ? 1220 : 536;
        int mmsS = k.Mtu - (k.IPv6 ? 40 : 20);
        return Math.Min(sendMss + 20, mmsS) - 20 - (k.Timestamps ? 12 : 0);
    }

    internal static string? P26(MssCase k, Profile basis)
    {
        int expected = Expected(k);
        if (expected < 1) return null; // a degenerate MSS below the option overhead: not this claim's concern
        var p = basis with { Mtu = k.Mtu, Timestamps = k.Timestamps, SendBuffer = 65535 };
        var c = new Conn(new Endpoint(p, new EndpointOptions { Isn = new FixedIsnSource(OurIss), IPv6 = k.IPv6 }));
        c.User(Input.OpenActive);
        c.Now += PeerDelay;
        var opts = new TcpOptions(k.PeerMss > 0 ? (ushort)k.PeerMss : null, timestamp: k.Timestamps ? new TcpTimestamp(7, 100) : null);
        c.Step(Input.Arrive(new Segment(Irs, Iss + 1, Control.SYN | Control.ACK, 65535, default, opts)));
        if (c.State != TcpState.Established) return $"not established: {c.State}";
        PropertyRunner.Exercised();
        var sizes = c.Send(Text(20000)).Where(s => !s.Payload.IsEmpty).Select(s => s.Payload.Length).ToArray();
        if (sizes.Length == 0) return "nothing sent";
        if (sizes.Any(n => n > expected)) return $"a segment of {sizes.Max()} octets exceeds Eff.snd.MSS {expected}";
        int first = Math.Min(expected, 20000);
        return sizes[0] == Math.Min(first, 65535) ? null : $"the first segment carries {sizes[0]}, Eff.snd.MSS is {expected}";
    }

    [Fact]
    [Trait("Property", "P-26")]
    public void P26_DataSegmentsNeverExceedTheEffectiveSendMss() =>
        PropertyRunner.Verify("P-26", "every data segment carries at most Eff.snd.MSS = min(SendMSS+20, MMS_S) - 20 - options, and full ones carry exactly that",
            MssCases, _ => [], k => P26(k, MutantScope.Apply(Profile.Rfc9293)), k => k.ToString(), defaultRuns: 200, mustExercise: true);

    [Fact, Trait("Mutant", "peer-mss-unbounded")]
    public void UnderPeerMssUnbounded_P26Fails() =>
        MutantCheck.FailsUnder(Mutant.PeerMssUnbounded, Profile.Rfc9293, p =>
            PropertyRunner.Verify("P-26", "(under a mutant)", MssCases, _ => [], k => P26(k, p), k => k.ToString(), defaultRuns: 200));

    // ---- P-27 zero-window probing

    /// <summary>Octets sent into a zero window, and for each probe whether the peer's zero-window ACK takes its octet.</summary>
    public sealed record ProbeCase(int Octets, bool[] Accepts)
    {
        public override string ToString() => $"new ProbeCase({Octets}, [{string.Join(", ", Accepts.Select(a => a ? "true" : "false"))}])";
    }

    private static readonly Gen<ProbeCase> ProbeCases =
        from n in Gen.Choose(1, 3000)
        from accepts in Gen.ArrayOf(Gen.Frequency((4, Gen.Constant(false)), (1, Gen.Constant(true))))
        where accepts.Length > 0
        select new ProbeCase(n, accepts.Take(40).ToArray());

    internal static string? P27(ProbeCase k, Profile p)
    {
        var c = ZeroWindowProbing.EstablishedIntoAZeroWindow(p);
        c.Send(Text(k.Octets));
        PropertyRunner.Exercised();
        long lastGap = 0, lastAt = c.Now;
        foreach (bool accept in k.Accepts)
        {
            if (c.Tcb.SndUna == c.Tcb.Iss + new SeqLen(1 + (uint)k.Octets)) break; // everything taken
            var una = c.Tcb.SndUna;
            var sent = c.FireNextTimer();
            if (c.State != TcpState.Established) return $"the connection left ESTABLISHED ({c.State}) though every probe was answered";
            foreach (var s in sent)
                if (s.Payload.Length > 1 || (s.Payload.Length == 1 && s.Seq != una))
                    return $"{s} sent into the zero window: a probe is one octet at SND.UNA ({una})";
            if (sent.Count != 1) return $"{sent.Count} segments at a persist expiry";
            long gap = c.Now - lastAt;
            if (gap < lastGap && gap != p.RtoMax) return $"the persist interval shrank from {lastGap} to {gap} µs";
            if (gap > p.RtoMax) return $"the persist interval {gap} µs exceeds the maximum RTO";
            lastGap = gap;
            lastAt = c.Now;
            c.Now += PeerDelay;
            var ack = accept ? una + new SeqLen(1) : una;
            c.Arrive($"<SEQ={Irs + 1}><ACK={ack}><CTL=ACK><WND=0>");
            if (c.Deadline(TimerKind.Retransmit) != TimerSet.Off) return "the retransmission timer runs while the window is zero";
        }
        return null;
    }

    [Fact]
    [Trait("Property", "P-27")]
    public void P27_AZeroWindowIsProbedWithOneOctetAtSndUnaAndStaysOpenWhileAnswered() =>
        PropertyRunner.Verify("P-27", "into a zero window only one-octet probes at SND.UNA go out, with non-decreasing bounded intervals, no retransmission timer, and the connection stays open while answered",
            ProbeCases, _ => [], k => P27(k, MutantScope.Apply(Profile.Rfc9293)), k => k.ToString(), defaultRuns: 100, mustExercise: true);

    [Fact, Trait("Mutant", "probe-advances-into-zero-window")]
    public void UnderProbeAdvancesIntoZeroWindow_P27Fails() =>
        MutantCheck.FailsUnder(Mutant.ProbeAdvancesIntoZeroWindow, Profile.Rfc9293, p =>
            PropertyRunner.Verify("P-27", "(under a mutant)", ProbeCases, _ => [], k => P27(k, p), k => k.ToString(), defaultRuns: 100));

    // ---- P-28 RST validity by SEG.SEQ

    /// <summary>A synchronized fixture state, an RST offset from RCV.NXT, a payload length, the RFC 793 RST rule or RFC 5961.</summary>
    public sealed record RstCase(int State, int Offset, int Length, bool Rfc793)
    {
        public override string ToString() => $"new RstCase({State}, {Offset}, {Length}, {(Rfc793 ? "true" : "false")})";
    }

    private static readonly Func<Profile, Conn>[] SynchronizedFixtures =
        [p => SynReceived(p), p => Established(p), p => FinWait1(p), p => FinWait2(p), p => CloseWait(p), p => Closing(p), p => LastAck(p), p => TimeWait(p)];

    private static readonly Gen<RstCase> RstCases =
        from s in Gen.Choose(0, SynchronizedFixtures.Length - 1)
        from off in Gen.Frequency((3, Gen.Choose(-12, 12)), (1, Gen.Choose(-70000, 70000)), (1, Gen.Elements(OurWnd - 1, OurWnd, OurWnd + 1)))
        from len in Gen.Choose(1, 12)
        from classic in Gen.Elements(false, true)
        select new RstCase(s, off, len, classic);

    private static (TcpState, string, string) AfterRst(RstCase k, Profile p, int length)
    {
        var c = SynchronizedFixtures[k.State](p);
        var seq = c.Tcb.RcvNxt + new SeqLen(unchecked((uint)k.Offset));
        var sent = c.Step(Input.Arrive(new Segment(seq, default, Control.RST, 0, new byte[length])));
        return (c.State, string.Join(",", sent.Select(x => x.ToString())), string.Join(",", c.Notices));
    }

    internal static string? P28(RstCase k, Profile basis)
    {
        var p = k.Rfc793 ? basis with { ChallengeAckOnRst = false } : basis;
        PropertyRunner.Exercised();
        var bare = AfterRst(k, p, 0);
        var withText = AfterRst(k, p, k.Length);
        return bare == withText ? null
            : $"an RST at RCV.NXT{k.Offset:+#;-#;+0} carrying {k.Length} octets gives {withText}, without them {bare}: its text decided its validity";
    }

    [Fact]
    [Trait("Property", "P-28")]
    public void P28_AnRstIsValidatedByItsSequenceNumberAlone() =>
        PropertyRunner.Verify("P-28", "an RST's fate in a synchronized state does not depend on the text it carries",
            RstCases, _ => [], k => P28(k, MutantScope.Apply(Profile.Rfc9293)), k => k.ToString(), defaultRuns: 300, mustExercise: true);

    [Fact, Trait("Mutant", "rst-validity-by-segment-length")]
    public void UnderRstValidityBySegmentLength_P28Fails() =>
        MutantCheck.FailsUnder(Mutant.RstValidityBySegmentLength, Profile.Rfc9293, p =>
            PropertyRunner.Verify("P-28", "(under a mutant)", RstCases, _ => [], k => P28(k, p), k => k.ToString(), defaultRuns: 300));

    // ---- P-29 SYN windows unscaled

    /// <summary>The SYN,ACK's window, our and the peer's shifts, and whether the open is simultaneous.</summary>
    public sealed record SynWindowCase(int Window, int OurShift, int PeerShift, bool Simultaneous)
    {
        public override string ToString() => $"new SynWindowCase({Window}, {OurShift}, {PeerShift}, {(Simultaneous ? "true" : "false")})";
    }

    private static readonly Gen<SynWindowCase> SynWindowCases =
        from w in Gen.Choose(0, 65535)
        from ours in Gen.Choose(0, 14)
        from theirs in Gen.Choose(1, 14)
        from sim in Gen.Elements(false, true)
        select new SynWindowCase(w, ours, theirs, sim);

    internal static string? P29(SynWindowCase k, Profile basis)
    {
        var p = basis with { WindowScale = (byte)k.OurShift };
        var c = new Conn(new Endpoint(p, new EndpointOptions { Isn = new FixedIsnSource(OurIss) }));
        c.User(Input.OpenActive);
        var opts = new TcpOptions(1460, (byte)k.PeerShift);
        if (k.Simultaneous)
            c.Step(Input.Arrive(new Segment(Irs, default, Control.SYN, (ushort)k.Window, default, opts)));
        c.Step(Input.Arrive(new Segment(Irs, Iss + 1, Control.SYN | Control.ACK, (ushort)k.Window, default, opts)));
        if (c.State != TcpState.Established) return $"not established: {c.State}";
        PropertyRunner.Exercised();
        return c.Tcb.SndWnd == (uint)k.Window ? null : $"SND.WND is {c.Tcb.SndWnd} after a SYN,ACK with WND={k.Window} (shift {k.PeerShift})";
    }

    [Fact]
    [Trait("Property", "P-29")]
    public void P29_TheWindowOfASynAckIsNeverScaled() =>
        PropertyRunner.Verify("P-29", "after a SYN,ACK (SYN-SENT or simultaneous open) SND.WND = SEG.WND, whatever the shifts",
            SynWindowCases, _ => [], k => P29(k, MutantScope.Apply(Profile.Rfc9293)), k => k.ToString(), defaultRuns: 200, mustExercise: true);

    [Fact, Trait("Mutant", "scaled-syn-window")]
    public void UnderScaledSynWindow_P29Fails() =>
        MutantCheck.FailsUnder(Mutant.ScaledSynWindow, Profile.Rfc9293, p =>
            PropertyRunner.Verify("P-29", "(under a mutant)", SynWindowCases, _ => [], k => P29(k, p), k => k.ToString(), defaultRuns: 200));

    // ---- P-34 the window update takes only newer segments

    /// <summary>The state (0 ESTABLISHED, 1 FIN-WAIT-1, 2 FIN-WAIT-2), how far beyond RCV.NXT the reordered
    /// segment lies and its length, the windows of the newer (out-of-order) and the older (in-order) segment,
    /// and whether the older one carries text.</summary>
    public sealed record WindowUpdateCase(int State, int Gap, int Length, int Newer, int Older, bool OlderHasText)
    {
        public override string ToString() => $"new WindowUpdateCase({State}, {Gap}, {Length}, {Newer}, {Older}, {(OlderHasText ? "true" : "false")})";
    }

    private static readonly Gen<WindowUpdateCase> WindowUpdateCases =
        from st in Gen.Choose(0, 2)
        from gap in Gen.Choose(1, 40)
        from len in Gen.Choose(1, 8)
        from newer in Gen.Choose(1, 65535)
        from older in Gen.Choose(1, 65535)
        from text in Gen.Elements(false, true)
        where newer != older
        select new WindowUpdateCase(st, gap, len, newer, older, text);

    internal static string? P34(WindowUpdateCase k, Profile p)
    {
        var c = k.State switch { 0 => Established(p), 1 => FinWait1(p), _ => FinWait2(p) };
        var una = c.Tcb.SndUna;
        var rcvNxt = c.Tcb.RcvNxt;
        // the newer segment, sent later by the peer, overtakes an older one: it is acceptable (inside the window),
        // so step five takes its window and records SND.WL1 = SEG.SEQ (§3.10.7.4 fifth)
        c.Step(Input.Arrive(new Segment(rcvNxt + k.Gap, una, Control.ACK, (ushort)k.Newer, new byte[k.Length])));
        if (c.Tcb.SndWnd != (uint)k.Newer) return $"the reordered segment's window {k.Newer} was not taken (SND.WND={c.Tcb.SndWnd})";
        PropertyRunner.Exercised();
        // the older one arrives at RCV.NXT with the same ACK: SND.WL1 > SEG.SEQ, so its window is not used
        c.Step(Input.Arrive(new Segment(rcvNxt, una, Control.ACK, (ushort)k.Older, k.OlderHasText ? new byte[1] : default)));
        return c.Tcb.SndWnd == (uint)k.Newer ? null
            : $"SND.WND went from the newer segment's {k.Newer} to the older segment's {k.Older} (SND.WL1 was {rcvNxt + k.Gap}, SEG.SEQ {rcvNxt})";
    }

    [Fact]
    [Trait("Property", "P-34")]
    public void P34_AnOlderSegmentNeverOverwritesTheSendWindowOfANewerOne() =>
        PropertyRunner.Verify("P-34", "a segment older than the last window update (SEG.SEQ < SND.WL1) leaves SND.WND as the newer segment set it",
            WindowUpdateCases, _ => [], k => P34(k, MutantScope.Apply(Profile.Rfc9293)), k => k.ToString(), defaultRuns: 150, mustExercise: true);

    [Fact, Trait("Mutant", "window-update-from-old-ack")]
    public void UnderWindowUpdateFromOldAck_P34Fails() =>
        MutantCheck.FailsUnder(Mutant.WindowUpdateFromOldAck, Profile.Rfc9293, p =>
            PropertyRunner.Verify("P-34", "(under a mutant)", WindowUpdateCases, _ => [], k => P34(k, p), k => k.ToString(), defaultRuns: 150));
}
