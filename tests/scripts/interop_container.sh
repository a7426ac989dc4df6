#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Interop of issue #11: ulnet as a container host on a TAP, the Linux kernel outside.
# `ulnet up --run examples/docker-host.scn` inside a network namespace made here (kernel
# 10.80.0.1/24 on the TAP, ulnet 10.80.0.2/24): docker0 with containers c1 (172.17.0.2) and
# c2 (172.17.0.3) each running the built-in HTTP server, MASQUERADE, and the published ports
# 8080 -> c1:80 and 8081 -> c2:80.
#   - the kernel's curl of http://10.80.0.2:8080/bytes/N gets c1's bytes (SHA-256 of the
#     pattern equal), /bytes/16777216 byte-exact, and 8081 reaches c2;
#   - ulnet's `conntrack -L` (SIGUSR2) shows the DNAT entries (reply from 172.17.0.2:80);
#   - c2 sends 1 MiB to a kernel listener through MASQUERADE: the kernel sees 10.80.0.2 as
#     the source, and nothing on the TAP (ulnet's pcap, read by tshark) carries 172.17/16;
#   - ulnet stops cleanly on SIGINT and the containers' servers report what they served;
#   - a scenario with a bad line makes `ulnet up` fail with FILE:LINE: 'WORD'.
# Without root (before the skip): usage errors of --run, and the same scenario run by
# `ulnet run` on the simulated stack with an "outside" namespace (DNAT and MASQUERADE).
# Everything made here is removed at exit; every wait is bounded. Args: build dir, source
# dir. Exit 77 (skip) without root, /dev/net/tun, ip netns or the tools.
set -u
build=${1:?usage: interop_container.sh BUILD_DIR SOURCE_DIR}
src=${2:?usage: interop_container.sh BUILD_DIR SOURCE_DIR}
ulnet="$build/ulnet"
scn="$src/examples/docker-host.scn"
me=interop_container
tmp=$(mktemp -d)
pid=""
ns=""
lpid=""
. "$(dirname "${BASH_SOURCE[0]}")/lib/netns.sh"
cleanup() {
	stop_pid "$pid"
	stop_pid "$lpid"
	[ -n "$ns" ] && ip netns del "$ns" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT
[ -x "$ulnet" ] || fail "$ulnet not built"
[ -f "$scn" ] || fail "no $scn"
pattern_sha() {
	python3 -c 'import hashlib, sys
p = bytes((i * 31 + 7) % 251 for i in range(251)); n = int(sys.argv[1]); h = hashlib.sha256()
for off in range(0, n, 251 * 4096):
    h.update((p * 4096)[:min(251 * 4096, n - off)])
print(h.hexdigest())' "$1"
}

# ---- without root: usage errors, and the scenario on the simulated stack ----
"$ulnet" up --tap t0 --addr 10.0.0.2/24 --run "$tmp/none.scn" >"$tmp/out" 2>&1; rc=$?
[ "$rc" -eq 2 ] || fail "--run of a missing file exited $rc, want 2"
grep -q "run $tmp/none.scn: No such file or directory" "$tmp/out" || fail "--run missing file message"
"$ulnet" up --help | grep -q -- "--run FILE" || fail "ulnet up --help does not document --run"
"$ulnet" run --help | grep -q "^  http \[PORT\]" || fail "ulnet run --help does not list http"

# The example plus an outside network on a veth in place of the TAP: 1 MB from c1 through
# DNAT, c2's index through the second published port, 100 kB from c2 through MASQUERADE.
{
	cat "$scn"
	cat <<'EOF'
ip netns add outside
ip link add eth0 type veth peer name eth0 netns outside
ip addr add 192.168.1.1/24 dev eth0
ip link set eth0 up
ip netns exec outside ip addr add 192.168.1.2/24 dev eth0
ip netns exec outside ip link set eth0 up
exec -n outside tcp-discard 5001
exec -n outside fetch 192.168.1.1:8080/bytes/1000000
exec -n outside fetch 192.168.1.1:8081/
exec -n c2 tcp-send 192.168.1.2:5001 100000
exec fetch 192.168.1.1:8080/bytes/100000
sleep 2s
conntrack -L
EOF
} >"$tmp/sim.scn"
"$ulnet" run "$tmp/sim.scn" >"$tmp/sim.out" 2>&1; rc=$?
[ "$rc" -eq 0 ] || { cat "$tmp/sim.out"; fail "ulnet run of the example (sim) exited $rc"; }
want=$(pattern_sha 1000000)
grep -q "^fetch http://192.168.1.1:8080/bytes/1000000: HTTP 200, 1000000 bytes .* sha256 $want$" \
	"$tmp/sim.out" || { cat "$tmp/sim.out"; fail "sim: fetch through DNAT"; }
grep -q "^fetch http://192.168.1.1:8081/: HTTP 200" "$tmp/sim.out" || fail "sim: second port"
# The host itself through Docker's OUTPUT rule (the nat table re-routes it to docker0).
want=$(pattern_sha 100000)
grep -q "^fetch http://192.168.1.1:8080/bytes/100000: HTTP 200, 100000 bytes .* sha256 $want$" \
	"$tmp/sim.out" || { cat "$tmp/sim.out"; fail "sim: the host's own fetch of :8080"; }
grep -Eq "^tcp +6 [0-9]+ TIME_WAIT src=192\.168\.1\.1 dst=192\.168\.1\.1 sport=[0-9]+ dport=8080 src=172\.17\.0\.2 dst=192\.168\.1\.1 sport=80 " \
	"$tmp/sim.out" || { cat "$tmp/sim.out"; fail "sim: no conntrack entry of the host's own fetch"; }
grep -Eq "^tcp +6 [0-9]+ TIME_WAIT src=192\.168\.1\.2 dst=192\.168\.1\.1 sport=[0-9]+ dport=8080 src=172\.17\.0\.2 dst=192\.168\.1\.2 sport=80 " \
	"$tmp/sim.out" || { cat "$tmp/sim.out"; fail "sim: no DNAT conntrack entry"; }
grep -Eq "^tcp +6 [0-9]+ TIME_WAIT src=172\.17\.0\.3 dst=192\.168\.1\.2 sport=[0-9]+ dport=5001 src=192\.168\.1\.2 dst=192\.168\.1\.1 sport=5001 " \
	"$tmp/sim.out" || { cat "$tmp/sim.out"; fail "sim: no MASQUERADE conntrack entry"; }
grep -q "^discard (port 5001 in outside): 1 connections, 100000 bytes in" "$tmp/sim.out" ||
	fail "sim: the outside discard server did not get 100000 bytes"
echo "$me: sim: DNAT (1 MB, 2 ports, and the host's own connection) and MASQUERADE through the example scenario"

# ---- as root: the kernel against ulnet up on a TAP ----
netns_require python3 curl tshark sha256sum timeout

ns="ulnet-ct-$$"
tap=$(tap_name ulct)
netns_tap_up "$ns" "$tap" 10.80.0.1/24

# A scenario with a bad line: ulnet up fails (exit 1) naming the file, line and word.
printf 'ip netns add c9\nfrobnicate --now\n' >"$tmp/bad.scn"
in_ns timeout 20 "$ulnet" up --tap "$tap" --addr 10.80.0.2/24 --run "$tmp/bad.scn" \
	>"$tmp/bad.out" 2>&1; rc=$?
[ "$rc" -eq 1 ] || { cat "$tmp/bad.out"; fail "a bad scenario: exit $rc, want 1"; }
grep -q "bad.scn:2: 'frobnicate': unknown command" "$tmp/bad.out" ||
	{ cat "$tmp/bad.out"; fail "a bad scenario: no FILE:LINE: 'WORD' message"; }
echo "$me: a bad --run line: $(grep frobnicate "$tmp/bad.out")"

# The kernel's listener for what c2 sends through MASQUERADE: it records the peer.
in_ns timeout 40 python3 - "$tmp/peer.txt" >"$tmp/listener.log" 2>&1 <<'PY' &
import hashlib, socket, sys
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("10.80.0.1", 5001))
s.listen(1)
open(sys.argv[1] + ".ready", "w").close()
c, peer = s.accept()
h, n = hashlib.sha256(), 0
while True:
    b = c.recv(65536)
    if not b:
        break
    h.update(b)
    n += len(b)
c.close()
open(sys.argv[1], "w").write("%s %d %s\n" % (peer[0], n, h.hexdigest()))
PY
lpid=$!
for _ in $(seq 100); do [ -f "$tmp/peer.txt.ready" ] && break; sleep 0.1; done
[ -f "$tmp/peer.txt.ready" ] || fail "the kernel's listener did not start"
echo 'exec -n c2 tcp-send 10.80.0.1:5001 1048576' >"$tmp/masq.scn"

# Not through in_ns: $! must be ulnet itself (ip netns exec execs it).
ip netns exec "$ns" "$ulnet" up --tap "$tap" --addr 10.80.0.2/24 --gw 10.80.0.1 \
	--pcap "$tmp/up.pcap" --run "$scn" --run "$tmp/masq.scn" >"$tmp/up.log" 2>&1 &
pid=$!
wait_log "ulnet up: ready" 150 || fail "ulnet up did not become ready in 15 s"
grep -q "ulnet up: ran $scn" "$tmp/up.log" || fail "no 'ran' line for the scenario"
echo "$me: $(grep 'ulnet up: ready' "$tmp/up.log")"

# Published ports: the kernel's curl reaches the containers through ulnet's DNAT.
want=$(pattern_sha 100000)
got=$(in_ns timeout 20 curl -sS --fail http://10.80.0.2:8080/bytes/100000 | sha256sum | cut -d' ' -f1)
[ "$got" = "$want" ] || fail "curl :8080/bytes/100000: sha256 $got, want $want"
echo "$me: curl http://10.80.0.2:8080/bytes/100000 (c1 through DNAT): sha256 equal"
in_ns timeout 20 curl -sS --fail http://10.80.0.2:8081/ | grep -q "GET /bytes/N" ||
	fail "curl :8081/: no index from c2"
echo "$me: curl http://10.80.0.2:8081/ (c2 through DNAT): the index"
want=$(pattern_sha 16777216)
t0=$(date +%s.%N)
got=$(in_ns timeout 40 curl -sS --fail http://10.80.0.2:8080/bytes/16777216 | sha256sum | cut -d' ' -f1)
t1=$(date +%s.%N)
[ "$got" = "$want" ] || fail "curl :8080/bytes/16777216: sha256 $got, want $want"
echo "$me: 16 MiB through DNAT byte-exact in $(python3 -c "print('%.2f' % ($t1 - $t0))") s"

# MASQUERADE: c2's 1 MiB reached the kernel from ulnet's TAP address.
for _ in $(seq 200); do [ -s "$tmp/peer.txt" ] && break; sleep 0.1; done
[ -s "$tmp/peer.txt" ] || { cat "$tmp/listener.log"; fail "the kernel's listener got nothing from c2"; }
read -r peer n sha <"$tmp/peer.txt"
[ "$peer" = 10.80.0.2 ] || fail "the kernel saw c2 as $peer, want 10.80.0.2 (MASQUERADE)"
[ "$n" = 1048576 ] && [ "$sha" = "$(pattern_sha 1048576)" ] || fail "MASQUERADE: got $n bytes, sha256 $sha"
grep -q "^tcp-send 10.80.0.1:5001: 1048576 bytes .* sha256 $sha$" "$tmp/up.log" ||
	fail "c2's tcp-send line"
echo "$me: c2 -> kernel through MASQUERADE: the kernel sees $peer, 1 MiB, sha256 equal"

# ulnet's conntrack table (SIGUSR2): the DNAT and MASQUERADE connections.
kill -USR2 "$pid"
for _ in $(seq 50); do grep -q "ulnet up: end of conntrack" "$tmp/up.log" && break; sleep 0.1; done
sed -n '/ulnet up: conntrack -L/,/ulnet up: end of conntrack/p' "$tmp/up.log" >"$tmp/ct.txt"
cat "$tmp/ct.txt"
n=$(grep -Ec "^tcp +6 [0-9]+ [A-Z_]+ src=10\.80\.0\.1 dst=10\.80\.0\.2 sport=[0-9]+ dport=8080 src=172\.17\.0\.2 dst=10\.80\.0\.1 sport=80 dport=[0-9]+ \[ASSURED\]" "$tmp/ct.txt")
[ "$n" -ge 2 ] || fail "conntrack -L: $n DNAT entries to c1, want 2"
grep -Eq "^tcp +6 [0-9]+ [A-Z_]+ src=10\.80\.0\.1 dst=10\.80\.0\.2 sport=[0-9]+ dport=8081 src=172\.17\.0\.3 dst=10\.80\.0\.1 sport=80 " \
	"$tmp/ct.txt" || fail "conntrack -L: no DNAT entry to c2"
grep -Eq "^tcp +6 [0-9]+ [A-Z_]+ src=172\.17\.0\.3 dst=10\.80\.0\.1 sport=[0-9]+ dport=5001 src=10\.80\.0\.1 dst=10\.80\.0\.2 sport=5001 " \
	"$tmp/ct.txt" || fail "conntrack -L: no MASQUERADE entry"

# Clean stop: the containers' servers are stopped and report what they served.
kill -INT "$pid"
wait_exit "$pid" 100 || fail "ulnet up did not stop within 10 s of SIGINT"
wait "$pid"; rc=$?
pid=""
[ "$rc" -eq 0 ] || fail "ulnet up exited with $rc"
sed 's/^/  up: /' "$tmp/up.log" | grep -v "conntrack\|^  up: tcp  "
out=$(sed -n 's/^http (port 80 in c1): 2 connections, 2 requests, [0-9]* bytes in, \([0-9]*\) bytes out$/\1/p' \
	"$tmp/up.log")
[ -n "$out" ] && [ "$out" -gt $((16777216 + 100000)) ] || fail "c1's server summary (bytes out '$out')"
grep -Eq "^http \(port 80 in c2\): 1 connections, 1 requests, " "$tmp/up.log" || fail "c2's server summary"

# The wire: only 10.80.0.0/24 on the TAP; c2's connection left as 10.80.0.2.
tshark -r "$tmp/up.pcap" >/dev/null 2>&1 || fail "tshark cannot read the capture"
n=$(tshark -r "$tmp/up.pcap" -Y "ip.addr == 172.17.0.0/16" 2>/dev/null | grep -c .)
[ "$n" -eq 0 ] || fail "$n frames on the TAP carry a container address"
n=$(tshark -r "$tmp/up.pcap" -Y "ip.src == 10.80.0.2 && tcp.dstport == 5001" 2>/dev/null | grep -c .)
[ "$n" -gt 0 ] || fail "no segment from 10.80.0.2 to port 5001 in the capture"
echo "$me: tshark: no 172.17/16 address on the TAP, $n segments to the kernel's 5001 from 10.80.0.2"
echo "$me: all checks passed"
