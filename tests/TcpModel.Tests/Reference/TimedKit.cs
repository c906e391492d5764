using TcpModel.Machine;
using TcpModel.Reference;
using TcpModel.Wire;

namespace TcpModel.Tests.Reference;

/// <summary>
/// Helpers for the reference's timed features. Times are microseconds of virtual time; ISNs sit
/// near 2^32 so that sequence arithmetic wraps inside the tests.
/// </summary>
internal static class TimedKit
{
    public const long Second = 1_000_000;

    /// <summary>Our ISS: SND.UNA wraps to 0 after six octets (SYN + 5).</summary>
    public const uint Iss = 4294967290;

    /// <summary>The peer's ISS: its SYN is the last sequence number before the wrap.</summary>
    public const uint PeerIss = 4294967295;

    /// <summary>The RFC 9293 profile with the given changes applied by the caller.</summary>
    public static Profile Rfc9293 => Profile.Rfc9293;

    public static Segment Seg(string notation) => Segment.Parse(notation);

    public static uint U(long v) => unchecked((uint)v);

    /// <summary>A peer segment &lt;SEQ=seq&gt;&lt;ACK=ack&gt;&lt;CTL=ACK&gt;&lt;WND=wnd&gt; with optional text.</summary>
    public static Segment Ack(long seq, long ack, ushort wnd = 65535, string data = "", Control extra = Control.None) =>
        new(new SeqNum(U(seq)), new SeqNum(U(ack)), Control.ACK | extra, wnd, System.Text.Encoding.ASCII.GetBytes(data));

    /// <summary>An endpoint that did an active OPEN at time 0 and got the peer's SYN,ACK at time 0
    /// (an RTT sample of 0: RTO = the minimum). SND.NXT = ISS+1 = 4294967291, RCV.NXT = 0.</summary>
    public static ReferenceTcp Established(Profile profile, ushort peerWindow = 65535, string peerOptions = "MSS:1460", uint iss = Iss, RefPath? path = null)
    {
        var t = new ReferenceTcp(profile, new SeqNum(iss), path);
        t.OpenActive();
        var opt = peerOptions.Length == 0 ? "" : $"<OPT={peerOptions}>";
        var reply = t.SegmentArrives(Seg($"<SEQ={PeerIss}><ACK={U(iss + 1L)}><CTL=SYN,ACK><WND={peerWindow}>{opt}"));
        Assert.Equal([$"<SEQ={U(iss + 1L)}><ACK=0><CTL=ACK>"], reply.Select(s => s.ToShortString()));
        Assert.Equal(RefState.Established, t.State);
        return t;
    }

    /// <summary>Asserts the exact segments in RFC notation without WND.</summary>
    public static void Sent(IReadOnlyList<Segment> actual, params string[] expected) =>
        Assert.Equal(expected, actual.Select(s => s.ToShortString()).ToArray());

    public static string Data(string text) => $"<DATA=\"{text}\">";
}
