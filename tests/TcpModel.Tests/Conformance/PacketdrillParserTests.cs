using TcpModel.Conformance.Packetdrill;
using TcpModel.Wire;

namespace TcpModel.Tests.Conformance;

public sealed class PacketdrillParserTests
{
    private static PacketdrillScript Parse(string text) => PacketdrillParser.Parse(text, "f.pkt");

    private static PacketdrillEvent Single(string line) => Assert.Single(Parse(line).Select(new HashSet<string>()));

    private static T Single<T>(string line) where T : PacketdrillEvent => Assert.IsType<T>(Single(line));

    // ---- Structure -------------------------------------------------------------------------

    [Fact]
    public void HeaderOptionLinesAreKeptAsADictionaryByName()
    {
        var script = Parse("--ip_version=ipv4\n--tolerance_usecs=75000 // trailing\n--verbose\n");
        Assert.Equal("ipv4", script.Options["ip_version"]);
        Assert.Equal("75000", script.Options["tolerance_usecs"]);
        Assert.Equal("", script.Options["verbose"]);
        Assert.Empty(script.Items);
    }

    [Fact]
    public void CommentsAndBlankLinesProduceNoEventsAndTrailingCommentsAreIgnored()
    {
        var script = Parse("// whole line\n\n   \n\t// indented\n+0 close(3) = 0 // trailing\n/* block */ +0 close(4) = 0\r\n");
        var events = script.Select(new HashSet<string>());
        Assert.Equal(["close", "close"], events.Cast<SyscallEvent>().Select(e => e.Name));
        Assert.Equal(new SourcePosition("f.pkt", 5, 1), events[0].Position);
    }

    [Theory]
    [InlineData("0.00", PacketdrillTimeKind.Absolute, 0L, null)]
    [InlineData(" 1.00", PacketdrillTimeKind.Absolute, 1_000_000L, null)]
    [InlineData("2", PacketdrillTimeKind.Absolute, 2_000_000L, null)]
    [InlineData("+0.10", PacketdrillTimeKind.Relative, 100_000L, null)]
    [InlineData("+0", PacketdrillTimeKind.Relative, 0L, null)]
    [InlineData("+.5", PacketdrillTimeKind.Relative, 500_000L, null)]
    [InlineData("+0.000001", PacketdrillTimeKind.Relative, 1L, null)]
    [InlineData("*", PacketdrillTimeKind.Any, 0L, null)]
    [InlineData("+0.3~+0.4", PacketdrillTimeKind.Relative, 300_000L, 400_000L)]
    [InlineData("0.3~0.4", PacketdrillTimeKind.Absolute, 300_000L, 400_000L)]
    public void EventTimesParseToKindAndMicroseconds(string time, PacketdrillTimeKind kind, long start, long? end) =>
        Assert.Equal(new PacketdrillTime(kind, start, end), Single(time + " close(3) = 0").Time);

    [Fact]
    public void AnAbsoluteTimeMayAppearMidScript()
    {
        var events = Parse("0.00 close(3) = 0\n+0.10 close(4) = 0\n1.00 close(5) = 0\n").Select(new HashSet<string>());
        Assert.Equal([PacketdrillTime.At(0), PacketdrillTime.After(100_000), PacketdrillTime.At(1_000_000)],
            events.Select(e => e.Time));
    }

    // ---- Packets ---------------------------------------------------------------------------

    [Fact]
    public void AnInboundSynWithOptionsParsesFlagsRangeWindowAndOptions()
    {
        var p = Single<PacketEvent>("+0.00 < S  0:0(0)       win 32767 <mss 1460,sackOK,eol,eol>");
        Assert.Equal(PacketDirection.Inbound, p.Direction);
        Assert.Equal(PacketFlags.SYN, p.Flags);
        Assert.Equal(Control.SYN, p.Control);
        Assert.Equal((0u, 0u, 0u), (p.Start!.Value, p.End!.Value, p.Length!.Value));
        Assert.Null(p.Ack);
        Assert.Equal((ushort)32767, p.Window);
        Assert.Equal([PacketOption.Mss(1460), PacketOption.SackPermitted, PacketOption.Eol, PacketOption.Eol], p.Options!);
    }

    [Fact]
    public void AnOutboundSynAckParsesAckWindowAndEveryOptionKindInOrder()
    {
        var p = Single<PacketEvent>("+0.00 > S. 0:0(0) ack 1 win 65535 <mss 1460,nop,wscale 6,sackOK,TS val 100 ecr 0>");
        Assert.Equal(PacketDirection.Outbound, p.Direction);
        Assert.Equal(PacketFlags.SYN | PacketFlags.ACK, p.Flags);
        Assert.Equal(Control.SYN | Control.ACK, p.Control);
        Assert.Equal(1u, p.Ack);
        Assert.Equal((ushort)65535, p.Window);
        Assert.Equal(
            [PacketOption.Mss(1460), PacketOption.Nop, PacketOption.WindowScale(6), PacketOption.SackPermitted, PacketOption.Timestamp(100, 0)],
            p.Options!);
        Assert.Equal(new PacketOption(PacketOptionKind.Timestamp, 100, 0, "TS val 100 ecr 0"), p.Options![4]);
    }

    [Fact]
    public void AckAndWindowAreOptionalAndOptionsAbsentAreNull()
    {
        var rst = Single<PacketEvent>("+0 > R 1:1(0)");
        Assert.Equal(PacketFlags.RST, rst.Flags);
        Assert.Equal((1u, 1u, 0u), (rst.Start!.Value, rst.End!.Value, rst.Length!.Value));
        Assert.Null(rst.Ack);
        Assert.Null(rst.Window);
        Assert.Null(rst.Options);

        var ack = Single<PacketEvent>("+0 > . 1:1(0) ack 1001");
        Assert.Equal(PacketFlags.ACK, ack.Flags);
        Assert.Equal(1001u, ack.Ack);
        Assert.Null(ack.Window);

        var resetAck = Single<PacketEvent>("+0 < R. 1:1(0) ack 1 win 0");
        Assert.Equal(PacketFlags.RST | PacketFlags.ACK, resetAck.Flags);
        Assert.Equal((ushort)0, resetAck.Window);
    }

    [Fact]
    public void ADataSegmentCarriesItsRangeAndPayloadLength()
    {
        var p = Single<PacketEvent>("+0 < P. 1:1001(1000) ack 1 win 257");
        Assert.Equal(PacketFlags.PSH | PacketFlags.ACK, p.Flags);
        Assert.Equal((1u, 1001u, 1000u), (p.Start!.Value, p.End!.Value, p.Length!.Value));
        Assert.Equal(1u, p.Ack);
        Assert.Equal((ushort)257, p.Window);
    }

    [Fact]
    public void AnEllipsisSequenceRangeMeansAnyAndMayKeepALength()
    {
        var withLength = Single<PacketEvent>("+0.00 > S.     ...(0)     ack 1 win 65535 <mss 1460,sackOK,eol,eol>");
        Assert.True(withLength.AnySequence);
        Assert.Null(withLength.Start);
        Assert.Null(withLength.End);
        Assert.Equal(0u, withLength.Length);

        var bare = Single<PacketEvent>("+0 > R ...");
        Assert.True(bare.AnySequence);
        Assert.Null(bare.Length);
    }

    [Theory]
    [InlineData("S", PacketFlags.SYN)]
    [InlineData("S.", PacketFlags.SYN | PacketFlags.ACK)]
    [InlineData(".", PacketFlags.ACK)]
    [InlineData("F.", PacketFlags.FIN | PacketFlags.ACK)]
    [InlineData("FP.", PacketFlags.FIN | PacketFlags.PSH | PacketFlags.ACK)]
    [InlineData("R", PacketFlags.RST)]
    [InlineData("-", PacketFlags.None)]
    [InlineData("SEW", PacketFlags.SYN | PacketFlags.ECE | PacketFlags.CWR)]
    [InlineData("U.", PacketFlags.URG | PacketFlags.ACK)]
    public void FlagWordsCombineAnyPacketdrillFlagLetters(string word, PacketFlags expected) =>
        Assert.Equal(expected, Single<PacketEvent>($"+0 < {word} 0:0(0) win 1").Flags);

    [Fact]
    public void UnknownTcpOptionsAreKeptAsTextAndAnEmptyListIsEmpty()
    {
        var p = Single<PacketEvent>("+0 < . 1:1(0) ack 1 <nop, sack   1:2  3:4>");
        Assert.Equal([PacketOption.Nop, PacketOption.Unknown("sack 1:2 3:4")], p.Options!);
        Assert.Empty(Single<PacketEvent>("+0 < . 1:1(0) ack 1 <>").Options!);
    }

    // ---- System calls ----------------------------------------------------------------------

    [Fact]
    public void ASocketCallParsesEllipsisSymbolsAndIntegerResult()
    {
        var c = Single<SyscallEvent>("+0.00 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3");
        Assert.Equal("socket", c.Name);
        Assert.IsType<EllipsisArg>(c.Arguments[0]);
        Assert.Equal(["SOCK_STREAM", "IPPROTO_TCP"], c.Arguments.Skip(1).Cast<SymbolArg>().Select(a => a.Name));
        Assert.Equal(new SyscallResult(3), c.Result);
    }

    [Fact]
    public void AHexResultKeepsItsParenthesisedNote()
    {
        var c = Single<SyscallEvent>("+0.00 fcntl(3, F_GETFL) = 0x02 (flags O_RDWR)");
        Assert.Equal(3, Assert.IsType<IntegerArg>(c.Arguments[0]).Value);
        Assert.Equal("F_GETFL", Assert.IsType<SymbolArg>(c.Arguments[1]).Name);
        Assert.Equal(new SyscallResult(2, null, "flags O_RDWR"), c.Result);
    }

    [Fact]
    public void ABitOrArgumentListsItsOperandsInOrder()
    {
        var c = Single<SyscallEvent>("+0.00 fcntl(3, F_SETFL, O_RDWR | O_NONBLOCK | 0x10) = 0");
        var or = Assert.IsType<BitOrArg>(c.Arguments[2]);
        Assert.Equal("O_RDWR", Assert.IsType<SymbolArg>(or.Operands[0]).Name);
        Assert.Equal("O_NONBLOCK", Assert.IsType<SymbolArg>(or.Operands[1]).Name);
        Assert.Equal(16, Assert.IsType<IntegerArg>(or.Operands[2]).Value);
    }

    [Fact]
    public void BracketedListsHoldIntegersOrSymbols()
    {
        var rcvbuf = Single<SyscallEvent>("+0 getsockopt(3, SOL_SOCKET, SO_RCVBUF, [65700], [4]) = 0");
        Assert.Equal(65700, Assert.IsType<IntegerArg>(Assert.Single(Assert.IsType<ListArg>(rcvbuf.Arguments[3]).Items)).Value);
        Assert.Equal(4, Assert.IsType<IntegerArg>(Assert.Single(Assert.IsType<ListArg>(rcvbuf.Arguments[4]).Items)).Value);

        var error = Single<SyscallEvent>("+0 getsockopt(3, SOL_SOCKET, SO_ERROR, [ECONNRESET], [4]) = 0");
        Assert.Equal("ECONNRESET", Assert.IsType<SymbolArg>(Assert.Single(Assert.IsType<ListArg>(error.Arguments[3]).Items)).Name);

        var reuse = Single<SyscallEvent>("+0 setsockopt(3, SOL_SOCKET, SO_REUSEADDR, [1], 4) = 0");
        Assert.Equal(4, Assert.IsType<IntegerArg>(reuse.Arguments[4]).Value);
    }

    [Fact]
    public void ALingerStructKeepsNamedFields()
    {
        var c = Single<SyscallEvent>("+0 setsockopt(3, SOL_SOCKET, SO_LINGER, [{onoff=1, linger=0}], 8) = 0");
        var s = Assert.IsType<StructArg>(Assert.Single(Assert.IsType<ListArg>(c.Arguments[3]).Items));
        Assert.Equal(["onoff", "linger"], s.Fields.Select(f => f.Name));
        Assert.Equal(1, Assert.IsType<IntegerArg>(s["onoff"]).Value);
        Assert.Equal(0, Assert.IsType<IntegerArg>(s["linger"]).Value);
    }

    [Fact]
    public void StringsAndFunctionStyleArgumentsParse()
    {
        var c = Single<SyscallEvent>("+0 frob(\"a \\\"q\\\"\", htons(8080), -1) = 0");
        Assert.Equal("a \"q\"", Assert.IsType<StringArg>(c.Arguments[0]).Value);
        var call = Assert.IsType<CallArg>(c.Arguments[1]);
        Assert.Equal("htons", call.Name);
        Assert.Equal(8080, Assert.IsType<IntegerArg>(Assert.Single(call.Arguments)).Value);
        Assert.Equal(-1, Assert.IsType<IntegerArg>(c.Arguments[2]).Value);
    }

    [Fact]
    public void AFailingCallKeepsItsErrnoAndNote()
    {
        var connect = Single<SyscallEvent>("0.00 connect(3, ..., ...) = -1 EINPROGRESS (Operation now in progress)");
        Assert.Equal(new SyscallResult(-1, "EINPROGRESS", "Operation now in progress"), connect.Result);

        var read = Single<SyscallEvent>("+0 read(4, ..., 1000) = -1 EWOULDBLOCK (Operation would block)");
        Assert.Equal(new SyscallResult(-1, "EWOULDBLOCK", "Operation would block"), read.Result);

        Assert.Equal(new SyscallResult(-1, "EAGAIN"), Single<SyscallEvent>("+0 read(4, ..., 1) = -1 EAGAIN").Result);
    }

    [Theory]
    [InlineData("bind(3, ..., ...) = 0", "bind", 0L)]
    [InlineData("listen(3, 1) = 0", "listen", 0L)]
    [InlineData("accept(3, ..., ...) = 4", "accept", 4L)]
    [InlineData("shutdown(4, SHUT_WR) = 0", "shutdown", 0L)]
    [InlineData("close(3) = 0", "close", 0L)]
    [InlineData("read(3, ..., 100) = 3", "read", 3L)]
    [InlineData("write(4, ..., 1000) = 1000", "write", 1000L)]
    [InlineData("getpid() = 7", "getpid", 7L)]
    [InlineData("no_such_call(1) = 0", "no_such_call", 0L)]
    public void SystemCallsOfAnyNameParseWithTheirResult(string call, string name, long result)
    {
        var c = Single<SyscallEvent>("+0.00 " + call);
        Assert.Equal(name, c.Name);
        Assert.Equal(result, c.Result.Value);
        Assert.Equal(new SourcePosition("f.pkt", 1, 7), c.NamePosition);
    }

    [Fact]
    public void ABlockingCallCarriesItsEndTime()
    {
        var c = Single<SyscallEvent>("+0...0.2 accept(3, ..., ...) = 4");
        Assert.Equal(PacketdrillTime.After(0), c.Time);
        Assert.Equal(PacketdrillTime.At(200_000), c.BlockingEnd);
    }

    [Fact]
    public void ArgumentsKnowTheirColumns()
    {
        var c = Single<SyscallEvent>("+0 listen(3, 1) = 0");
        Assert.Equal(new SourcePosition("f.pkt", 1, 11), c.Arguments[0].Position);
        Assert.Equal(new SourcePosition("f.pkt", 1, 14), c.Arguments[1].Position);
    }

    // ---- Inline code and shell -------------------------------------------------------------

    [Fact]
    public void AnInlineTcpStateAssertionKeepsTheTcpiName()
    {
        var a = Single<AssertTcpStateEvent>("+0 %{ assert tcpi_state == TCPI_SYN_RECEIVED }%");
        Assert.Equal("TCPI_SYN_RECEIVED", a.State);
        Assert.Equal("assert tcpi_state == TCPI_SYN_RECEIVED", a.Code);
    }

    [Fact]
    public void OtherInlineCodeIsKeptAsUnsupportedEvenAcrossLines()
    {
        var script = Parse("+0 %{ print(1)\nassert x == 2 }%\n+0 close(3) = 0");
        var events = script.Select(new HashSet<string>());
        Assert.Equal("print(1)\nassert x == 2", Assert.IsType<UnsupportedCodeEvent>(events[0]).Code);
        Assert.Equal(3, events[1].Position.Line);
    }

    [Fact]
    public void ABacktickLineKeepsTheCommandText()
    {
        var e = Single<ShellCommandEvent>("+0.00 `sysctl -w net.inet.tcp.insecure_rst=1`");
        Assert.Equal("sysctl -w net.inet.tcp.insecure_rst=1", e.Command);
        Assert.Equal(new SysctlCommand(e.Command, "net.inet.tcp.insecure_rst", "1"), e.Parsed);
    }

    [Theory]
    [InlineData("sockstat -4 -P tcp -p 8080 -s | grep -c SYN_RCVD | grep 0", 4, 8080, "SYN_RCVD", 0, null)]
    [InlineData("sockstat -6 -P tcp -s -p 8080 | grep -c SYN_RCVD | grep 1", 6, 8080, "SYN_RCVD", 1, null)]
    [InlineData("sockstat -4 -P tcp -s | grep packetdril | grep -c TIME_WAIT | grep 1", 4, null, "TIME_WAIT", 1, "packetdril")]
    [InlineData("sockstat  -s -P tcp -6 | grep -c CLOSED |grep 0", 6, null, "CLOSED", 0, null)]
    public void SockstatCountsParseInAnyOptionOrder(string text, int ip, int? port, string state, int count, string? filter) =>
        Assert.Equal(new SockstatCountCommand(text, ip, port, state, count, filter), ShellCommand.Parse(text));

    [Fact]
    public void TcpdropBySTateParses() =>
        Assert.Equal(new TcpdropCommand("tcpdrop -s TIME_WAIT", "TIME_WAIT"), ShellCommand.Parse("tcpdrop -s TIME_WAIT"));

    [Theory]
    [InlineData("")]
    [InlineData("ls -l")]
    [InlineData("sysctl net.inet.tcp.insecure_rst")]
    [InlineData("sysctl -w =1")]
    [InlineData("sockstat -4 -P udp -s | grep -c CLOSED | grep 0")]
    [InlineData("sockstat -4 -P tcp | grep -c CLOSED | grep 0")]
    [InlineData("sockstat -4 -P tcp -s | grep -c CLOSED")]
    [InlineData("sockstat -4 -P tcp -s -p 99999 | grep -c CLOSED | grep 0")]
    [InlineData("tcpdrop -a")]
    public void OtherShellCommandsAreUnsupported(string text) =>
        Assert.Equal(new UnsupportedShellCommand(text), ShellCommand.Parse(text));

    // ---- Conditionals ----------------------------------------------------------------------

    private const string Conditional = """
        +0 close(1) = 0
        #ifdef STANDARD
        +0 close(2) = 0
        #endif
        #ifdef FreeBSD
        +0 close(3) = 0
        #else
        +0 close(4) = 0
        #ifndef STANDARD
        +0 close(5) = 0
        #endif
        #endif
        +0 close(6) = 0
        """;

    [Theory]
    [InlineData("STANDARD", new long[] { 1, 2, 4, 6 })]
    [InlineData("FreeBSD", new long[] { 1, 3, 6 })]
    [InlineData("", new long[] { 1, 4, 5, 6 })]
    public void IfdefBlocksAreSelectedByTheDefinedNames(string defined, long[] closed)
    {
        var names = defined.Length == 0 ? new HashSet<string>() : new HashSet<string> { defined };
        var events = Parse(Conditional).Select(names);
        Assert.Equal(closed, events.Cast<SyscallEvent>().Select(e => ((IntegerArg)e.Arguments[0]).Value));
    }

    [Fact]
    public void TheTreeKeepsConditionalBlocksWithTheirNamesAndPositions()
    {
        var script = Parse(Conditional);
        Assert.Equal(["STANDARD", "FreeBSD"], script.ConditionNames);
        var freebsd = Assert.IsType<ConditionalBlock>(script.Items[2]);
        Assert.Equal(("FreeBSD", false, 5), (freebsd.Name, freebsd.Negated, freebsd.Position.Line));
        Assert.Single(freebsd.Then);
        var inner = Assert.IsType<ConditionalBlock>(freebsd.Else[1]);
        Assert.True(inner.Negated);
    }

    // ---- Errors ----------------------------------------------------------------------------

    [Theory]
    [InlineData("+0 < SX 0:0(0) win 1", "f.pkt:3:7: unknown flag 'X' in packet flags")]
    [InlineData("+0 close(3) 0", "f.pkt:3:13: expected '=' after system call, found '0'")]
    [InlineData("+0 %{ assert tcpi_state == TCPI_CLOSED", "f.pkt:3:4: unterminated inline code (missing '}%')")]
    [InlineData("+0.1.5 close(3) = 0", "f.pkt:3:5: malformed time '+0.1.5'")]
    [InlineData("+x close(3) = 0", "f.pkt:3:2: expected seconds after '+', found 'x'")]
    [InlineData("hello world", "f.pkt:3:1: expected an event time (e.g. '0.1', '+0.1' or '*'), found 'hello'")]
    [InlineData("+0.4~+0.3 close(3) = 0", "f.pkt:3:6: time range ends before it starts")]
    [InlineData("+0.3~0.4 close(3) = 0", "f.pkt:3:6: both ends of a time range must be relative ('+a~+b') or both absolute ('a~b')")]
    [InlineData("+0 ? foo", "f.pkt:3:4: expected a packet, system call, shell command or '%{' after the time, found '?'")]
    [InlineData("+0", "f.pkt:3:3: expected a packet, system call, shell command or '%{' after the time, found end of line")]
    [InlineData("+0 close 3", "f.pkt:3:10: expected '(' after system call name 'close', found '3'")]
    [InlineData("+0 close(3 = 0", "f.pkt:3:12: expected ',' or ')' in system call argument list, found '='")]
    [InlineData("+0 close(3", "f.pkt:3:9: unterminated system call argument list (missing ')')")]
    [InlineData("+0 close(3) = x", "f.pkt:3:15: expected an integer result after '=', found 'x'")]
    [InlineData("+0 close(3) = 0 (oops", "f.pkt:3:17: unterminated '(' in system call result (missing ')')")]
    [InlineData("+0 close(3) = 0 EIO x", "f.pkt:3:21: unexpected 'x' after system call result")]
    [InlineData("+0 close(;) = 0", "f.pkt:3:10: expected a system call argument, found ';'")]
    [InlineData("+0 f(12ab) = 0", "f.pkt:3:6: malformed integer '12ab)'")]
    [InlineData("+0 f(99999999999999999999) = 0", "f.pkt:3:6: integer out of range")]
    [InlineData("+0 f({a 1}) = 0", "f.pkt:3:9: expected ',' or '}' in struct, found '1'")]
    [InlineData("+0 f(\"abc) = 0", "f.pkt:3:6: unterminated string (missing '\"')")]
    [InlineData("+0 <", "f.pkt:3:5: expected packet flags after '<'")]
    [InlineData("+0 < S. x", "f.pkt:3:9: expected start sequence number (or '...'), found 'x'")]
    [InlineData("+0 < S 0 0(0)", "f.pkt:3:9: expected ':' after the start sequence number, found white space")]
    [InlineData("+0 < S 0:0 win 1", "f.pkt:3:11: expected '(' after the sequence range, found white space")]
    [InlineData("+0 < S 0:5(4) win 1", "f.pkt:3:8: inconsistent sequence range: 0:5 covers 5 bytes but the length is 4")]
    [InlineData("+0 < S 0:0(0) win 70000", "f.pkt:3:19: window after 'win' out of range (maximum 65535)")]
    [InlineData("+0 < S 0:0(0) wim 1", "f.pkt:3:15: unexpected 'wim' in packet (expected 'ack', 'win', '<options>' or end of line)")]
    [InlineData("+0 < S 0:0(0) <mss 1460", "f.pkt:3:15: unterminated TCP option list (missing '>')")]
    [InlineData("+0 < S 0:0(0) <nop, mss>", "f.pkt:3:21: expected 'mss N' with N from 0 to 65535")]
    [InlineData("+0 < S 0:0(0) <nop,,eol>", "f.pkt:3:20: empty TCP option")]
    [InlineData("+0 < S- 0:0(0)", "f.pkt:3:7: '-' (no flags) cannot be combined with other flags")]
    [InlineData("+0 < SS 0:0(0)", "f.pkt:3:7: duplicate flag 'S' in packet flags")]
    [InlineData("+0 `sysctl -w a=1", "f.pkt:3:4: unterminated shell command (missing closing '`')")]
    [InlineData("+0 `ls` x", "f.pkt:3:9: unexpected 'x' after shell command")]
    [InlineData("#endif", "f.pkt:3:1: #endif without #ifdef")]
    [InlineData("#else", "f.pkt:3:1: #else without #ifdef")]
    [InlineData("#if X", "f.pkt:3:1: unknown directive '#if' (expected #ifdef, #ifndef, #else or #endif)")]
    [InlineData("#ifdef", "f.pkt:3:7: expected a name after '#ifdef', found end of line")]
    [InlineData("#ifdef STANDARD\n+0 close(3) = 0", "f.pkt:3:1: #ifdef STANDARD has no matching #endif")]
    [InlineData("#ifdef A\n#else\n#else\n#endif", "f.pkt:5:1: second #else for #ifdef A")]
    [InlineData("--", "f.pkt:3:1: expected an option name after '--'")]
    [InlineData("+0 /* never closed", "f.pkt:3:4: unterminated '/*' comment (missing '*/')")]
    public void MalformedLinesReportFileLineAndColumn(string line, string message)
    {
        var ex = Assert.Throws<PacketdrillSyntaxException>(() => Parse("--ip_version=ipv4\n\n" + line));
        Assert.Equal(message, ex.Message);
        Assert.Equal($"{ex.Position}: {ex.Detail}", ex.Message);
    }

    [Fact]
    public void TruncatedAndMutatedScriptsOnlyEverThrowSyntaxErrors()
    {
        var lines = new[]
        {
            "--tolerance_usecs=75000",
            "+0.00 `sockstat -4 -P tcp -p 8080 -s | grep -c SYN_RCVD | grep 0`",
            "+0.00 fcntl(3, F_SETFL, O_RDWR | O_NONBLOCK) = 0",
            "+0.00 getsockopt(3, SOL_SOCKET, SO_ERROR, [ECONNRESET], [4]) = 0",
            "+0 setsockopt(3, SOL_SOCKET, SO_LINGER, [{onoff=1, linger=0}], 8) = 0",
            "0.00 connect(3, ..., ...) = -1 EINPROGRESS (Operation now in progress)",
            "+0.3~+0.4 > S 0:0(0) win 65535 <mss 1460,nop,wscale 6,sackOK,TS val 100 ecr 0>",
            "+0.00 > S.     ...(0)     ack 1 win 65535 <mss 1460,sackOK,eol,eol>",
            "+0 %{ assert tcpi_state == TCPI_SYN_RECEIVED }%",
            "#ifdef STANDARD",
            "#endif",
            "+0 f(\"x\\\"y\", htons(1), 0x1f) = 0x02 (flags O_RDWR)",
        };
        var random = new Random(9293);
        const string alphabet = " \t\n+-.*~:()[]{}<>,=|`%#/\"0123456789xSFRPEWU_aTCPI";
        foreach (var line in lines)
        {
            for (var cut = 0; cut <= line.Length; cut++) ParsesOrReportsSyntax(line[..cut]);
            for (var i = 0; i < 300; i++)
            {
                var chars = line.ToCharArray();
                chars[random.Next(chars.Length)] = alphabet[random.Next(alphabet.Length)];
                ParsesOrReportsSyntax(new string(chars));
            }
        }
    }

    private static void ParsesOrReportsSyntax(string text)
    {
        try
        {
            Parse(text);
        }
        catch (PacketdrillSyntaxException ex)
        {
            Assert.StartsWith("f.pkt:", ex.Message);
        }
    }

    // ---- The shared corpus -----------------------------------------------------------------

    [SkippableFact]
    public void EveryScriptOfTheSharedConformanceCorpusParses()
    {
        if (SharedPaths.FreeBsdStateEventSuite is not { } root)
        {
            if (Environment.GetEnvironmentVariable("CI") == "true") Assert.Fail("CI=true but the shared FreeBSD state-event suite is absent");
            Skip.If(true, "the shared FreeBSD state-event suite (../shared) is not on this machine");
            return;
        }
        var files = Directory.GetFiles(root, "*.pkt", SearchOption.AllDirectories);
        Assert.NotEmpty(files);
        foreach (var file in files)
        {
            var script = PacketdrillParser.ParseFile(file);
            Assert.True(script.Options.ContainsKey("ip_version"), file);
            foreach (var profile in new[] { "STANDARD", "FreeBSD" })
            {
                var events = script.Select(new HashSet<string> { profile });
                Assert.NotEmpty(events);
                Assert.All(events.OfType<ShellCommandEvent>(), e => Assert.IsNotType<UnsupportedShellCommand>(e.Parsed));
                Assert.DoesNotContain(events, e => e is UnsupportedCodeEvent);
            }
        }
    }
}
