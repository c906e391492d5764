using System.Runtime.InteropServices;
using TcpModel.Machine;
using TcpModel.Network;
using TcpModel.Wire;

namespace TcpModel.Checking;

/// <summary>What kind of move leads from one system state to the next.</summary>
public enum MoveKind : byte
{
    /// <summary>The side's next user call (one of the script step's alternatives).</summary>
    Call,
    /// <summary>An in-flight segment arrives.</summary>
    Deliver,
    /// <summary>The network loses an in-flight segment.</summary>
    Lose,
    /// <summary>The network duplicates an in-flight segment.</summary>
    Duplicate,
    /// <summary>Time passes to the earliest armed deadline, which fires.</summary>
    Tick,
    /// <summary>An off-path attacker injects a segment.</summary>
    Inject,
}

/// <summary>Where an attacker aims, relative to the victim's receive window.</summary>
public enum AttackPosition : byte
{
    /// <summary>SEG.SEQ = RCV.NXT (an exact guess).</summary>
    Exact,
    /// <summary>RCV.NXT + 1: inside the window.</summary>
    InWindow,
    /// <summary>RCV.NXT + RCV.WND - 1: the last octet inside.</summary>
    RightEdge,
    /// <summary>RCV.NXT - 1: just left of the window.</summary>
    LeftOutside,
    /// <summary>RCV.NXT + RCV.WND: just right of the window.</summary>
    RightOutside,
}

/// <summary>What an attacker injects.</summary>
public enum AttackKind : byte
{
    /// <summary>A bare RST.</summary>
    Rst,
    /// <summary>A SYN.</summary>
    Syn,
    /// <summary>One octet with ACK set to a blind guess outside the acceptable ACK range.</summary>
    DataBlindAck,
    /// <summary>One octet with the right ACK (an attacker who knows SND.NXT; tests the window test alone).</summary>
    DataRightAck,
}

/// <summary>One move of the system.</summary>
public readonly record struct Move(MoveKind Kind, Side Side, byte Index, AttackKind Attack = default, AttackPosition Position = default);

/// <summary>A check that failed: its name, what happened, and the move at which it happened.</summary>
public sealed record ViolationReport(string Check, string Detail);

/// <summary>
/// The system of the explorer: two endpoints, the multiset of segments in flight, the budgets used,
/// and each side's progress through its script, serialised to a canonical byte string. Expands one
/// state into its successors, running every check on every transition. One instance per worker.
/// </summary>
internal sealed class SystemModel
{
    // header bytes
    internal const int HLoss = 0, HDup = 1, HAttacks = 2, HPcA = 3, HPcB = 4, HIncA = 5, HIncB = 6, HFlags = 7,
        HReadA = 8, HReadB = 9, HTagA = 10, HTagB = 11, HSentA = 12, HSentB = 13, HEndA = 14, HEndB = 15, HeaderLength = 16;
    internal const byte FAttacked = 1, FAborted = 2, FEstA = 4, FEstB = 8, FReset = 16, FSighted = 32;
    private const byte NoTag = 0xFF;

    private readonly ExplorerConfig _cfg;
    private readonly Profile _profile;
    private readonly UserCall[][][] _scripts;
    private readonly Endpoint[] _ep = new Endpoint[2];
    private readonly ScriptedIsn[] _isn = [new(), new()];
    private readonly Outbox _out = new();
    private readonly byte[] _recv = new byte[4096];
    private readonly byte[] _payload = new byte[256];
    private readonly byte[] _segPayload = new byte[4096];
    private readonly HashSet<string>? _only;

    // the parsed parent
    private byte[] _state = [];
    private int _stateLen;
    private readonly byte[] _hdr = new byte[HeaderLength];
    private int _blobA, _blobALen, _blobB, _blobBLen;
    // in flight: a set of distinct segments per destination, each with a count (copies from the network's
    // duplication) and the birth of its youngest copy (relative to now); encoded dest | count | birth | segment
    private readonly List<(int Start, int Length)> _flight = [];

    // the successor being built
    private StateWriter _w = new(new byte[1024]);
    private StateWriter _segs = new(new byte[1024]);
    private readonly List<Flight> _newSegs = [];
    private StateWriter _sortBuf = new(new byte[1024]);
    private readonly List<(int Start, int Length)> _sorted = [];

    private record struct Flight(byte Dest, int Count, long Birth, int ContentStart, int ContentLength);
    private readonly byte[] _newHdr = new byte[HeaderLength];
    private readonly long _msl;

    /// <summary>Cells fired, when coverage is kept.</summary>
    public Dictionary<CellKey, long>? Coverage { get; }

    /// <summary>Recording of the last applied move (for traces).</summary>
    public List<TraceEvent>? Recording { get; set; }

    public SystemModel(ExplorerConfig cfg)
    {
        _cfg = cfg;
        _profile = cfg.EffectiveProfile;
        _msl = _profile.Msl;
        _scripts = [cfg.ScriptA, cfg.ScriptB];
        for (int i = 0; i < 2; i++) _ep[i] = new Endpoint(_profile, new EndpointOptions { Isn = _isn[i] });
        if (cfg.OnlyChecks is { } only) _only = new HashSet<string>(only, StringComparer.Ordinal);
        if (cfg.Coverage) Coverage = [];
    }

    public Endpoint this[Side s] => _ep[(int)s];

    public bool Enabled(string check) => _only is null || _only.Contains(check);

    /// <summary>The initial state: both sides CLOSED, nothing in flight.</summary>
    public byte[] Initial()
    {
        for (int i = 0; i < 2; i++)
        {
            var r = new StateReader(ClosedBytes);
            _ep[i].Load(ref r, 0);
            _dirty[i] = true;
        }
        Array.Clear(_newHdr);
        _newHdr[HTagA] = _newHdr[HTagB] = NoTag;
        _newSegs.Clear();
        _segs.Length = 0;
        WriteSuccessor(0, saveA: true, saveB: true);
        return _w.Span.ToArray();
    }

    private static readonly byte[] ClosedBytes = [(byte)TcpState.Closed, 0];
    private readonly bool[] _dirty = new bool[2];
    private int _lastAccepted;

    private void EnsureLoaded()
    {
        for (int i = 0; i < 2; i++)
            if (_dirty[i]) { LoadSide((Side)i, 0); _dirty[i] = false; }
    }

    // ---------------------------------------------------------------- parsing

    /// <summary>Parses a state (kept by reference until the next call) and loads both endpoints.</summary>
    public void Parse(byte[] state, int offset, int length)
    {
        if (_state.Length < length) _state = new byte[Math.Max(length, _state.Length * 2)];
        Buffer.BlockCopy(state, offset, _state, 0, length);
        _stateLen = length;
        var r = new StateReader(_state.AsSpan(0, length));
        for (int i = 0; i < HeaderLength; i++) _hdr[i] = r.Byte();
        _blobALen = (int)r.VarU(); _blobA = r.Position; r.Position += _blobALen;
        _blobBLen = (int)r.VarU(); _blobB = r.Position; r.Position += _blobBLen;
        int n = (int)r.VarU();
        _flight.Clear();
        for (int i = 0; i < n; i++)
        {
            int len = (int)r.VarU();
            _flight.Add((r.Position, len));
            r.Position += len;
        }
        LoadSide(Side.A, 0);
        LoadSide(Side.B, 0);
        _dirty[0] = _dirty[1] = false;
    }

    private void LoadSide(Side s, long now)
    {
        var r = new StateReader(s == Side.A ? _state.AsSpan(_blobA, _blobALen) : _state.AsSpan(_blobB, _blobBLen));
        _ep[(int)s].Load(ref r, now);
    }

    public int FlightCount => _flight.Count;
    public byte Header(int i) => _hdr[i];

    private ReadOnlySpan<byte> FlightBytes(int i) => _state.AsSpan(_flight[i].Start, _flight[i].Length);

    /// <summary>Decodes in-flight segment <paramref name="i"/> (payload in a scratch buffer).</summary>
    public Segment FlightSegment(int i, out Side dest, out long birth)
    {
        var r = new StateReader(FlightBytes(i));
        dest = (Side)r.Byte();
        r.VarU();
        birth = r.VarS();
        return ReadSegment(ref r, _segPayload);
    }

    // ---------------------------------------------------------------- moves

    /// <summary>The moves enabled in the parsed state, in a fixed order.</summary>
    public void Moves(List<Move> moves)
    {
        EnsureLoaded();
        moves.Clear();
        for (int s = 0; s < 2; s++)
        {
            int pc = _hdr[HPcA + s];
            var script = _scripts[s];
            if (pc < script.Length)
                for (int alt = 0; alt < script[pc].Length; alt++) moves.Add(new Move(MoveKind.Call, (Side)s, (byte)alt));
        }
        for (int i = 0; i < _flight.Count; i++) moves.Add(new Move(MoveKind.Deliver, default, (byte)i));
        if (_hdr[HLoss] < _cfg.Loss)
            for (int i = 0; i < _flight.Count; i++) moves.Add(new Move(MoveKind.Lose, default, (byte)i));
        if (_hdr[HDup] < _cfg.Dup)
            for (int i = 0; i < _flight.Count; i++) moves.Add(new Move(MoveKind.Duplicate, default, (byte)i));
        long da = _ep[0].NextDeadline, db = _ep[1].NextDeadline, d = Math.Min(da, db);
        if (d != TimerSet.Off)
        {
            if (da == d) moves.Add(new Move(MoveKind.Tick, Side.A, 0));
            if (db == d) moves.Add(new Move(MoveKind.Tick, Side.B, 0));
        }
        if (_hdr[HAttacks] < _cfg.Attacks)
        {
            for (int s = 0; s < 2; s++)
            {
                var st = _ep[s].State;
                if (st < TcpState.SynReceived) continue;
                for (var k = AttackKind.Rst; k <= AttackKind.DataRightAck; k++)
                    for (var p = AttackPosition.Exact; p <= AttackPosition.RightOutside; p++)
                        moves.Add(new Move(MoveKind.Inject, (Side)s, 0, k, p));
            }
        }
    }

    /// <summary>True when the parsed state is finished: nothing in flight, and each side CLOSED, LISTEN, or
    /// synchronized with nothing unacknowledged or unsent in ESTABLISHED, CLOSE-WAIT or FIN-WAIT-2.</summary>
    public bool IsFinished()
    {
        EnsureLoaded();
        if (_flight.Count != 0) return false;
        for (int s = 0; s < 2; s++)
        {
            var e = _ep[s];
            bool ok = e.State switch
            {
                TcpState.Closed or TcpState.Listen => true,
                TcpState.Established or TcpState.CloseWait or TcpState.FinWait2 => e.Tcb.SndUna == e.Tcb.SndNxt && e.Tcb.Unsent == 0,
                _ => false,
            };
            if (!ok) return false;
        }
        return true;
    }

    /// <summary>An attacker that was not blind (an exact guess of RCV.NXT, or text with the right ACK) has injected a
    /// segment in this run: RFC 5961 promises nothing against it, so can-finish leaves the run out.</summary>
    public bool Sighted => (_hdr[HFlags] & FSighted) != 0;

    /// <summary>Both sides have been ESTABLISHED (at some point of the run).</summary>
    public bool BothEstablished => (_hdr[HFlags] & (FEstA | FEstB)) == (FEstA | FEstB);

    /// <summary>A handshake is under way between two sides that both opened, over a network that has lost nothing
    /// (P-05's reliable network: delays, reordering and duplicates allowed), with no attacker, no abort, no
    /// reset sent so far (a SYN that reached a side not yet listening is refused, rightly), and not both
    /// established yet.</summary>
    public bool InHandshake()
    {
        EnsureLoaded();
        if ((_hdr[HFlags] & (FAttacked | FAborted | FReset)) != 0 || _hdr[HLoss] != 0 || BothEstablished) return false;
        if (_hdr[HPcA] == 0 || _hdr[HPcB] == 0) return false;
        var a = _ep[0].State;
        var b = _ep[1].State;
        static bool H(TcpState s) => s is TcpState.SynSent or TcpState.SynReceived or TcpState.Listen;
        return H(a) && H(b) && !(a == TcpState.Listen && b == TcpState.Listen) && _ep[0].Tcb.FinQueued == false && _ep[1].Tcb.FinQueued == false;
    }

    // ---------------------------------------------------------------- applying a move

    private readonly record struct Pre(TcpState State, SeqNum Iss, SeqNum Irs, SeqNum SndUna, SeqNum SndNxt, SeqNum RcvNxt, uint RcvWnd, int Queued, TimerSet Timers, SeqNum SndWl1, uint SndWnd);

    private static Pre Capture(Endpoint e) =>
        new(e.State, e.Tcb.Iss, e.Tcb.Irs, e.Tcb.SndUna, e.Tcb.SndNxt, e.Tcb.RcvNxt, e.Tcb.RcvWnd, e.Tcb.ReceiveQueue.Count, e.Tcb.Timers, e.Tcb.SndWl1, e.Tcb.SndWnd);

    private ViolationReport? _violation;

    private void Fail(string check, string detail)
    {
        if (_violation is null && Enabled(check)) _violation = new ViolationReport(check, detail);
    }

    /// <summary>Applies <paramref name="m"/> to the parsed state; the successor is in <see cref="Successor"/>.
    /// Returns the first check it violates, or null. The parsed state stays parsed.</summary>
    public ViolationReport? Apply(in Move m)
    {
        _violation = null;
        EnsureLoaded();
        Buffer.BlockCopy(_hdr, 0, _newHdr, 0, HeaderLength);
        _newSegs.Clear();
        _segs.Length = 0;
        int removed = -1, duplicated = -1;
        long now = 0;
        bool saveA = false, saveB = false;
        switch (m.Kind)
        {
            case MoveKind.Call:
            {
                var s = m.Side;
                _dirty[(int)s] = true;
                var call = _scripts[(int)s][_hdr[HPcA + (int)s]][m.Index];
                _newHdr[HPcA + (int)s]++;
                Input input;
                int sent = _hdr[HSentA + (int)s];
                switch (call)
                {
                    case UserCall.OpenActive: input = Input.OpenActive; break;
                    case UserCall.OpenPassive: input = Input.OpenPassive(remoteSpecified: true); break;
                    case UserCall.Send:
                        int tag = _hdr[HEndA + (int)s] & 3; // octets are tagged with their connection (incarnations ended so far)
                        for (int i = 0; i < _cfg.Payload; i++) _payload[i] = (byte)((tag << 6) | ((sent + i) & 63));
                        input = Input.Send(_payload.AsMemory(0, _cfg.Payload));
                        break;
                    case UserCall.Close: input = Input.Close; break;
                    default: input = Input.Abort; _newHdr[HFlags] |= FAborted; break;
                }
                if (Recording is not null) Record(TraceEventKind.Call, s, CallLabel(call), default);
                StepSide(s, input, now, null);
                if (call == UserCall.Send) _newHdr[HSentA + (int)s] = (byte)(sent + _lastAccepted);
                if (s == Side.A) saveA = true; else saveB = true;
                break;
            }
            case MoveKind.Deliver:
            {
                var seg = FlightSegment(m.Index, out var dest, out _);
                removed = m.Index;
                Record(TraceEventKind.Deliver, dest, null, seg);
                _dirty[(int)dest] = true;
                StepSide(dest, Input.Arrive(seg), now, seg);
                if (dest == Side.A) saveA = true; else saveB = true;
                break;
            }
            case MoveKind.Lose:
            {
                var seg = FlightSegment(m.Index, out var dest, out _);
                Record(TraceEventKind.Lose, dest, null, seg);
                removed = m.Index;
                _newHdr[HLoss]++;
                break;
            }
            case MoveKind.Duplicate:
            {
                var seg = FlightSegment(m.Index, out var dest, out _);
                Record(TraceEventKind.Duplicate, dest, null, seg);
                _newHdr[HDup]++;
                duplicated = m.Index;
                break;
            }
            case MoveKind.Tick:
            {
                now = _ep[(int)m.Side].NextDeadline;
                _dirty[0] = _dirty[1] = true;
                Record(TraceEventKind.Tick, m.Side, "", default, now);
                StepSide(m.Side, Input.Tick, now, null);
                saveA = saveB = true;
                break;
            }
            case MoveKind.Inject:
            {
                var s = m.Side;
                var e = _ep[(int)s];
                _dirty[(int)s] = true;
                var seg = Forge(e, m.Attack, m.Position);
                _newHdr[HAttacks]++;
                _newHdr[HFlags] |= FAttacked;
                // an exact guess of RCV.NXT, or text with the right ACK, is not blind: RFC 5961 promises nothing
                // against it (§1), so can-finish does not hold such runs against the model
                if (m.Position == AttackPosition.Exact || m.Attack == AttackKind.DataRightAck) _newHdr[HFlags] |= FSighted;
                Record(TraceEventKind.Inject, s, null, seg);
                var pre = Capture(e);
                StepSide(s, Input.Arrive(seg), now, seg, attack: m);
                CheckBlind(s, pre, m);
                if (s == Side.A) saveA = true; else saveB = true;
                break;
            }
        }
        // the segments still in flight (shifted in time by a tick; older than MSL expire)
        for (int i = 0; i < _flight.Count; i++)
        {
            var r = new StateReader(FlightBytes(i));
            byte dest = r.Byte();
            int count = (int)r.VarU();
            long birth = r.VarS() - now;
            if (i == removed) count--; // one copy arrived or was lost
            if (i == duplicated) count++;
            if (count == 0) continue;
            if (birth < -_msl) { Record(TraceEventKind.Expire, (Side)dest, "", default); continue; } // RFC 9293 §3.4.1: no segment lives longer than MSL
            int start = _segs.Length;
            AppendBytes(FlightBytes(i)[r.Position..]);
            AddFlight(dest, count, birth, start, _segs.Length - start);
        }
        WriteSuccessor(now, saveA || now != 0, saveB || now != 0);
        return _violation;
    }

    /// <summary>The successor built by the last <see cref="Apply"/>.</summary>
    public ReadOnlySpan<byte> Successor => _w.Span;

    // a segment equal to one already in flight to the same side (a retransmission of it) merges with it: the
    // set keeps the youngest birth; its copies stay as many as the network made (delivering a segment twice is
    // the duplication budget's business)
    private void AddFlight(byte dest, int count, long birth, int start, int length)
    {
        var content = _segs.Buffer.AsSpan(start, length);
        for (int i = 0; i < _newSegs.Count; i++)
        {
            var f = _newSegs[i];
            if (f.Dest == dest && _segs.Buffer.AsSpan(f.ContentStart, f.ContentLength).SequenceEqual(content))
            {
                _newSegs[i] = f with { Count = Math.Max(f.Count, count), Birth = Math.Max(f.Birth, birth) };
                return;
            }
        }
        _newSegs.Add(new Flight(dest, count, birth, start, length));
    }

    private void AppendBytes(ReadOnlySpan<byte> span)
    {
        if (_segs.Length + span.Length > _segs.Buffer.Length) Array.Resize(ref _segs.Buffer, (_segs.Length + span.Length) * 2);
        span.CopyTo(_segs.Buffer.AsSpan(_segs.Length));
        _segs.Length += span.Length;
    }

    private void WriteSuccessor(long now, bool saveA, bool saveB)
    {
        _w.Length = 0;
        for (int i = 0; i < HeaderLength; i++) _w.Byte(_newHdr[i]);
        WriteBlob(Side.A, saveA, now);
        WriteBlob(Side.B, saveB, now);
        // canonical order of the set: sort the encodings (insertion sort; a handful of segments)
        _sortBuf.Length = 0;
        _sorted.Clear();
        foreach (var f in _newSegs)
        {
            int start = _sortBuf.Length;
            _sortBuf.Byte(f.Dest);
            _sortBuf.VarU((ulong)f.Count);
            _sortBuf.VarS(f.Birth);
            if (_sortBuf.Length + f.ContentLength > _sortBuf.Buffer.Length) Array.Resize(ref _sortBuf.Buffer, (_sortBuf.Length + f.ContentLength) * 2);
            _segs.Buffer.AsSpan(f.ContentStart, f.ContentLength).CopyTo(_sortBuf.Buffer.AsSpan(_sortBuf.Length));
            _sortBuf.Length += f.ContentLength;
            _sorted.Add((start, _sortBuf.Length - start));
        }
        var list = CollectionsMarshal.AsSpan(_sorted);
        var buf = _sortBuf.Buffer;
        for (int i = 1; i < list.Length; i++)
        {
            var x = list[i];
            int j = i - 1;
            while (j >= 0 && buf.AsSpan(list[j].Start, list[j].Length).SequenceCompareTo(buf.AsSpan(x.Start, x.Length)) > 0) { list[j + 1] = list[j]; j--; }
            list[j + 1] = x;
        }
        _w.VarU((ulong)list.Length);
        foreach (var (start, len) in list) _w.Bytes(buf.AsSpan(start, len));
    }

    private StateWriter _blob = new(new byte[512]);

    private void WriteBlob(Side s, bool save, long now)
    {
        if (!save)
        {
            _w.Bytes(s == Side.A ? _state.AsSpan(_blobA, _blobALen) : _state.AsSpan(_blobB, _blobBLen));
            return;
        }
        _blob.Length = 0;
        _ep[(int)s].Save(ref _blob, now);
        _w.Bytes(_blob.Span);
    }

    // ---------------------------------------------------------------- one endpoint step and its checks

    private void StepSide(Side s, in Input input, long now, Segment? arriving, Move? attack = null)
    {
        var e = _ep[(int)s];
        var peer = _ep[1 - (int)s];
        var pre = Capture(e);
        int inc = _hdr[HIncA + (int)s];
        _isn[(int)s].Value = unchecked((s == Side.A ? _cfg.IsnA : _cfg.IsnB) + (uint)inc * _cfg.IsnStep);
        _isn[(int)s].Drawn = false;
        e.Step(input, now, _out);
        _lastAccepted = _out.Accepted;
        if (_isn[(int)s].Drawn) _newHdr[HIncA + (int)s] = (byte)Math.Min(inc + 1, 255);
        CountCoverage();
        CheckEmitted(s, pre, arriving, now);
        if (arriving is { } seg && attack is null) CheckRetransmittedFin(s, seg);
        if (arriving is { } seg2) CheckUnacceptable(s, pre, seg2);
        EmitToFlight(s);
        NoteNotices(s);
        foreach (var n in _out.Notices)
            if (n is Notice.RetransmissionTimeout or Notice.UserTimeout) _newHdr[HFlags] |= FAborted; // the stack gave up: an abort
        CheckStep(s, pre, now, arriving, attack is not null);
        if (e.State == TcpState.Closed && pre.State != TcpState.Closed) _newHdr[HEndA + (int)s] = (byte)Math.Min(_newHdr[HEndA + (int)s] + 1, 255);
        if (e.State < TcpState.SynReceived || e.Tcb.Irs != pre.Irs)
        {
            _newHdr[HReadA + (int)s] = 0;
            _newHdr[HTagA + (int)s] = NoTag;
        }
        // the user reads at once what arrived (an eager reader)
        if (e.Tcb.ReceiveQueue.Count > 0)
        {
            CheckStream(s, peer);
            var pre2 = Capture(e);
            e.Step(Input.Receive(_recv), now, _out);
            CountCoverage();
            _newHdr[HReadA + (int)s] = (byte)Math.Min(_newHdr[HReadA + (int)s] + _out.Received, 255);
            CheckEmitted(s, pre2, null, now);
            EmitToFlight(s);
        }
        if (e.State is >= TcpState.Established and <= TcpState.TimeWait)
            _newHdr[HFlags] |= s == Side.A ? FEstA : FEstB;
    }

    private void CountCoverage()
    {
        if (Coverage is null) return;
        foreach (var f in _out.Fired)
        {
            ref long c = ref CollectionsMarshal.GetValueRefOrAddDefault(Coverage, f.Cell.Key, out _);
            c++;
        }
    }

    private void NoteNotices(Side s)
    {
        if (Recording is null) return;
        foreach (var n in _out.Notices) Record(TraceEventKind.Notice, s, n.Text(), default);
    }

    private void EmitToFlight(Side from)
    {
        var dest = from == Side.A ? Side.B : Side.A;
        foreach (ref readonly var seg in _out.Segments)
        {
            if (seg.Rst) _newHdr[HFlags] |= FReset;
            int start = _segs.Length;
            WriteSegment(ref _segs, seg);
            AddFlight((byte)dest, 1, 0, start, _segs.Length - start);
            Record(TraceEventKind.Send, from, null, seg);
        }
    }

    private void CheckEmitted(Side s, Pre pre, Segment? arriving, long now)
    {
        var e = _ep[(int)s];
        var t = e.Tcb;
        bool sync = e.State >= TcpState.SynReceived;
        foreach (ref readonly var seg in _out.Segments)
        {
            if (arriving is { Rst: true } && seg.Rst)
                Fail("no-rst-for-rst", $"{s} answered the RST {arriving} with {seg} (§3.5.2, P-11)");
            if (seg.Rst) continue;
            if (e.State != TcpState.Closed && (seg.Seq < t.Iss || seg.Seq + seg.Length > t.SndNxt))
                Fail("nothing-sent-beyond-snd-nxt", $"{s} sent {seg} with ISS={t.Iss} SND.NXT={t.SndNxt} (P-10)");
            if (sync && pre.State >= TcpState.SynReceived && (!seg.HasAck || seg.Ack != t.RcvNxt))
                Fail("acks-carry-rcv-nxt", $"{s} in {e.State.RfcName()} sent {seg} with RCV.NXT={t.RcvNxt} (§3.10.7.4, P-12)");
        }
    }

    private void CheckStep(Side s, Pre pre, long now, Segment? arriving, bool attacked)
    {
        var e = _ep[(int)s];
        var t = e.Tcb;
        if (e.State != TcpState.Closed && t.SndUna > t.SndNxt)
            Fail("snd-una-le-snd-nxt", $"{s} in {e.State.RfcName()}: SND.UNA={t.SndUna} > SND.NXT={t.SndNxt} (§3.3.1, P-02)");
        if (e.State == TcpState.Closed && (t.SendQueue.Count != 0 || t.ReceiveQueue.Count != 0 || !t.Reassembly.IsEmpty || t.FinSent
            || t.FinQueued || t.FinReceived || t.SndNxt != default || t.RcvNxt != default || t.Timers.Earliest != TimerSet.Off))
            Fail("closed-holds-nothing", $"{s} is CLOSED but its TCB is not empty (§3.3.2, P-15)");
        bool same = pre.State >= TcpState.SynReceived && e.State >= TcpState.SynReceived && pre.Irs == t.Irs && pre.Iss == t.Iss;
        if (same && t.RcvNxt < pre.RcvNxt)
            Fail("rcv-nxt-only-advances", $"{s}: RCV.NXT moved back from {pre.RcvNxt} to {t.RcvNxt} (P-03)");
        if (same && e.State != TcpState.TimeWait && t.RcvNxt + new SeqLen(t.RcvWnd) < pre.RcvNxt + new SeqLen(pre.RcvWnd))
            Fail("window-never-shrinks", $"{s}: RCV.NXT+RCV.WND went from {pre.RcvNxt + new SeqLen(pre.RcvWnd)} to {t.RcvNxt + new SeqLen(t.RcvWnd)} (§3.8.6.2.2, P-14)");
        // P-16: no step arms a deadline at or before now (one that was already due may stay: the explorer lets
        // other events of the same instant come first)
        for (var k = TimerKind.Retransmit; k <= TimerKind.TimeWait; k++)
        {
            long d = t.Timers.Get(k);
            if (d != TimerSet.Off && d <= now && d != pre.Timers.Get(k))
                Fail("deadlines-in-the-future", $"{s} in {e.State.RfcName()} armed its {k} timer {(now - d) / 1e6:0.######} s in the past or now (P-16)");
        }
        // RFC 6298 §5.1-§5.3, RFC 9293 §3.8.1: while anything is outstanding (SYN, octets, FIN) a retransmission
        // timer runs, or the persist timer when the window is closed (§3.8.6.1): otherwise one lost segment ends
        // the exchange for good
        if (e.State is not (TcpState.Closed or TcpState.Listen or TcpState.TimeWait) && t.SndUna != t.SndNxt
            && t.Timers.Get(TimerKind.Retransmit) == TimerSet.Off && t.Timers.Get(TimerKind.Persist) == TimerSet.Off)
            Fail("retransmission-timer-armed", $"{s} in {e.State.RfcName()} has SND.UNA={t.SndUna} < SND.NXT={t.SndNxt} outstanding and no retransmission or persist timer (RFC 6298 §5.1)");
        // the state is what the FIN flags say it is (§3.3.2 Figure 5)
        if (e.State != TcpState.Closed)
        {
            bool finStates = e.State is TcpState.FinWait1 or TcpState.FinWait2 or TcpState.Closing or TcpState.LastAck or TcpState.TimeWait;
            bool peerFinStates = e.State is TcpState.CloseWait or TcpState.Closing or TcpState.LastAck or TcpState.TimeWait;
            if (t.FinSent && !finStates)
                Fail("state-agrees-with-fin-flags", $"{s} is in {e.State.RfcName()} though its FIN was sent (§3.3.2)");
            if (t.FinAcked && e.State is TcpState.FinWait1 or TcpState.Closing or TcpState.LastAck)
                Fail("state-agrees-with-fin-flags", $"{s} is in {e.State.RfcName()} though its FIN is acknowledged (§3.10.7.4 fifth)");
            if (t.FinReceived != peerFinStates && e.State >= TcpState.SynReceived)
                Fail("state-agrees-with-fin-flags", $"{s} is in {e.State.RfcName()} with the peer's FIN {(t.FinReceived ? "" : "not ")}received (§3.10.7.4 eighth)");
        }
        // TIME-WAIT's job: 2 MSL from entering it or from the peer's retransmitted FIN (§3.10.7.4 eighth, P-06)
        if (e.State == TcpState.TimeWait)
        {
            long tw = t.Timers.Get(TimerKind.TimeWait);
            bool entered = pre.State != TcpState.TimeWait;
            bool finAgain = !entered && arriving is { Fin: true } f && !attacked && f.Seq + f.Length == t.RcvNxt && _out.SegmentCount > 0;
            if ((entered || finAgain) && tw != now + 2 * _profile.Msl)
                Fail("time-wait-2msl", $"{s} {(entered ? "entered TIME-WAIT" : "acknowledged a retransmitted FIN in TIME-WAIT")} with the 2 MSL timer at {(tw == TimerSet.Off ? "off" : $"{(tw - now) / 1e6:0.###} s")}, not {2 * _profile.Msl / 1e6:0.###} s (§3.10.7.4, P-06)");
        }
    }

    // the peer's retransmitted FIN must not be answered with a reset: the job TIME-WAIT does (§3.6, §3.10.7.4)
    // Scoped to runs in which no RST was sent before this move: an earlier RST can rightly have reset the receiver
    // (§3.10.7.4 second: an RST at exactly RCV.NXT is accepted — e.g. a CLOSED side's <SEQ=0><CTL=RST,ACK> to an
    // early SYN, delivered late to a side whose RCV.NXT has wrapped to 0), and a reset side's RST then is
    // §3.10.7.1's answer, not a TIME-WAIT that ended too soon.
    private void CheckRetransmittedFin(Side r, in Segment seg)
    {
        if (!seg.Fin || ((_hdr[HFlags] | _newHdr[HFlags]) & (FAttacked | FAborted)) != 0 || (_hdr[HFlags] & FReset) != 0) return;
        var sender = _ep[1 - (int)r];
        if (sender.State is not (TcpState.LastAck or TcpState.Closing) || !sender.Tcb.FinSent) return;
        if (seg.Last != sender.Tcb.FinSeq) return;
        foreach (ref readonly var o in _out.Segments)
            if (o.Rst)
                Fail("retransmitted-fin-reset", $"{r} in {_ep[(int)r].State.RfcName()} answered {(r == Side.A ? "B" : "A")}'s FIN {seg} with {o}: the peer, still in {sender.State.RfcName()}, is reset (RFC 9293 §3.6: TIME-WAIT must outlast it)");
    }

    // §3.10.7.4 first check: an unacceptable segment is dropped (RCV.NXT stays, no text is taken)
    private void CheckUnacceptable(Side s, Pre pre, in Segment seg)
    {
        if (pre.State < TcpState.SynReceived || seg.Syn) return;
        uint len = seg.Length.Value, wnd = pre.RcvWnd;
        var nxt = pre.RcvNxt;
        bool acceptable = len == 0
            ? wnd == 0 ? seg.Seq == nxt : seg.Seq.InWindow(nxt, new SeqLen(wnd))
            : wnd != 0 && (seg.Seq.InWindow(nxt, new SeqLen(wnd)) || seg.Last.InWindow(nxt, new SeqLen(wnd)));
        if (acceptable) return;
        var e = _ep[(int)s];
        bool sameConn = e.State >= TcpState.SynReceived && e.Tcb.Irs == pre.Irs;
        if (sameConn && (e.Tcb.RcvNxt != pre.RcvNxt || e.Tcb.ReceiveQueue.Count != pre.Queued))
            Fail("unacceptable-segment-dropped", $"{s} in {pre.State.RfcName()} took {seg} though it is outside RCV.NXT={nxt} RCV.WND={wnd} (§3.10.7.4 first)");
        // a segment beyond the window never has its ACK field processed (only an old one may, under POLICY old-ack-processed)
        bool right = !seg.Seq.InWindow(nxt - new SeqLen(0x4000_0000), new SeqLen(0x4000_0000 + wnd));
        if (sameConn && right && !seg.Rst && (e.Tcb.SndWl1 != pre.SndWl1 || e.Tcb.SndWnd != pre.SndWnd || e.Tcb.SndUna != pre.SndUna || e.State != pre.State))
            Fail("unacceptable-segment-dropped", $"{s} in {pre.State.RfcName()} processed the ACK field of {seg}, which lies beyond RCV.NXT+RCV.WND={nxt + new SeqLen(wnd)} (§3.10.7.4 first: send an ACK and drop it)");
        if (seg.Rst && e.State != pre.State)
            Fail("unacceptable-segment-dropped", $"{s} in {pre.State.RfcName()} went to {e.State.RfcName()} on the unacceptable {seg} (§3.10.7.4 first)");
    }

    // P-04, stream integrity: the octets taken are the peer's octets of this connection, in order
    private void CheckStream(Side s, Endpoint peer)
    {
        var e = _ep[(int)s];
        if (((_hdr[HFlags] | _newHdr[HFlags]) & FAttacked) != 0) return; // injected text (from this move on) is the blind-attack check's business
        // after an abort (R2 or ABORT: no TIME-WAIT) with the peer on a later incarnation, octets of an earlier one
        // may arrive that only ISN selection keeps out (§3.4.1) — not modelled by the one-tick ISN step: left out
        if (((_hdr[HFlags] | _newHdr[HFlags]) & FAborted) != 0 && _newHdr[HIncA + 1 - (int)s] > 1) return;
        var q = e.Tcb.ReceiveQueue.Span;
        int read = _newHdr[HReadA + (int)s];
        bool samePeer = peer.State >= TcpState.SynSent && peer.Tcb.Iss == e.Tcb.Irs;
        int peerSide = 1 - (int)s;
        byte expectTag = samePeer ? (byte)(_newHdr[HEndA + peerSide] & 3) : _newHdr[HTagA + (int)s];
        for (int i = 0; i < q.Length; i++)
        {
            int p = read + i;
            byte b = q[i];
            byte tag = (byte)(b >> 6);
            if (expectTag == NoTag) expectTag = tag;
            if (tag != expectTag)
            {
                Fail("old-duplicate-accepted", $"{s} took octet {p} of its stream from an earlier incarnation of the connection (RFC 9293 §3.4.1, §3.6: TIME-WAIT keeps old duplicates out)");
                return;
            }
            if ((b & 63) != (p & 63) || (samePeer && p >= _newHdr[HSentA + peerSide]))
            {
                Fail("in-order-delivery", $"{s} took as octet {p} of its stream the peer's octet {b & 63} (P-04)");
                return;
            }
        }
        _newHdr[HTagA + (int)s] = expectTag;
    }

    // RFC 5961: without an exact guess an off-path attacker neither resets nor desynchronises
    private void CheckBlind(Side s, Pre pre, in Move m)
    {
        if (!(_profile.ChallengeAckOnRst && _profile.ChallengeAckOnSyn && _profile.AckRangeCheck)) return;
        if (pre.State is < TcpState.Established or TcpState.TimeWait) return;
        if (m.Attack == AttackKind.DataRightAck) return; // not blind
        if (m.Attack == AttackKind.Rst && m.Position == AttackPosition.Exact) return; // an exact guess may reset
        var e = _ep[(int)s];
        if (e.State != pre.State || e.Tcb.RcvNxt != pre.RcvNxt || e.Tcb.SndUna != pre.SndUna || e.Tcb.ReceiveQueue.Count != pre.Queued)
            Fail("blind-attack", $"a blind {m.Attack} at {m.Position} moved {s} from {pre.State.RfcName()} RCV.NXT={pre.RcvNxt} SND.UNA={pre.SndUna} to {e.State.RfcName()} RCV.NXT={e.Tcb.RcvNxt} SND.UNA={e.Tcb.SndUna} (RFC 5961 §3, §4, §5)");
    }

    private static Segment Forge(Endpoint victim, AttackKind kind, AttackPosition pos)
    {
        var t = victim.Tcb;
        uint wnd = Math.Max(1u, t.RcvWnd);
        var seq = pos switch
        {
            AttackPosition.Exact => t.RcvNxt,
            AttackPosition.InWindow => t.RcvNxt + new SeqLen(Math.Min(1u, wnd - 1)),
            AttackPosition.RightEdge => t.RcvNxt + new SeqLen(wnd - 1),
            AttackPosition.LeftOutside => t.RcvNxt - new SeqLen(1),
            _ => t.RcvNxt + new SeqLen(wnd),
        };
        byte[] octet = [0xFF];
        return kind switch
        {
            AttackKind.Rst => new Segment(seq, default, Control.RST),
            AttackKind.Syn => new Segment(seq, default, Control.SYN, 65535),
            AttackKind.DataBlindAck => new Segment(seq, t.SndUna - new SeqLen(t.MaxSndWnd + 0x1000_0000), Control.ACK | Control.PSH, 65535, octet),
            _ => new Segment(seq, t.SndNxt, Control.ACK | Control.PSH, 65535, octet),
        };
    }

    // ---------------------------------------------------------------- segment encoding

    internal static void WriteSegment(ref StateWriter w, in Segment s)
    {
        w.U32(s.Seq.Value);
        w.Byte((byte)s.Control);
        if (s.HasAck) w.U32(s.Ack.Value);
        w.VarU(s.Window);
        if (s.Control.Has(Control.URG)) w.VarU(s.Urgent);
        var o = s.Options;
        byte mask = (byte)((o.Mss is null ? 0 : 1) | (o.WindowScale is null ? 0 : 2) | (o.SackPermitted ? 4 : 0) | (o.Timestamp is null ? 0 : 8) | (o.Other.IsEmpty ? 0 : 16));
        w.Byte(mask);
        if (o.Mss is { } mss) w.VarU(mss);
        if (o.WindowScale is { } ws) w.Byte(ws);
        // timestamps are kept as present, their values dropped (read back as TSval = TSecr = 0): the explorer rebases
        // time to 0 at every state, so real TSvals would not stay ordered across states. Every TS.Recent is then 0 and
        // PAWS (POLICY timestamp-rule) never rejects a segment here: the explorer does not cover PAWS drops
        // (docs/readme/explorer.md); the property suite's simulator, on real virtual time, does
        if (!o.Other.IsEmpty) w.Bytes(o.Other.Span);
        w.Bytes(s.Payload.Span);
    }

    internal static Segment ReadSegment(ref StateReader r, byte[] payloadBuffer)
    {
        var seq = new SeqNum(r.U32());
        var ctl = (Control)r.Byte();
        var ack = ctl.Has(Control.ACK) ? new SeqNum(r.U32()) : default;
        var wnd = (ushort)r.VarU();
        ushort up = ctl.Has(Control.URG) ? (ushort)r.VarU() : (ushort)0;
        byte mask = r.Byte();
        ushort? mss = (mask & 1) != 0 ? (ushort)r.VarU() : null;
        byte? ws = (mask & 2) != 0 ? r.Byte() : null;
        TcpTimestamp? ts = (mask & 8) != 0 ? new TcpTimestamp(0, 0) : null;
        ReadOnlyMemory<byte> other = (mask & 16) != 0 ? r.Bytes().ToArray() : default;
        var p = r.Bytes();
        p.CopyTo(payloadBuffer);
        return new Segment(seq, ack, ctl, wnd, payloadBuffer.AsMemory(0, p.Length), new TcpOptions(mss, ws, (mask & 4) != 0, ts, other), up);
    }

    // ---------------------------------------------------------------- traces

    private void Record(TraceEventKind kind, Side side, string? text, Segment? seg, long time = 0)
    {
        if (Recording is null) return;
        Recording.Add(new TraceEvent(kind, side, text ?? seg?.ToString() ?? "", seg?.WithPayload(seg.Value.Payload.ToArray()), time, _ep[0].State, _ep[1].State));
    }

    private static string CallLabel(UserCall c) => c switch
    {
        UserCall.OpenActive => "OPEN (active)",
        UserCall.OpenPassive => "OPEN (passive)",
        UserCall.Send => "SEND",
        UserCall.Close => "CLOSE",
        _ => "ABORT",
    };

    /// <summary>A stable, human-readable label of a move in the parsed state (what replayable tests name).</summary>
    public string Label(in Move m)
    {
        EnsureLoaded();
        switch (m.Kind)
        {
            case MoveKind.Call:
                return $"{m.Side}: {CallLabel(_scripts[(int)m.Side][_hdr[HPcA + (int)m.Side]][m.Index])}";
            case MoveKind.Tick:
                return $"{m.Side}: timeout after {(_ep[(int)m.Side].NextDeadline) / 1e6:0.######} s";
            case MoveKind.Inject:
                return $"attacker -> {m.Side}: {m.Attack} at {m.Position}";
            default:
            {
                var seg = FlightSegment(m.Index, out var dest, out long birth);
                string verb = m.Kind switch { MoveKind.Deliver => "deliver", MoveKind.Lose => "lose", _ => "duplicate" };
                string age = birth == 0 ? "" : $" (sent {-birth / 1e6:0.######} s ago)";
                string arrow = dest == Side.B ? "A -> B" : "B -> A";
                return $"{verb} {arrow}: {seg}{age}";
            }
        }
    }

    private sealed class ScriptedIsn : IIsnSource
    {
        public uint Value;
        public bool Drawn;

        public SeqNum Next(long now)
        {
            Drawn = true;
            return new SeqNum(Value);
        }
    }
}

/// <summary>What a trace event is.</summary>
public enum TraceEventKind : byte
{
    /// <summary>A user call.</summary>
    Call,
    /// <summary>A segment was sent (it is now in flight).</summary>
    Send,
    /// <summary>A segment arrived.</summary>
    Deliver,
    /// <summary>The network lost a segment.</summary>
    Lose,
    /// <summary>The network duplicated a segment.</summary>
    Duplicate,
    /// <summary>A deadline passed and the side's timers fired.</summary>
    Tick,
    /// <summary>A segment older than MSL left the network.</summary>
    Expire,
    /// <summary>The attacker injected a segment.</summary>
    Inject,
    /// <summary>A notice to the user.</summary>
    Notice,
}

/// <summary>One event of a counterexample, with both states as they were before it.</summary>
public sealed record TraceEvent(TraceEventKind Kind, Side Side, string Text, Segment? Segment, long Time, TcpState StateA, TcpState StateB);
