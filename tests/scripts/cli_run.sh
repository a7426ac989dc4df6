#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# `ulnet run`: the example scenarios pass end to end; a failing expect and an unknown command
# fail with FILE:LINE: 'WORD'; usage errors exit 2; `ulnet view` prints a tool's format.
# Args: build dir, source dir.
set -u
build=${1:?usage: cli_run.sh BUILD_DIR SOURCE_DIR}
src=${2:?usage: cli_run.sh BUILD_DIR SOURCE_DIR}
ulnet="$build/ulnet"
[ -x "$ulnet" ] || { echo "cli_run: FAIL: $ulnet not built"; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp" /tmp/ulnet-lo-frames.pcap' EXIT
fail() { echo "cli_run: FAIL: $*"; exit 1; }

for scn in "$src"/scenarios/*.scn; do
	"$ulnet" run "$scn" >"$tmp/out" 2>&1
	rc=$?
	[ $rc = 0 ] || { cat "$tmp/out"; fail "$scn exited with $rc"; }
	grep -q 'expect failed' "$tmp/out" && fail "$scn: an expect failed"
done
"$ulnet" run "$src/scenarios/lo-frames.scn" >"$tmp/out" 2>&1
grep -q '^tcpdump -i lo: 3 packets captured$' "$tmp/out" || { cat "$tmp/out"; fail "capture"; }
if command -v tcpdump >/dev/null 2>&1; then
	n=$(tcpdump -r /tmp/ulnet-lo-frames.pcap -nn 2>/dev/null | grep -c '^[0-9]')
	[ "$n" = 3 ] || fail "tcpdump -r read $n frames, expected 3"
fi

cat >"$tmp/bad.scn" <<'SCN'
# line 1
expect sysctl net.core.somaxconn == 999
frobnicate --now
echo never
SCN
"$ulnet" run "$tmp/bad.scn" >"$tmp/out" 2>"$tmp/err"
rc=$?
[ $rc = 1 ] || fail "failing scenario: exit $rc, expected 1"
grep -q "bad.scn:2: '999': expect failed: sysctl net.core.somaxconn == 999 (the value is 128)" \
	"$tmp/err" || { cat "$tmp/err"; fail "expect failure message"; }
grep -q "bad.scn:3: 'frobnicate': unknown command" "$tmp/err" || fail "unknown command message"
grep -q never "$tmp/out" && fail "the run went on after a failed command"

# echo > /sys and cat /sys: a queue's RPS mask (2 CPUs: only the online ones are kept);
# a file outside /proc and /sys is refused at its word.
printf 'echo f > /sys/class/net/lo/queues/rx-0/rps_cpus\ncat /sys/class/net/lo/queues/rx-0/rps_cpus\necho 1 > /etc/hosts\n' |
	"$ulnet" run - >"$tmp/out" 2>"$tmp/err"
[ $? = 1 ] || fail "echo > /etc/hosts: expected exit 1"
[ "$(cat "$tmp/out")" = 3 ] || fail "cat rps_cpus: $(cat "$tmp/out")"
grep -q ":3: '/etc/hosts': echo can only write to /proc and /sys files" "$tmp/err" ||
	{ cat "$tmp/err"; fail "echo outside /proc and /sys"; }

printf 'echo from stdin\n' | "$ulnet" run - >"$tmp/out" 2>&1 || fail "run - exited with $?"
grep -q '^from stdin$' "$tmp/out" || fail "run - did not read stdin"
"$ulnet" run >/dev/null 2>&1
[ $? = 2 ] || fail "run without FILE: expected exit 2"
"$ulnet" run "$tmp/nonexistent.scn" >/dev/null 2>&1
[ $? = 1 ] || fail "run of a missing file: expected exit 1"

"$ulnet" view sysctl net.core.somaxconn >"$tmp/out" 2>&1 || fail "view sysctl exited with $?"
[ "$(cat "$tmp/out")" = "net.core.somaxconn = 128" ] || fail "view sysctl: $(cat "$tmp/out")"
"$ulnet" view slabtop -o >"$tmp/out" 2>&1 || fail "view slabtop exited with $?"
grep -q '^  OBJS ACTIVE  USE OBJ SIZE  SLABS OBJ/SLAB CACHE SIZE NAME$' "$tmp/out" ||
	fail "slabtop header"
"$ulnet" view frob >/dev/null 2>&1
[ $? = 2 ] || fail "view of an unknown name: expected exit 2"
"$ulnet" view ss -lnt >"$tmp/out" 2>&1 || fail "view ss exited with $?"
grep -q '^State  *Recv-Q Send-Q Local Address:Port' "$tmp/out" || fail "ss header: $(cat "$tmp/out")"
echo "cli_run: ok"
