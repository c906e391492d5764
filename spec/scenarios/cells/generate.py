#!/usr/bin/env python3
"""Generates the TcpModel-written packetdrill scripts for the cases of the FreeBSD state x segment
matrix that the FreeBSD state-event suite (../shared/suites/freebsd-tcp-testsuite/state-event-engine)
does not hold (spec/scenarios/cells/<cell>/*.pkt). Since the whole suite is run (614 scripts, 91 cells),
only one family is left: SYN-FIN *with data* in TIME-WAIT (the suite's rcv-syn-fin-time-wait scripts
carry no data).

The family copies the setup of the suite's rcv-syn-fin-time-wait cell (same sysctl lines, same way into
the state, same sequence positions) and states its expectation from RFC 9293 §3.10.7 (+ RFC 5961 when
insecure_syn=0) for STANDARD and from FreeBSD's tcp_timewait.c (tcp_twcheck) for FreeBSD, with #ifdef
blocks only where the two differ. Run it from this folder:
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


def syn_ack_opts(ip):
    return f"<mss {ip.mss},sackOK,eol,eol>"


def positions(rcv_nxt, wnd):
    """The suite's sequence positions: (name, SEG.SEQ, in window?, RFC description)."""
    return [
        ("left-edge", rcv_nxt, True, "SEG.SEQ = RCV.NXT"),
        ("right-edge", rcv_nxt + wnd - 1, True, "SEG.SEQ = RCV.NXT + RCV.WND - 1"),
        ("outside-left", (rcv_nxt - 1) % (1 << 32), False, "SEG.SEQ = RCV.NXT - 1"),
        ("outside-right", rcv_nxt + wnd, False, "SEG.SEQ = RCV.NXT + RCV.WND"),
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


def gen_syn_fin_with_data_time_wait(ip):
    """SYN-FIN with three octets of data at the left and right edge of the TIME-WAIT window."""
    for pname, seq, inwin, prfc in positions(2, TW_WND):
        if not inwin:
            continue
        for secure in (True, False):
            sec = "secure" if secure else "insecure"
            ins = ("insecure_syn", 0 if secure else 1)
            if not secure:
                std = ["+0.00 > R. 2:2(0) ack 2 win     0", "// Double check that the connection is in CLOSED.",
                       f"+0.10 `{ip.sockstat} -P tcp -s | grep packetdril | grep -c CLOSED | grep 1`"]
                stxt = ("STANDARD: the connection is reset (RFC 793 SYN rule, RFC 9293\n"
                        "§3.10.7.4 fourth with RFC 5961 off; POLICY syn-reset-form).")
            else:
                std = [TW_ACK] + still_time_wait(ip)
                stxt = "STANDARD: a challenge ACK (RFC 9293 §3.10.7.4 fourth, RFC 5961 §4.2)."
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
            note = (f"Checks the reception of a TCP SYN-FIN with data with {prfc}\n"
                    f"in the TIME-WAIT state (insecure_syn={0 if secure else 1}). {stxt}\n{btxt}")
            lines = (header(ip, note, insecure=ins) + time_wait_via_listen_setup(ip)
                     + [f"+0.10 < SF {seq}:{seq + 3}(3)       win 32767 {syn_ack_opts(ip)}"]
                     + ifdef(std, bsd) + ["+0.00 close(4) = 0", "+0.00 close(3) = 0"] + footer(ins))
            write("rcv-syn-fin-time-wait", f"rcv-syn-fin-with-data-time-wait-using-shutdown-{pname}-{sec}",
                  ip, lines)


def main():
    for entry in os.listdir(HERE):
        if entry.startswith("rcv-") and os.path.isdir(os.path.join(HERE, entry)):
            shutil.rmtree(os.path.join(HERE, entry))
    for v in (4, 6):
        gen_syn_fin_with_data_time_wait(Ip(v))


if __name__ == "__main__":
    main()
