#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# `ulnet pkt` on the project's own scripts (tests/pkt/: they must all PASS), on broken
# scripts (each must FAIL with the script line and what differed), and its usage errors.
# Args: build dir, source dir.
set -u
build=${1:?usage: pkt_runner.sh BUILD_DIR SOURCE_DIR}
src=${2:?usage: pkt_runner.sh BUILD_DIR SOURCE_DIR}
ulnet="$build/ulnet"
[ -x "$ulnet" ] || { echo "pkt_runner: FAIL: $ulnet not built"; exit 1; }
fail() { echo "pkt_runner: FAIL: $*"; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# The project's own scripts: all pass.
"$ulnet" pkt "$src/tests/pkt" >"$tmp/own.txt" 2>&1
rc=$?
cat "$tmp/own.txt"
[ "$rc" -eq 0 ] || fail "tests/pkt: exit $rc"
n=$(find "$src/tests/pkt" -name '*.pkt' | wc -l)
[ "$(grep -c '^PASS ' "$tmp/own.txt")" -eq "$n" ] || fail "not all $n own scripts PASS"

# Broken expectations FAIL, each with its line and the difference.
mkdir -p "$tmp/neg/sub"
printf '0 < udp 5000 > 9 (20)\n+0 > icmp unreachable host_unreachable\n' >"$tmp/neg/code.pkt"
printf '0 > udp (5)\n' >"$tmp/neg/sub/timeout.pkt"
printf '0 socket(..., SOCK_DGRAM, IPPROTO_UDP) = 3\n+0 connect(3, ..., ...) = 0\n+0 write(3, ..., 50) = 50\n+0.5 > udp (50)\n' >"$tmp/neg/late.pkt"
printf '0 socket(..., SOCK_DGRAM, IPPROTO_UDP) = 4\n+0 close(4) = 0\n+0 close(4) = 0\n' >"$tmp/neg/errno.pkt"
printf '0 < S 0:0(0) win\n' >"$tmp/neg/parse.pkt"
printf '0 < udp 5000 > 9 (20)\n' >"$tmp/neg/extra.pkt"
printf 'not a pkt\n' >"$tmp/neg/ignored.txt"
# TCP: a wrong ack number in the SYN-ACK, a wrong tcp_info assert.
tcphs='0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n+0 bind(3, ..., ...) = 0\n+0 listen(3, 1) = 0\n+0 < S 0:0(0) win 32792 <mss 1460>\n'
printf "$tcphs"'+0 > S. 0:0(0) ack 2 <mss 1460>\n' >"$tmp/neg/tcpack.pkt"
printf "$tcphs"'+0 > S. 0:0(0) ack 1 <mss 1460>\n+0 < . 1:1(0) ack 1 win 100\n+0 accept(3, ..., ...) = 4\n+0 %%{ assert tcpi_snd_mss == 1 }%%\n' >"$tmp/neg/tcpinfo.pkt"
# A TCP script is held to "nothing after the last event" only with --strict_end (packetdrill
# never checks it): the RST to this SYN fails the strict one, not the plain one.
printf -- '--strict_end\n0 < S 0:0(0) win 1000\n' >"$tmp/neg/tcpstrict.pkt"
# A script option the runner does not know is refused, not ignored; a bad --mtu too.
printf -- '--wire_server_ip=1.2.3.4\n0 < S 0:0(0) win 1000\n' >"$tmp/neg/tcpopt.pkt"
printf -- '--mtu=20\n0 < S 0:0(0) win 1000\n' >"$tmp/neg/tcpmtu.pkt"
mkdir -p "$tmp/pos"
printf '0 < S 0:0(0) win 1000\n' >"$tmp/pos/tcpplain.pkt"
"$ulnet" pkt "$tmp/pos" >"$tmp/pos.txt" 2>&1 || { cat "$tmp/pos.txt"; fail "a TCP script without --strict_end failed on a packet after its end"; }
"$ulnet" pkt "$tmp/neg" >"$tmp/neg.txt" 2>&1
rc=$?
cat "$tmp/neg.txt"
[ "$rc" -eq 1 ] || fail "failing scripts: exit $rc, want 1"
tail -n 1 "$tmp/neg.txt" | grep -qx '0 passed, 11 failed, 0 skipped' || fail "summary"
grep -q "code.pkt:2: error handling packet: bad outbound ICMP code: expected: host_unreachable actual: port_unreachable" "$tmp/neg.txt" || fail "ICMP code difference"
grep -q "timeout.pkt:1: error handling packet: Timed out waiting for packet" "$tmp/neg.txt" || fail "timeout"
grep -q "late.pkt:4: timing error: expected outbound packet at 0.500000 sec but happened at 0.000000 sec; tolerance 0.004000 sec" "$tmp/neg.txt" || fail "timing"
grep -q "errno.pkt:3: runtime error in close call: Expected result 0 but got -1 with errno 9" "$tmp/neg.txt" || fail "errno"
grep -q "extra.pkt: unexpected outbound packet after the last event: > icmp unreachable port_unreachable" "$tmp/neg.txt" || fail "unexpected packet"
grep -q "parse.pkt:2:1: error: expected a window, found end of file" "$tmp/neg.txt" || fail "parse error position"
grep -q "tcpack.pkt:5: error handling packet: bad outbound TCP ack number: expected: 2 actual: 1" "$tmp/neg.txt" || fail "TCP ack difference"
grep -q "tcpinfo.pkt:8: assertion failed: assert tcpi_snd_mss == 1" "$tmp/neg.txt" || fail "tcp_info assert"
grep -q "tcpstrict.pkt: unexpected outbound packet after the last event: > 8080 > 49152 R. 0:0(0) ack 1 win 0" "$tmp/neg.txt" || fail "--strict_end"
grep -q "tcpopt.pkt: option --wire_server_ip is not supported by ulnet pkt" "$tmp/neg.txt" || fail "unknown script option"
grep -q "tcpmtu.pkt: bad --mtu=20 (68..65535)" "$tmp/neg.txt" || fail "bad --mtu"
# Folders are searched recursively and in name order; only *.pkt files count.
grep -E '^(PASS|FAIL|SKIP) ' "$tmp/neg.txt" | sed 's|.*/neg/||' | tr '\n' ' ' |
	grep -qx 'code.pkt errno.pkt extra.pkt late.pkt parse.pkt sub/timeout.pkt tcpack.pkt tcpinfo.pkt tcpmtu.pkt tcpopt.pkt tcpstrict.pkt ' || fail "order/recursion"

# Usage errors exit 2.
"$ulnet" pkt >/dev/null 2>&1; [ $? -eq 2 ] || fail "no argument does not exit 2"
"$ulnet" pkt --bogus x >/dev/null 2>&1; [ $? -eq 2 ] || fail "unknown option does not exit 2"
"$ulnet" pkt "$tmp/nonexistent" >/dev/null 2>&1; [ $? -eq 2 ] || fail "missing path does not exit 2"
"$ulnet" --help | grep -q "pkt" || fail "ulnet --help does not list pkt"
"$ulnet" pkt --help | grep -q "SCRIPT|DIR" || fail "ulnet pkt --help"
echo "pkt_runner: PASS"
