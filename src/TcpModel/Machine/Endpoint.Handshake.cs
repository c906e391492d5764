using TcpModel.Wire;

namespace TcpModel.Machine;

public sealed partial class Endpoint
{
    /// <summary>§3.10.7.2 third: a passive endpoint takes the peer's SYN, selects <paramref name="iss"/>,
    /// and sends <c>&lt;SEQ=ISS&gt;&lt;ACK=RCV.NXT&gt;&lt;CTL=SYN,ACK&gt;</c> (SND.UNA=ISS, SND.NXT=ISS+1).</summary>
    private void AnswerSynPassively(SeqNum iss, in Segment seg)
    {
        var t = Tcb;
        t.FromPassiveOpen = true;
        t.Iss = iss;
        AcceptPeerSyn(seg);
        t.SndUna = t.Iss;
        t.SndNxt = t.Iss;
        t.Rto = Profile.RtoInitial;
        SendSyn(ack: true);
    }

    private int DefaultSendMss() => Options.IPv6 ? 1220 : 536; // §3.7.1 (MUST-15)

    /// <summary>Takes IRS, RCV.NXT and the SYN's options (§3.7.1 MSS; RFC 7323), and holds any text
    /// or FIN on the SYN for processing after ESTABLISHED (§3.10.7.2, §3.10.7.3).</summary>
    private void AcceptPeerSyn(in Segment seg)
    {
        var t = Tcb;
        t.Irs = seg.Seq;
        t.RcvNxt = seg.Seq + new SeqLen(1);
        t.RcvUp = t.RcvNxt;
        // an MSS option of 0 counts as none (RFC 9293 §3.7.1 is silent on it; Linux tcp_parse_options keeps it only
        // "if (in_mss)", FreeBSD tcp_mss_update: "Offer == 0 means that there was no MSS on the SYN segment")
        t.SendMss = seg.Options.Mss is { } peerMss && peerMss > 0 ? peerMss : DefaultSendMss();
        if (Profile.WindowScale is { } ours && seg.Options.WindowScale is { } theirs)
        {
            t.RcvScale = ours;
            t.SndScale = Math.Min(theirs, (byte)14); // RFC 7323 §2.3: values above 14 are treated as 14
        }
        else
        {
            t.RcvScale = t.SndScale = 0;
        }
        t.TimestampsOn = Profile.Timestamps && seg.Options.Timestamp is not null;
        // RFC 2018 §2: SACK-permitted "MUST NOT be sent on a non-SYN segment" and is only useful when both
        // ends send it; our SYN,ACK echoes it only when the peer's SYN offered it, as window scale is
        // (FreeBSD syncache_add sets SCF_SACK from TOF_SACKPERM and syncache_respond adds the option only
        // then; Linux tcp_synack_options adds it only if ireq->sack_ok)
        t.SackPermittedOn = Profile.SackPermitted && seg.Options.SackPermitted;
        if (seg.Options.Timestamp is { } ts) t.TsRecent = ts.Value;
        if (Profile.CompressedStateWindow && t.FromPassiveOpen)
        {
            // POLICY compressed-state-window: RCV.WND is the SYN,ACK's (unscaled) window until ESTABLISHED
            t.RcvWndLimit = Math.Min(t.FreeWindow, 65535u);
            t.RoundBufferWhenEstablished = Profile.RoundReceiveBufferToMss;
        }
        else if (Profile.RoundReceiveBufferToMss && t.SendMss > 0)
        {
            // POLICY rcvbuf-mss-rounding (BSD): round the receive buffer up to a multiple of the MSS — FreeBSD
            // tcp_mss does so only "if (bufsize > mss)": a buffer smaller than one MSS is kept as it is
            int mss = Math.Min(t.SendMss, AnnouncedMss);
            if (t.ReceiveBufferSize > mss) t.ReceiveBufferSize = (t.ReceiveBufferSize + mss - 1) / mss * mss;
        }
        t.SndWnd = seg.Window; // a SYN's window is never scaled (RFC 7323 §2.2)
        t.MaxSndWnd = Math.Max(t.MaxSndWnd, t.SndWnd);
        // POLICY compressed-state-window: a passive SYN's text and FIN are not kept (the syncache holds
        // none; the peer retransmits them after the handshake); POLICY passive-syn-text-discarded: nor by Linux's
        // request sock (tcp_conn_request)
        if ((!seg.Payload.IsEmpty || seg.Fin) && !((Profile.CompressedStateWindow || Profile.DiscardPassiveSynText) && t.FromPassiveOpen))
        {
            // §3.10.7.3 / §3.10.7.4 seventh: the text is processed as if it arrived in the window, so
            // what lies beyond RCV.NXT+RCV.WND is trimmed, and text reaching the right edge leaves the FIN
            // outside it (§3.10.7.4 first: "trimming off any portions that lie outside the window
            // (including SYN and FIN)"); FreeBSD tcp_input() SYN-SENT: "If data, trim to stay within
            // window, dropping FIN if necessary."
            var text = seg.Payload.Span;
            bool fin = seg.Fin;
            uint room = t.RcvWnd;
            if (!text.IsEmpty && (uint)text.Length >= room)
            {
                text = text[..(int)room];
                _synFinTrimmed = fin;
                fin = false;
            }
            t.Reassembly.Hold(t.RcvNxt, t.RcvNxt, text, fin);
        }
    }
}
