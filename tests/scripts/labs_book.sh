#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The book's labs: every lab of `ulnet lab list` runs and passes its checks (their key
# outcomes: no igb_* on the loopback paths, rx_missed_errors > 0 at ring 64 and 0 at 4096,
# NET_RX > NET_TX, tcpdump before netfilter, the rx/tx chains, coalescing, SYN retransmits,
# the accept queue, port exhaustion, memory per connection (idle and with data queued), fd
# limits, copies per byte of write() and sendfile(), context switches of blocking recv vs
# epoll, loopback TCP vs AF_UNIX, short vs long connections, one CUBIC flow at >= 90% of 1 Gbit/s and its cubic
# curve, TSO/GSO calls per MiB, a SYN flood with syncookies off and on, ethtool -L and
# smp_affinity in rss, the ring's drain in ringbuffer), `max-conns --conns N` (the ch8.5
# experiment, small N), the coalescing and cwnd labs' SVGs are well-formed XML with their
# series, and `ulnet lab tour` (make run) passes in under a minute.
# Args: build dir, source dir.
set -u
build=${1:?usage: labs_book.sh BUILD_DIR SOURCE_DIR}
ulnet="$build/ulnet"
[ -x "$ulnet" ] || { echo "labs_book: FAIL: $ulnet not built"; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "labs_book: FAIL: $*"; exit 1; }

"$ulnet" lab list >"$tmp/list" || fail "lab list exited with $?"
for want in loopback ringbuffer irq-shares rx-path tcpdump-netfilter tx-path coalescing rss rps gro \
	syn-retries accept-queue port-exhaustion conn-memory max-conns zero-copy blocking-vs-epoll \
	loopback-tcp crr-vs-rr cwnd tso syncookies; do
	grep -q "^$want ch[0-9]* " "$tmp/list" || fail "lab $want is not listed"
done
n=0
mkdir "$tmp/tcpplots"
while read -r name chapter _; do
	n=$((n + 1))
	[ $n -le 50 ] || fail "more than 50 labs listed"
	# cwnd is the slowest lab: its one run also writes the TCP pictures checked below.
	if [ "$name" = cwnd ]; then
		"$ulnet" lab "$name" --plot "$tmp/tcpplots" >"$tmp/$name.out" 2>&1
	else
		"$ulnet" lab "$name" >"$tmp/$name.out" 2>&1
	fi
	rc=$?
	[ $rc = 0 ] || { cat "$tmp/$name.out"; fail "lab $name exited with $rc"; }
	grep -q "^Lab $name ($chapter): " "$tmp/$name.out" || fail "$name: no question line"
	grep -q "^lab $name: all [0-9]* checks passed$" "$tmp/$name.out" || fail "$name: no pass line"
	grep -q "^Answer" "$tmp/$name.out" || [ "$name" = lo-frame ] || fail "$name: no answer"
done <"$tmp/list"

# Key outcomes, by their check lines.
grep -q '^  ok    own address: the path has no igb_\* or veth_\* function$' "$tmp/loopback.out" \
	|| fail "loopback: own-address path check"
grep -q '^  ok    ring 64: rx_missed_errors delta > 0$' "$tmp/ringbuffer.out" \
	|| fail "ringbuffer: ring 64 check"
grep -q '^  ok    ring 4096: rx_missed_errors delta == 0$' "$tmp/ringbuffer.out" \
	|| fail "ringbuffer: ring 4096 check"
grep -q 'the book (Linux 3.10): maximum 4096, current 512' "$tmp/ringbuffer.out" \
	|| fail "ringbuffer: the book's figure"
grep -q '^  ok    NET_RX delta > NET_TX delta$' "$tmp/irq-shares.out" || fail "irq-shares"
grep -q '^  ok    the tap ran before the hook$' "$tmp/tcpdump-netfilter.out" \
	|| fail "tcpdump-netfilter"

# ch6-ch8 (TCP connection management): SYN retransmits, the accept queue in netstat -s and
# ss -lnt, ports running out, memory per connection from slabinfo, fd limits and > 65,535
# connections.
grep -q '^  ok    tcp_syn_retries=6: 7 SYNs at 0, 1, 3, 7, 15, 31, 63 s$' "$tmp/syn-retries.out" \
	|| fail "syn-retries: SYN times"
grep -q '^  ok    tcp_syn_retries=6: ETIMEDOUT at 127 s$' "$tmp/syn-retries.out" \
	|| fail "syn-retries: ETIMEDOUT"
grep -q '^  ok    third ACK lost: the server shows SYN-RECV in ss$' "$tmp/syn-retries.out" \
	|| fail "syn-retries: SYN-RECV"
grep -Eq '^ +[0-9]+ times the listen queue of a socket overflowed$' "$tmp/accept-queue.out" \
	|| fail "accept-queue: netstat -s sentence"
grep -q '^  ok    the accept queue holds backlog + 1 children$' "$tmp/accept-queue.out" \
	|| fail "accept-queue: backlog + 1"
grep -q '^  ok    ss -lnt: Recv-Q backlog + 1, Send-Q backlog$' "$tmp/accept-queue.out" \
	|| fail "accept-queue: ss -lnt"
grep -q '^  ok    full range: EADDRNOTAVAIL$' "$tmp/port-exhaustion.out" \
	|| fail "port-exhaustion: EADDRNOTAVAIL"
grep -q '^  ok    tcp_tw_reuse=1: connect reuses a TIME_WAIT port$' "$tmp/port-exhaustion.out" \
	|| fail "port-exhaustion: tcp_tw_reuse"
grep -q 'the book (Linux 3.10): client 3.34 KB, server 3.05 KB per connection' \
	"$tmp/conn-memory.out" || fail "conn-memory: the book's figure"
grep -q '^  ok    TIME_WAIT: only a tw_sock_TCP (and the port.s bind bucket) is left$' \
	"$tmp/conn-memory.out" || fail "conn-memory: TIME_WAIT"
grep -q '^  ok    1024 sockets, then EMFILE$' "$tmp/max-conns.out" || fail "max-conns: EMFILE"
grep -q '^  ok    fs.file-max reached: ENFILE$' "$tmp/max-conns.out" || fail "max-conns: ENFILE"
grep -q '^  ok    more than 65,535 connections over fewer local port numbers than that$' \
	"$tmp/max-conns.out" || fail "max-conns: > 65,535"

grep -q '^  ok    4 KiB unread: sk_buffs wait in the receive queues$' "$tmp/conn-memory.out" \
	|| fail "conn-memory: data queued"

# TCP data: copies per byte, context switches, loopback TCP vs AF_UNIX, CUBIC.
grep -q '^  ok    read+write: 2 copies per byte (to user, from user)$' "$tmp/zero-copy.out" \
	|| fail "zero-copy: read+write"
grep -q '^  ok    sendfile: no CPU copy, every byte by page reference (tcp_sendpage)$' \
	"$tmp/zero-copy.out" || fail "zero-copy: sendfile"
grep -q '^  ok    thread per connection: >= 1 voluntary switch per request$' \
	"$tmp/blocking-vs-epoll.out" || fail "blocking-vs-epoll: threads"
grep -q '^  ok    epoll: fewer switches per request than thread per connection$' \
	"$tmp/blocking-vs-epoll.out" || fail "blocking-vs-epoll: epoll"
grep -q '^  ok    lo: advmss 65483 (MTU 65536 - 40 - 12 of timestamps)$' "$tmp/loopback-tcp.out" \
	|| fail "loopback-tcp: MSS"
grep -q '^  ok    TCP runs NET_RX softirqs, AF_UNIX none$' "$tmp/loopback-tcp.out" \
	|| fail "loopback-tcp: AF_UNIX"
grep -q '^  ok    CRR: one TIME_WAIT socket per transaction, RR: one in all$' \
	"$tmp/crr-vs-rr.out" || fail "crr-vs-rr: TIME_WAIT"
grep -q '^  ok    tuned: one flow reaches >= 90% of the link rate$' "$tmp/cwnd.out" \
	|| fail "cwnd: 90% of the link"
grep -q '^  ok    cubic: concave below W_max (growth slows)$' "$tmp/cwnd.out" \
	|| fail "cwnd: concave"
grep -q '^  ok    cubic: convex above W_max (growth speeds up)$' "$tmp/cwnd.out" \
	|| fail "cwnd: convex"

# ch9 knobs: TSO/GSO, syncookies, the queue count and IRQ affinity, the ring's drain.
grep -q '^  ok    TSO on: at most a quarter of the tcp_transmit_skb calls of TSO/GSO off$' \
	"$tmp/tso.out" || fail "tso: transmit calls"
grep -q '^  ok    GSO only: TCP still sends big skbs, cut just before the driver$' \
	"$tmp/tso.out" || fail "tso: GSO"
grep -q '^  ok    tcp_syncookies=0: the client.s SYNs at +0, 1, 3 s all dropped$' \
	"$tmp/syncookies.out" || fail "syncookies: off"
grep -q '^  ok    tcp_syncookies=1: the client connects with one SYN$' "$tmp/syncookies.out" \
	|| fail "syncookies: on"
grep -Eq '^ +[0-9]+ SYN cookies sent$' "$tmp/syncookies.out" || fail "syncookies: netstat -s"
grep -q '^  ok    ethtool -L combined 2: ethtool -l shows 2, only queues 0 and 1 used$' \
	"$tmp/rss.out" || fail "rss: ethtool -L"
grep -q '^  ok    smp_affinity: queue 0.s interrupts move to the CPU written$' "$tmp/rss.out" \
	|| fail "rss: smp_affinity"
grep -q '^  ok    ring 4096: the deeper burst takes more NET_RX runs to drain$' \
	"$tmp/ringbuffer.out" || fail "ringbuffer: drain"

# max-conns --conns N: the book's ch8.5 experiment at a small N (one client address; the 20
# addresses of N > 60,000 and --conns 1000000 are in docs/labs.md); bad counts are usage errors.
"$ulnet" lab max-conns --conns 2000 --json >"$tmp/mc.json" 2>&1 \
	|| { cat "$tmp/mc.json"; fail "max-conns --conns 2000 exited with $?"; }
if command -v python3 >/dev/null 2>&1; then
	python3 - "$tmp/mc.json" <<'PY' || fail "max-conns --conns JSON"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["passed"] is True, [c for c in d["checks"] if not c["ok"]]
e = d["evidence"]
assert int(e["connections"]) == 2000 and int(e["established"]) == 2000, e
assert int(e["client_addresses"]) == 1 and float(e["slab_bytes_per_conn"]) > 1000, e
assert "time to establish" in d["report"] and "VmRSS" in d["report"], "report"
PY
fi
for bad in 0 -5 x 1200021; do
	"$ulnet" lab max-conns --conns "$bad" >/dev/null 2>&1
	[ $? = 2 ] || fail "--conns $bad should be a usage error"
done
"$ulnet" lab rss --conns 10 >/dev/null 2>&1
[ $? = 2 ] || fail "--conns on another lab should be a usage error"

# The JSON of one lab carries its evidence.
"$ulnet" lab ringbuffer --json >"$tmp/rb.json" || fail "ringbuffer --json exited with $?"
if command -v python3 >/dev/null 2>&1; then
	python3 - "$tmp/rb.json" <<'PY' || fail "ringbuffer JSON"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["passed"] is True and d["chapter"] == "ch2", d
assert int(d["evidence"]["missed_ring64"]) > 0, d["evidence"]
assert int(d["evidence"]["missed_ring4096"]) == 0, d["evidence"]
PY
	"$ulnet" lab accept-queue --json >"$tmp/aq.json" || fail "accept-queue --json exited with $?"
	python3 - "$tmp/aq.json" <<'PY' || fail "accept-queue JSON"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["passed"] is True and d["chapter"] == "ch6", d
e = d["evidence"]
assert int(e["accept_queue"]) == 6 and int(e["syn_table_backlog5"]) == 16, e
assert int(e["syn_table_backlog512"]) == 256 and int(e["listen_overflows"]) > 0, e
PY
fi

# The plot.
mkdir "$tmp/plots"
"$ulnet" lab coalescing --plot "$tmp/plots" >"$tmp/co.out" 2>&1 || { cat "$tmp/co.out"; fail "coalescing --plot exited with $?"; }
svg="$tmp/plots/coalescing-irqs.svg"
[ -s "$svg" ] || fail "no $svg"
if command -v python3 >/dev/null 2>&1; then
	python3 - "$svg" <<'PY' || fail "the SVG"
import sys
import xml.etree.ElementTree as ET
ns = {"s": "http://www.w3.org/2000/svg"}
root = ET.parse(sys.argv[1]).getroot()
assert root.tag == "{http://www.w3.org/2000/svg}svg", root.tag
assert root.find("s:title", ns).text.startswith("Receive interrupts"), "title"
lines = root.findall("s:polyline[@class='series']", ns)
names = [l.get("data-series") for l in lines]
assert names == ["rx-usecs 0", "rx-usecs 20", "rx-usecs 50", "rx-usecs 100"], names
for l in lines:
    pts = [tuple(map(float, p.split(","))) for p in l.get("points").split()]
    assert len(pts) > 100, (l.get("data-series"), len(pts))
    assert all(0 <= x <= 760 and 0 <= y <= 440 for x, y in pts), l.get("data-series")
# The cumulative interrupts end lower (higher on the page) for more coalescing.
ends = [float(l.get("points").split()[-1].split(",")[1]) for l in lines]
assert ends == sorted(ends), ends
PY
else
	grep -q 'data-series="rx-usecs 100"' "$svg" || fail "no rx-usecs 100 series"
fi
"$ulnet" lab coalescing --plot "$tmp/no/such/dir" >"$tmp/co2.out" 2>&1
[ $? = 1 ] || fail "--plot to a missing directory should fail"

# The TCP pictures: cwnd over time (with the cubic curve), the time-sequence plot and the
# sender's queues over time.
for f in cwnd-1gbit.svg cwnd-cubic.svg tcp-tseq.svg tcp-queues.svg; do
	[ -s "$tmp/tcpplots/$f" ] || fail "no $f"
done
if command -v python3 >/dev/null 2>&1; then
	python3 - "$tmp/tcpplots" <<'PY' || fail "the TCP SVGs"
import sys
import xml.etree.ElementTree as ET
ns = {"s": "http://www.w3.org/2000/svg"}
def series(name):
    root = ET.parse(sys.argv[1] + "/" + name).getroot()
    assert root.tag == "{http://www.w3.org/2000/svg}svg", root.tag
    lines = root.findall("s:polyline[@class='series']", ns)
    return {l.get("data-series"): len(l.get("points").split()) for l in lines}
c = series("cwnd-cubic.svg")
assert c.get("cwnd", 0) > 100 and c.get("W(t) = 0.4 (t - K)^3 + W_max", 0) > 100, c
t = series("tcp-tseq.svg")
assert t.get("data (end seq sent)", 0) > 1000 and t.get("ACK (received)", 0) > 500, t
assert t.get("retransmit", 0) >= 1, t
assert series("cwnd-1gbit.svg").get("cwnd", 0) > 100
q = series("tcp-queues.svg")
assert q.get("write queue (write_seq - snd_una)", 0) > 100 and q.get("sk_sndbuf", 0) > 100, q
PY
else
	grep -q 'data-series="retransmit"' "$tmp/tcpplots/tcp-tseq.svg" || fail "no retransmit series"
fi

# make run's tour: five labs, under a minute.
start=$(date +%s)
"$ulnet" lab tour >"$tmp/tour.out" 2>&1 || { tail -20 "$tmp/tour.out"; fail "lab tour exited with $?"; }
secs=$(( $(date +%s) - start ))
[ "$secs" -lt 60 ] || fail "lab tour took $secs s"
[ "$(grep -c 'all checks passed$' "$tmp/tour.out")" = 5 ] || fail "tour summary"
echo "labs_book: ok ($n labs, tour ${secs}s)"
