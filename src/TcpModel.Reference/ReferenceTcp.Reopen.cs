using TcpModel.Wire;

namespace TcpModel.Reference;

/// <summary>TIME-WAIT reopened by a new SYN: RFC 9293 §3.6 (MAY-2), RFC 1122 §4.2.2.13.</summary>
public sealed partial class ReferenceTcp
{
    /// <summary>The TIME-WAIT connection a SYN reopened, kept while the new incarnation is in
    /// SYN-RECEIVED so that it can be restored if the SYN was an old duplicate; null otherwise.</summary>
    private TimeWaitTcb? _reopened;

    /// <summary>What TIME-WAIT needs of the old incarnation's TCB.</summary>
    private sealed record TimeWaitTcb(
        SeqNum Iss, SeqNum Irs, SeqNum SndUna, SeqNum SndNxt, SeqNum SndWl1, SeqNum SndWl2, uint SndWnd,
        uint MaxSndWnd, SeqNum RcvNxt, SeqNum RcvRightEdge, int SendMss, int SndShift, int RcvShift, bool Passive,
        SeqNum FinSeq, byte[] Received);

    /// <summary>The sequence number of a segment's FIN: after the SYN and the text.</summary>
    private static SeqNum FinPosition(Segment seg) =>
        seg.Seq + new SeqLen((uint)seg.Payload.Length + (seg.Syn ? 1u : 0u));

    /// <summary>
    /// The ISS of a connection reopened from TIME-WAIT: "larger than the largest sequence number it used
    /// on the previous connection incarnation" (RFC 1122 §4.2.2.13 (1)). <see cref="NextIss"/> when it
    /// lies above the old SND.NXT, otherwise the old SND.NXT + 1 (the smallest such ISS).
    /// </summary>
    private SeqNum ReopenIss(SeqNum oldSndNxt) => NextIss > oldSndNxt ? NextIss : oldSndNxt + new SeqLen(1);

    /// <summary>
    /// A new incarnation from a SYN in TIME-WAIT: a fresh TCB (nothing of the old connection is
    /// carried over — its windows, MSS, RTT estimates, unread data), then the SYN is processed as in
    /// LISTEN (§3.10.7.2) and SYN-RECEIVED is entered. INTERPRETATION: octets of the old incarnation
    /// the user had not read go with its TCB (the connection is reopened for new data).
    /// </summary>
    private void Reopen(Segment seg)
    {
        var old = new TimeWaitTcb(_iss, _irs, _sndUna, _sndNxt, _sndWl1, _sndWl2, _sndWnd, _maxSndWnd, _rcvNxt,
            _rcvRightEdge, _sendMss, _sndShift, _rcvShift, _passive, _finSeq, [.. _received]);
        var iss = ReopenIss(_sndNxt);
        CreateTcb();
        AcceptSyn(seg, iss);
        // Neither passive (there is no listener to return to) nor active: a RST restores TIME-WAIT.
        _passive = false;
        _reopened = old;
    }

    /// <summary>RFC 1122 §4.2.2.13 (2): "returns to TIME-WAIT state if the SYN turns out to be an old
    /// duplicate" — the old TCB again, the 2 MSL timeout started afresh (entering TIME-WAIT).</summary>
    private void RestoreTimeWait()
    {
        var old = _reopened!;
        CreateTcb();
        _iss = old.Iss;
        _irs = old.Irs;
        _sndUna = old.SndUna;
        _sndNxt = old.SndNxt;
        _sndBufSeq = old.SndUna;
        _sndWl1 = old.SndWl1;
        _sndWl2 = old.SndWl2;
        _sndWnd = old.SndWnd;
        _maxSndWnd = old.MaxSndWnd;
        _rcvNxt = old.RcvNxt;
        _rcvRightEdge = old.RcvRightEdge;
        _rcvRightEdgeSet = true;
        _sendMss = old.SendMss;
        _sndShift = old.SndShift;
        _rcvShift = old.RcvShift;
        _passive = old.Passive;
        _closeRequested = true;
        _finSent = true;
        _ourSynAcked = true;
        _finSeq = old.FinSeq;
        _received.AddRange(old.Received);
        EnterTimeWait();
    }
}
