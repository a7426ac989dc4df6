#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# TAP offloads (`ulnet up --offload`: IFF_VNET_HDR, TUNSETOFFLOAD(TUN_F_CSUM | TUN_F_TSO4)):
#   - 64 MiB through ulnet's TCP echo (port 7), the kernel sending and reading at once:
#     what comes back has the SHA-256 of what was sent (64 MiB each way over the TAP);
#   - frames larger than the MTU crossed the TAP both ways: the host TAP's byte and packet
#     counters give more than 1514 bytes per packet in each direction (a GSO frame is one
#     packet there);
#   - then `ulnet up` without --offload on the same persistent TAP: the offloads are turned
#     off again (they persist on a device), 8 MiB echo correct, every frame of the MTU.
# In a network namespace made here, removed at exit; every wait bounded. Args: build dir,
# source dir. Exit 77 (skip) without root, /dev/net/tun, ip netns or python3.
set -u
build=${1:?usage: tap_offload.sh BUILD_DIR SOURCE_DIR}
ulnet="$build/ulnet"
me=tap_offload
. "$(dirname "${BASH_SOURCE[0]}")/lib/netns.sh"

if [ -x "$ulnet" ]; then
	"$ulnet" up --help | grep -q -- "--offload" || { echo "$me: FAIL: no --offload in help"; exit 1; }
fi
netns_require python3
[ -x "$ulnet" ] || { echo "$me: FAIL: $ulnet not built"; exit 1; }

ns="ulnet-tapofl-$$"
tap=$(tap_name ultofl)
tmp=$(mktemp -d)
pid=""
stop_ulnet() {
	[ -n "$pid" ] || return 0
	stop_pid "$pid" 100
	pid=""
	# A sanitizer build reports at exit.
	if grep -Eq "Sanitizer|runtime error" "$tmp/up.log"; then
		fail "sanitizer report from ulnet up"
	fi
}
cleanup() {
	stop_ulnet
	ip netns del "$ns" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT
netns_tap_up "$ns" "$tap" 10.80.0.1/24

# start_ulnet [OPTION]: ulnet up on the TAP, waits for "ready" (10 s).
start_ulnet() {
	: >"$tmp/up.log"
	ip netns exec "$ns" "$ulnet" up --tap "$tap" --addr 10.80.0.2/24 "$@" \
		>"$tmp/up.log" 2>&1 &
	pid=$!
	wait_log "ulnet up: ready" 100 && return 0
	fail "ulnet up $* did not become ready in 10 s"
}

# The host TAP's counters: "rx_bytes rx_packets tx_bytes tx_packets".
tap_stats() {
	in_ns cat /sys/class/net/"$tap"/statistics/{rx_bytes,rx_packets,tx_bytes,tx_packets} |
		tr '\n' ' '
}

# echo_check BYTES: send BYTES of the pattern to ulnet's TCP echo and read them back at the
# same time (60 s at most); prints "sent-sha256 got-sha256 bytes-back".
echo_check() {
	in_ns timeout 90 python3 - "$1" <<'PY'
import hashlib, socket, sys, threading
n = int(sys.argv[1])
pat = bytes((i * 31 + 7) % 251 for i in range(251))
chunk = pat * (1048576 // 251 + 2)
s = socket.create_connection(("10.80.0.2", 7), timeout=60)
hs = hashlib.sha256()
def sender():
    off = 0
    while off < n:
        k = min(1048576, n - off)
        b = chunk[off % 251:off % 251 + k]
        s.sendall(b)
        hs.update(b)
        off += k
    s.shutdown(socket.SHUT_WR)
t = threading.Thread(target=sender)
t.start()
hr = hashlib.sha256()
got = 0
while True:
    b = s.recv(1 << 20)
    if not b:
        break
    hr.update(b)
    got += len(b)
t.join()
print(hs.hexdigest(), hr.hexdigest(), got)
PY
}

# 1. Offloads on: 64 MiB each way, big frames both ways.
start_ulnet --offload
read -r rb0 rp0 tb0 tp0 <<<"$(tap_stats)"
out=$(echo_check $((64 << 20))) || fail "echo of 64 MiB with --offload failed: $out"
read -r sent got nback <<<"$out"
[ "$nback" = $((64 << 20)) ] || fail "--offload: $nback bytes came back, want $((64 << 20))"
[ "$sent" = "$got" ] || fail "--offload: SHA-256 of what came back $got, sent $sent"
echo "$me: --offload: 64 MiB echoed, sha256 $got"
read -r rb1 rp1 tb1 tp1 <<<"$(tap_stats)"
# The host TAP's rx is what ulnet sent, its tx what the kernel sent to ulnet.
from_ulnet=$(( (rb1 - rb0) / (rp1 - rp0 > 0 ? rp1 - rp0 : 1) ))
to_ulnet=$(( (tb1 - tb0) / (tp1 - tp0 > 0 ? tp1 - tp0 : 1) ))
echo "$me: --offload: bytes per frame over the TAP: from ulnet $from_ulnet, to ulnet $to_ulnet"
[ "$from_ulnet" -gt 1514 ] || fail "--offload: ulnet sent frames of $from_ulnet bytes on average (no TSO)"
[ "$to_ulnet" -gt 1514 ] || fail "--offload: the kernel sent frames of $to_ulnet bytes on average (no GSO to ulnet)"
grep -q "write to TAP.*failed: -22\|read from TAP" "$tmp/up.log" && fail "--offload: TAP errors"
stop_ulnet

# 2. The same persistent TAP without --offload: offloads off again, frames of the MTU.
start_ulnet
read -r rb0 rp0 tb0 tp0 <<<"$(tap_stats)"
out=$(echo_check $((8 << 20))) || fail "echo of 8 MiB without --offload failed: $out"
read -r sent got nback <<<"$out"
[ "$nback" = $((8 << 20)) ] && [ "$sent" = "$got" ] || fail "without --offload: echo wrong: $out"
read -r rb1 rp1 tb1 tp1 <<<"$(tap_stats)"
from_ulnet=$(( (rb1 - rb0) / (rp1 - rp0 > 0 ? rp1 - rp0 : 1) ))
to_ulnet=$(( (tb1 - tb0) / (tp1 - tp0 > 0 ? tp1 - tp0 : 1) ))
echo "$me: plain: bytes per frame over the TAP: from ulnet $from_ulnet, to ulnet $to_ulnet"
[ "$from_ulnet" -le 1514 ] && [ "$to_ulnet" -le 1514 ] ||
	fail "without --offload: frames over 1514 bytes (offloads left on)"
stop_ulnet
echo "$me: PASS"
