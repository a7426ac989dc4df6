# SPDX-License-Identifier: MIT
# Shared set-up of the root shell tests that run `ulnet up` on a TAP inside a network
# namespace made for the test (interop_container.sh, interop_tcp.sh, interop_up.sh,
# tap_offload.sh): skip and fail, the root and tool checks, waits on a process's exit and
# on ulnet's log, the namespace with its TAP, and stopping a process at cleanup.
# Sourced, not a test: CMake's glob takes only tests/scripts/*.sh, not this subfolder.
# The caller sets $me (its name) before sourcing, $tmp once its temporary folder exists
# (fail prints $tmp/up.log), $ns before in_ns and $pid (ulnet up) before wait_log.

skip() { echo "$me: SKIP: $*"; exit 77; }
fail() {
	echo "$me: FAIL: $*"
	[ -f "${tmp:-}/up.log" ] && sed 's/^/  up: /' "$tmp/up.log"
	exit 1
}

# netns_require [TOOL...]: exit 77 (skip) unless root, /dev/net/tun, `ip netns` and every
# TOOL are there.
netns_require() {
	local tool
	[ "$(id -u)" = 0 ] || skip "needs root (network namespaces, TAP)"
	[ -c /dev/net/tun ] || skip "no /dev/net/tun"
	command -v ip >/dev/null 2>&1 && ip netns list >/dev/null 2>&1 || skip "no ip netns"
	for tool in "$@"; do
		command -v "$tool" >/dev/null 2>&1 || skip "$tool is not installed"
	done
}

# True once $1 has exited (gone or a zombie: kill -0 and tail --pid see zombies as alive).
exited() {
	local st
	st=$(awk '/^State:/ {print $2}' "/proc/$1/status" 2>/dev/null)
	[ -z "$st" ] || [ "$st" = Z ] || [ "$st" = X ]
}

# Wait up to $2 tenths of a second for $1 to exit.
wait_exit() {
	local i
	for ((i = 0; i < $2; i++)); do exited "$1" && return 0; sleep 0.1; done
	return 1
}

# Wait up to $2 tenths of a second for the pattern $1 in ulnet's log ($tmp/up.log); gives
# up early once ulnet ($pid) has exited. True if the pattern is there.
wait_log() {
	local i
	for ((i = 0; i < $2; i++)); do
		grep -q -- "$1" "$tmp/up.log" && return 0
		exited "$pid" && break
		sleep 0.1
	done
	grep -q -- "$1" "$tmp/up.log"
}

# stop_pid PID [TENTHS]: if PID (may be empty) is there, SIGTERM, SIGKILL when it has not
# exited after TENTHS (default 50) tenths of a second, then reaped.
stop_pid() {
	[ -n "${1:-}" ] && kill -0 "$1" 2>/dev/null || return 0
	kill -TERM "$1" 2>/dev/null
	wait_exit "$1" "${2:-50}" || kill -KILL "$1" 2>/dev/null
	wait "$1" 2>/dev/null
}

# A TAP device name from PREFIX and this shell's pid, cut to IFNAMSIZ - 1 (15) bytes.
tap_name() {
	local t="$1$$"
	echo "${t:0:15}"
}

in_ns() { ip netns exec "$ns" "$@"; }

# netns_tap_up NS TAP ADDR/LEN: the namespace NS (lo up) holding the TAP device TAP with
# ADDR/LEN (the kernel's side of the link), up.
netns_tap_up() {
	ip netns add "$1" || fail "ip netns add $1"
	ip netns exec "$1" ip link set lo up
	ip netns exec "$1" ip tuntap add dev "$2" mode tap || fail "ip tuntap add"
	ip netns exec "$1" ip addr add "$3" dev "$2" || fail "ip addr add"
	ip netns exec "$1" ip link set "$2" up || fail "ip link set up"
}
