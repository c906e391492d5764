#!/usr/bin/env python3
"""Generates the TcpModel-written packetdrill scripts for the cells of the FreeBSD state x segment
matrix that the shared conformance folder does not hold (spec/scenarios/cells/<cell>/*.pkt).

Each family copies the setup of a neighbouring shared cell (same sysctl lines, same way into the
state, same sequence positions) and states its expectation from RFC 9293 §3.10.7 (+ RFC 5961 when
insecure_*=0, RFC 1337) for STANDARD and from FreeBSD's tcp_input.c / tcp_syncache.c /
tcp_timewait.c for FreeBSD, with #ifdef blocks only where the two differ. Run it from this folder:
    python3 generate.py
The output is committed; review the .pkt files, not just this script.
"""
import os
import shutil

HERE = os.path.dirname(os.path.abspath(__file__))


class Ip:
    def __init__(self, v):
        self.v = v
        self.mss = 1460 if v == 4 else 1440
        self.buf = 65700 if v == 4 else 66240  # 65536 rounded up to a multiple of the MSS
        self.sockstat = f"sockstat -{v}"
        self.tol = 75000


def header(ip, note, rexmit=False, insecure=None):
    out = ["// TcpModel conformance scenario, written for this project", "//"]
    out += ["// " + line if line else "//" for line in note.strip().split("\n")]
    out += [
        "",
        f"--ip_version=ipv{ip.v}",
        f"--tolerance_usecs={ip.tol}",
        "",
        "// Ensure that all relevant sysctl variables have their default values.",
        " 0.00 `sysctl -w net.inet.tcp.rfc1323=1`",
        "+0.00 `sysctl -w net.inet.tcp.blackhole=0`",
        "+0.00 `sysctl -w net.inet.tcp.sack.enable=1`",
        "+0.00 `sysctl -w net.inet.tcp.ecn.enable=2`",
        "+0.00 `sysctl -w kern.ipc.maxsockbuf=2097152`",
        "+0.00 `sysctl -w net.inet.tcp.recvspace=65536`",
        "+0.00 `sysctl -w net.inet.tcp.sendspace=32768`",
    ]
    if rexmit:
        out.append("+0.00 `sysctl -w net.inet.tcp.rexmit_initial=1000`")
    out += ["// Flush host cache.", "+0.00 `sysctl -w net.inet.tcp.hostcache.purgenow=1`"]
    if insecure:
        name, value = insecure
        out += ["// Ensure that the relevant sysctl variables have their value.",
                f"+0.00 `sysctl -w net.inet.tcp.{name}={value}`"]
    return out


def footer(insecure):
    if insecure and insecure[1] == 1:
        return [f"+0.00 `sysctl -w net.inet.tcp.{insecure[0]}=0`"]
    return []


def write(cell, name, ip, lines):
    d = os.path.join(HERE, cell)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, f"{name}-ipv{ip.v}.pkt"), "w") as f:
        f.write("\n".join(lines) + "\n")


def ifdef(standard, freebsd):
    """The STANDARD and FreeBSD branches, or the common lines when they agree."""
    if standard == freebsd:
        return standard
    return ["#ifdef STANDARD"] + standard + ["#endif", "#ifdef FreeBSD"] + freebsd + ["#endif"]


# ---------------------------------------------------------------- setups

def closed_setup(ip):
    return [
        "// Create a TCP endpoint in CLOSED state.",
        "+0.00 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3",
        "+0.00 setsockopt(3, SOL_SOCKET, SO_REUSEADDR, [1], 4) = 0",
        "+0.00 bind(3, ..., ...) = 0",
        "+0.00 getsockopt(3, SOL_SOCKET, SO_RCVBUF, [65536], [4]) = 0",
    ]


def listen_setup(ip):
    return closed_setup(ip) + ["+0.00 listen(3, 1) = 0"]


def syn_ack_opts(ip):
    return f"<mss {ip.mss},sackOK,eol,eol>"


def our_syn_opts(ip, ts):
    return f"<mss {ip.mss},nop,wscale 6,sackOK,TS val {ts} ecr 0>"


def syn_sent_setup(ip):
    return [
        "// Create a TCP socket in SYN-SENT state",
        "+0.00 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3",
        "+0.00 fcntl(3, F_GETFL) = 0x02 (flags O_RDWR)",
        "+0.00 fcntl(3, F_SETFL, O_RDWR | O_NONBLOCK) = 0",
        "+0.00 getsockopt(3, SOL_SOCKET, SO_RCVBUF, [65536], [4]) = 0",
        " 1.00 connect(3, ..., ...) = -1 EINPROGRESS (Operation now in progress)",
        f"+0.00 > S  0:0(0)       win 65535 {our_syn_opts(ip, 100)}",
        "+0.00 getsockopt(3, SOL_SOCKET, SO_RCVBUF, [65536], [4]) = 0",
        "// Now the connection is in SYN-SENT",
    ]


def syn_sent_unaffected(ip):
    """The SYN is retransmitted on time and the handshake and close complete normally."""
    return [
        f" 2.00 > S  0:0(0)       win 65535 {our_syn_opts(ip, 1100)}",
        "+0.00 getsockopt(3, SOL_SOCKET, SO_ERROR, [0], [4]) = 0",
        f"+0.00 < S. 0:0(0) ack 1 win 32767 {syn_ack_opts(ip)}",
        "+0.00 >  . 1:1(0) ack 1 win 65535",
        "+0.00 close(3) = 0",
        "+0.00 > F. 1:1(0) ack 1 win 65535",
        "+0.00 < F. 1:1(0) ack 2 win 32767",
        "+0.00 >  . 2:2(0) ack 2 win 65535",
    ]


def syn_rcvd_via_listen_setup(ip):
    return [
        f"+0.00 `{ip.sockstat} -P tcp -p 8080 -s | grep -c SYN_RCVD | grep 0`",
        "// Create a TCP socket in SYN-RECEIVED state",
        "+0.00 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3",
        "+0.00 setsockopt(3, SOL_SOCKET, SO_REUSEADDR, [1], 4) = 0",
        "+0.00 bind(3, ..., ...) = 0",
        "+0.00 listen(3, 1) = 0",
        "+0.00 getsockopt(3, SOL_SOCKET, SO_RCVBUF, [65536], [4]) = 0",
        f"+0.00 < S  0:0(0)       win 32767 {syn_ack_opts(ip)}",
        f"+0.00 > S. 0:0(0) ack 1 win 65535 {syn_ack_opts(ip)}",
        "+0.00 getsockopt(3, SOL_SOCKET, SO_RCVBUF, [65536], [4]) = 0",
        "// Now the connection is in SYN-RECEIVED",
        f"+0.10 `{ip.sockstat} -P tcp -s -p 8080 | grep -c SYN_RCVD | grep 1`",
    ]


def syn_rcvd_via_listen_unaffected(ip):
    return [
        "+0.10 <  . 1:1(0) ack 1 win 32767",
        "+0.10 accept(3, ..., ...) = 4",
        "+0.00 < F. 1:1(0) ack 1 win 32767",
        "+0.00 >  . 1:1(0) ack 2 win 65535",
        "+0.00 close(4) = 0",
        "+0.00 > F. 1:1(0) ack 2 win 65535",
        "+0.00 <  . 2:2(0) ack 2 win 32767",
    ]


def syn_rcvd_via_listen_reset(ip):
    return [
        f"+0.10 `{ip.sockstat} -P tcp -p 8080 -s | grep -c SYN_RCVD | grep 0`",
        "+0.00 close(3) = 0",
    ]


def syn_rcvd_via_syn_sent_setup(ip):
    return [
        "// Create a TCP endpoint in the SYN-RCVD state.",
        "+0.00 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3",
        "+0.00 fcntl(3, F_GETFL) = 0x02 (flags O_RDWR)",
        "+0.00 fcntl(3, F_SETFL, O_RDWR | O_NONBLOCK) = 0",
        "+0.00 getsockopt(3, SOL_SOCKET, SO_RCVBUF, [65536], [4]) = 0",
        "+0.00 connect(3, ..., ...) = -1 EINPROGRESS (Operation now in progress)",
        f"+0.00 > S  0:0(0)       win 65535 {our_syn_opts(ip, 100)}",
        f"+0.10 < S  0:0(0)       win 32767 {syn_ack_opts(ip)}",
        f"+0.00 > S. 0:0(0) ack 1 win 65535 {syn_ack_opts(ip)}",
        "// Verify that there are no errors pending at the socket layer.",
        "+0.00 getsockopt(3, SOL_SOCKET, SO_ERROR, [0], [4]) = 0",
        f"// Now the recv buffer is {ip.buf}, since it is rounded up to a multiple of the MSS.",
        f"+0.00 getsockopt(3, SOL_SOCKET, SO_RCVBUF, [{ip.buf}], [4]) = 0",
        "// Now it is in the SYN-RCVD state.",
    ]


def syn_rcvd_via_syn_sent_unaffected(ip):
    return [
        "+0.00 getsockopt(3, SOL_SOCKET, SO_ERROR, [0], [4]) = 0",
        "+0.10 <  . 1:1(0) ack 1 win 32767",
        "+0.00 < F. 1:1(0) ack 1 win 32767",
        "+0.00 >  . 1:1(0) ack 2 win 65535",
        "+0.00 close(3) = 0",
        "+0.00 > F. 1:1(0) ack 2 win 65535",
        "+0.00 <  . 2:2(0) ack 2 win 32767",
    ]


def syn_rcvd_via_syn_sent_reset(ip):
    return [
        "+0.00 getsockopt(3, SOL_SOCKET, SO_ERROR, [ECONNREFUSED], [4]) = 0",
        "+0.00 close(3) = 0",
    ]


def established_setup(ip, state):
    return [
        f"// Create a TCP socket in {state} state",
        "+0.00 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3",
        "+0.00 fcntl(3, F_GETFL) = 0x02 (flags O_RDWR)",
        "+0.00 fcntl(3, F_SETFL, O_RDWR | O_NONBLOCK) = 0",
        "+0.00 getsockopt(3, SOL_SOCKET, SO_RCVBUF, [65536], [4]) = 0",
        "+0.00 connect(3, ..., ...) = -1 EINPROGRESS (Operation now in progress)",
        f"+0.00 > S  0:0(0)       win 65535 {our_syn_opts(ip, 100)}",
        f"+0.10 < S. 0:0(0) ack 1 win 32767 {syn_ack_opts(ip)}",
        "+0.00 >  . 1:1(0) ack 1 win 65535",
        f"// Now the recv buffer is {ip.buf}, since it is rounded up to a multiple of the MSS.",
        f"+0.00 getsockopt(3, SOL_SOCKET, SO_RCVBUF, [{ip.buf}], [4]) = 0",
    ]


class Sync:
    """A synchronized state reached from an active open: how to get there, RCV.NXT and SND.NXT
    there, and how the connection ends normally from there."""

    def __init__(self, name, rfc, rcv_nxt, snd_nxt, steps, finish):
        self.name, self.rfc, self.rcv_nxt, self.snd_nxt = name, rfc, rcv_nxt, snd_nxt
        self.steps, self.finish = steps, finish


SYNC = {
    "close-wait": Sync("CLOSE-WAIT", "CLOSE-WAIT", 2, 1,
                       ["+0.10 < F. 1:1(0) ack 1 win 32767", "+0.00 >  . 1:1(0) ack 2 win 65535"],
                       ["+0.00 close(3) = 0", "+0.00 > F. 1:1(0) ack 2 win 65535",
                        "+0.00 <  . 2:2(0) ack 2 win 32767"]),
    "fin-wait-1": Sync("FIN-WAIT-1", "FIN-WAIT-1", 1, 2,
                       ["+0.10 shutdown(3, SHUT_WR) = 0", "+0.00 > F. 1:1(0) ack 1 win 65535"],
                       ["+0.00 < F. 1:1(0) ack 2 win 32767", "+0.00 >  . 2:2(0) ack 2 win 65535",
                        "+0.00 close(3) = 0"]),
    "fin-wait-2": Sync("FIN-WAIT-2", "FIN-WAIT-2", 1, 2,
                       ["+0.10 shutdown(3, SHUT_WR) = 0", "+0.00 > F. 1:1(0) ack 1 win 65535",
                        "+0.10 <  . 1:1(0) ack 2 win 32767"],
                       ["+0.00 < F. 1:1(0) ack 2 win 32767", "+0.00 >  . 2:2(0) ack 2 win 65535",
                        "+0.00 close(3) = 0"]),
    "closing": Sync("CLOSING", "CLOSING", 2, 2,
                    ["+0.10 shutdown(3, SHUT_WR) = 0", "+0.00 > F. 1:1(0) ack 1 win 65535",
                     "+0.10 < F. 1:1(0) ack 1 win 32767", "+0.00 > F. 1:1(0) ack 2 win 65535"],
                    ["+0.00 <  . 2:2(0) ack 2 win 32767", "+0.00 close(3) = 0"]),
    "last-ack": Sync("LAST-ACK", "LAST-ACK", 2, 2,
                     ["+0.10 < F. 1:1(0) ack 1 win 32767", "+0.00 >  . 1:1(0) ack 2 win 65535",
                      "+0.10 shutdown(3, SHUT_WR) = 0", "+0.00 > F. 1:1(0) ack 2 win 65535"],
                     ["+0.00 <  . 2:2(0) ack 2 win 32767", "+0.00 close(3) = 0"]),
}


def positions(rcv_nxt, wnd):
    """The suite's sequence positions: (name, SEG.SEQ, in window?, RFC description)."""
    return [
        ("left-edge", rcv_nxt, True, "SEG.SEQ = RCV.NXT"),
        ("right-edge", rcv_nxt + wnd - 1, True, "SEG.SEQ = RCV.NXT + RCV.WND - 1"),
        ("outside-left", (rcv_nxt - 1) % (1 << 32), False, "SEG.SEQ = RCV.NXT - 1"),
        ("outside-right", rcv_nxt + wnd, False, "SEG.SEQ = RCV.NXT + RCV.WND"),
    ]


def time_wait_via_connect_setup(ip):
    return [
        "// Create a TCP socket in TIME-WAIT state",
        "+0.00 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3",
        "+0.00 fcntl(3, F_GETFL) = 0x02 (flags O_RDWR)",
        "+0.00 fcntl(3, F_SETFL, O_RDWR | O_NONBLOCK) = 0",
        "+0.00 getsockopt(3, SOL_SOCKET, SO_RCVBUF, [65536], [4]) = 0",
        "+0.00 connect(3, ..., ...) = -1 EINPROGRESS (Operation now in progress)",
        f"+0.00 > S  0:0(0)       win 65535 {our_syn_opts(ip, 100)}",
        f"+0.10 < S. 0:0(0) ack 1 win 32767 {syn_ack_opts(ip)}",
        "+0.00 >  . 1:1(0) ack 1 win 65535",
        f"// Now the recv buffer is {ip.buf}, since it is rounded up to a multiple of the MSS.",
        f"+0.00 getsockopt(3, SOL_SOCKET, SO_RCVBUF, [{ip.buf}], [4]) = 0",
        "+0.10 shutdown(3, SHUT_WR) = 0",
        "+0.00 > F. 1:1(0) ack 1 win 65535",
        "+0.10 < F. 1:1(0) ack 2 win 32767",
        "+0.00 >  . 2:2(0) ack 2 win 65535",
        "// Now the connection is in TIME-WAIT; the window last announced is 65535 (no window scaling).",
    ]


def time_wait_via_listen_setup(ip):
    return [
        "// Create a TCP socket in TIME-WAIT state",
        "+0.00 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3",
        "+0.00 fcntl(3, F_GETFL) = 0x02 (flags O_RDWR)",
        "+0.00 fcntl(3, F_SETFL, O_RDWR | O_NONBLOCK) = 0",
        "+0.00 getsockopt(3, SOL_SOCKET, SO_RCVBUF, [65536], [4]) = 0",
        "+0.00 setsockopt(3, SOL_SOCKET, SO_REUSEADDR, [1], 4) = 0",
        "+0.00 bind(3, ..., ...) = 0",
        "+0.00 listen(3, 2) = 0",
        f"+0.00 < S  0:0(0)       win 32767 {syn_ack_opts(ip)}",
        f"+0.00 > S. 0:0(0) ack 1 win 65535 {syn_ack_opts(ip)}",
        "+0.10 <  . 1:1(0) ack 1 win 32767",
        "+0.00 accept(3, ..., ...) = 4",
        f"// Now the recv buffer is {ip.buf}, since it is rounded up to a multiple of the MSS.",
        f"+0.00 getsockopt(4, SOL_SOCKET, SO_RCVBUF, [{ip.buf}], [4]) = 0",
        "+0.10 shutdown(4, SHUT_WR) = 0",
        "+0.00 > F. 1:1(0) ack 1 win 65535",
        "+0.10 < F. 1:1(0) ack 2 win 32767",
        "+0.00 >  . 2:2(0) ack 2 win 65535",
        "// Now the connection is in TIME-WAIT; the window last announced is 65535 (no window scaling).",
    ]


def still_time_wait(ip):
    return ["// Double check that the connection is still in TIME-WAIT",
            f"+0.10 `{ip.sockstat} -P tcp -s | grep packetdril | grep -c TIME_WAIT | grep 1`"]


TW_ACK = "+0.00 >  . 2:2(0) ack 2 win 65535"
TW_WND = 65535


# ---------------------------------------------------------------- families

def data_variants():
    return [("with-data", 3), ("without-data", 0)]


def gen_closed(ip):
    for seg_name, flags, has_ack, syn, fin, rfc in [
        ("syn-ack", "S.", True, True, False, "SYN-ACK"),
        ("syn-fin", "SF", False, True, True, "SYN-FIN"),
        ("fin-ack", "F.", True, False, True, "FIN-ACK"),
        ("rst-ack", "R.", True, False, False, "RST-ACK"),
    ]:
        cell = f"rcv-{seg_name}-closed"
        for dname, dlen in data_variants():
            start = 17 if has_ack else 0
            opts = " " + syn_ack_opts(ip) if syn else ""
            seg = f"+0.10 < {flags:2} {start}:{start + dlen}({dlen}) {'ack 34 ' if has_ack else ''}win 32767{opts}"
            if seg_name == "rst-ack":
                note = (f"Ensure that the reception of a TCP RST-ACK {dname.replace('-', ' ')} in the CLOSED state\n"
                        "is discarded without a reply (RFC 9293 §3.10.7.1: \"An incoming segment containing a RST\n"
                        "is discarded\"; FreeBSD tcp_dropwithreset never answers an RST).")
                body = [seg, "// Check that no RST is sent.", "+0.00 listen(3, 1) = 0",
                        f"+0.00 < S  0:0(0)       win 32767 {syn_ack_opts(ip)}",
                        f"+0.00 > S. 0:0(0) ack 1 win 65535 {syn_ack_opts(ip)}", "+0.00 close(3) = 0"]
            elif has_ack:
                note = (f"Ensure that the reception of a TCP {rfc} {dname.replace('-', ' ')} in the CLOSED state\n"
                        "triggers a RST with SEG.SEQ = SEG.ACK (RFC 9293 §3.10.7.1, ACK bit on:\n"
                        "<SEQ=SEG.ACK><CTL=RST>; FreeBSD tcp_dropwithreset alike).")
                body = [seg, "+0.00 > R  34:34(0) win 0", "+0.00 close(3) = 0"]
            else:
                seglen = dlen + (1 if syn else 0) + (1 if fin else 0)
                note = (f"Ensure that the reception of a TCP {rfc} {dname.replace('-', ' ')} in the CLOSED state\n"
                        "triggers a RST-ACK acknowledging SEG.SEQ + SEG.LEN, SYN and FIN counted\n"
                        "(RFC 9293 §3.10.7.1, ACK bit off: <SEQ=0><ACK=SEG.SEQ+SEG.LEN><CTL=RST,ACK>;\n"
                        "FreeBSD tcp_dropwithreset counts SYN and FIN alike; net.inet.tcp.drop_synfin is 0).")
                body = [seg, f"+0.00 > R. 0:0(0) ack {seglen} win 0", "+0.00 close(3) = 0"]
            lines = header(ip, note) + closed_setup(ip) + ["// Now it is in the CLOSED state."] + body
            write(cell, f"rcv-{seg_name}-{dname}-closed", ip, lines)


def gen_listen(ip):
    def probe():
        return [f"+0.00 < S  0:0(0)       win 32767 {syn_ack_opts(ip)}",
                f"+0.00 > S. 0:0(0) ack 1 win 65535 {syn_ack_opts(ip)}", "+0.00 close(3) = 0"]

    for dname, dlen in data_variants():
        d = dname.replace("-", " ")
        # SYN-ACK and FIN-ACK: the ACK check resets.
        for seg_name, flags, opts, rfc in [("syn-ack", "S.", " " + syn_ack_opts(ip), "SYN-ACK"),
                                           ("fin-ack", "F.", "", "FIN-ACK")]:
            note = (f"Ensure that the reception of a TCP {rfc} {d} in the LISTEN state triggers\n"
                    "a RST with SEG.SEQ = SEG.ACK and leaves the listener as it was (RFC 9293 §3.10.7.2\n"
                    "second: \"Any acknowledgment is bad if it arrives on a connection still in the LISTEN\n"
                    "state\"; FreeBSD: SYN|ACK invalid / syncache_expand fails, tcp_dropwithreset).")
            body = [f"+0.10 < {flags} 17:{17 + dlen}({dlen}) ack 34 win 32767{opts}",
                    "+0.00 > R  34:34(0) win 0"] + probe()
            write(f"rcv-{seg_name}-listen", f"rcv-{seg_name}-{dname}-listen", ip,
                  header(ip, note) + listen_setup(ip) + ["// Now it is in the LISTEN state."] + body)
        # FIN without ACK: dropped.
        note = (f"Ensure that the reception of a TCP FIN {d} (no ACK) in the LISTEN state is\n"
                "dropped silently (RFC 9293 §3.10.7.2 fourth: \"Any other control or text-bearing segment\n"
                "(not containing SYN) ... drop the segment and return\"; FreeBSD: SYN is missing, segment ignored).")
        body = [f"+0.10 < F  0:{dlen}({dlen})        win 32767", "// Check that no RST is sent."] + probe()
        write("rcv-fin-listen", f"rcv-fin-{dname}-listen", ip,
              header(ip, note) + listen_setup(ip) + ["// Now it is in the LISTEN state."] + body)
        # RST-ACK: ignored.
        note = (f"Ensure that the reception of a TCP RST-ACK {d} in the LISTEN state is ignored\n"
                "(RFC 9293 §3.10.7.2 first: \"An incoming RST should be ignored\"; FreeBSD syncache_chkrst\n"
                "finds no entry and drops it).")
        body = [f"+0.10 < R. 0:{dlen}({dlen}) ack 34 win 32767", "// Check that no RST is sent."] + probe()
        write("rcv-rst-ack-listen", f"rcv-rst-ack-{dname}-listen", ip,
              header(ip, note) + listen_setup(ip) + ["// Now it is in the LISTEN state."] + body)
        # SYN-FIN: a SYN-ACK that acknowledges the SYN only; the FIN comes again with the ACK.
        seglen = dlen + 1
        note = (f"Ensure that the reception of a TCP SYN-FIN {d} in the LISTEN state (drop_synfin=0)\n"
                "is answered by a SYN-ACK with SEG.ACK = SEG.SEQ + 1 (RFC 9293 §3.10.7.2 third: RCV.NXT =\n"
                "SEG.SEQ+1, <SEQ=ISS><ACK=RCV.NXT><CTL=SYN,ACK>; the FIN and text wait for SYN-RECEIVED,\n"
                "FreeBSD's syncache keeps neither), and that the FIN retransmitted with the ACK of our SYN\n"
                "moves the connection to CLOSE-WAIT (§3.10.7.4 eighth).")
        body = [f"+0.10 < SF 0:{dlen}({dlen})       win 32767 {syn_ack_opts(ip)}",
                f"+0.00 > S. 0:0(0) ack 1 win 65535 {syn_ack_opts(ip)}",
                f"+0.10 < F. 1:{1 + dlen}({dlen}) ack 1 win 32767",
                f"+0.00 >  . 1:1(0) ack {seglen + 1} win 65535",
                "+0.00 accept(3, ..., ...) = 4"]
        if dlen:
            body.append(f"+0.00 read(4, ..., 100) = {dlen}")
        body += ["+0.00 close(4) = 0", f"+0.00 > F. 1:1(0) ack {seglen + 1} win 65535",
                 f"+0.00 <  . {seglen + 1}:{seglen + 1}(0) ack 2 win 32767", "+0.00 close(3) = 0"]
        write("rcv-syn-fin-listen", f"rcv-syn-fin-{dname}-listen", ip,
              header(ip, note) + listen_setup(ip) + ["// Now it is in the LISTEN state."] + body)
        # SYN-FIN with drop_synfin=1: dropped.
        note = (f"Ensure that the reception of a TCP SYN-FIN {d} in the LISTEN state is dropped\n"
                "silently when net.inet.tcp.drop_synfin=1 (FreeBSD tcp_input listen path; POLICY drop-synfin,\n"
                "which RFC 9293 §3.10.7 does not have) and that the listener still accepts a plain SYN.")
        body = [f"+0.10 < SF 0:{dlen}({dlen})       win 32767 {syn_ack_opts(ip)}",
                "// Check that nothing is sent."] + probe()
        write("rcv-syn-fin-listen", f"rcv-syn-fin-{dname}-listen-drop-synfin", ip,
              header(ip, note, insecure=("drop_synfin", 1)) + listen_setup(ip)
              + ["// Now it is in the LISTEN state."] + body + footer(("drop_synfin", 1)))


ACKS_SYN_SENT = [("ack-left-edge", 1, True, "SEG.ACK = SND.NXT"),
                 ("ack-outside-left", 0, False, "SEG.ACK = ISS"),
                 ("ack-outside-right", 2, False, "SEG.ACK = SND.NXT + 1")]


def gen_syn_sent(ip):
    for dname, dlen in data_variants():
        d = dname.replace("-", " ")
        for aname, ack, ok, arfc in ACKS_SYN_SENT:
            # SYN-ACK
            if ok:
                note = (f"Ensure that the reception of a TCP SYN-ACK {d} with {arfc} in the SYN-SENT\n"
                        "state establishes the connection and is acknowledged, text included (RFC 9293 §3.10.7.3\n"
                        "fourth: SND.UNA > ISS, enter ESTABLISHED, <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK>).")
                body = [f"+0.10 < S. 0:{dlen}({dlen}) ack 1 win 32767 {syn_ack_opts(ip)}",
                        f"+0.00 >  . 1:1(0) ack {dlen + 1} win 65535",
                        "+0.00 getsockopt(3, SOL_SOCKET, SO_ERROR, [0], [4]) = 0"]
                if dlen:
                    body.append(f"+0.00 read(3, ..., 100) = {dlen}")
                body += ["+0.00 close(3) = 0", f"+0.00 > F. 1:1(0) ack {dlen + 1} win 65535",
                         f"+0.00 < F. {dlen + 1}:{dlen + 1}(0) ack 2 win 32767",
                         f"+0.00 >  . 2:2(0) ack {dlen + 2} win 65535"]
            else:
                note = (f"Ensure that the reception of a TCP SYN-ACK {d} with {arfc} in the SYN-SENT\n"
                        "state triggers a RST with SEG.SEQ = SEG.ACK and does not affect the connection\n"
                        "(RFC 9293 §3.10.7.3 first: SEG.ACK =< ISS or SEG.ACK > SND.NXT, <SEQ=SEG.ACK><CTL=RST>).")
                body = [f"+0.10 < S. 0:{dlen}({dlen}) ack {ack} win 32767 {syn_ack_opts(ip)}",
                        f"+0.00 > R  {ack}:{ack}(0)       win     0"] + syn_sent_unaffected(ip)
            write("rcv-syn-ack-syn-sent", f"rcv-syn-ack-{dname}-syn-sent-{aname}", ip,
                  header(ip, note, rexmit=True) + syn_sent_setup(ip) + body)
            # FIN-ACK
            if ok:
                note = (f"Ensure that the reception of a TCP FIN-ACK {d} with {arfc} in the SYN-SENT\n"
                        "state is dropped and does not affect the connection (RFC 9293 §3.10.7.3 fifth: \"If\n"
                        "neither of the SYN or RST bits is set, then drop the segment and return\").")
                body = [f"+0.10 < F. 0:{dlen}({dlen}) ack 1 win 32767"] + syn_sent_unaffected(ip)
            else:
                note = (f"Ensure that the reception of a TCP FIN-ACK {d} with {arfc} in the SYN-SENT\n"
                        "state triggers a RST with SEG.SEQ = SEG.ACK and does not affect the connection\n"
                        "(RFC 9293 §3.10.7.3 first).")
                body = [f"+0.10 < F. 0:{dlen}({dlen}) ack {ack} win 32767",
                        f"+0.00 > R  {ack}:{ack}(0)       win     0"] + syn_sent_unaffected(ip)
            write("rcv-fin-ack-syn-sent", f"rcv-fin-ack-{dname}-syn-sent-{aname}", ip,
                  header(ip, note, rexmit=True) + syn_sent_setup(ip) + body)
            # RST-ACK
            if ok:
                note = (f"Ensure that the reception of a TCP RST-ACK {d} with {arfc} in the SYN-SENT\n"
                        "state refuses the connection and sends nothing, the SYN is not retransmitted\n"
                        "(RFC 9293 §3.10.7.3 second: the ACK is acceptable, \"error: connection reset\", CLOSED;\n"
                        "FreeBSD: ECONNREFUSED).")
                body = [f"+0.10 < R. 0:{dlen}({dlen}) ack 1 win 32767",
                        "+0.00 getsockopt(3, SOL_SOCKET, SO_ERROR, [ECONNREFUSED], [4]) = 0",
                        "// Check that the SYN is not retransmitted.",
                        "+2.00 close(3) = 0"]
            else:
                note = (f"Ensure that the reception of a TCP RST-ACK {d} with {arfc} in the SYN-SENT\n"
                        "state is dropped silently and does not affect the connection (RFC 9293 §3.10.7.3\n"
                        "first: unacceptable ACK with RST, \"drop the segment and return\").")
                body = [f"+0.10 < R. 0:{dlen}({dlen}) ack {ack} win 32767"] + syn_sent_unaffected(ip)
            write("rcv-rst-ack-syn-sent", f"rcv-rst-ack-{dname}-syn-sent-{aname}", ip,
                  header(ip, note, rexmit=True) + syn_sent_setup(ip) + body)
        # FIN without ACK
        note = (f"Ensure that the reception of a TCP FIN {d} (no ACK) in the SYN-SENT state is\n"
                "dropped and does not affect the connection (RFC 9293 §3.10.7.3 fifth).")
        body = [f"+0.10 < F  0:{dlen}({dlen})       win 32767"] + syn_sent_unaffected(ip)
        write("rcv-fin-syn-sent", f"rcv-fin-{dname}-syn-sent", ip,
              header(ip, note, rexmit=True) + syn_sent_setup(ip) + body)
        # SYN-FIN without ACK: simultaneous open.
        note = (f"Ensure that the reception of a TCP SYN-FIN {d} in the SYN-SENT state triggers a\n"
                "SYN-ACK acknowledging the SYN only and moves to SYN-RECEIVED (RFC 9293 §3.10.7.3 fourth:\n"
                "RCV.NXT = SEG.SEQ+1, <SEQ=ISS><ACK=RCV.NXT><CTL=SYN,ACK>, other controls and text are\n"
                "processed after ESTABLISHED is reached), and that the FIN coming again with the ACK of our\n"
                "SYN is acknowledged and moves the connection to CLOSE-WAIT (§3.10.7.4 eighth).")
        body = [f"+0.10 < SF 0:{dlen}({dlen})       win 32767 {syn_ack_opts(ip)}",
                f"+0.00 > S. 0:0(0) ack 1 win 65535 {syn_ack_opts(ip)}",
                "+0.00 getsockopt(3, SOL_SOCKET, SO_ERROR, [0], [4]) = 0",
                f"+0.10 < F. 1:{1 + dlen}({dlen}) ack 1 win 32767",
                f"+0.00 >  . 1:1(0) ack {dlen + 2} win 65535"]
        if dlen:
            body.append(f"+0.00 read(3, ..., 100) = {dlen}")
        body += ["+0.00 close(3) = 0", f"+0.00 > F. 1:1(0) ack {dlen + 2} win 65535",
                 f"+0.00 <  . {dlen + 2}:{dlen + 2}(0) ack 2 win 32767"]
        write("rcv-syn-fin-syn-sent", f"rcv-syn-fin-{dname}-syn-sent", ip,
              header(ip, note) + syn_sent_setup(ip)[:5]
              + [l.replace(" 1.00 connect", "+0.00 connect") for l in syn_sent_setup(ip)[5:]] + body)


def gen_rst_ack_syn_rcvd(ip):
    vias = {
        "via-listen": (syn_rcvd_via_listen_setup, 65535, syn_rcvd_via_listen_unaffected, syn_rcvd_via_listen_reset,
                       "the connection returns to LISTEN (passive OPEN)"),
        "via-syn-sent": (syn_rcvd_via_syn_sent_setup, ip.buf, syn_rcvd_via_syn_sent_unaffected,
                         syn_rcvd_via_syn_sent_reset, "the connection is refused (active OPEN)"),
    }
    for via, (setup, wnd, unaffected, reset, what) in vias.items():
        for pname, seq, inwin, prfc in positions(1, wnd):
            for secure in (True, False):
                sec = "secure" if secure else "insecure"
                insecure = ("insecure_rst", 0 if secure else 1)
                if not inwin:
                    expect, txt = unaffected(ip), "is dropped (first check: not acceptable, RST: drop)"
                elif pname == "left-edge" or not secure:
                    expect, txt = reset(ip), f"resets: {what}"
                else:
                    expect = ["+0.00 >  . 1:1(0) ack 1 win 65535"] + unaffected(ip)
                    txt = "triggers a challenge ACK <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK> (RFC 5961 §3.2)"
                note = (f"Ensure that the reception of a TCP RST-ACK with {prfc} and SEG.ACK = SND.NXT\n"
                        f"in the SYN-RCVD state ({via}, insecure_rst={0 if secure else 1}) {txt}.\n"
                        "RFC 9293 §3.10.7.4 first and second check; the ACK field of an RST is not examined.")
                lines = header(ip, note, insecure=insecure) + setup(ip) + [
                    f"+0.10 < R. {seq}:{seq}(0) ack 1 win 32767"] + expect + footer(insecure)
                write("rcv-rst-ack-syn-rcvd", f"rcv-rst-ack-syn-rcvd-{via}-{pname}-{sec}", ip, lines)
        # The ACK field: an RST at RCV.NXT whose ACK does not acknowledge our SYN.
        for aname, ack, arfc in [("ack-left-edge", 0, "SEG.ACK = SND.UNA"),
                                 ("ack-outside-right", 2, "SEG.ACK = SND.NXT + 1")]:
            for secure in (True, False):
                sec = "secure" if secure else "insecure"
                insecure = ("insecure_rst", 0 if secure else 1)
                if via == "via-listen":
                    expect = reset(ip)
                    txt = (f"resets: {what}. RFC 9293 §3.10.7.4 does not examine the ACK field of an RST;\n"
                           "FreeBSD's syncache_chkrst checks only SEG.SEQ.")
                else:
                    expect = ifdef(reset(ip), unaffected(ip))
                    txt = ("resets under RFC 9293 §3.10.7.4 (the ACK field of an RST is not examined);\n"
                           "FreeBSD checks SEG.ACK in SYN_RECEIVED before the RST (tcp_do_segment: \"if seg\n"
                           "contains an ACK, but not for our SYN/ACK, send a RST\") and tcp_dropwithreset never\n"
                           "answers an RST, so the segment is dropped and the connection is unaffected.")
                note = (f"Ensure that the reception of a TCP RST-ACK with SEG.SEQ = RCV.NXT and {arfc}\n"
                        f"in the SYN-RCVD state ({via}, insecure_rst={0 if secure else 1}) {txt}")
                lines = header(ip, note, insecure=insecure) + setup(ip) + [
                    f"+0.10 < R. 1:1(0) ack {ack} win 32767"] + expect + footer(insecure)
                write("rcv-rst-ack-syn-rcvd", f"rcv-rst-ack-syn-rcvd-{via}-left-edge-{aname}-{sec}", ip, lines)


def gen_sync(ip):
    for key in ["close-wait", "fin-wait-1", "fin-wait-2", "last-ack"]:
        s = SYNC[key]
        for pname, seq, inwin, prfc in positions(s.rcv_nxt, ip.buf):
            for secure in (True, False):
                sec = "secure" if secure else "insecure"
                insecure = ("insecure_syn", 0 if secure else 1)
                ack = f"+0.00 >  . {s.snd_nxt}:{s.snd_nxt}(0) ack {s.rcv_nxt} win 65535"
                if inwin and not secure:
                    txt = ("destroys the connection with <SEQ=SND.NXT><ACK=RCV.NXT><CTL=RST,ACK>\n"
                           "(RFC 793 SYN rule, RFC 9293 §3.10.7.4 fourth with RFC 5961 off; POLICY syn-reset-form).")
                    expect = [f"+0.00 > R. {s.snd_nxt}:{s.snd_nxt}(0) ack {s.rcv_nxt} win     0",
                              "+0.00 getsockopt(3, SOL_SOCKET, SO_ERROR, [ECONNRESET], [4]) = 0",
                              "+0.00 close(3) = 0"]
                elif inwin:
                    txt = "triggers a challenge ACK (RFC 9293 §3.10.7.4 fourth, RFC 5961 §4.2)."
                    expect = [ack, "+0.00 getsockopt(3, SOL_SOCKET, SO_ERROR, [0], [4]) = 0"] + s.finish
                else:
                    txt = ("triggers an ACK <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK> (RFC 9293 §3.10.7.4 first;\n"
                           "FreeBSD: challenge ACK for any SYN outside the window).")
                    expect = [ack, "+0.00 getsockopt(3, SOL_SOCKET, SO_ERROR, [0], [4]) = 0"] + s.finish
                note = (f"Ensure that the reception of a TCP SYN with {prfc}\n"
                        f"in the {s.name} state (insecure_syn={0 if secure else 1}) {txt}")
                lines = (header(ip, note, insecure=insecure) + established_setup(ip, s.name) + s.steps
                         + [f"// Now the connection is in {s.name}",
                            f"+0.10 < S  {seq}:{seq}(0)       win 32767 {syn_ack_opts(ip)}"]
                         + expect + footer(insecure))
                write(f"rcv-syn-{key}", f"rcv-syn-{key}-{pname}-{sec}", ip, lines)
    for key in ["fin-wait-1", "fin-wait-2", "closing", "last-ack"]:
        s = SYNC[key]
        for pname, seq, inwin, prfc in positions(s.rcv_nxt, ip.buf):
            for secure in (True, False):
                sec = "secure" if secure else "insecure"
                insecure = ("insecure_rst", 0 if secure else 1)
                if inwin and (pname == "left-edge" or not secure):
                    if key in ("fin-wait-1", "fin-wait-2"):
                        txt = "destroys the connection: \"connection reset\" (RFC 9293 §3.10.7.4 second)."
                        expect = ["+0.00 getsockopt(3, SOL_SOCKET, SO_ERROR, [ECONNRESET], [4]) = 0",
                                  "+0.00 close(3) = 0"]
                    else:
                        txt = ("destroys the connection (RFC 9293 §3.10.7.4 second: \"enter the CLOSED state,\n"
                               "delete the TCB\"); a later ACK finds no connection and is answered by a RST.")
                        n = s.rcv_nxt
                        expect = [f"+0.10 <  . {n}:{n}(0) ack {s.snd_nxt} win 32767",
                                  f"+0.00 > R  {s.snd_nxt}:{s.snd_nxt}(0) win 0", "+0.00 close(3) = 0"]
                elif inwin:
                    txt = "triggers a challenge ACK (RFC 9293 §3.10.7.4 second, RFC 5961 §3.2)."
                    expect = [f"+0.00 >  . {s.snd_nxt}:{s.snd_nxt}(0) ack {s.rcv_nxt} win 65535",
                              "+0.00 getsockopt(3, SOL_SOCKET, SO_ERROR, [0], [4]) = 0"] + s.finish
                else:
                    txt = "is dropped silently (RFC 9293 §3.10.7.4 first: not acceptable, RST: drop)."
                    expect = ["+0.00 getsockopt(3, SOL_SOCKET, SO_ERROR, [0], [4]) = 0"] + s.finish
                note = (f"Ensure that the reception of a TCP RST with {prfc}\n"
                        f"in the {s.name} state (insecure_rst={0 if secure else 1}) {txt}")
                lines = (header(ip, note, insecure=insecure) + established_setup(ip, s.name) + s.steps
                         + [f"// Now the connection is in {s.name}",
                            f"+0.10 < R  {seq}:{seq}(0)       win 32767"]
                         + expect + footer(insecure))
                write(f"rcv-rst-{key}", f"rcv-rst-{key}-{pname}-{sec}", ip, lines)


def gen_time_wait(ip):
    tw_positions = positions(2, TW_WND)
    five = tw_positions[:1] + [("middle", 3, True, "SEG.SEQ = RCV.NXT + 1")] + tw_positions[1:]
    for pname, seq, inwin, prfc in five:
        # ACK
        exact = pname == "left-edge"
        std = [TW_ACK] + still_time_wait(ip)
        bsd = ([] if exact else [TW_ACK]) + still_time_wait(ip)
        note = (f"Ensure that the reception of a TCP ACK with {prfc} and SEG.ACK = SND.NXT\n"
                "in the TIME-WAIT state keeps the connection in TIME-WAIT. STANDARD: "
                + ("an acknowledgment is sent (RFC 9293 §3.10.7.4 fifth,\nTIME-WAIT: \"Acknowledge it\"; POLICY time-wait-ack-rule every-ack)."
                   if inwin else "an ACK is sent (RFC 9293 §3.10.7.4 first: not acceptable).")
                + ("\nFreeBSD tcp_twcheck: an exact duplicate ACK (flags ACK, no text, SEG.SEQ = RCV.NXT,\n"
                   "SEG.ACK = SND.NXT) is not answered." if exact else
                   "\nFreeBSD tcp_twcheck acknowledges every ACK that is not an exact duplicate."))
        lines = (header(ip, note) + time_wait_via_connect_setup(ip)
                 + [f"+0.10 <  . {seq}:{seq}(0) ack 2 win 32767"] + ifdef(std, bsd) + ["+0.00 close(3) = 0"])
        write("rcv-ack-time-wait", f"rcv-ack-time-wait-using-shutdown-{pname}", ip, lines)
        # FIN without ACK (outside-left: the peer's FIN again, which POLICY time-wait-fin-ack-checks still
        # submits to the fifth check — no ACK bit: dropped; an old ACK after it shows the connection alive)
        std = ([] if inwin else ["+0.10 <  . 1:1(0) ack 2 win 32767", TW_ACK] if pname == "outside-left" else [TW_ACK]) + still_time_wait(ip)
        bsd = still_time_wait(ip)
        note = (f"Ensure that the reception of a TCP FIN without ACK with {prfc}\n"
                "in the TIME-WAIT state keeps the connection in TIME-WAIT. STANDARD: "
                + ("the segment is dropped\n(RFC 9293 §3.10.7.4 fifth: \"if the ACK bit is off drop the segment\")."
                   if inwin else "the retransmitted FIN still meets the fifth check: no ACK bit,\ndropped (POLICY time-wait-fin-ack-checks)."
                   if pname == "outside-left" else "an ACK is sent\n(RFC 9293 §3.10.7.4 first: not acceptable).")
                + "\nFreeBSD tcp_twcheck drops every segment without ACK that does not reopen the connection.")
        lines = (header(ip, note) + time_wait_via_connect_setup(ip)
                 + [f"+0.10 < F  {seq}:{seq}(0)       win 32767"] + ifdef(std, bsd) + ["+0.00 close(3) = 0"])
        write("rcv-fin-time-wait", f"rcv-fin-time-wait-using-shutdown-{pname}", ip, lines)
    for pname, seq, inwin, prfc in tw_positions:
        for secure in (True, False):
            sec = "secure" if secure else "insecure"
            # RST-ACK
            ins = ("insecure_rst", 0 if secure else 1)
            note = (f"Ensure that the reception of a TCP RST-ACK with {prfc}\n"
                    f"in the TIME-WAIT state (insecure_rst={0 if secure else 1}) does not affect the connection\n"
                    "(RFC 1337 §3 fix 1 / POLICY rfc1337; RFC 9293 §3.10.7.4 first drops an unacceptable RST;\n"
                    "FreeBSD tcp_twcheck drops every RST).")
            lines = (header(ip, note, insecure=ins) + time_wait_via_connect_setup(ip)
                     + [f"+0.10 < R. {seq}:{seq}(0) ack 2 win 32767"] + still_time_wait(ip)
                     + ["+0.00 close(3) = 0"] + footer(ins))
            write("rcv-rst-ack-time-wait", f"rcv-rst-ack-time-wait-using-shutdown-{pname}-{sec}", ip, lines)
            # SYN-ACK and SYN-FIN share the STANDARD expectation.
            ins = ("insecure_syn", 0 if secure else 1)
            if inwin and not secure:
                std = ["+0.00 > R. 2:2(0) ack 2 win     0", "// Double check that the connection is in CLOSED.",
                       f"+0.10 `{ip.sockstat} -P tcp -s | grep packetdril | grep -c CLOSED | grep 1`"]
                stxt = ("STANDARD: the connection is reset (RFC 793 SYN rule, RFC 9293\n"
                        "§3.10.7.4 fourth with RFC 5961 off; POLICY syn-reset-form).")
            elif inwin:
                std = [TW_ACK] + still_time_wait(ip)
                stxt = "STANDARD: a challenge ACK (RFC 9293 §3.10.7.4 fourth, RFC 5961 §4.2)."
            else:
                std = [TW_ACK] + still_time_wait(ip)
                stxt = "STANDARD: an ACK (RFC 9293 §3.10.7.4 first: not acceptable)."
            bsd_ack = [TW_ACK] + still_time_wait(ip) + ["+0.00 `tcpdrop -s TIME_WAIT`"]
            note = (f"Checks the reception of a TCP SYN-ACK with {prfc} and SEG.ACK = SND.NXT\n"
                    f"in the TIME-WAIT state (insecure_syn={0 if secure else 1}). {stxt}\n"
                    "FreeBSD tcp_twcheck: a SYN with ACK never reopens; it is not a duplicate ACK, so it is\n"
                    "acknowledged and the connection stays in TIME-WAIT.")
            lines = (header(ip, note, insecure=ins) + time_wait_via_listen_setup(ip)
                     + [f"+0.10 < S. {seq}:{seq}(0) ack 2 win 32767 {syn_ack_opts(ip)}"] + ifdef(std, bsd_ack)
                     + ["+0.00 close(4) = 0", "+0.00 close(3) = 0"] + footer(ins))
            write("rcv-syn-ack-time-wait", f"rcv-syn-ack-time-wait-using-shutdown-{pname}-{sec}", ip, lines)
            for dname, dlen in data_variants():
                if dlen and pname in ("outside-left", "outside-right"):
                    continue
                if seq > 2:
                    bsd = [f"+0.00 > S. ...(0) ack {seq + 1} win 65535 {syn_ack_opts(ip)}"]
                    btxt = ("FreeBSD tcp_twcheck: a SYN without ACK above RCV.NXT closes the TIME-WAIT\n"
                            "connection and the listener answers with a SYN-ACK for the SYN only (the syncache\n"
                            "keeps neither FIN nor text; POLICY time-wait-reopen).")
                else:
                    bsd = ["+0.10 <  . 1:1(0) ack 2 win 32767", TW_ACK] + still_time_wait(ip) + [
                        "+0.00 `tcpdrop -s TIME_WAIT`"]
                    btxt = ("FreeBSD tcp_twcheck: a SYN without ACK at or below RCV.NXT does not reopen and,\n"
                            "lacking ACK, is dropped.")
                fstd, ftxt = std, stxt
                if pname == "outside-left" and secure:
                    ftxt = ("STANDARD: a challenge ACK \"irrespective of the sequence number\" (RFC 9293 §3.10.7.4\n"
                            "fourth, RFC 5961 §4.2; POLICY rfc5961-syn-any-sequence).")
                if pname == "outside-left" and not secure:
                    # SEG.SEQ+SEG.LEN-1 = RCV.NXT: the FIN is new, so the segment is acceptable; the SYN is old
                    # ("only the new parts are processed") and the rest has no ACK.
                    fstd = ["+0.10 <  . 1:1(0) ack 2 win 32767", TW_ACK] + still_time_wait(ip)
                    ftxt = ("STANDARD (insecure: RFC 5961 off): the FIN occupies RCV.NXT, so the segment is acceptable\n"
                            "(RFC 9293 §3.10.7.4 first, RCV.NXT =< SEG.SEQ+SEG.LEN-1); its SYN lies before RCV.NXT\n"
                            "and is trimmed as old (\"only the new parts are processed\"), and what is left has no\n"
                            "ACK: fifth check, drop.")
                note = (f"Checks the reception of a TCP SYN-FIN {dname.replace('-', ' ')} with {prfc}\n"
                        f"in the TIME-WAIT state (insecure_syn={0 if secure else 1}). {ftxt}\n{btxt}")
                lines = (header(ip, note, insecure=ins) + time_wait_via_listen_setup(ip)
                         + [f"+0.10 < SF {seq}:{seq + dlen}({dlen})       win 32767 {syn_ack_opts(ip)}"]
                         + ifdef(fstd, bsd) + ["+0.00 close(4) = 0", "+0.00 close(3) = 0"] + footer(ins))
                write("rcv-syn-fin-time-wait", f"rcv-syn-fin-{dname}-time-wait-using-shutdown-{pname}-{sec}",
                      ip, lines)


def main():
    for entry in os.listdir(HERE):
        if entry.startswith("rcv-") and os.path.isdir(os.path.join(HERE, entry)):
            shutil.rmtree(os.path.join(HERE, entry))
    for v in (4, 6):
        ip = Ip(v)
        gen_closed(ip)
        gen_listen(ip)
        gen_syn_sent(ip)
        gen_rst_ack_syn_rcvd(ip)
        gen_sync(ip)
        gen_time_wait(ip)


if __name__ == "__main__":
    main()
