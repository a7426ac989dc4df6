#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""`make bench`: run each benchmark against ulnet and this machine's Linux kernel, interleaved.

Each row runs its ulnet side and (when there is one) its kernel side alternately, --reps
times (at least 5 for a real run), and reports the median with min and max; the table shows
the ratio ulnet/kernel and whether the issue's goal is met; bench/results/latest.json gets
the same in issue #10's schema (plus a "note" per row: how it was measured, or why it is
pending). Benchmarks not written yet are rows marked pending, with no numbers.

Usage: bench/run.py [--build DIR] [--reps N] [--smoke] [--out FILE]
  --smoke: tiny sizes and 1 repetition (the CTest script test bench_smoke.sh).
"""
import argparse
import datetime
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
# What is still pending is a benchmark not written yet (TCP moves data now).
PENDING_TODO = "pending: not written yet (issue #10)"

# Sizes: (real run, smoke run).
SIZES = {
    "rr": (50000, 200),
    "cost": (2000, 50),
    "simspeed": (200000, 300),
    "mem": (100000, 2000),
    "tap": (50000, 500),
    "stream64k": (256 << 20, 1 << 20),      # bytes
    "stream1k": (64 << 20, 256 << 10),      # bytes
    "tcprr": (50000, 200),
    "crr": (10000, 100),
    "tcpmem": (100000, 1000),
    "tcpmem_small": (20000, 500),           # 4 KiB queued
    "tcptw": (10000, 500),                  # 5 reps stay under tcp_max_tw_buckets (32,768)
    "million": (1000000, 2000),
    "epoll": (9900, 500),                   # connections (2 fds each: RLIMIT_NOFILE 20,000)
    "tcpcost": (2000, 50),                  # segments (callgrind: N and 3N)
    "taptcp": (256 << 20, 4 << 20),         # bytes each way over the TAP / the veth
}


class Bench:
    def __init__(self, args):
        self.args = args
        self.smoke = args.smoke
        self.ul = os.path.join(args.build, "bench_ul_bench")
        self.k = os.path.join(args.build, "bench_k_bench")
        for exe in (self.ul, self.k):
            if not os.access(exe, os.X_OK):
                sys.exit(f"run.py: {exe} is missing: build the bench targets first")

    def size(self, key):
        return SIZES[key][1 if self.smoke else 0]

    def run(self, argv, timeout):
        """Run one benchmark program; returns (value or None, info dict, skip reason)."""
        try:
            p = subprocess.run(argv, capture_output=True, text=True, timeout=timeout)
        except subprocess.TimeoutExpired:
            return None, {}, f"timed out after {timeout} s"
        info = {}
        value = None
        for line in p.stdout.splitlines():
            if line.startswith("RESULT "):
                value = float(line.split()[1])
            elif line.startswith("INFO "):
                for kv in line[5:].split():
                    k, _, v = kv.partition("=")
                    info[k] = v
            elif line.startswith("SKIP "):
                return None, info, line[5:]
        if p.returncode == 77:
            return None, info, "skipped: " + (p.stderr.strip() or "not available")
        if p.returncode != 0 or value is None:
            msg = (p.stderr.strip().splitlines() or ["exit %d" % p.returncode])[-1]
            return None, info, f"failed: {msg}"
        return value, info, None


def stats(vals):
    if not vals:
        return None
    return {"median": statistics.median(vals), "min": min(vals), "max": max(vals),
            "n": len(vals)}


# ---- rows ----------------------------------------------------------------------------------

def row(name, unit, goal, note=None, pending=None):
    return {"name": name, "unit": unit, "goal": goal, "note": note, "pending": pending,
            "ulnet": [], "kernel": [], "info_ul": {}, "info_k": {}, "fail": None,
            "ratio_goal": None, "abs_goal": None, "min_goal": None, "goal_met": None,
            "has_kernel": False}


def measure_interleaved(b, r, ul_argv, k_argv, reps, timeout, ul_key=None, k_key=None):
    """Alternate ulnet and kernel runs; @ul_key/@k_key pick an INFO value instead of RESULT."""
    r["has_kernel"] = k_argv is not None
    for i in range(reps):
        sides = [("ulnet", ul_argv, ul_key, "info_ul"), ("kernel", k_argv, k_key, "info_k")]
        if i % 2:
            sides.reverse()     # alternate who goes first: neither always runs on a cold cache
        for side, argv, key, infok in sides:
            if argv is None:
                continue
            v, info, why = b.run(argv, timeout)
            if why:
                if side == "kernel" and why.startswith("skipped"):
                    r["note"] = (r["note"] or "") + f" (kernel side {why})"
                    r["has_kernel"] = False
                    k_argv = None
                    continue
                r["fail"] = f"{side} side {why}"
                return
            if key is not None:
                v = float(info[key])
            r[side].append(v)
            r[infok] = info


def callgrind_calls_into(path, pattern):
    """Inclusive instructions of all calls into functions whose name matches @pattern (a
    regular expression, matched whole) from functions whose name does not, read from the
    raw callgrind output @path (its call records: "cfn=" then "calls=" then a cost line whose
    second field is the call's inclusive cost). GCC's partial inlining splits a function
    into NAME and NAME.part.N; the pattern names both, and calls between them are not
    counted twice."""
    names, fn, cfn, expect, total = {}, None, None, False, 0

    def name(ref):
        m = re.match(r"\((\d+)\)(?: (.*))?$", ref)
        if not m:
            return ref
        if m.group(2):
            names[m.group(1)] = m.group(2)
        return names.get(m.group(1), "?")
    inside = re.compile(pattern)
    with open(path) as f:
        for line in f:
            if line.startswith("fn="):
                fn = name(line[3:].rstrip("\n"))
            elif line.startswith("cfn="):
                cfn = name(line[4:].rstrip("\n"))
            elif line.startswith("calls="):
                expect = True
            elif expect and line[:1] and (line[0].isdigit() or line[0] in "+-*"):
                fields = line.split()
                if (len(fields) > 1 and inside.fullmatch(cfn or "")
                        and not inside.fullmatch(fn or "")):
                    total += int(fields[1])
                expect = False
    return total


def callgrind_costs(b, n, timeout, sub="udp_cost", toggle=None, calls_into=None):
    """Inclusive instructions of each function for @n datagrams or segments (sim), running
    subcommand @sub of bench_ul_bench under callgrind. With @toggle (a function name),
    only what runs inside that function is collected, and the key "<total>" holds
    everything collected: unlike the function's inclusive count, it cannot miss
    instructions reached through a tail call (a jump out of the function that callgrind
    attributes to the caller). With @calls_into (a regular expression), the key
    "<calls-into>" holds callgrind_calls_into's count."""
    if not shutil.which("valgrind") or not shutil.which("callgrind_annotate"):
        return None, "skipped: valgrind (callgrind) is not installed"
    try:
        with open(os.path.join(b.args.build, "CMakeCache.txt")) as f:
            if re.search(r"^ULNET_SANITIZE:BOOL=ON$", f.read(), re.M):
                return None, "skipped: valgrind cannot run an ASan build (use the release one)"
    except OSError:
        pass
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "cg.out")
        # No --toggle-collect: the program runs without task switches, so callgrind's call
        # tree is exact and the inclusive count of each function is what we subtract.
        argv = ["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}"]
        if toggle:
            argv.append(f"--toggle-collect={toggle}")
        argv += [b.ul, sub, str(n)]
        try:
            p = subprocess.run(argv, capture_output=True, text=True, timeout=timeout)
        except subprocess.TimeoutExpired:
            return None, f"callgrind timed out after {timeout} s"
        if p.returncode != 0:
            return None, "callgrind run failed: " + (p.stderr.strip().splitlines() or ["?"])[-1]
        a = subprocess.run(["callgrind_annotate", "--inclusive=yes", "--auto=no",
                            "--threshold=100", out], capture_output=True, text=True)
        costs = {}
        if calls_into:
            costs["<calls-into>"] = callgrind_calls_into(out, calls_into)
        for line in a.stdout.splitlines():
            m = re.match(r"^\s*([\d,]+)\s+\([^)]*\)\s+\S+:([\w.]+)\s+\[", line)
            if m:
                costs.setdefault(m.group(2), int(m.group(1).replace(",", "")))
            m = re.match(r"^\s*([\d,]+)\s+\([^)]*\)\s+PROGRAM TOTALS", line)
            if m:
                costs["<total>"] = int(m.group(1).replace(",", ""))
        return costs, None


def callgrind_steady(b, n, sub="udp_cost", toggle=None, calls_into=None):
    """Steady-state inclusive instructions per datagram or segment: two callgrind runs of
    @sub, of @n and 3 @n, differenced (removing the one-time costs of the first). Returns
    (per, names, None), per(fn) the cost of function fn per item and names the functions
    seen, or (None, None, why)."""
    c1, why = callgrind_costs(b, n, 600, sub, toggle, calls_into)
    c2 = None
    if c1:
        c2, why = callgrind_costs(b, 3 * n, 900, sub, toggle, calls_into)
    if not c1 or not c2:
        return None, None, why

    def per(fn):
        return (c2.get(fn, 0) - c1.get(fn, 0)) / (2 * n)
    return per, set(c1) | set(c2), None


def tap_directions(r):
    """Both directions of the last TAP run in the note (RESULT is the slower one)."""
    i = r["info_ul"]
    if r["ulnet"] and "to_peer_gbit" in i:
        r["note"] += (f"; last run: {i['to_peer_gbit']} Gbit/s to ulnet, "
                      f"{i['from_peer_gbit']} from it, the kernel retransmitted "
                      f"{i.get('kernel_retrans_segs', '?')} segments")


def build_rows(b):
    reps = b.args.reps
    rows = []
    n_rr = b.size("rr")

    # 1. Loopback stream (TCP): one connection over lo, the client writes, the server reads
    # into a 64 KiB buffer; Gbit/s from the server's accept to its EOF (kernel: the
    # client's start to the server thread's end).
    for wname, key, goal, gx in (("64k", "stream64k", ">= 1.5x kernel", 1.5),
                                 ("1k", "stream1k", ">= 3x kernel", 3.0)):
        nb = b.size(key)
        for rt, suffix, how in (("sim", "", "sim runtime, both ends tasks of one thread"),
                                ("posix", "_posix", "posix runtime, two task threads")):
            r = row(f"tcp_stream_lo_{wname}_writes{suffix}", "Gbit/s", goal,
                    note=f"{nb >> 20} MiB in {wname} writes over lo; ulnet: {how}; kernel: "
                         "two threads of one process over 127.0.0.1; TCP_NODELAY")
            r["ratio_goal"] = gx
            measure_interleaved(b, r, [b.ul, f"tcp_stream_{rt}_{wname}", str(nb)],
                                [b.k, f"tcp_stream_{wname}", str(nb)], reps, 120)
            rows.append(r)

    # 2. Request/response: UDP now, TCP pending.
    r = row("udp_rr_1byte_lo_one_process", "round trips/s", ">= 5x kernel (TCP_RR's goal)",
            note="ulnet: sim runtime, both ends tasks of one thread; kernel: one process, "
                 "two threads, 127.0.0.1")
    r["ratio_goal"] = 5.0
    measure_interleaved(b, r, [b.ul, "udp_rr_sim", str(n_rr)],
                        [b.k, "udp_rr_threads", str(n_rr)], reps, 120)
    rows.append(r)
    r = row("udp_rr_1byte_lo_two_threads", "round trips/s", ">= 5x kernel (TCP_RR's goal)",
            note="ulnet: posix runtime, two task threads; kernel: two processes, 127.0.0.1")
    r["ratio_goal"] = 5.0
    measure_interleaved(b, r, [b.ul, "udp_rr_posix", str(n_rr)],
                        [b.k, "udp_rr_procs", str(n_rr)], reps, 120)
    rows.append(r)
    n_trr = b.size("tcprr")
    r = row("tcp_rr_1byte_lo_one_process", "round trips/s", ">= 5x kernel",
            note="1 byte each way on one connection, TCP_NODELAY; ulnet: sim runtime, both "
                 "ends tasks of one thread; kernel: two threads of one process, 127.0.0.1")
    r["ratio_goal"] = 5.0
    measure_interleaved(b, r, [b.ul, "tcp_rr_sim", str(n_trr)],
                        [b.k, "tcp_rr_threads", str(n_trr)], reps, 120)
    rows.append(r)
    r = row("tcp_rr_1byte_lo_two_threads", "round trips/s", ">= 5x kernel",
            note="ulnet: posix runtime, two task threads; kernel: two processes, 127.0.0.1")
    r["ratio_goal"] = 5.0
    measure_interleaved(b, r, [b.ul, "tcp_rr_posix", str(n_trr)],
                        [b.k, "tcp_rr_procs", str(n_trr)], reps, 120)
    rows.append(r)
    n_crr = b.size("crr")
    r = row("tcp_crr_lo", "transactions/s", ">= 3x kernel",
            note=f"{n_crr} x (connect, 1 byte each way, server closes first, client sees EOF "
                 "and closes); ulnet: sim runtime, one thread; kernel: two threads")
    r["ratio_goal"] = 3.0
    measure_interleaved(b, r, [b.ul, "tcp_crr_sim", str(n_crr)],
                        [b.k, "tcp_crr", str(n_crr)], reps, 120)
    rows.append(r)
    r = row("tcp_crr_lo_two_threads", "transactions/s", ">= 3x kernel",
            note="the same; ulnet: posix runtime, two task threads; kernel: two processes")
    r["ratio_goal"] = 3.0
    measure_interleaved(b, r, [b.ul, "tcp_crr_posix", str(n_crr)],
                        [b.k, "tcp_crr_procs", str(n_crr)], reps, 120)
    rows.append(r)

    # 3. Memory per socket: idle UDP sockets now, TCP pending.
    n_mem = b.size("mem")
    r = row("udp_idle_socket_bytes_slab", "bytes/socket", "<= 1024 (the TCP socket goal)",
            note=f"{n_mem} unbound UDP sockets; ulnet: slab accounting (ul_slab_bytes) delta; "
                 "kernel: /proc/slabinfo active objects x size of UDP, sock_inode_cache, "
                 "filp, dentry, sockets spread over processes (RLIMIT_NOFILE)")
    r["abs_goal"] = 1024.0
    measure_interleaved(b, r, [b.ul, "mem", str(n_mem)], [b.k, "mem", str(n_mem)],
                        reps, 300)
    rows.append(r)
    r = row("udp_idle_socket_bytes_rss_vs_meminfo", "bytes/socket", "<= 1024",
            note="ulnet: process RSS growth; kernel: Slab: of /proc/meminfo growth")
    r["abs_goal"] = 1024.0
    measure_interleaved(b, r, [b.ul, "mem", str(n_mem)], [b.k, "mem", str(n_mem)],
                        max(1, reps // 2 + 1 if b.smoke else reps), 300,
                        ul_key="rss_per_socket", k_key="meminfo_slab_per_socket")
    rows.append(r)
    n_tm, n_ts = b.size("tcpmem"), b.size("tcpmem_small")
    kcaches = ("kernel: /proc/slabinfo growth (active objects x size) of TCP, "
               "sock_inode_cache, filp, dentry, tw_sock_TCP, bind buckets, skbuff caches, "
               "kmalloc-cg-*; connections spread over processes (RLIMIT_NOFILE)")
    r = row("tcp_idle_established_bytes_per_socket", "bytes/socket", "<= 1024",
            note=f"{n_tm} idle ESTABLISHED connections over lo (2 sockets each); ulnet: slab "
                 "accounting (ul_slab_bytes) growth / sockets; " + kcaches)
    r["abs_goal"] = 1024.0
    measure_interleaved(b, r, [b.ul, "tcp_mem_idle", str(n_tm)],
                        [b.k, "tcp_mem_idle", str(n_tm)], reps, 300)
    rows.append(r)
    r = row("tcp_idle_established_bytes_rss_vs_meminfo", "bytes/socket", "<= 1024",
            note="the same connections; ulnet: process RSS growth; kernel: Slab: of "
                 "/proc/meminfo growth")
    r["abs_goal"] = 1024.0
    measure_interleaved(b, r, [b.ul, "tcp_mem_idle", str(n_tm)],
                        [b.k, "tcp_mem_idle", str(n_tm)], 1 if b.smoke else reps, 300,
                        ul_key="rss_per_socket", k_key="meminfo_slab_per_socket")
    rows.append(r)
    r = row("tcp_idle_after_exchange_bytes_per_socket", "bytes/socket", "report",
            note=f"{n_ts} connections idle after one 64-byte request and response each (read "
                 "on both ends, delayed ACKs fired): state allocated at first use and kept "
                 "shows here; slab growth / sockets; kernel: slabinfo as above")
    measure_interleaved(b, r, [b.ul, "tcp_mem_msg", str(n_ts)],
                        [b.k, "tcp_mem_msg", str(n_ts)], reps, 300)
    rows.append(r)
    r = row("tcp_4k_queued_bytes_per_socket", "bytes/socket", "report",
            note=f"{n_ts} connections, 4 KiB written on each and left unread (delivered and "
                 "ACKed); slab growth / sockets; kernel: slabinfo as above plus the pages of "
                 "sockstat's TCP mem (data in page frags)")
    measure_interleaved(b, r, [b.ul, "tcp_mem_q4k", str(n_ts)],
                        [b.k, "tcp_mem_q4k", str(n_ts)], reps, 300)
    rows.append(r)
    n_tw = b.size("tcptw")
    r = row("tcp_time_wait_bytes_per_socket", "bytes/socket", "report",
            note=f"{n_tw} connections closed by the server first (its TIME_WAIT socks share the "
                 "listener's port): slab growth per TIME_WAIT sock (sockstat tw); the same "
                 "in the kernel")
    measure_interleaved(b, r, [b.ul, "tcp_mem_tw", str(n_tw)],
                        [b.k, "tcp_mem_tw", str(n_tw)], reps, 300)
    rows.append(r)

    # 4. One million connections: one run (minutes and GiB: no repetitions), both rows.
    n_mil = b.size("million")
    rss = row("tcp_million_connections_rss", "GiB", "< 3 GiB",
              note=f"{n_mil:,} connections between two namespaces of one ulnet process (sim "
                   "runtime) joined by a veth, client from 20 addresses (SO_REUSEADDR binds), "
                   "one 1-byte message on each; peak RSS (VmHWM) of the process; one run")
    rss["abs_goal"] = 3.0
    est = row("tcp_million_connections_establish", "s", "< 60 s",
              note="wall time of the million nonblocking connects until the last accept; "
                   "one run")
    est["abs_goal"] = 60.0
    v, info, why = b.run([b.ul, "tcp_million", str(n_mil)], 900)
    if why:
        rss["fail"] = est["fail"] = "ulnet side " + why
    else:
        rss["ulnet"].append(v)
        est["ulnet"].append(float(info["establish_s"]))
        rss["info_ul"] = est["info_ul"] = info
        extra = (f"; {info.get('messages')} messages; RSS {float(info['rss_per_connection']):,.0f} "
                 f"B and slab {float(info['slab_per_connection']):,.0f} B per connection")
        if n_mil != 1000000:
            extra += (f"; extrapolated to 1M: {info.get('rss_gib_1m')} GiB, "
                      f"{info.get('establish_s_1m')} s")
        rss["note"] += extra
    rows += [rss, est]

    # 5. Per-packet cost (callgrind, deterministic: one run of two sizes, the difference
    # removes the one-time costs of the first datagram: route, inet_peer, caches).
    n_cost = b.size("cost")
    rx = row("udp_rx_instructions_per_datagram", "instructions",
             "<= 1000 (the TCP segment goal)",
             note="callgrind inclusive Ir of __netif_receive_skb (lo's backlog calls it; "
                  "through ip_rcv, udp_rcv to the socket queue and wakeup), per 32-byte "
                  "datagram, steady state (difference of two runs)")
    rx["abs_goal"] = 1000.0
    tx = row("udp_tx_instructions_per_datagram", "instructions", "report",
             note="callgrind inclusive Ir of udp_sendmsg (unconnected sendto) minus "
                  "loopback_xmit (ndo_start_xmit) and the receive softirq run inside it, per "
                  "datagram, steady state")
    per, names, why = callgrind_steady(b, n_cost)
    if not per:
        rx["fail"] = tx["fail"] = why
    else:
        # -O2 inlines __netif_receive_skb into process_backlog: its body is
        # __netif_receive_skb_core (a .constprop clone); take the outermost present.
        rx_v = max([per(fn) for fn in names
                    if fn.startswith("__netif_receive_skb")] or [0.0])
        # Sending on lo runs the receive softirq inline (local_bh_enable in dev_queue_xmit):
        # take it and loopback_xmit (ndo_start_xmit, with its netif_rx) out of udp_sendmsg.
        tx_v = per("udp_sendmsg") - per("__do_softirq") - per("loopback_xmit")
        rx["ulnet"].append(rx_v)
        tx["ulnet"].append(tx_v)
        rx["info_ul"] = {"n": str(2 * n_cost)}
        tx["info_ul"] = {"loopback_xmit": "%.0f" % per("loopback_xmit")}
    rows += [rx, tx]
    n_tc = b.size("tcpcost")
    rx = row("tcp_rx_instructions_per_segment", "instructions", "<= 1000",
             note="callgrind Ir collected inside netif_receive_skb (--toggle-collect) per "
                  "in-order 1448-byte data segment, from netif_receive_skb to the socket "
                  "queue as the issue defines it (ip_rcv, tcp_v4_rcv, the "
                  "tcp_rcv_established fast path, the receive queue, the wakeup, the "
                  "decision to ACK), without the ACK that every second segment then "
                  "transmits (calls into tcp_send_ack: the next row counts them), the peer "
                  "played by the program on a dummy device (checksum offloaded, no "
                  "timestamps), steady state (difference of two runs)")
    rx["abs_goal"] = 1000.0
    rxa = row("tcp_rx_instructions_per_segment_with_ack", "instructions", "report",
              note="the same, with the ACK sent every second segment (tcp_send_ack through "
                   "ndo_start_xmit, the dummy driver freeing it) shared over both segments")
    tx = row("tcp_tx_instructions_per_segment", "instructions", "report",
             note="callgrind Ir collected inside tcp_sendmsg (--toggle-collect: a tail call "
                  "cannot hide instructions) minus dummy_xmit (ndo_start_xmit) "
                  "per 1448-byte send (TCP_NODELAY, one segment each, the peer ACKing every "
                  "second), the same dummy device, steady state")
    for r, sub, top in ((rx, "tcp_cost_rx", "netif_receive_skb"),
                        (tx, "tcp_cost_tx", "tcp_sendmsg")):
        per_seg, _, why = callgrind_steady(b, n_tc, sub, toggle=top,
                                           calls_into=r"tcp_send_ack(\.part\.\d+)?")
        if not per_seg:
            r["fail"] = why
            if r is rx:
                rxa["fail"] = why
            continue
        if r is rx:
            ack = per_seg("<calls-into>")
            r["ulnet"].append(per_seg("<total>") - ack)
            rxa["ulnet"].append(per_seg("<total>"))
            r["info_ul"] = {"tcp_v4_rcv": "%.0f" % per_seg("tcp_v4_rcv"),
                            "tcp_rcv_established": "%.0f" % per_seg("tcp_rcv_established"),
                            "ack_per_segment": "%.0f" % ack}
            rxa["info_ul"] = {"ack_per_segment": "%.0f" % ack}
        else:
            r["ulnet"].append(per_seg("<total>") - per_seg("dummy_xmit"))
            r["info_ul"] = {"dummy_xmit": "%.0f" % per_seg("dummy_xmit")}
    rows += [rx, rxa, tx]

    # 6. epoll at scale: the work per ready event must not grow with the idle connections.
    n_ep = b.size("epoll")
    r = row("epoll_10k_conns_1pct_active", "us/request", "flat per ready event",
            note=f"{n_ep} connections over lo in one process (the kernel's RLIMIT_NOFILE of "
                 "20,000 allows 2 fds x 9,900), 1% of them send 1 byte per round and the "
                 "server answers from epoll_wait (level-triggered), 300 rounds; wall time "
                 "per request (both ends); ulnet: sim runtime, one thread; goal: ulnet's "
                 "epoll items visited per ready event with all of them in the set within "
                 "10% of that with a tenth")
    measure_interleaved(b, r, [b.ul, "epoll_scale", str(n_ep)],
                        [b.k, "epoll_scale", str(n_ep)], reps, 120)
    if r["ulnet"]:
        v_small = float(r["info_ul"]["small_visited_per_event"])
        v_big = float(r["info_ul"]["big_visited_per_event"])
        r["goal_met"] = v_big <= 1.1 * v_small
        r["note"] += (f"; visited per ready event: {v_small:.2f} with "
                      f"{r['info_ul']['small_connections']} in the set, {v_big:.2f} with "
                      f"{r['info_ul']['big_connections']}; us/request with a tenth: ulnet "
                      f"{r['info_ul']['small_us_per_request']}, kernel "
                      f"{r['info_k'].get('small_us_per_request', '-')}")
    rows.append(r)

    # 7. TAP.
    n_tap = b.size("tap")
    r = row("tap_raw_frame_ceiling_1514", "Gbit/s each way", "reference",
            note="kernel only: a C program writes 1514-byte ICMP echo requests to a TAP in "
                 "its own namespace and reads the replies (the ceiling TCP over TAP is "
                 "measured against)")
    measure_interleaved(b, r, None, [b.k, "tap", str(n_tap)], reps, 60)
    if r["kernel"]:
        r["has_kernel"] = True
    rows.append(r)
    n_tt = b.size("taptcp")
    ceiling = r
    r = row("tcp_over_tap_offloads", "Gbit/s", ">= 10 Gbit/s each way",
            note=f"{n_tt >> 20} MiB each way: the kernel (a namespace of its own) to `ulnet up "
                 "--offload` over the TAP (IFF_VNET_HDR, TSO/GSO frames of up to 64 KiB): "
                 "TCP discard, then HTTP GET /bytes/N; the slower direction; kernel: the same "
                 "kernel to kernel over a veth between two namespaces")
    r["min_goal"] = 10.0
    measure_interleaved(b, r, [b.k, "tcp_tap_offload", str(n_tt)],
                        [b.k, "tcp_veth", str(n_tt)], reps, 180)
    tap_directions(r)
    rows.append(r)
    r = row("tcp_over_tap_1514", "Gbit/s", ">= 80% of the 1514-byte ceiling",
            note=f"{n_tt >> 20} MiB each way as above, `ulnet up` without --offload (frames of "
                 "the 1500 MTU); kernel: the raw 1514-byte TAP ceiling row (ratio goal 0.8)")
    r["ratio_goal"] = 0.8
    measure_interleaved(b, r, [b.k, "tcp_tap_1514", str(n_tt)], None, reps, 180)
    tap_directions(r)
    if ceiling["kernel"] and r["ulnet"]:
        r["kernel"] = list(ceiling["kernel"])
        r["has_kernel"] = True
    rows.append(r)

    # 8. Simulation speed.
    n_sim = b.size("simspeed")
    r = row("sim_speed_udp_1gbit_two_hosts", "simulated packets/wall s", "report",
            note=f"{n_sim} 1472-byte UDP datagrams, host a to host b over simulated igb NICs "
                 "at 1000 Mbit/s joined by a hw wire; frames on the wire per wall second")
    measure_interleaved(b, r, [b.ul, "simspeed", str(n_sim)], None, reps, 300)
    rows.append(r)
    return rows


def finish(r):
    """The JSON row of issue #10 (+ note)."""
    ul = stats(r["ulnet"])
    k = stats(r["kernel"]) if r["has_kernel"] else None
    out = {"name": r["name"], "unit": r["unit"], "ulnet": None, "kernel": None,
           "ratio": None, "goal": r["goal"], "goal_met": None}
    note = r["note"]
    if r["pending"]:
        note = r["pending"]
    elif r["fail"]:
        note = (note + "; " if note else "") + r["fail"]
    else:
        if ul:
            out["ulnet"] = round(ul["median"], 3)
            out["ulnet_min"], out["ulnet_max"] = round(ul["min"], 3), round(ul["max"], 3)
        if k:
            out["kernel"] = round(k["median"], 3)
            out["kernel_min"], out["kernel_max"] = round(k["min"], 3), round(k["max"], 3)
        if ul and k and k["median"]:
            out["ratio"] = round(ul["median"] / k["median"], 3)
        if r["ratio_goal"] is not None and out["ratio"] is not None:
            out["goal_met"] = out["ratio"] >= r["ratio_goal"]
        elif r["abs_goal"] is not None and out["ulnet"] is not None:
            out["goal_met"] = out["ulnet"] <= r["abs_goal"]
        elif r["min_goal"] is not None and out["ulnet"] is not None:
            out["goal_met"] = out["ulnet"] >= r["min_goal"]
        elif r["goal_met"] is not None:
            out["goal_met"] = r["goal_met"]
        out["reps"] = (ul or k or {"n": 0})["n"]
    out["note"] = note
    return out


def machine():
    cpu = "unknown CPU"
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    return f"{cpu}, {os.cpu_count()} cores, Linux {platform.release()}"


def fmt(v):
    if v is None:
        return "-"
    if abs(v) >= 100:
        return f"{v:,.0f}"
    return f"{v:.3g}"


def markdown_table(path):
    """The table of docs/performance.md from a results file: one line per row, the median
    with [min..max] where there were several repetitions."""
    with open(path) as f:
        doc = json.load(f)
    lines = ["| benchmark | unit | ulnet | kernel | ulnet/kernel | goal | met? |",
             "|---|---|---|---|---|---|---|"]
    def num(v):
        return fmt(v) if v is None or abs(v) >= 100 else f"{v:#.3g}"
    for r in doc["results"]:
        def cell(side):
            v, lo, hi = r.get(side), r.get(side + "_min"), r.get(side + "_max")
            if v is not None and lo is not None and hi is not None and lo != hi:
                return f"{num(v)} [{num(lo)}..{num(hi)}]"
            return num(v)
        met = {True: "yes", False: "**no**", None: "-"}[r["goal_met"]]
        ratio = "-" if r["ratio"] is None else f"{r['ratio']:.2f}"
        goal = r["goal"].replace(">=", "≥").replace("<=", "≤")
        lines.append(f"| {r['name']} | {r['unit']} | {cell('ulnet')} | {cell('kernel')} | "
                     f"{ratio} | {goal} | {met} |")
    return "\n".join(lines)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--build", default=os.path.join(ROOT, "build", "release"))
    ap.add_argument("--reps", type=int, default=None)
    ap.add_argument("--smoke", action="store_true")
    ap.add_argument("--out", default=os.path.join(HERE, "results", "latest.json"))
    ap.add_argument("--markdown", metavar="JSON",
                    help="print the Markdown table of a results file and exit")
    args = ap.parse_args()
    if args.markdown:
        print(markdown_table(args.markdown))
        return
    if args.reps is None:
        args.reps = 1 if args.smoke else 5
    if not args.smoke and args.reps < 5:
        sys.exit("run.py: a real run takes at least 5 repetitions")
    b = Bench(args)
    rows = [finish(r) for r in build_rows(b)]
    doc = {"machine": machine(),
           "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
           "results": rows}
    os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
    with open(args.out, "w") as f:
        json.dump(doc, f, indent=1)
        f.write("\n")

    hdr = ("name", "unit", "ulnet", "kernel", "ratio", "goal", "met?")
    lines = []
    for o in rows:
        if o["note"] and o["note"].startswith("pending"):
            lines.append((o["name"], o["unit"], o["note"], "", "", o["goal"], ""))
            continue
        ul = fmt(o["ulnet"])
        if o.get("ulnet_min") is not None:
            ul += f" [{fmt(o['ulnet_min'])}..{fmt(o['ulnet_max'])}]"
        k = fmt(o["kernel"])
        if o.get("kernel_min") is not None:
            k += f" [{fmt(o['kernel_min'])}..{fmt(o['kernel_max'])}]"
        if o["ulnet"] is None and o["kernel"] is None:
            ul = (o["note"] or "no result").split("; ")[-1]
        met = {True: "yes", False: "NO", None: "-"}[o["goal_met"]]
        lines.append((o["name"], o["unit"], ul, k, fmt(o["ratio"]), o["goal"], met))
    w = [max(len(str(x[i])) for x in lines + [hdr]) for i in range(len(hdr))]
    print(f"machine: {doc['machine']}  date: {doc['date']}  reps: {args.reps}")
    print("  ".join(str(h).ljust(w[i]) for i, h in enumerate(hdr)))
    for ln in lines:
        print("  ".join(str(c).ljust(w[i]) for i, c in enumerate(ln)))
    print(f"written: {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
