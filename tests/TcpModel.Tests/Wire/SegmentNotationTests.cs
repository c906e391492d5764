using FsCheck;
using FsCheck.Fluent;
using TcpModel.Wire;

namespace TcpModel.Tests.Wire;

/// <summary>The RFC segment notation of spec/notation.md: how segments print and parse.</summary>
public sealed class SegmentNotation
{
    [Fact]
    public void ASynAckPrintsInRfcNotation() =>
        Assert.Equal("<SEQ=300><ACK=101><CTL=SYN,ACK><WND=0>",
            new Segment(new SeqNum(300), new SeqNum(101), Control.SYN | Control.ACK).ToString());

    [Fact]
    public void FlagsPrintInTheOrderSynFinRstPshAckUrg() =>
        Assert.Equal("<SEQ=1><ACK=2><CTL=SYN,FIN,RST,PSH,ACK,URG><WND=0><UP=3>",
            new Segment(new SeqNum(1), new SeqNum(2), Control.URG | Control.ACK | Control.PSH | Control.RST | Control.FIN | Control.SYN, urgent: 3).ToString());

    [Fact]
    public void TheAckFieldIsPrintedOnlyWithTheAckBit() =>
        Assert.Equal("<SEQ=1><CTL=SYN><WND=0>", new Segment(new SeqNum(1), new SeqNum(99), Control.SYN).ToString());

    [Fact]
    public void ASegmentWithoutControlBitsPrintsNoCtlField() =>
        Assert.Equal("<SEQ=7><WND=10>", new Segment(new SeqNum(7), default, Control.None, 10).ToString());

    [Fact]
    public void TheShortFormLeavesOutTheWindowAsTheRfcFiguresDo() =>
        Assert.Equal("<SEQ=100><CTL=SYN>", Segment.Parse("<SEQ=100><CTL=SYN><WND=65535>").ToShortString());

    [Fact]
    public void AnAckFieldImpliesTheAckBit()
    {
        var s = Segment.Parse("<SEQ=1><ACK=2>");
        Assert.True(s.HasAck);
        Assert.Equal("<SEQ=1><ACK=2><CTL=ACK><WND=0>", s.ToString());
    }

    [Fact]
    public void AnAbsentWindowParsesAsZero() => Assert.Equal(0, Segment.Parse("<SEQ=1><CTL=SYN>").Window);

    [Fact]
    public void FieldsParseInAnyOrderWithSpacesAndLowerCaseFlags() =>
        Assert.Equal(new Segment(new SeqNum(5), new SeqNum(6), Control.SYN | Control.ACK, 9),
            Segment.Parse(" <WND=9> <ctl=ack, syn> <ACK=6><SEQ=5> "));

    [Fact]
    public void DataIsQuotedWithCEscapesAndAngleBracketsAsHex()
    {
        var payload = new byte[] { (byte)'a', (byte)'"', (byte)'\\', (byte)'\n', (byte)'\r', (byte)'\t', (byte)'<', (byte)'>', 0, 0xff };
        var s = new Segment(new SeqNum(1), new SeqNum(2), Control.ACK, 0, payload);
        Assert.Equal("<SEQ=1><ACK=2><CTL=ACK><WND=0><DATA=\"a\\\"\\\\\\n\\r\\t\\x3c\\x3e\\x00\\xff\">", s.ToString());
        Assert.Equal(s, Segment.Parse(s.ToString()));
    }

    [Fact]
    public void OptionsPrintAsNameColonValueInAFixedOrder()
    {
        var o = new TcpOptions(1460, 7, true, new TcpTimestamp(10, 0), new byte[] { 30, 4, 0x0a, 0x0b });
        var s = new Segment(new SeqNum(1), default, Control.SYN, 65535, options: o);
        Assert.Equal("<SEQ=1><CTL=SYN><WND=65535><OPT=MSS:1460,WS:7,SACKOK,TS:10:0,K30:0a0b>", s.ToString());
        Assert.Equal(s, Segment.Parse(s.ToString()));
    }

    [Fact]
    public void SegLenCountsSynAndFinAsOneOctetEach() =>
        Assert.Equal(new SeqLen(5), Segment.Parse("<SEQ=1><CTL=SYN,FIN><DATA=\"abc\">").Length);
}

/// <summary>Every segment prints and parses back equal.</summary>
public sealed class SegmentNotationRoundTrip
{
    private static readonly Gen<uint> AnyUInt = Gen.Frequency(
        (3, Gen.Choose(int.MinValue, int.MaxValue).Select(i => unchecked((uint)i))),
        (1, Gen.Choose(-8, 8).Select(i => unchecked((uint)i))));

    private static readonly Gen<ushort> AnyUShort = Gen.Choose(0, 65535).Select(i => (ushort)i);

    private static readonly Gen<byte[]> Bytes = from n in Gen.Choose(0, 24)
                                                from b in Gen.ArrayOf(Gen.Choose(0, 255).Select(i => (byte)i), n)
                                                select b;

    private static Gen<T?> Maybe<T>(Gen<T> g) where T : struct =>
        Gen.Frequency((1, Gen.Constant<T?>(null)), (1, g.Select(v => (T?)v)));

    private static readonly Gen<byte[]> RawOptions =
        from n in Gen.Choose(0, 2)
        from opts in Gen.ArrayOf(
            from kind in Gen.Choose(0, 255)
            from bodyLength in Gen.Choose(0, 6)
            from body in Gen.ArrayOf(Gen.Choose(0, 255).Select(i => (byte)i), bodyLength)
            select new[] { (byte)kind, (byte)(bodyLength + 2) }.Concat(body).ToArray(), n)
        select opts.SelectMany(o => o).ToArray();

    private static readonly Gen<TcpOptions> Options =
        from mss in Maybe(AnyUShort)
        from ws in Maybe(Gen.Choose(0, 255).Select(i => (byte)i))
        from sack in Gen.Elements(true, false)
        from ts in Maybe(from v in AnyUInt from e in AnyUInt select new TcpTimestamp(v, e))
        from other in RawOptions
        select new TcpOptions(mss, ws, sack, ts, other.Length == 0 ? default : other);

    private static readonly Arbitrary<Segment> Segments = Arb.From(
        from seq in AnyUInt
        from ack in AnyUInt
        from ctl in Gen.Choose(0, 63)
        from wnd in AnyUShort
        from payload in Bytes
        from opt in Gen.Frequency((2, Gen.Constant(TcpOptions.None)), (1, Options))
        from up in AnyUShort
        select new Segment(new SeqNum(seq), new SeqNum(ack), (Control)ctl, wnd, payload, opt, up));

    private static readonly Config Checked = Config.QuickThrowOnFailure.WithMaxTest(2000);

    [Fact]
    public void EverySegmentParsesBackFromItsNotation() =>
        Prop.ForAll(Segments, s =>
        {
            var text = s.ToString();
            var back = Segment.Parse(text);
            Assert.True(s == back, $"{text} parsed back as {back}");
            Assert.Equal(text, back.ToString());
        }).Check(Checked);

    [Fact]
    public void TheShortFormParsesBackWithAZeroWindow() =>
        Prop.ForAll(Segments, s => Assert.Equal(s.WithWindow(0), Segment.Parse(s.ToShortString()))).Check(Checked);

    [Fact]
    public void TryParseAgreesWithParse() =>
        Prop.ForAll(Segments, s =>
        {
            Assert.True(Segment.TryParse(s.ToString(), out var back, out var error), error);
            Assert.Equal(s, back);
        }).Check(Checked);
}

/// <summary>Malformed notation fails with <see cref="SegmentFormatException"/> naming the 1-based column
/// of the fault.</summary>
public sealed class SegmentNotationErrors
{
    [Theory]
    [InlineData("<SEQ=1><ACK=2", 8, "missing '>'")]
    [InlineData("<SEQ=1><CTL=SYN,FOO>", 17, "unknown control flag 'FOO'")]
    [InlineData("<SEQ=1><CTL=SYN, 2>", 18, "unknown control flag '2'")]
    [InlineData("<SEQ=4294967296>", 6, "SEQ must be an integer")]
    [InlineData("<SEQ=-1>", 6, "SEQ must be an integer")]
    [InlineData("<SEQ=1><ACK=x>", 13, "ACK must be an integer")]
    [InlineData("<SEQ=1><WND=65536>", 13, "WND must be an integer")]
    [InlineData("<SEQ=1><FOO=2>", 8, "unknown field 'FOO'")]
    [InlineData("<SEQ=1><DATA=\"a\\qb\">", 16, "DATA must be a quoted string")]
    [InlineData("<SEQ=1><DATA=\"\\x4\">", 15, "DATA must be a quoted string")]
    [InlineData("<SEQ=1><DATA=abc>", 14, "DATA must be a quoted string")]
    [InlineData("<SEQ=1><OPT=MSS:x>", 13, "malformed option")]
    [InlineData("<SEQ=1><SEQ=2>", 8, "given twice")]
    [InlineData("<SEQ=1>x", 8, "expected '<'")]
    [InlineData("<SEQ 1>", 1, "without '='")]
    [InlineData("<CTL=SYN>", 1, "missing <SEQ=n>")]
    public void MalformedNotationNamesTheColumnOfTheFault(string text, int column, string reason)
    {
        var e = Assert.Throws<SegmentFormatException>(() => Segment.Parse(text));
        Assert.Equal(column, e.Column);
        Assert.Contains(reason, e.Reason, StringComparison.Ordinal);
        Assert.StartsWith($"column {column}: ", e.Message, StringComparison.Ordinal);
        Assert.False(Segment.TryParse(text, out _, out var error));
        Assert.Equal(e.Message, error);
    }
}
