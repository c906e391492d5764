using TcpModel.Machine;
using TcpModel.Wire;

namespace TcpModel.Host;

/// <summary>The listen queues (POLICY listen-queue, syn-cookies, abort-on-listen-overflow): how a listener's backlog
/// limits the connections forked from its SYNs, and the SYN cookies that complete a handshake without SYN-RECEIVED
/// state.</summary>
public sealed partial class TcpHost
{
    /// <summary>Linux net.core.somaxconn (4096 since 5.4): the backlog is clamped to it (__sys_listen).</summary>
    private const int LinuxSoMaxConn = 4096;

    /// <summary>FreeBSD kern.ipc.soacceptqueue (SOMAXCONN 128): solisten_proto clamps the backlog to it.</summary>
    private const int BsdSoMaxConn = 128;

    /// <summary>Linux TCP_SYNCOOKIE_VALID: a cookie is accepted within two minutes of the last SYN-queue overflow
    /// (tcp_synq_no_recent_overflow), and a cookie's counter (minutes, tcp_cookie_time) may be at most
    /// MAX_SYNCOOKIE_AGE − 1 = 1 behind (check_tcp_syn_cookie).</summary>
    private const long SynCookieValid = 120_000_000;

    /// <summary>Linux msstab (syncookies.c): the peer MSS a cookie can carry, rounded down to one of these.</summary>
    private static readonly ushort[] CookieMssIPv4 = [536, 1300, 1440, 1460];

    /// <summary>Linux msstab of syncookies.c for IPv6 (tcp_ipv6.c cookie_v6_init_sequence).</summary>
    private static readonly ushort[] CookieMssIPv6 = [1220, 1420, 1440, 8940];

    private int SynQueueLength(HostSocket listener) =>
        _connections.Values.Count(c => c.Listener == listener && c.State == TcpState.SynReceived && c.EstablishedOrder == long.MaxValue);

    private int AcceptQueueLength(HostSocket listener) =>
        _connections.Values.Count(c => c.Listener == listener && c.EstablishedOrder != long.MaxValue);

    /// <summary>The accept queue of <paramref name="listener"/> is full: no connection completed now could be queued.</summary>
    private bool AcceptQueueFull(HostSocket listener, Profile p)
    {
        int backlog = Math.Max(0, listener.Backlog!.Value);
        return p.ListenQueue switch
        {
            // sk_acceptq_is_full: sk_ack_backlog > sk_max_ack_backlog (so backlog n holds n + 1)
            ListenQueueRule.Linux => AcceptQueueLength(listener) > Math.Min(backlog, LinuxSoMaxConn),
            // sonewconn: sol_qlen > 3 * sol_qlimit / 2
            ListenQueueRule.Bsd => AcceptQueueLength(listener) > 3 * Math.Min(backlog, BsdSoMaxConn) / 2,
            _ => _connections.Values.Count(c => c.Listener == listener) >= Math.Max(1, backlog),
        };
    }

    /// <summary>A listening socket receives a SYN: a new connection in LISTEN takes it (§3.10.7.2 third), unless the
    /// listen queues refuse it (POLICY listen-queue): then it is answered with a SYN cookie (POLICY syn-cookies) or
    /// dropped.</summary>
    private void Fork(HostSocket listener, ConnectionId id, in Segment syn)
    {
        var p = Profile;
        int backlog = Math.Max(0, listener.Backlog!.Value);
        bool cookie = p.SynCookies == 2; // tcp_conn_request: "syncookies == 2" sends a cookie for every SYN
        switch (p.ListenQueue)
        {
            case ListenQueueRule.AllPendingAtBacklog:
                if (_connections.Values.Count(c => c.Listener == listener) >= Math.Max(1, backlog))
                {
                    if (p.SynCookies == 0) return;
                    listener.LastSynQueueOverflow = Now;
                    cookie = true;
                }
                break;
            case ListenQueueRule.Linux:
                // tcp_conn_request: "(syncookies == 2 || inet_csk_reqsk_queue_is_full(sk)) && !isn" → tcp_syn_flood_action
                // (a cookie when tcp_syncookies is on, else drop); inet_csk_reqsk_queue_is_full: qlen > sk_max_ack_backlog
                if (SynQueueLength(listener) > Math.Min(backlog, LinuxSoMaxConn))
                {
                    if (p.SynCookies == 0) return;
                    listener.LastSynQueueOverflow = Now; // tcp_synq_overflow, called by cookie_init_sequence
                    cookie = true;
                }
                // "if (sk_acceptq_is_full(sk)) { NET_INC_STATS(LINUX_MIB_LISTENOVERFLOWS); goto drop; }"
                if (AcceptQueueFull(listener, p)) return;
                break;
            case ListenQueueRule.Bsd:
                break; // syncache_add: every SYN gets an entry; the limit is met when the ACK makes the socket
        }
        if (cookie)
        {
            SendSynCookie(listener, id, syn);
            return;
        }
        var child = new HostConnection(id, NewEndpoint(id, listener.IPv6, listener.ReceiveBuffer, listener.UserMss)) { Listener = listener };
        _connections[id] = child;
        child.Endpoint.Step(Input.OpenPassive(), Now, _outbox); // the fork starts in LISTEN: nothing to collect
        Run(child, Input.Arrive(syn), id);
    }

    /// <summary>The ACK completing the handshake of a forked connection in SYN-RECEIVED finds the accept queue full
    /// (POLICY listen-queue): it is dropped, the connection staying in SYN-RECEIVED to retransmit its SYN,ACK (Linux
    /// tcp_check_req listen_overflow: "inet_rsk(req)->acked = 1"), or with POLICY abort-on-listen-overflow answered by
    /// a reset formed from it and the connection deleted (Linux tcp_abort_on_overflow → embryonic_reset, send_reset;
    /// FreeBSD tcp_input "could not allocate a socket", rst_on_sock_fail → dropwithreset). Only an ACK that would
    /// complete the handshake (SEG.ACK = SND.NXT, no SYN or RST, inside the window) is concerned.</summary>
    private bool AcceptQueueRefuses(HostConnection c, in Segment seg)
    {
        var p = c.Endpoint.Profile;
        if (p.ListenQueue == ListenQueueRule.AllPendingAtBacklog || c.Listener is not { Backlog: not null } listener) return false;
        var t = c.Endpoint.Tcb;
        if (!seg.HasAck || seg.Syn || seg.Rst || seg.Ack != t.SndNxt) return false;
        if (seg.Seq < t.RcvNxt || seg.Seq > t.RcvNxt + new SeqLen(t.RcvWnd)) return false;
        if (!AcceptQueueFull(listener, p)) return false;
        if (p.AbortOnListenOverflow) DeleteAndAnswerAsClosed(c, seg);
        return true;
    }

    /// <summary>POLICY syn-cookies: answers the SYN with a SYN,ACK whose ISS is a cookie, keeping no state. The cookie
    /// follows Linux's secure_tcp_syn_cookie: a keyed hash of the pair of sockets, plus SEG.SEQ, plus a minute counter
    /// in the top 8 bits (tcp_cookie_time), plus a keyed hash of the counter added to the data in the low 24 bits. Linux
    /// carries the peer's MSS index there and its window scale and SACK-permitted in the SYN,ACK's TSval
    /// (cookie_init_timestamp); the model carries all three in the data bits. Without timestamps on the SYN Linux uses
    /// neither window scale nor SACK (tcp_conn_request: "if (want_cookie &amp;&amp; !tmp_opt.saw_tstamp)
    /// tcp_clear_options"), and the SYN,ACK offers only the MSS.</summary>
    private void SendSynCookie(HostSocket listener, ConnectionId id, in Segment syn)
    {
        var o = syn.Options;
        var table = listener.IPv6 ? CookieMssIPv6 : CookieMssIPv4;
        ushort peerMss = o.Mss ?? 536; // tcp_parse_options: no MSS option leaves mss_clamp at TCP_MSS_DEFAULT
        int index = table.Length - 1;
        while (index > 0 && peerMss < table[index]) index--; // cookie_v4_init_sequence: "if (mss >= msstab[mssind]) break"
        bool ts = o.Timestamp is not null;
        byte? ws = ts ? o.WindowScale : null;
        bool sack = ts && o.SackPermitted;
        uint data = (uint)index | (sack ? 4u : 0u) | (ws is { } w ? (uint)(Math.Min(w, (byte)14) + 1) << 3 : 0u) | (ts ? 128u : 0u);
        uint iss = CookieFor(id, syn.Seq.Value, (uint)(Now / 60_000_000), data | (data ^ 0xFF) << 8);
        var asSeen = syn.WithOptions(new TcpOptions(table[index], ws, sack, o.Timestamp));
        var once = new HostConnection(id, NewEndpoint(id, listener.IPv6, listener.ReceiveBuffer, listener.UserMss, new FixedIsnSource(iss)));
        once.Endpoint.Step(Input.OpenPassive(), Now, _outbox);
        Run(once, Input.Arrive(asSeen), id); // its SYN,ACK goes out; the endpoint is dropped: no SYN-RECEIVED state is kept
    }

    /// <summary>POLICY syn-cookies: an ACK for no connection at a listener whose SEG.ACK − 1 is a valid cookie (a
    /// SYN-queue overflow within two minutes, the cookie's counter at most one minute old) rebuilds the connection —
    /// the SYN the cookie encodes is processed as if it had been kept, without sending its SYN,ACK again, and the ACK
    /// completes the handshake (Linux cookie_v4_check → tcp_get_cookie_sock). A full accept queue drops the ACK
    /// (tcp_v4_syn_recv_sock: exit_overflow). Returns false when the segment is not a cookie's ACK: the listener
    /// answers it (an ACK in LISTEN gets a reset).</summary>
    private bool SynCookieAck(HostSocket listener, ConnectionId id, in Segment seg)
    {
        var p = Profile;
        if (p.SynCookies == 0 || !seg.HasAck || seg.Syn || seg.Rst) return false;
        if (p.SynCookies == 1 && (listener.LastSynQueueOverflow is not { } last || Now - last > SynCookieValid)) return false;
        uint iss = seg.Ack.Value - 1;
        uint peerIsn = seg.Seq.Value - 1;
        if (CookieData(id, iss, peerIsn, (uint)(Now / 60_000_000)) is not { } data) return false;
        if (AcceptQueueFull(listener, p)) return true;
        var table = listener.IPv6 ? CookieMssIPv6 : CookieMssIPv4;
        // cookie_timestamp_decode: without timestamps on the ACK, no window scale and no SACK
        bool ts = (data & 128) != 0 && seg.Options.Timestamp is not null;
        byte? ws = ts && ((data >> 3) & 15) is var w and > 0 ? (byte)(w - 1) : null;
        bool sack = ts && (data & 4) != 0;
        var stamp = ts ? new TcpTimestamp(seg.Options.Timestamp!.Value.Value, 0) : (TcpTimestamp?)null;
        var syn = new Segment(new SeqNum(peerIsn), default, Control.SYN, seg.Window, default, new TcpOptions(table[data & 3], ws, sack, stamp));
        var child = new HostConnection(id, NewEndpoint(id, listener.IPv6, listener.ReceiveBuffer, listener.UserMss, new FixedIsnSource(iss))) { Listener = listener };
        _connections[id] = child;
        child.Endpoint.Step(Input.OpenPassive(), Now, _outbox);
        child.Endpoint.Step(Input.Arrive(syn), Now, _outbox); // the SYN,ACK it would send went out with the cookie
        Run(child, Input.Arrive(seg), id);
        return true;
    }

    private uint CookieHash(ConnectionId id, uint salt)
    {
        ulong h = 14695981039346656037UL ^ Options.IsnKey;
        foreach (char ch in id.ToString()) h = unchecked((h ^ ch) * 1099511628211UL);
        return (uint)Rfc6528IsnSource.Mix(h ^ salt);
    }

    /// <summary>secure_tcp_syn_cookie: H1 + SEG.SEQ + (count &lt;&lt; 24) + ((H2(count) + data) mod 2^24).</summary>
    private uint CookieFor(ConnectionId id, uint peerIsn, uint count, uint data) => unchecked(
        CookieHash(id, 0x5EED) + peerIsn + (count << 24) + ((CookieHash(id, count & 0xFF) + data) & 0xFFFFFF));

    /// <summary>check_tcp_syn_cookie: the data of a cookie whose counter is at most one behind, or null.</summary>
    private uint? CookieData(ConnectionId id, uint iss, uint peerIsn, uint count)
    {
        uint c = unchecked(iss - CookieHash(id, 0x5EED) - peerIsn);
        uint issued = c >> 24;
        if (((count - issued) & 0xFF) >= 2) return null; // MAX_SYNCOOKIE_AGE
        uint field = unchecked(c - CookieHash(id, issued)) & 0xFFFFFF;
        uint data = field & 0xFF;
        // the data byte is carried with its complement: a cookie altered in its low bits is refused (Linux's carries
        // only the MSS index, checked against ARRAY_SIZE(msstab))
        return field >> 8 == (data ^ 0xFF) && ((data >> 3) & 15) <= 15 ? data : null;
    }

    /// <summary>Deletes a connection and answers the segment as CLOSED answers it (§3.10.7.1: <c>&lt;SEQ=SEG.ACK&gt;
    /// &lt;CTL=RST&gt;</c>, or <c>&lt;SEQ=0&gt;&lt;ACK=SEG.SEQ+SEG.LEN&gt;&lt;CTL=RST,ACK&gt;</c>).</summary>
    private void DeleteAndAnswerAsClosed(HostConnection c, in Segment seg)
    {
        Delete(c);
        var answer = new HostConnection(c.Id, NewEndpoint(c.Id, c.Id.Local.Address == Options.AddressIPv6, Profile.ReceiveBuffer));
        Run(answer, Input.Arrive(seg), c.Id);
    }

    /// <summary>Deletes a connection without a segment (its TCB is gone; the descriptor, if any, sees it CLOSED).</summary>
    private void Delete(HostConnection c)
    {
        c.Endpoint.Force(TcpState.Closed);
        c.Endpoint.Tcb.Clear();
        c.FinWait2Deadline = TimerSet.Off;
        if (_connections.TryGetValue(c.Id, out var held) && held == c) _connections.Remove(c.Id);
        c.Listener = null;
    }
}
