#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Interop with the Linux kernel: `ulnet up` on a TAP inside a network namespace made here,
# the kernel on the other side of the TAP (10.77.0.1/24, ulnet 10.77.0.2/24).
#   - ulnet's own ping (ulnet up --ping, a ping socket) reaches the kernel: 3/3 answered,
#     iputils' lines with RTTs and the rtt min/avg/max/mdev line;
#   - the kernel's ping -c 3 and arping -c 2 get every answer;
#   - UDP echo (port 7) returns the bytes; an 8 KB datagram, fragmented by the kernel, is
#     reassembled by ulnet and echoed back in fragments that the kernel reassembles;
#   - TCP: curl gets /bytes/100000 (SHA-256 of the pattern) and /, socat's line comes back
#     from TCP echo; every TCP segment ulnet sent has a good checksum in the capture
#     (tests/scripts/interop_tcp.sh does the big transfers and the HTTP edge cases);
#   - ulnet stops cleanly on SIGINT; tshark finds nothing malformed and no bad checksum in
#     ulnet's pcap.
# Traffic goes only to addresses of the namespace made here; everything is removed at exit;
# every wait is bounded. Args: build dir, source dir. Exit 77 (skip) without root,
# /dev/net/tun, ip netns, or the tools.
set -u
build=${1:?usage: interop_up.sh BUILD_DIR SOURCE_DIR}
ulnet="$build/ulnet"
me=interop_up
. "$(dirname "${BASH_SOURCE[0]}")/lib/netns.sh"

# Usage errors need nothing: exit 2 with a message, before any stack exists.
if [ -x "$ulnet" ]; then
	"$ulnet" up >/dev/null 2>&1; rc=$?
	[ "$rc" -eq 2 ] || { echo "$me: FAIL: 'ulnet up' without options exited $rc, want 2"; exit 1; }
	"$ulnet" up --tap t0 --addr 10.0.0.300/24 >/dev/null 2>&1; rc=$?
	[ "$rc" -eq 2 ] || { echo "$me: FAIL: a bad --addr exited $rc, want 2"; exit 1; }
	"$ulnet" up --tap t0 --addr 10.0.0.2/33 >/dev/null 2>&1; rc=$?
	[ "$rc" -eq 2 ] || { echo "$me: FAIL: prefix /33 exited $rc, want 2"; exit 1; }
	"$ulnet" up --tap t0 --addr 10.0.0.2/24 --mac zz >/dev/null 2>&1; rc=$?
	[ "$rc" -eq 2 ] || { echo "$me: FAIL: a bad --mac exited $rc, want 2"; exit 1; }
	"$ulnet" up --tap t0 --addr 10.0.0.2/24 --ping nowhere >/dev/null 2>&1; rc=$?
	[ "$rc" -eq 2 ] || { echo "$me: FAIL: a bad --ping exited $rc, want 2"; exit 1; }
	"$ulnet" up --tap t0 --addr 10.0.0.2/24 --ping 10.0.0.1 -c 0 >/dev/null 2>&1; rc=$?
	[ "$rc" -eq 2 ] || { echo "$me: FAIL: --ping with -c 0 exited $rc, want 2"; exit 1; }
	"$ulnet" up --tap t0 --addr 10.0.0.2/24 --fetch nowhere/x >/dev/null 2>&1; rc=$?
	[ "$rc" -eq 2 ] || { echo "$me: FAIL: a bad --fetch exited $rc, want 2"; exit 1; }
	"$ulnet" up --tap t0 --addr 10.0.0.2/24 --fetch 10.0.0.1:0/ >/dev/null 2>&1; rc=$?
	[ "$rc" -eq 2 ] || { echo "$me: FAIL: --fetch to port 0 exited $rc, want 2"; exit 1; }
	"$ulnet" up --tap t0 --addr 10.0.0.2/24 --tcp-send 10.0.0.1 >/dev/null 2>&1; rc=$?
	[ "$rc" -eq 2 ] || { echo "$me: FAIL: --tcp-send without a port exited $rc, want 2"; exit 1; }
	"$ulnet" up --tap t0 --addr 10.0.0.2/24 --tcp-send 10.0.0.1:9 --bytes -1 >/dev/null 2>&1; rc=$?
	[ "$rc" -eq 2 ] || { echo "$me: FAIL: --bytes -1 exited $rc, want 2"; exit 1; }
	"$ulnet" up --tap t0 --addr 10.0.0.2/24 --tcp-send 10.0.0.1:9 --bytes 1099511627777 \
		>/dev/null 2>&1; rc=$?
	[ "$rc" -eq 2 ] || { echo "$me: FAIL: --bytes over 2^40 exited $rc, want 2"; exit 1; }
	"$ulnet" up --help | grep -q "Usage: ulnet up" || { echo "$me: FAIL: no usage"; exit 1; }
fi

netns_require ping arping tshark python3 timeout curl socat sha256sum
[ -x "$ulnet" ] || { echo "$me: FAIL: $ulnet not built"; exit 1; }

ns="ulnet-interop-$$"
tap=$(tap_name ultap)
tmp=$(mktemp -d)
pid=""
cleanup() {
	stop_pid "$pid"
	ip netns del "$ns" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT
netns_tap_up "$ns" "$tap" 10.77.0.1/24

# Not through in_ns: $! must be ulnet itself (ip netns exec execs it), not a subshell.
ip netns exec "$ns" "$ulnet" up --tap "$tap" --addr 10.77.0.2/24 --gw 10.77.0.1 \
	--pcap "$tmp/up.pcap" --ping 10.77.0.1 -c 3 >"$tmp/up.log" 2>&1 &
pid=$!
wait_log "ulnet up: ready" 100 || fail "ulnet up did not become ready in 10 s"
echo "$me: $(grep 'ulnet up: ready' "$tmp/up.log")"

# ulnet's ping to the kernel (printed by ulnet up once ready; 3 echoes, 1 s apart).
wait_log "ulnet up: ping exited" 150
grep -q "ulnet up: ping exited 0" "$tmp/up.log" || fail "ulnet's ping did not finish with replies in 15 s"
grep -A9 "^PING 10.77.0.1 (10.77.0.1) 56(84) bytes of data" "$tmp/up.log"
for seq in 1 2 3; do
	grep -Eq "^64 bytes from 10\.77\.0\.1: icmp_seq=$seq ttl=64 time=[0-9]+(\.[0-9]+)? ms$" \
		"$tmp/up.log" || fail "ulnet ping: no reply line for icmp_seq=$seq"
done
grep -Eq "^3 packets transmitted, 3 received, 0% packet loss, time [0-9]+ms$" "$tmp/up.log" ||
	fail "ulnet ping: not 3/3 answered"
grep -Eq "^rtt min/avg/max/mdev = [0-9]+\.[0-9]{3}/[0-9]+\.[0-9]{3}/[0-9]+\.[0-9]{3}/[0-9]+\.[0-9]{3} ms$" \
	"$tmp/up.log" || fail "ulnet ping: no rtt line"

# ICMP echo: every request answered.
in_ns timeout 15 ping -c 3 -i 0.2 -W 2 10.77.0.2 >"$tmp/ping.txt" 2>&1
cat "$tmp/ping.txt"
grep -q "3 packets transmitted, 3 received" "$tmp/ping.txt" || fail "ping: not 3/3 answered"

# ARP: two requests, two replies (arping from iputils).
in_ns timeout 15 arping -c 2 -w 5 -I "$tap" 10.77.0.2 >"$tmp/arping.txt" 2>&1
cat "$tmp/arping.txt"
grep -Eq "Received 2 response|2 packets received" "$tmp/arping.txt" || fail "arping: not 2 replies"

# UDP echo: a short datagram, then 8 KB (fragmented both ways); discard answers nothing.
in_ns timeout 20 python3 - <<'PY' || fail "UDP echo"
import os, socket, sys
def echo(payload, port=7, want_reply=True):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.settimeout(3)
    s.sendto(payload, ("10.77.0.2", port))
    try:
        data, peer = s.recvfrom(65536)
    except socket.timeout:
        data, peer = None, None
    s.close()
    if not want_reply:
        if data is not None:
            sys.exit("discard answered")
        return
    if data != payload:
        sys.exit("echo of %d bytes came back as %r" % (len(payload), None if data is None else len(data)))
    if peer != ("10.77.0.2", port):
        sys.exit("reply from %r" % (peer,))
    print("udp echo: %d bytes back" % len(payload))
echo(b"hello ulnet\n")
echo(os.urandom(8192))
echo(b"into the void", port=9, want_reply=False)
print("udp discard: no answer")
PY

# TCP: HTTP (the pattern of docs/up.md: byte i = (i * 31 + 7) mod 251) and echo.
want=$(python3 -c 'import hashlib; p = bytes((i * 31 + 7) % 251 for i in range(251)); print(hashlib.sha256((p * 400)[:100000]).hexdigest())')
got=$(in_ns timeout 20 curl -sS --fail http://10.77.0.2/bytes/100000 | sha256sum | cut -d' ' -f1)
[ "$got" = "$want" ] || fail "curl /bytes/100000: sha256 $got, want $want"
echo "$me: tcp: curl /bytes/100000, sha256 equal"
in_ns timeout 20 curl -sS --fail http://10.77.0.2/ | grep -q "GET /bytes/N" || fail "curl /: no index"
got=$(echo "hello tcp" | in_ns timeout 10 socat -t 5 - TCP:10.77.0.2:7)
[ "$got" = "hello tcp" ] || fail "tcp echo: '$got'"
echo "$me: tcp: echo 'hello tcp'"

# Clean stop on SIGINT, capture flushed.
kill -INT "$pid"
wait_exit "$pid" 100 || fail "ulnet up did not stop within 10 s of SIGINT"
wait "$pid"
rc=$?
pid=""
[ "$rc" -eq 0 ] || fail "ulnet up exited with $rc"
grep -q "ulnet up: stopping (SIGINT)" "$tmp/up.log" || fail "no clean-stop message"
sed 's/^/  up: /' "$tmp/up.log"

# The capture: ICMP, ARP and UDP (fragments included); nothing malformed, no bad checksum.
[ -s "$tmp/up.pcap" ] || fail "no pcap written"
tshark -r "$tmp/up.pcap" -o ip.check_checksum:TRUE -o udp.check_checksum:TRUE \
	-o tcp.check_checksum:TRUE >"$tmp/tshark.txt" 2>"$tmp/tshark.err" ||
	{ cat "$tmp/tshark.err"; fail "tshark -r failed"; }
n=$(grep -c . "$tmp/tshark.txt")
echo "$me: tshark reads $n frames"
grep -q "ICMP" "$tmp/tshark.txt" || fail "no ICMP in the capture"
grep -q "ARP" "$tmp/tshark.txt" || fail "no ARP in the capture"
grep -Eq "UDP|ECHO|Echo" "$tmp/tshark.txt" || fail "no UDP in the capture"
grep -qi "Fragmented IP protocol\|reassembled" "$tmp/tshark.txt" || fail "no IP fragments"
grep -q "HTTP" "$tmp/tshark.txt" || fail "no HTTP in the capture"
# ulnet's own TCP segments all carry a good checksum. (Received ones are checked by ulnet;
# the capture holds them as GRO merged them, checksum field stale, as Linux's tcpdump would.)
tcp_out=$(tshark -r "$tmp/up.pcap" -o tcp.check_checksum:TRUE -Y "ip.src == 10.77.0.2 && tcp" \
	2>/dev/null | grep -c .)
tcp_good=$(tshark -r "$tmp/up.pcap" -o tcp.check_checksum:TRUE \
	-Y "ip.src == 10.77.0.2 && tcp.checksum.status == 1" 2>/dev/null | grep -c .)
echo "$me: tshark: $tcp_good of ulnet's $tcp_out TCP segments have a good checksum"
[ "$tcp_out" -gt 10 ] && [ "$tcp_good" -eq "$tcp_out" ] || fail "ulnet's TCP checksums"
if grep -qi "malformed" "$tmp/tshark.txt"; then fail "tshark reports a malformed packet"; fi
tshark -r "$tmp/up.pcap" -o ip.check_checksum:TRUE -o udp.check_checksum:TRUE -Y "!tcp" -z expert -q \
	>"$tmp/expert.txt" 2>/dev/null || fail "tshark -z expert failed"
if grep -Eqi "malformed|bad checksum|incorrect" "$tmp/expert.txt"; then
	cat "$tmp/expert.txt"; fail "tshark expert info: malformed or bad checksum"
fi
echo "$me: all checks passed"
