using TcpModel.Wire;

namespace TcpModel.Machine;

/// <summary>
/// The connection variables of a Transmission Control Block, RFC 9293 §3.3.1, as an immutable snapshot taken
/// from an <see cref="Endpoint"/> (<see cref="Endpoint.View"/>): the send sequence variables (SND.UNA, SND.NXT,
/// SND.WND, SND.UP, SND.WL1, SND.WL2, ISS), the receive sequence variables (RCV.NXT, RCV.WND, RCV.UP, IRS), and
/// what the user and the peer have queued. Reading it can never change the endpoint.
/// </summary>
public readonly record struct TcbView
{
    internal TcbView(Endpoint e)
    {
        var t = e.Tcb;
        State = e.State;
        SndUna = t.SndUna; SndNxt = t.SndNxt; SndWnd = t.SndWnd; SndUp = t.SndUp; SndWl1 = t.SndWl1; SndWl2 = t.SndWl2; Iss = t.Iss;
        RcvNxt = t.RcvNxt; RcvWnd = t.RcvWnd; RcvUp = t.RcvUp; Irs = t.Irs;
        SendMss = t.SendMss; SndScale = t.SndScale; RcvScale = t.RcvScale;
        Unsent = t.Unsent; InFlight = t.DataInFlight; Unread = t.ReceiveQueue.Count;
        FinSent = t.FinSent; FinAcked = t.FinAcked; FinReceived = t.FinReceived;
        Rto = t.Rto; NextDeadline = e.NextDeadline;
    }

    /// <summary>The connection state.</summary>
    public TcpState State { get; }
    /// <summary>SND.UNA: oldest unacknowledged sequence number.</summary>
    public SeqNum SndUna { get; }
    /// <summary>SND.NXT: next sequence number to be sent.</summary>
    public SeqNum SndNxt { get; }
    /// <summary>SND.WND: send window, in octets (scaled).</summary>
    public uint SndWnd { get; }
    /// <summary>SND.UP: send urgent pointer.</summary>
    public SeqNum SndUp { get; }
    /// <summary>SND.WL1: segment sequence number used for the last window update.</summary>
    public SeqNum SndWl1 { get; }
    /// <summary>SND.WL2: segment acknowledgment number used for the last window update.</summary>
    public SeqNum SndWl2 { get; }
    /// <summary>ISS: initial send sequence number.</summary>
    public SeqNum Iss { get; }
    /// <summary>RCV.NXT: next sequence number expected.</summary>
    public SeqNum RcvNxt { get; }
    /// <summary>RCV.WND: receive window, in octets.</summary>
    public uint RcvWnd { get; }
    /// <summary>RCV.UP: receive urgent pointer.</summary>
    public SeqNum RcvUp { get; }
    /// <summary>IRS: initial receive sequence number.</summary>
    public SeqNum Irs { get; }
    /// <summary>Send MSS (§3.7.1).</summary>
    public int SendMss { get; }
    /// <summary>Shift applied to windows received (RFC 7323).</summary>
    public byte SndScale { get; }
    /// <summary>Shift applied to windows sent (RFC 7323).</summary>
    public byte RcvScale { get; }
    /// <summary>Octets the user queued and not yet sent.</summary>
    public int Unsent { get; }
    /// <summary>Octets sent and not yet acknowledged.</summary>
    public int InFlight { get; }
    /// <summary>Octets received in order and not yet read by the user.</summary>
    public int Unread { get; }
    /// <summary>Our FIN has been sent.</summary>
    public bool FinSent { get; }
    /// <summary>Our FIN has been acknowledged.</summary>
    public bool FinAcked { get; }
    /// <summary>The peer's FIN has been received in order.</summary>
    public bool FinReceived { get; }
    /// <summary>The current retransmission timeout (µs, RFC 6298).</summary>
    public long Rto { get; }
    /// <summary>When the endpoint next wants a tick (µs), or <see cref="TimerSet.Off"/>.</summary>
    public long NextDeadline { get; }
}
