using TcpModel.Wire;

namespace TcpModel.Reference;

/// <summary>The segments the endpoint forms (RFC 9293 §3.10 notation).</summary>
public sealed partial class ReferenceTcp
{
    private TcpOptions SynOptions => new(mss: _config.Mss);

    /// <summary>
    /// "An initial send sequence number (ISS) is selected. A SYN segment of the form
    /// &lt;SEQ=ISS&gt;&lt;CTL=SYN&gt; is sent. Set SND.UNA to ISS, SND.NXT to ISS+1, enter
    /// SYN-SENT state" (RFC 9293 §3.10.1).
    /// </summary>
    private void SendInitialSyn()
    {
        _passive = false;
        _iss = NextIss;
        Emit(new Segment(_iss, default, Control.SYN, RcvWnd, options: SynOptions));
        _sndUna = _iss;
        _sndNxt = _iss + new SeqLen(1);
        State = RefState.SynSent;
    }

    /// <summary>&lt;SEQ=ISS&gt;&lt;ACK=RCV.NXT&gt;&lt;CTL=SYN,ACK&gt; (RFC 9293 §3.10.7.2, §3.10.7.3).</summary>
    private void SendSynAck() =>
        Emit(new Segment(_iss, _rcvNxt, Control.SYN | Control.ACK, RcvWnd, options: SynOptions));

    /// <summary>
    /// &lt;SEQ=SND.NXT&gt;&lt;ACK=RCV.NXT&gt;&lt;CTL=ACK&gt;: the acknowledgment of §3.10.7.4, also
    /// the form of the reply to an unacceptable segment and of RFC 5961 challenge ACKs.
    /// </summary>
    private void SendAck() => Emit(new Segment(_sndNxt, _rcvNxt, Control.ACK, RcvWnd));

    /// <summary>&lt;SEQ=SEG.ACK&gt;&lt;CTL=RST&gt; with the given window (0 when no TCB exists).</summary>
    private void SendResetFromAck(Segment seg, ushort window) =>
        Emit(new Segment(seg.Ack, default, Control.RST, window));

    /// <summary>
    /// Segmentizes the SEND queue as far as the peer's window allows, in one segment
    /// &lt;SEQ=SND.NXT&gt;&lt;ACK=RCV.NXT&gt;&lt;CTL=ACK&gt;&lt;DATA&gt;, and adds the FIN of a
    /// queued CLOSE once every preceding octet is segmentized (§3.10.4: "Queue this until all
    /// preceding SENDs have been segmentized, then form a FIN segment and send it").
    /// </summary>
    private void SendQueued()
    {
        // Only where the connection is synchronized and our side may still send.
        if (State is not (RefState.Established or RefState.CloseWait or RefState.FinWait1
            or RefState.Closing or RefState.LastAck))
            return;

        // Usable window = SND.UNA + SND.WND - SND.NXT (§3.8.6.2.1), never negative (MUST-34).
        long inFlight = (_sndNxt - _sndUna).Value;
        long usable = Math.Max(0L, _sndWnd - inFlight);
        int count = (int)Math.Min(usable, _sendQueue.Count);

        // INTERPRETATION: the send window limits data octets only; a FIN is sent as soon as all
        // queued data has been segmentized (§3.8.6 speaks of packaging "data" into the window).
        bool fin = _closeRequested && !_finSent && count == _sendQueue.Count;
        if (count == 0 && !fin) return;

        var payload = _sendQueue.GetRange(0, count).ToArray();
        _sendQueue.RemoveRange(0, count);
        var control = fin ? Control.FIN | Control.ACK : Control.ACK;
        Emit(new Segment(_sndNxt, _rcvNxt, control, RcvWnd, payload));
        _sndNxt += new SeqLen((uint)count);
        if (fin)
        {
            _finSent = true;
            _finSeq = _sndNxt;
            _sndNxt += new SeqLen(1);
        }
    }

    /// <summary>Our FIN has been sent and SND.UNA has moved past it.</summary>
    private bool OurFinAcked => _finSent && _sndUna == _finSeq + new SeqLen(1);
}
