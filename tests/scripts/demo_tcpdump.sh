#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# `ulnet demo --pcap F` writes a capture that the real tools read: tcpdump shows the 0x88b5
# frame, tshark reports no malformed packet, and the trace JSON parses.
# Args: build dir, source dir. Exit 77 (skip) when tcpdump or tshark is missing.
set -u
build=${1:?usage: demo_tcpdump.sh BUILD_DIR SOURCE_DIR}
ulnet="$build/ulnet"
for tool in tcpdump tshark; do
	if ! command -v "$tool" >/dev/null 2>&1; then
		echo "demo_tcpdump: SKIP: $tool is not installed (scripts/install-deps.sh installs it)"
		exit 77
	fi
done
[ -x "$ulnet" ] || { echo "demo_tcpdump: FAIL: $ulnet not built"; exit 1; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "demo_tcpdump: FAIL: $*"; exit 1; }

"$ulnet" demo --pcap "$tmp/demo.pcap" --trace-json "$tmp/demo.json" >"$tmp/out.txt" 2>&1 ||
	{ cat "$tmp/out.txt"; fail "ulnet demo exited with $?"; }
grep -q "all checks passed" "$tmp/out.txt" || { cat "$tmp/out.txt"; fail "demo did not pass"; }

# tcpdump: exactly one frame, Ethernet, ethertype 0x88b5, lo's zero addresses.
tcpdump -r "$tmp/demo.pcap" -nn -e >"$tmp/tcpdump.txt" 2>"$tmp/tcpdump.err" ||
	{ cat "$tmp/tcpdump.err"; fail "tcpdump -r failed"; }
cat "$tmp/tcpdump.txt"
# One record line (tcpdump adds a hex dump of an unknown ethertype's payload below it).
frames=$(grep -c '^[0-9]' "$tmp/tcpdump.txt")
[ "$frames" -eq 1 ] || fail "tcpdump shows $frames frames, want 1"
grep -q "00:00:00:00:00:00 > 00:00:00:00:00:00, ethertype Unknown (0x88b5)" "$tmp/tcpdump.txt" ||
	fail "tcpdump does not show the 0x88b5 frame"
grep -q "link-type EN10MB" "$tmp/tcpdump.err" || fail "link type is not EN10MB"

# tshark: one frame, nothing malformed (expert info would name it).
# (tshark warns on stderr when run as root; only stdout is the dissection.)
tshark -r "$tmp/demo.pcap" >"$tmp/tshark.txt" 2>"$tmp/tshark.err" ||
	{ cat "$tmp/tshark.err"; fail "tshark -r failed"; }
cat "$tmp/tshark.txt"
[ "$(grep -c . "$tmp/tshark.txt")" -eq 1 ] || fail "tshark shows more or less than one frame"
grep -q "0x88b5" "$tmp/tshark.txt" || fail "tshark does not show ethertype 0x88b5"
if grep -qi "malformed" "$tmp/tshark.txt"; then fail "tshark reports a malformed packet"; fi
tshark -r "$tmp/demo.pcap" -z expert -q >"$tmp/expert.txt" 2>/dev/null ||
	fail "tshark -z expert failed"
if grep -qi "malformed" "$tmp/expert.txt"; then cat "$tmp/expert.txt"; fail "tshark expert: malformed"; fi

# The Chrome trace parses as JSON and names the CPUs.
if command -v python3 >/dev/null 2>&1; then
	python3 - "$tmp/demo.json" <<'PY' || fail "trace JSON does not parse"
import json, sys
d = json.load(open(sys.argv[1]))
ev = d["traceEvents"]
names = {e["args"]["name"] for e in ev if e.get("ph") == "M" and e["name"] == "process_name"}
assert "CPU 0" in names, names
assert any(e.get("name") == "lo_frame_rcv" and e.get("tid") == 1 for e in ev), "no handler event in softirq"
PY
fi

# Same seed, same output (the run is deterministic on the sim runtime).
"$ulnet" demo --seed 5 >"$tmp/a.txt" 2>&1 || fail "demo --seed 5 failed"
"$ulnet" demo --seed 5 >"$tmp/b.txt" 2>&1 || fail "demo --seed 5 failed (2nd run)"
cmp -s "$tmp/a.txt" "$tmp/b.txt" || { diff "$tmp/a.txt" "$tmp/b.txt" | head; fail "two runs with one seed differ"; }

# Usage errors exit 2.
"$ulnet" demo --bogus >/dev/null 2>&1; [ $? -eq 2 ] || fail "unknown option does not exit 2"
"$ulnet" nosuchcommand >/dev/null 2>&1; [ $? -eq 2 ] || fail "unknown command does not exit 2"
"$ulnet" demo --cpus 0 >/dev/null 2>&1; [ $? -eq 2 ] || fail "--cpus 0 does not exit 2"
"$ulnet" --help | grep -q "demo" || fail "--help does not list demo"
echo "demo_tcpdump: PASS"
