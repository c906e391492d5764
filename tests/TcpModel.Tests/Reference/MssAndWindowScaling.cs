using TcpModel.Reference;
using TcpModel.Wire;
using static TcpModel.Tests.Reference.TimedKit;

namespace TcpModel.Tests.Reference;

/// <summary>The effective send MSS (RFC 9293 §3.7.1, RFC 6691) and window scaling (RFC 7323 §2).</summary>
public sealed class MssAndWindowScaling
{
    [Theory]
    [Trait("RFC", "9293 §3.7.1")]
    [InlineData("MSS:1460", 1500, false, 0, 1460)]
    [InlineData("MSS:9000", 1500, false, 0, 1460)]  // bounded by MMS_S - 20: the peer's MSS alone is not enough
    [InlineData("MSS:1000", 1500, false, 0, 1000)]
    [InlineData("", 1500, false, 0, 536)]           // no option: the IPv4 default SendMSS (MUST-15)
    [InlineData("", 1500, true, 0, 1220)]           // IPv6 default
    [InlineData("MSS:9000", 1500, true, 0, 1440)]   // IPv6: MMS_S = 1460
    [InlineData("MSS:1460", 1400, false, 8, 1352)]  // min(1480, 1380) - 20 - 8
    [InlineData("MSS:0", 1500, false, 0, 1)]        // floor of one octet
    public void TheEffectiveSendMssIsMinOfSendMssPlus20AndMmsSLessTheHeaders(string peerOptions, int mtu, bool ipv6, int ipOptions, int expected)
    {
        var t = Established(Rfc9293, peerOptions: peerOptions, path: new RefPath(mtu, ipv6, ipOptions));
        Assert.Equal(expected, t.EffectiveSendMss);
    }

    [Fact]
    [Trait("RFC", "9293 §3.7.1")]
    public void ASendLargerThanTheEffectiveMssLeavesInFullSizedSegmentsThenTheRest()
    {
        var t = Established(Rfc9293, peerOptions: "MSS:9000");
        var data = new byte[3000];
        var sent = t.Send(data);
        Assert.Equal([1460, 1460, 80], sent.Select(s => s.Payload.Length));
        Assert.Equal([4294967291u, 1455u, 2915u], sent.Select(s => s.Seq.Value)); // wraps past 2^32
    }

    [Fact]
    [Trait("RFC", "9293 §3.7.1")]
    public void TheAnnouncedMssIsTheProfilesValueBoundedByTheMtu()
    {
        Assert.Equal(1460, new ReferenceTcp(Rfc9293, new SeqNum(Iss)).AnnouncedMss);
        Assert.Equal(1440, new ReferenceTcp(Rfc9293, new SeqNum(Iss), new RefPath(IPv6: true)).AnnouncedMss);
        var small = new ReferenceTcp(Rfc9293, new SeqNum(Iss), new RefPath(Mtu: 576));
        Sent(small.OpenActive(), "<SEQ=4294967290><CTL=SYN><OPT=MSS:536>");
        Sent(new ReferenceTcp(new RefConfig(Mss: 1000), new SeqNum(7)).OpenActive(), "<SEQ=7><CTL=SYN><OPT=MSS:1000>");
    }

    [Fact]
    [Trait("RFC", "7323 §2.2, §2.3")]
    public void WhenBothSynsCarryWindowScaleTheSynWindowsAreUnscaledAndLaterWindowsAreShifted()
    {
        var profile = Rfc9293 with { WindowScale = 7, ReceiveBuffer = 1 << 20 };
        var t = new ReferenceTcp(profile, new SeqNum(Iss));
        Assert.Equal(["<SEQ=4294967290><CTL=SYN><WND=65535><OPT=MSS:1460,WS:7>"], t.OpenActive().Select(s => s.ToString()));
        var ack = t.SegmentArrives(Seg("<SEQ=4294967295><ACK=4294967291><CTL=SYN,ACK><WND=65535><OPT=MSS:1460,WS:3>"));
        Assert.Equal(65535u, t.SendWindow); // the SYN,ACK's window MUST NOT be scaled
        Assert.Equal(3, t.SendWindowShift);
        Assert.Equal(7, t.ReceiveWindowShift);
        Assert.Equal(["<SEQ=4294967291><ACK=0><CTL=ACK><WND=8192>"], ack.Select(s => s.ToString())); // 2^20 >> 7
        t.SegmentArrives(Ack(0, 4294967291, wnd: 100));
        Assert.Equal(800u, t.SendWindow);
        Assert.Equal(1u << 20, t.ReceiveWindow);
    }

    [Fact]
    [Trait("RFC", "7323 §2.2")]
    public void WithoutTheOptionOnBothSynsNoWindowIsScaledAndTheWindowIsAtMost65535()
    {
        var profile = Rfc9293 with { WindowScale = 7, ReceiveBuffer = 1 << 20 };
        var t = new ReferenceTcp(profile, new SeqNum(Iss));
        t.OpenActive();
        var ack = t.SegmentArrives(Seg("<SEQ=4294967295><ACK=4294967291><CTL=SYN,ACK><WND=1000><OPT=MSS:1460>"));
        Assert.Equal(0, t.SendWindowShift);
        Assert.Equal(0, t.ReceiveWindowShift);
        Assert.Equal(["<SEQ=4294967291><ACK=0><CTL=ACK><WND=65535>"], ack.Select(s => s.ToString()));
        t.SegmentArrives(Ack(0, 4294967291, wnd: 100));
        Assert.Equal(100u, t.SendWindow);

        // We do not offer: the peer's WS is ignored.
        var plain = new ReferenceTcp(Rfc9293, new SeqNum(Iss));
        Sent(plain.OpenActive(), "<SEQ=4294967290><CTL=SYN><OPT=MSS:1460>");
        plain.SegmentArrives(Seg("<SEQ=4294967295><ACK=4294967291><CTL=SYN,ACK><WND=1000><OPT=MSS:1460,WS:5>"));
        plain.SegmentArrives(Ack(0, 4294967291, wnd: 100));
        Assert.Equal(100u, plain.SendWindow);
    }

    [Theory]
    [Trait("RFC", "7323 §2.2")]
    [InlineData("MSS:1460,WS:2", "<OPT=MSS:1460,WS:7>")]
    [InlineData("MSS:1460", "<OPT=MSS:1460>")]
    public void APassiveEndOffersWindowScaleOnItsSynAckOnlyWhenTheSynCarriedIt(string synOptions, string synAckOptions)
    {
        var t = new ReferenceTcp(Rfc9293 with { WindowScale = 7 }, new SeqNum(Iss));
        t.OpenPassive();
        Sent(t.SegmentArrives(Seg($"<SEQ=4294967295><CTL=SYN><WND=65535><OPT={synOptions}>")),
            "<SEQ=4294967290><ACK=0><CTL=SYN,ACK>" + synAckOptions);
    }

    [Fact]
    [Trait("RFC", "7323 §2.3")]
    public void AShiftAbove14IsUsedAs14()
    {
        var t = new ReferenceTcp(Rfc9293 with { WindowScale = 2 }, new SeqNum(Iss));
        t.OpenActive();
        t.SegmentArrives(Seg("<SEQ=4294967295><ACK=4294967291><CTL=SYN,ACK><WND=65535><OPT=MSS:1460,WS:15>"));
        Assert.Equal(14, t.SendWindowShift);
        t.SegmentArrives(Ack(0, 4294967291, wnd: 1));
        Assert.Equal(1u << 14, t.SendWindow);
    }

    [Fact]
    [Trait("RFC", "7323 §2.2")]
    public void InASimultaneousOpenThePeersSynAckWindowIsNotScaled()
    {
        var t = new ReferenceTcp(Rfc9293 with { WindowScale = 7 }, new SeqNum(Iss));
        t.OpenActive();
        Sent(t.SegmentArrives(Seg("<SEQ=4294967295><CTL=SYN><WND=65535><OPT=MSS:1460,WS:2>")),
            "<SEQ=4294967290><ACK=0><CTL=SYN,ACK><OPT=MSS:1460,WS:7>");
        Assert.Equal(RefState.SynReceived, t.State);
        t.SegmentArrives(Seg("<SEQ=4294967295><ACK=4294967291><CTL=SYN,ACK><WND=1000><OPT=MSS:1460,WS:2>"));
        Assert.Equal(RefState.Established, t.State);
        Assert.Equal(1000u, t.SendWindow);
        t.SegmentArrives(Ack(0, 4294967291, wnd: 1000));
        Assert.Equal(4000u, t.SendWindow);
    }

    [Fact]
    [Trait("RFC", "7323 §2.3")]
    public void TheScaledReceiveWindowDecidesAcceptability()
    {
        var profile = Rfc9293 with { WindowScale = 1, ReceiveBuffer = 100_000 };
        var t = new ReferenceTcp(profile, new SeqNum(Iss));
        t.OpenActive();
        t.SegmentArrives(Seg("<SEQ=4294967295><ACK=4294967291><CTL=SYN,ACK><WND=65535><OPT=MSS:1460,WS:0>"));
        // RCV.WND = 100000 > 65535: text at RCV.NXT + 70000 is inside the window and held, text at
        // RCV.NXT + 100000 is outside it and dropped; the gap filled, the held octet is delivered.
        Assert.Equal(100_000u, t.ReceiveWindow);
        Sent(t.SegmentArrives(Ack(70_000, 4294967291, data: "z")), "<SEQ=4294967291><ACK=0><CTL=ACK>");
        Sent(t.SegmentArrives(Ack(100_000, 4294967291, data: "y")), "<SEQ=4294967291><ACK=0><CTL=ACK>");
        var fill = new Segment(new SeqNum(0), new SeqNum(4294967291), Control.ACK, 65535, new byte[70_000]);
        Sent(t.SegmentArrives(fill), "<SEQ=4294967291><ACK=70001><CTL=ACK>");
        Assert.Equal(70_001, t.Received.Length);
        Assert.Equal((byte)'z', t.Received[^1]);
        Assert.Equal(100_000u - 70_001u, t.ReceiveWindow);
    }
}
