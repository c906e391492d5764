using TcpModel.Machine;
using TcpModel.Wire;

namespace TcpModel.Host;

/// <summary>POLICY orphan-fin-wait-2-timeout: a connection in FIN-WAIT-2 whose user can no longer receive is not left
/// waiting for ever for a FIN the peer may never send.</summary>
public sealed partial class TcpHost
{
    /// <summary>Linux TCP_TIMEWAIT_LEN (include/net/tcp.h: 60 s).</summary>
    private const long LinuxTimeWaitLen = 60_000_000;

    /// <summary>Linux TCP_FIN_TIMEOUT_MAX: TCP_LINGER2 is clamped to 120 s (do_tcp_setsockopt).</summary>
    private const long LinuxFinTimeoutMax = 120_000_000;

    /// <summary>TCP_LINGER2 (Linux do_tcp_setsockopt): a negative value makes an orphan skip FIN-WAIT-2, 0 uses the
    /// sysctl tcp_fin_timeout, a positive one (seconds, at most TCP_FIN_TIMEOUT_MAX) replaces it.</summary>
    public Errno SetLinger2(int fd, long seconds) => With(fd, s =>
    {
        s.Linger2 = seconds < 0 ? -1 : Math.Min(seconds * 1_000_000, LinuxFinTimeoutMax);
        return Errno.None;
    });

    /// <summary>Linux's 3.5 RTO floor, "(rto &lt;&lt; 2) - (rto &gt;&gt; 1)" (tcp_fin_time, tcp_time_wait).</summary>
    private static long RtoFloor(HostConnection c) => (c.Endpoint.Tcb.Rto << 2) - (c.Endpoint.Tcb.Rto >> 1);

    /// <summary>Linux tcp_fin_time: TCP_LINGER2 if positive, else tcp_fin_timeout, at least 3.5 RTO.</summary>
    private static long LinuxFinTime(HostConnection c) =>
        Math.Max(c.Linger2 is long l && l > 0 ? l : c.Endpoint.Profile.FinWait2Timeout, RtoFloor(c));

    private static bool CannotReceive(HostConnection c) => c.ReceiveClosed || c.Owner is { ReceiveClosed: true };

    /// <summary>The ACK of our FIN took the connection from FIN-WAIT-1 to FIN-WAIT-2.</summary>
    private void EnteredFinWait2(HostConnection c, in Segment seg)
    {
        var p = c.Endpoint.Profile;
        switch (p.OrphanFinWait2)
        {
            case OrphanFinWait2Rule.BsdIdle when CannotReceive(c):
                // tcp_do_segment TCPS_FIN_WAIT_1, ourfinisacked: "if (so->so_rcv.sb_state & SBS_CANTRCVMORE) ...
                // tcp_timer_activate(tp, TT_2MSL, ... TP_MAXIDLE(tp))"
                c.FinWait2Deadline = Now + p.FinWait2Timeout;
                break;
            case OrphanFinWait2Rule.Linux when c.Owner is null:
                // tcp_rcv_state_process TCP_FIN_WAIT1, SOCK_DEAD: "if (READ_ONCE(tp->linger2) < 0) { tcp_done(sk); ...
                // return SKB_DROP_REASON_TCP_ABORT_ON_DATA; }" — tcp_v4_do_rcv answers the segment with a reset
                if (c.Linger2 < 0) DeleteAndAnswerAsClosed(c, seg);
                else ArmLinuxFinWait2(c);
                break;
        }
    }

    /// <summary>close() of a socket whose connection is already in FIN-WAIT-2 (after shutdown(SHUT_WR) and the ACK of
    /// the FIN).</summary>
    private void ClosedInFinWait2(HostConnection c)
    {
        var p = c.Endpoint.Profile;
        switch (p.OrphanFinWait2)
        {
            case OrphanFinWait2Rule.BsdIdle:
                // tcp_usrclosed: "if (tp->t_state >= TCPS_FIN_WAIT_2) { ... if (tp->t_state == TCPS_FIN_WAIT_2)
                // tcp_timer_activate(tp, TT_2MSL, ... TP_MAXIDLE(tp))"
                c.FinWait2Deadline = Now + p.FinWait2Timeout;
                break;
            case OrphanFinWait2Rule.Linux:
                // __tcp_close: "if (sk->sk_state == TCP_FIN_WAIT2) { if (READ_ONCE(tp->linger2) < 0) {
                // tcp_set_state(sk, TCP_CLOSE); tcp_send_active_reset(...)" — else tcp_fin_time as for an ACKed FIN
                if (c.Linger2 < 0) Run(c, Input.Abort, c.Id);
                else ArmLinuxFinWait2(c);
                break;
        }
    }

    /// <summary>Linux: "tmo = tcp_fin_time(sk); if (tmo > TCP_TIMEWAIT_LEN) inet_csk_reset_keepalive_timer(sk, tmo -
    /// TCP_TIMEWAIT_LEN); else tcp_time_wait(sk, TCP_FIN_WAIT2, tmo)".</summary>
    private static void ArmLinuxFinWait2(HostConnection c, long now)
    {
        long tmo = LinuxFinTime(c);
        if (tmo > LinuxTimeWaitLen)
        {
            c.FinWait2Deadline = now + tmo - LinuxTimeWaitLen;
            return;
        }
        c.FinWait2TimeWaitSock = true;
        c.FinWait2Deadline = now + Math.Max(tmo, RtoFloor(c)); // tcp_time_wait: "if (timeo < rto) timeo = rto"
    }

    private void ArmLinuxFinWait2(HostConnection c) => ArmLinuxFinWait2(c, Now);

    /// <summary>The connection left FIN-WAIT-2 (the peer's FIN, a reset): its FIN-WAIT-2 timer is gone.</summary>
    private static void ClearFinWait2(HostConnection c)
    {
        c.FinWait2Deadline = TimerSet.Off;
        c.FinWait2TimeWaitSock = false;
    }

    /// <summary>The FIN-WAIT-2 timer fired.</summary>
    private void FinWait2TimerFired(HostConnection c)
    {
        var p = c.Endpoint.Profile;
        c.FinWait2Deadline = TimerSet.Off;
        if (c.State != TcpState.FinWait2) return;
        switch (p.OrphanFinWait2)
        {
            case OrphanFinWait2Rule.BsdIdle:
                // tcp_timer_2msl: "if (ticks - tp->t_rcvtime <= TP_MAXIDLE(tp)) callout_reset(..., TP_KEEPINTVL(tp), ...)
                // else tp = tcp_close(tp)" — no segment
                if (Now - c.LastArrival <= p.FinWait2Timeout) c.FinWait2Deadline = Now + p.KeepAliveInterval;
                else Delete(c);
                break;
            case OrphanFinWait2Rule.Linux when c.FinWait2TimeWaitSock:
                Delete(c); // the timewait sock expires: inet_twsk_kill, no segment
                break;
            case OrphanFinWait2Rule.Linux:
                // tcp_keepalive_timer: "if (sk->sk_state == TCP_FIN_WAIT2 && sock_flag(sk, SOCK_DEAD)) { if (tp->linger2
                // >= 0) { const int tmo = tcp_fin_time(sk) - TCP_TIMEWAIT_LEN; if (tmo > 0) { tcp_time_wait(sk,
                // TCP_FIN_WAIT2, tmo); goto out; } } tcp_send_active_reset(sk, GFP_ATOMIC); goto death; }"
                long tmo = LinuxFinTime(c) - LinuxTimeWaitLen;
                if (c.Linger2 is not < 0 && tmo > 0)
                {
                    c.FinWait2TimeWaitSock = true;
                    c.FinWait2Deadline = Now + Math.Max(tmo, RtoFloor(c));
                }
                else
                {
                    Run(c, Input.Abort, c.Id);
                    Delete(c);
                }
                break;
        }
    }

    /// <summary>Linux tcp_timewait_state_process for a timewait sock of substate FIN_WAIT2 where it differs from the
    /// full socket the endpoint models: inside the window ("tcp_in_window(seq, end_seq, rcv_nxt, rcv_nxt +
    /// tw_rcv_wnd)") an RST kills it silently ("if (th->rst) goto kill", no RFC 5961 challenge), and a SYN at or above
    /// RCV.NXT is answered by a reset formed from it ("if (th->syn &amp;&amp; !before(seq, rcv_nxt)) return TCP_TW_RST")
    /// and kills it. Everything else (the duplicate ACK ignored, new text reset, the FIN entering TIME-WAIT) is what
    /// the endpoint does in FIN-WAIT-2 under the linux profile. Returns true when the segment was handled here.</summary>
    private bool TimeWaitSockFinWait2(HostConnection c, in Segment seg)
    {
        if (!seg.Rst && !seg.Syn) return false;
        var t = c.Endpoint.Tcb;
        var end = seg.Seq + seg.Length;
        var right = t.RcvNxt + new SeqLen(t.RcvWnd);
        bool inWindow = seg.Seq == t.RcvNxt || (end > t.RcvNxt && seg.Seq < right) || (seg.Seq == right && seg.Seq == end);
        if (!inWindow) return false;
        if (seg.Rst) Delete(c);
        else if (seg.Seq >= t.RcvNxt) DeleteAndAnswerAsClosed(c, seg);
        else return false;
        return true;
    }
}
