#!/bin/bash
# SPDX-License-Identifier: MIT
# A smoke run of `make bench` (bench/run.py --smoke: tiny sizes, one repetition): every
# benchmark runs, and bench's JSON is well-formed in issue #10's schema with every row;
# the TCP rows measured something plausible.
# Args: build dir, source dir. Exit 77 (skip) without python3 or the bench programs.
set -u
BUILD=$1
SRC=$2
command -v python3 >/dev/null || { echo "no python3: skip"; exit 77; }
[ -x "$BUILD/bench_ul_bench" ] && [ -x "$BUILD/bench_k_bench" ] ||
	{ echo "bench programs not built in $BUILD: skip"; exit 77; }
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT
# Sanitizer builds run the ulnet side several times slower: the smoke sizes allow it.
timeout 500 python3 "$SRC/bench/run.py" --smoke --build "$BUILD" --out "$OUT/latest.json" ||
	{ echo "run.py failed"; exit 1; }
python3 - "$OUT/latest.json" <<'PY'
import json, sys
doc = json.load(open(sys.argv[1]))
assert set(doc) == {"machine", "date", "results"}, doc.keys()
assert doc["machine"] and doc["date"].endswith("Z")
need = {"udp_rr_1byte_lo_one_process", "udp_rr_1byte_lo_two_threads",
        "udp_idle_socket_bytes_slab", "udp_idle_socket_bytes_rss_vs_meminfo",
        "udp_rx_instructions_per_datagram", "udp_tx_instructions_per_datagram",
        "sim_speed_udp_1gbit_two_hosts", "tap_raw_frame_ceiling_1514",
        "tcp_stream_lo_64k_writes", "tcp_stream_lo_1k_writes", "tcp_rr_1byte_lo_one_process",
        "tcp_rr_1byte_lo_two_threads", "tcp_crr_lo", "tcp_idle_established_bytes_per_socket",
        "tcp_4k_queued_bytes_per_socket", "tcp_time_wait_bytes_per_socket",
        "tcp_idle_after_exchange_bytes_per_socket",
        "tcp_million_connections_rss", "tcp_million_connections_establish",
        "tcp_rx_instructions_per_segment", "tcp_rx_instructions_per_segment_with_ack",
        "tcp_tx_instructions_per_segment",
        "epoll_10k_conns_1pct_active", "tcp_over_tap_offloads", "tcp_over_tap_1514",
        "tcp_stream_lo_64k_writes_posix", "tcp_stream_lo_1k_writes_posix",
        "tcp_crr_lo_two_threads", "tcp_idle_established_bytes_rss_vs_meminfo"}
# Rows whose benchmark is not written yet: pending, no numbers.
pending = set()
rows = {r["name"]: r for r in doc["results"]}
missing = need - set(rows)
assert not missing, f"missing rows: {missing}"
bad = []
for r in doc["results"]:
    for k in ("name", "unit", "ulnet", "kernel", "ratio", "goal", "goal_met"):
        assert k in r, f"{r['name']}: no {k}"
    assert r["goal_met"] in (True, False, None)
    if r["ratio"] is not None:
        # (abs: a kernel slab delta of a smoke run can be negative, other programs free)
        assert r["kernel"] and abs(r["ratio"] - r["ulnet"] / r["kernel"]) < 0.01 * abs(r["ratio"]) + 1e-3
    note = r.get("note") or ""
    if r["name"] in pending:
        assert note.startswith("pending: "), f"{r['name']} is not pending: {note}"
        assert r["ulnet"] is None and r["kernel"] is None
        continue
    assert not note.startswith("pending"), f"{r['name']} is still pending: {note}"
    # Every benchmark that exists must have measured something (the TAP row may skip
    # when not root; valgrind may be missing).
    if "tap" in r["name"] and r["ulnet"] is None and r["kernel"] is None:
        assert "skip" in note or "SKIP" in note or "root" in note, note
        continue
    if "instructions" in r["name"] and r["ulnet"] is None:
        assert "skipped: valgrind" in note, note
        continue
    if r["ulnet"] is None and r["kernel"] is None:
        bad.append(f"{r['name']}: {note}")
    elif r["ulnet"] is not None and r["ulnet"] <= 0:
        bad.append(f"{r['name']}: ulnet {r['ulnet']}")
assert not bad, bad
# A socket costs something, and less than a megabyte.
m = rows["udp_idle_socket_bytes_slab"]
assert 100 < m["ulnet"] < 1 << 20, m
# An idle TCP socket costs at least its tcp_sock; 4 KiB queued costs more than idle; a
# TIME_WAIT sock less than an idle socket.
idle = rows["tcp_idle_established_bytes_per_socket"]["ulnet"]
q4k = rows["tcp_4k_queued_bytes_per_socket"]["ulnet"]
tw = rows["tcp_time_wait_bytes_per_socket"]["ulnet"]
assert 500 < idle < 1 << 20 and q4k > idle and 0 < tw < idle, (idle, q4k, tw)
# After an exchange a socket costs at least an idle one's objects, and less than with 4 KiB
# left queued.
msg = rows["tcp_idle_after_exchange_bytes_per_socket"]["ulnet"]
assert idle * 0.9 < msg < q4k, (idle, msg, q4k)
# The receive path up to the socket queue is a part of the one with the ACK it triggers.
rx, rxa = rows["tcp_rx_instructions_per_segment"], rows["tcp_rx_instructions_per_segment_with_ack"]
if rx["ulnet"] is not None:
    assert 0 < rx["ulnet"] < rxa["ulnet"], (rx, rxa)
# Every connection of the (small) million run carried its message.
mil = rows["tcp_million_connections_rss"]
assert mil["ulnet"] > 0 and " 2000 messages" in mil["note"], mil
# epoll's work per ready event stays flat from a tenth of the set to all of it.
assert rows["epoll_10k_conns_1pct_active"]["goal_met"] is True, rows["epoll_10k_conns_1pct_active"]
for nm in ("tcp_stream_lo_64k_writes", "tcp_rr_1byte_lo_one_process", "tcp_crr_lo",
           "epoll_10k_conns_1pct_active"):
    assert rows[nm]["ulnet"] > 0 and rows[nm]["kernel"] > 0, rows[nm]
print("bench smoke: %d rows OK" % len(rows))
PY
