using TcpModel.Wire;

namespace TcpModel.Reference;

/// <summary>The segments the endpoint forms (RFC 9293 §3.10 notation), the effective send MSS
/// (§3.7.1) and the window field (RFC 7323 §2).</summary>
public sealed partial class ReferenceTcp
{
    /// <summary>
    /// The MSS we announce: the profile's value (POLICY mss-ipv4 / mss-ipv6), never more than
    /// MMS_R − 20, "the effective MTU minus the fixed IP and TCP headers" (RFC 9293 §3.7.1, SHLD-6).
    /// </summary>
    public ushort AnnouncedMss =>
        (ushort)Math.Clamp(Math.Min(_path.IPv6 ? _profile.MssIPv6 : _profile.MssIPv4, _path.MaxMessageSize - 20), 0, 65535);

    /// <summary>
    /// Eff.snd.MSS of RFC 9293 §3.7.1 (MUST-16): <c>min(SendMSS+20, MMS_S) − TCPhdrsize − IPoptionsize</c>,
    /// with TCPhdrsize the TCP header including the options carried on data segments (RFC 6691 §2;
    /// this endpoint carries none, so 20). At least 1, so that data can always move.
    /// </summary>
    public int EffectiveSendMss
    {
        get
        {
            const int tcpHeaderSize = 20; // no options on data segments (no timestamps)
            int eff = Math.Min(_sendMss + 20, _path.MaxMessageSize) - tcpHeaderSize - _path.IpOptionsSize;
            // INTERPRETATION: an MSS option of 0 (or a path too small) would forbid all data; the
            // RFC gives no floor, one octet keeps the connection able to make progress.
            return Math.Max(1, eff);
        }
    }

    /// <summary>
    /// The options of our SYN (or SYN,ACK): MSS always (MAY-3); window scale when the profile offers
    /// it (POLICY window-scale) — on a SYN,ACK only if the peer's SYN carried it (RFC 7323 §2.2: "MAY
    /// send the WS option in a &lt;SYN,ACK&gt; segment only if it has received a WS option in the
    /// initial &lt;SYN&gt;"); SACK-permitted likewise (POLICY sack-permitted; RFC 2018 §2).
    /// </summary>
    private TcpOptions SynOptions(bool synAck)
    {
        byte? ws = _profile.WindowScale is { } shift && (!synAck || _peerOfferedWs) ? Math.Min(shift, (byte)14) : null;
        bool sack = _profile.SackPermitted && (!synAck || _peerOfferedSack);
        return new TcpOptions(mss: AnnouncedMss, windowScale: ws, sackPermitted: sack);
    }

    /// <summary>
    /// The window field we send: RCV.WND, never scaled on a SYN or SYN,ACK (RFC 7323 §2.2: "The
    /// window field in a segment where the SYN bit is set ... MUST NOT be scaled"), otherwise
    /// <c>RCV.WND &gt;&gt; Rcv.Wind.Shift</c> (§2.3), at most 65535.
    /// </summary>
    private ushort WindowField(bool syn) =>
        (ushort)Math.Min(65535u, syn ? RcvWnd : RcvWnd >> _rcvShift);

    /// <summary>The peer's window in octets: SEG.WND as it is on a SYN segment, otherwise
    /// <c>SEG.WND &lt;&lt; Snd.Wind.Shift</c> (RFC 7323 §2.3).</summary>
    private uint PeerWindow(Segment seg) => seg.Syn ? seg.Window : (uint)seg.Window << _sndShift;

    /// <summary>Records the peer's SYN options: its MSS (SendMSS, §3.7.1: the default 536/1220 without
    /// one, MUST-15), window scale and SACK-permitted; the shift counts take effect only when both SYNs
    /// carry the option (RFC 7323 §2.2, §2.3: a shift above 14 is used as 14).</summary>
    private void TakePeerSynOptions(Segment seg)
    {
        _sendMss = seg.Options.Mss is { } mss ? mss : _path.DefaultSendMss;
        _peerOfferedWs = seg.Options.WindowScale is not null;
        _peerOfferedSack = seg.Options.SackPermitted;
        if (seg.Options.WindowScale is { } peerShift && _profile.WindowScale is { } ourShift)
        {
            _sndShift = Math.Min((int)peerShift, 14);
            _rcvShift = Math.Min((int)ourShift, 14);
        }
        else
        {
            _sndShift = _rcvShift = 0;
        }
    }

    /// <summary>SND.WND ← the given window, SND.WL1 ← wl1, SND.WL2 ← wl2; MAX.SND.WND follows (RFC 5961 §5.2).</summary>
    private void SetSendWindow(uint window, SeqNum wl1, SeqNum wl2)
    {
        _sndWnd = window;
        _sndWl1 = wl1;
        _sndWl2 = wl2;
        _maxSndWnd = Math.Max(_maxSndWnd, window);
    }

    /// <summary>
    /// "An initial send sequence number (ISS) is selected. A SYN segment of the form
    /// &lt;SEQ=ISS&gt;&lt;CTL=SYN&gt; is sent. Set SND.UNA to ISS, SND.NXT to ISS+1, enter
    /// SYN-SENT state" (RFC 9293 §3.10.1).
    /// </summary>
    private void SendInitialSyn()
    {
        _passive = false;
        _iss = NextIss;
        _sndBufSeq = _iss + new SeqLen(1);
        _sndUna = _iss;
        _sndNxt = _iss + new SeqLen(1);
        Emit(SynSegment());
        OnNewSequenceSpaceSent(_sndNxt);
        State = RefState.SynSent;
    }

    private Segment SynSegment() =>
        new(_iss, default, Control.SYN, WindowField(syn: true), options: SynOptions(synAck: false));

    /// <summary>&lt;SEQ=ISS&gt;&lt;ACK=RCV.NXT&gt;&lt;CTL=SYN,ACK&gt; (RFC 9293 §3.10.7.2, §3.10.7.3).</summary>
    private Segment SynAckSegment() =>
        new(_iss, _rcvNxt, Control.SYN | Control.ACK, WindowField(syn: true), options: SynOptions(synAck: true));

    /// <summary>
    /// &lt;SEQ=SND.NXT&gt;&lt;ACK=RCV.NXT&gt;&lt;CTL=ACK&gt;: the acknowledgment of §3.10.7.4, also
    /// the form of the reply to an unacceptable segment and of RFC 5961 challenge ACKs.
    /// </summary>
    private void SendAck() => Emit(new Segment(_sndNxt, _rcvNxt, Control.ACK, WindowField(syn: false)));

    /// <summary>&lt;SEQ=SEG.ACK&gt;&lt;CTL=RST&gt; with the given window (0 when no TCB exists).</summary>
    private void SendResetFromAck(Segment seg, ushort window) =>
        Emit(new Segment(seg.Ack, default, Control.RST, window));

    /// <summary>Octets of the send buffer already segmentized: SND.NXT − (first unacknowledged data
    /// octet), less the FIN once it is sent.</summary>
    private int SentDataCount
    {
        get
        {
            if (State is RefState.Closed or RefState.Listen) return 0;
            long sent = _sndNxt.DistanceFrom(_sndBufSeq) - (_finSent ? 1 : 0);
            return (int)Math.Clamp(sent, 0, _sndBuf.Count);
        }
    }

    /// <summary>States where queued data and a queued FIN may be segmentized.</summary>
    private bool CanSendData => State is RefState.Established or RefState.CloseWait or RefState.FinWait1
        or RefState.Closing or RefState.LastAck;

    /// <summary>
    /// Segmentizes the SEND queue as far as the peer's window allows, in segments
    /// &lt;SEQ=SND.NXT&gt;&lt;ACK=RCV.NXT&gt;&lt;CTL=ACK&gt;&lt;DATA&gt; of at most Eff.snd.MSS octets
    /// (§3.7.1, MUST-16), and adds the FIN of a queued CLOSE once every preceding octet is
    /// segmentized (§3.10.4: "Queue this until all preceding SENDs have been segmentized, then form a
    /// FIN segment and send it").
    /// </summary>
    private void SendQueued()
    {
        // Only where the connection is synchronized and our side may still send.
        if (!CanSendData) return;

        while (true)
        {
            int sent = SentDataCount;
            int unsent = _sndBuf.Count - sent;
            // Usable window = SND.UNA + SND.WND - SND.NXT (§3.8.6.2.1), never negative (MUST-34).
            long inFlight = (_sndNxt - _sndUna).Value;
            long usable = Math.Max(0L, _sndWnd - inFlight);
            int count = (int)Math.Min(Math.Min(usable, unsent), EffectiveSendMss);

            // INTERPRETATION: the send window limits data octets only; a FIN is sent as soon as all
            // queued data has been segmentized (§3.8.6 speaks of packaging "data" into the window).
            bool fin = _closeRequested && !_finSent && count == unsent;
            if (count == 0 && !fin) return;

            var payload = _sndBuf.GetRange(sent, count).ToArray();
            var control = fin ? Control.FIN | Control.ACK : Control.ACK;
            Emit(new Segment(_sndNxt, _rcvNxt, control, WindowField(syn: false), payload));
            _sndNxt += new SeqLen((uint)count);
            if (fin)
            {
                _finSent = true;
                _finSeq = _sndNxt;
                _sndNxt += new SeqLen(1);
            }
            OnNewSequenceSpaceSent(_sndNxt);
            if (fin) return;
        }
    }

    /// <summary>
    /// The earliest segment not yet acknowledged, for a retransmission (RFC 6298 §5.4): our SYN (or
    /// SYN,ACK) while SND.UNA = ISS; otherwise up to Eff.snd.MSS octets from SND.UNA of what has been
    /// sent, with the FIN if it was sent and follows them. Null when nothing is outstanding.
    /// </summary>
    private Segment? EarliestUnacknowledged()
    {
        if (_sndUna == _sndNxt) return null;
        if (_sndUna == _iss)
            return State == RefState.SynSent ? SynSegment() : SynAckSegment();
        int sent = SentDataCount;
        int count = Math.Min(sent, EffectiveSendMss);
        bool fin = _finSent && count == sent;
        var payload = _sndBuf.GetRange(0, count).ToArray();
        var control = fin ? Control.FIN | Control.ACK : Control.ACK;
        return new Segment(_sndUna, _rcvNxt, control, WindowField(syn: false), payload);
    }

    /// <summary>Our FIN has been sent and SND.UNA has moved past it.</summary>
    private bool OurFinAcked => _finSent && _sndUna == _finSeq + new SeqLen(1);
}
