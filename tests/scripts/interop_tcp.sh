#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# TCP interop with the Linux kernel (issues #4, #5): `ulnet up` on a TAP inside a network
# namespace made here, the kernel on the other side (10.79.0.1/24, ulnet 10.79.0.2/24).
# Kernel -> ulnet (ulnet's listeners, docs/up.md):
#   - curl downloads /bytes/1048576 and /bytes/$BIG; the SHA-256 equals the pattern's
#     (byte i = (i * 31 + 7) mod 251); two URLs in one curl reuse the connection (keep-alive);
#   - HTTP edge cases over a raw socket: pipelining, HEAD, 404, 400, 413, 405 with a body
#     skipped, 431 for an 9000-byte header, garbage -> 400 and close, HTTP/1.0 closes;
#   - echo (7): 4 MiB through socat come back equal; discard (9): 16 MiB, counted by ulnet;
#     chargen (19): the first 100 lines are RFC 864's, the connection ends when the reader
#     goes away;
#   - a held connection is ESTABLISHED in the kernel's `ss -tan` and in ulnet's (SIGUSR1).
# ulnet -> kernel (ulnet's built-in clients):
#   - --fetch GETs /bytes/$BIG from a python3 server: HTTP 200, size and SHA-256 equal;
#   - --tcp-send sends $BIG pattern bytes to a python3 sink: its size and SHA-256 equal.
# BIG is 256 MiB (issue #5; the test takes ~15 s on a release build), 64 MiB on a sanitizer
# build (256 MiB there takes 50-90 s, over the ~60 s budget), or ULNET_INTEROP_TCP_BIG bytes.
# Traffic goes only to addresses of the namespace made here; everything is removed at exit;
# every wait is bounded. Args: build dir, source dir. Exit 77 (skip) without root,
# /dev/net/tun, ip netns, or the tools.
set -u
build=${1:?usage: interop_tcp.sh BUILD_DIR SOURCE_DIR}
ulnet="$build/ulnet"
me=interop_tcp
if grep -q '^ULNET_SANITIZE:BOOL=ON' "$build/CMakeCache.txt" 2>/dev/null; then
	BIG=${ULNET_INTEROP_TCP_BIG:-67108864}
else
	BIG=${ULNET_INTEROP_TCP_BIG:-268435456}
fi
. "$(dirname "${BASH_SOURCE[0]}")/lib/netns.sh"

netns_require curl socat python3 ss timeout sha256sum
[ -x "$ulnet" ] || { echo "$me: FAIL: $ulnet not built"; exit 1; }

ns="ulnet-tcp-$$"
tap=$(tap_name ultcp)
tmp=$(mktemp -d)
pid=""
peers=()
cleanup() {
	local p
	stop_pid "$pid"
	for p in "${peers[@]}"; do
		kill -TERM "$p" 2>/dev/null
		wait "$p" 2>/dev/null
	done
	ip netns del "$ns" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT

# The kernel side's programs: the pattern's SHA-256, an HTTP server of /bytes/N, a sink
# that hashes one connection, and the raw-socket HTTP checks.
cat >"$tmp/peer.py" <<'PY'
import hashlib, http.server, socket, socketserver, sys

PERIOD = bytes((i * 31 + 7) % 251 for i in range(251))
BLOCK = PERIOD * 256                    # 64256 bytes, a whole number of periods

def pattern_chunks(n):
    while n > 0:
        k = min(n, len(BLOCK))
        yield BLOCK[:k]
        n -= k

def pattern_sha(n):
    h = hashlib.sha256()
    for c in pattern_chunks(n):
        h.update(c)
    return h.hexdigest()

class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    def log_message(self, *a):
        pass
    def do_GET(self):
        if not self.path.startswith("/bytes/"):
            self.send_error(404)
            return
        n = int(self.path[7:])
        self.send_response(200)
        self.send_header("Content-Length", str(n))
        self.end_headers()
        for c in pattern_chunks(n):
            self.wfile.write(c)

def serve_http(port):
    class S(socketserver.ThreadingMixIn, http.server.HTTPServer):
        allow_reuse_address = True
        daemon_threads = True
    S(("10.79.0.1", port), Handler).serve_forever()

def sink(port, out):
    ls = socket.socket()
    ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    ls.bind(("10.79.0.1", port))
    ls.listen(1)
    c, _ = ls.accept()
    h, n = hashlib.sha256(), 0
    while True:
        d = c.recv(1 << 20)
        if not d:
            break
        h.update(d)
        n += len(d)
    c.close()
    with open(out, "w") as f:
        f.write("%d %s\n" % (n, h.hexdigest()))

def recv_response(s, buf):
    """One response from s (buffered in buf): (status, headers, body, buf)."""
    while b"\r\n\r\n" not in buf:
        d = s.recv(65536)
        if not d:
            raise SystemExit("connection closed before a full response head")
        buf += d
    head, buf = buf.split(b"\r\n\r\n", 1)
    lines = head.decode().split("\r\n")
    status = int(lines[0].split()[1])
    hdrs = {}
    for l in lines[1:]:
        k, v = l.split(":", 1)
        hdrs[k.strip().lower()] = v.strip()
    return status, hdrs, buf

def body(s, buf, n):
    while len(buf) < n:
        d = s.recv(65536)
        if not d:
            raise SystemExit("connection closed in a body")
        buf += d
    return buf[:n], buf[n:]

def closed(s):
    s.settimeout(5)
    try:
        while True:
            d = s.recv(65536)
            if not d:
                return True
    except (ConnectionResetError, socket.timeout):
        return False

def check(cond, what):
    if not cond:
        raise SystemExit("http check failed: " + what)
    print("http: " + what)

def http_checks():
    addr = ("10.79.0.2", 80)
    s = socket.create_connection(addr, timeout=10)
    # Pipelining: three requests in one write, answered in order on one connection.
    s.sendall(b"GET /bytes/1000 HTTP/1.1\r\nHost: x\r\n\r\n"
              b"HEAD /bytes/5000 HTTP/1.1\r\nHost: x\r\n\r\n"
              b"GET /nope HTTP/1.1\r\nHost: x\r\n\r\n")
    buf = b""
    st, h, buf = recv_response(s, buf)
    b, buf = body(s, buf, int(h["content-length"]))
    check(st == 200 and b == (PERIOD * 4)[:1000], "pipelined GET /bytes/1000: 200, the pattern")
    st, h, buf = recv_response(s, buf)
    check(st == 200 and h["content-length"] == "5000", "HEAD /bytes/5000: 200, Content-Length 5000, no body")
    st, h, buf = recv_response(s, buf)
    b, buf = body(s, buf, int(h["content-length"]))
    check(st == 404 and buf == b"", "GET /nope: 404")
    for path, want in ((b"/bytes/abc", 400), (b"/bytes/", 404), (b"/bytes/-1", 400),
                       (b"/bytes/2147483649", 413), (b"/bytes/99999999999999999999999", 413)):
        s.sendall(b"GET " + path + b" HTTP/1.1\r\nHost: x\r\n\r\n")
        st, h, buf = recv_response(s, buf)
        b, buf = body(s, buf, int(h["content-length"]))
        check(st == want, "GET %s: %d" % (path.decode(), want))
    s.sendall(b"GET /bytes/0 HTTP/1.1\r\nHost: x\r\n\r\n")
    st, h, buf = recv_response(s, buf)
    check(st == 200 and h["content-length"] == "0", "GET /bytes/0: 200, empty")
    # A body on an unsupported method is skipped; the connection goes on.
    s.sendall(b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhelloGET /bytes/3 HTTP/1.1\r\nHost: x\r\n\r\n")
    st, h, buf = recv_response(s, buf)
    b, buf = body(s, buf, int(h["content-length"]))
    check(st == 405 and h.get("allow") == "GET, HEAD", "POST: 405 with Allow")
    st, h, buf = recv_response(s, buf)
    b, buf = body(s, buf, int(h["content-length"]))
    check(st == 200 and b == PERIOD[:3], "the request after the skipped body: 200")
    # Connection: close is honoured.
    s.sendall(b"GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
    st, h, buf = recv_response(s, buf)
    b, buf = body(s, buf, int(h["content-length"]))
    check(st == 200 and h.get("connection") == "close" and b"bytes/N" in b and closed(s),
          "GET / with Connection: close: the index, then the server closes")
    s.close()
    # HTTP/1.0 closes by default.
    s = socket.create_connection(addr, timeout=10)
    s.sendall(b"GET /bytes/10 HTTP/1.0\r\n\r\n")
    st, h, buf = recv_response(s, b"")
    check(st == 200 and closed(s), "HTTP/1.0: 200, then closed")
    s.close()
    # A header block over 8 KiB: 431, closed.
    s = socket.create_connection(addr, timeout=10)
    s.sendall(b"GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * 9000 + b"\r\n\r\n")
    st, h, buf = recv_response(s, b"")
    check(st == 431 and closed(s), "9000-byte header: 431, closed")
    s.close()
    # Garbage: 400, closed; no Host in 1.1: 400; a version 2: 505.
    for req, want in ((b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03 junk\r\n\r\n", 400),
                      (b"GET / HTTP/1.1\r\n\r\n", 400),
                      (b"GET / HTTP/2.0\r\nHost: x\r\n\r\n", 505),
                      (b"GET /\r\n\r\n", 400)):
        s = socket.create_connection(addr, timeout=10)
        s.sendall(req)
        st, h, buf = recv_response(s, b"")
        check(st == want and closed(s), "%r: %d, closed" % (req[:20], want))
        s.close()
    # Garbage and mutated requests (seeded): each gets an answer or a close, never a hang;
    # the server goes on serving.
    import random
    rnd = random.Random(5)
    base = b"GET /bytes/10 HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n"
    for i in range(100):
        b = bytearray(base * rnd.randint(1, 3) if i % 2 else
                      bytes(rnd.randrange(256) for _ in range(rnd.randint(1, 3000))))
        for _ in range(rnd.randint(0, 8)):
            pos = rnd.randrange(len(b))
            op = rnd.randrange(3)
            if op == 0:
                b[pos] = rnd.randrange(256)
            elif op == 1:
                b.insert(pos, rnd.choice(b" :\r\n\x00/0123456789"))
            elif len(b) > 1:
                del b[pos]
        s = socket.create_connection(addr, timeout=10)
        s.sendall(bytes(b))
        s.shutdown(socket.SHUT_WR)
        s.settimeout(10)
        try:
            while s.recv(65536):
                pass
        except ConnectionResetError:
            pass
        except socket.timeout:
            raise SystemExit("mutated request %d: no close within 10 s" % i)
        s.close()
    print("http: 100 garbage or mutated requests, each answered or closed")
    # A peer that sends half a request and resets: the server survives (checked after).
    s = socket.create_connection(addr, timeout=10)
    s.sendall(b"GET /bytes/100000000 HTTP/1.1\r\nHost: x\r\n\r\n")
    s.recv(1000)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
    s.close()

def chargen_check(n_lines):
    s = socket.create_connection(("10.79.0.2", 19), timeout=10)
    want = b"".join(bytes(32 + (l + c) % 95 for c in range(72)) + b"\r\n" for l in range(n_lines))
    got = b""
    while len(got) < len(want):
        d = s.recv(65536)
        if not d:
            raise SystemExit("chargen closed early")
        got += d
    s.close()
    if got[:len(want)] != want:
        raise SystemExit("chargen: not RFC 864's pattern")
    print("chargen: %d lines of RFC 864's pattern" % n_lines)

def hold(port, secs, out):
    import time
    s = socket.create_connection(("10.79.0.2", port), timeout=10)
    with open(out, "w") as f:
        f.write("%s %d\n" % s.getsockname())
    time.sleep(secs)
    s.close()

cmd = sys.argv[1]
if cmd == "sha":
    print(pattern_sha(int(sys.argv[2])))
elif cmd == "http":
    serve_http(int(sys.argv[2]))
elif cmd == "sink":
    sink(int(sys.argv[2]), sys.argv[3])
elif cmd == "http-checks":
    http_checks()
elif cmd == "chargen":
    chargen_check(int(sys.argv[2]))
elif cmd == "hold":
    hold(int(sys.argv[2]), float(sys.argv[3]), sys.argv[4])
PY
peer() { in_ns python3 "$tmp/peer.py" "$@"; }

netns_tap_up "$ns" "$tap" 10.79.0.1/24

sha_1m=$(python3 "$tmp/peer.py" sha 1048576)
sha_big=$(python3 "$tmp/peer.py" sha "$BIG")
[ "$sha_1m" = 1c59b8670027384143781a8a8bff2f3b44bd8818d0f53b13b064c2375a1afe38 ] ||
	fail "the pattern's SHA-256 of 1 MiB is $sha_1m (docs/up.md disagrees)"

# The kernel's listeners for ulnet's clients, before ulnet starts.
ip netns exec "$ns" timeout 300 python3 "$tmp/peer.py" http 8080 &
peers+=($!)
ip netns exec "$ns" timeout 300 python3 "$tmp/peer.py" sink 5001 "$tmp/sink.txt" &
peers+=($!)
for _ in $(seq 50); do
	in_ns ss -tln | grep -q ':8080 ' && in_ns ss -tln | grep -q ':5001 ' && break
	sleep 0.1
done

t0=$(date +%s)
# Not through in_ns: $! must be ulnet itself.
ip netns exec "$ns" "$ulnet" up --tap "$tap" --addr 10.79.0.2/24 --gw 10.79.0.1 --cpus 2 \
	--fetch "10.79.0.1:8080/bytes/$BIG" --tcp-send 10.79.0.1:5001 --bytes "$BIG" \
	>"$tmp/up.log" 2>&1 &
pid=$!
wait_log "ulnet up: ready" 100 || fail "ulnet up did not become ready in 10 s"
echo "$me: $(grep 'ulnet up: ready' "$tmp/up.log")"

# ulnet -> kernel: the fetch, then the send (ulnet runs them one after the other).
wait_log "ulnet up: fetch exited" 1000 || fail "--fetch did not finish in 100 s"
grep "ulnet up: fetch http" "$tmp/up.log"
grep -q "ulnet up: fetch exited 0" "$tmp/up.log" || fail "--fetch failed"
grep -q "ulnet up: fetch http://10.79.0.1:8080/bytes/$BIG: HTTP 200, $BIG bytes in .*sha256 $sha_big$" \
	"$tmp/up.log" || fail "--fetch: not HTTP 200, $BIG bytes, sha256 $sha_big"
wait_log "ulnet up: tcp-send exited" 1000 || fail "--tcp-send did not finish in 100 s"
grep "ulnet up: tcp-send 10" "$tmp/up.log"
grep -q "ulnet up: tcp-send exited 0" "$tmp/up.log" || fail "--tcp-send failed"
grep -q "ulnet up: tcp-send 10.79.0.1:5001: $BIG bytes in .*sha256 $sha_big$" "$tmp/up.log" ||
	fail "--tcp-send: not $BIG bytes with sha256 $sha_big"
for _ in $(seq 50); do [ -s "$tmp/sink.txt" ] && break; sleep 0.1; done
[ "$(cat "$tmp/sink.txt" 2>/dev/null)" = "$BIG $sha_big" ] ||
	fail "the kernel's sink got '$(cat "$tmp/sink.txt" 2>/dev/null)', want '$BIG $sha_big'"
echo "$me: the kernel received $BIG bytes, sha256 equal"
t1=$(date +%s)
echo "$me: ulnet -> kernel, $BIG bytes each way (GET and send): $((t1 - t0)) s"

# kernel -> ulnet: curl.
for n in 1048576 "$BIG"; do
	want=$(python3 "$tmp/peer.py" sha "$n")
	got=$(in_ns timeout 90 curl -sS --fail "http://10.79.0.2/bytes/$n" | sha256sum | cut -d' ' -f1)
	[ "$got" = "$want" ] || fail "curl /bytes/$n: sha256 $got, want $want"
	echo "$me: curl /bytes/$n: sha256 equal"
done
t2=$(date +%s)
echo "$me: kernel -> ulnet, curl of 1 MiB and $BIG bytes: $((t2 - t1)) s"
in_ns timeout 20 curl -sS -v --fail -o /dev/null -o /dev/null "http://10.79.0.2/bytes/100000" \
	"http://10.79.0.2/bytes/200000" 2>"$tmp/curl-v.txt" || { cat "$tmp/curl-v.txt"; fail "curl keep-alive"; }
grep -q "Re-using existing connection" "$tmp/curl-v.txt" ||
	{ cat "$tmp/curl-v.txt"; fail "curl did not reuse the connection (keep-alive)"; }
echo "$me: curl: two GETs on one connection"
in_ns timeout 30 python3 "$tmp/peer.py" http-checks || fail "HTTP checks"

# Echo: 4 MiB through socat, back equal.
head -c 4194304 /dev/urandom >"$tmp/rand"
in_ns timeout 30 socat -t 10 - TCP:10.79.0.2:7 <"$tmp/rand" >"$tmp/rand.back" || fail "socat echo"
cmp -s "$tmp/rand" "$tmp/rand.back" || fail "echo: 4 MiB did not come back equal ($(stat -c %s "$tmp/rand.back") bytes)"
echo "$me: echo: 4 MiB back equal"
echo hello | in_ns timeout 10 nc -N 10.79.0.2 7 >"$tmp/nc.txt" 2>&1
[ "$(cat "$tmp/nc.txt")" = hello ] || fail "nc echo: '$(cat "$tmp/nc.txt")'"
echo "$me: nc echo: hello"

# Discard: 16 MiB.
head -c 16777216 /dev/zero | in_ns timeout 30 socat -u - TCP:10.79.0.2:9 || fail "socat discard"
echo "$me: discard: 16 MiB sent"

# Chargen: RFC 864's lines; the reader closes.
in_ns timeout 20 python3 "$tmp/peer.py" chargen 100 || fail "chargen"

# A held connection, seen by both sides.
ip netns exec "$ns" timeout 20 python3 "$tmp/peer.py" hold 7 4 "$tmp/hold.txt" &
hold=$!
for _ in $(seq 50); do [ -s "$tmp/hold.txt" ] && break; sleep 0.1; done
read -r _ hport <"$tmp/hold.txt" || fail "the held connection did not open"
sleep 0.5
in_ns ss -tan >"$tmp/ss.txt"
cat "$tmp/ss.txt"
grep -Eq "^ESTAB +0 +0 +10\.79\.0\.1:$hport +10\.79\.0\.2:7 *$" "$tmp/ss.txt" ||
	fail "kernel ss: no ESTAB 10.79.0.1:$hport -> 10.79.0.2:7"
kill -USR1 "$pid"
wait_log "ulnet up: end of ss" 50 || fail "no ss -tan from ulnet on SIGUSR1"
sed -n '/ulnet up: ss -tan/,/ulnet up: end of ss/p' "$tmp/up.log"
grep -Eq "^ESTAB +0 +0 +10\.79\.0\.2:7 +10\.79\.0\.1:$hport *$" "$tmp/up.log" ||
	fail "ulnet ss: no ESTAB 10.79.0.2:7 <- 10.79.0.1:$hport"
grep -Eq "^LISTEN +0 +128 +0\.0\.0\.0:80 +0\.0\.0\.0:\* *$" "$tmp/up.log" ||
	fail "ulnet ss: no LISTEN on 0.0.0.0:80"
wait "$hold"

# Still serving after all that, then a clean stop with the counters.
got=$(in_ns timeout 20 curl -sS --fail http://10.79.0.2/bytes/1048576 | sha256sum | cut -d' ' -f1)
[ "$got" = "$sha_1m" ] || fail "curl after the checks: sha256 $got"
kill -INT "$pid"
wait_exit "$pid" 100 || fail "ulnet up did not stop within 10 s of SIGINT"
wait "$pid"
rc=$?
pid=""
[ "$rc" -eq 0 ] || fail "ulnet up exited with $rc"
grep "ulnet up: tcp " "$tmp/up.log"
grep -Eq "^ulnet up: tcp echo: 3 connections, 4194310 bytes in, 4194310 bytes out$" "$tmp/up.log" ||
	fail "echo counters: want 3 connections, 4194310 bytes each way"
grep -Eq "^ulnet up: tcp discard: 1 connections, 16777216 bytes in, 0 bytes out$" "$tmp/up.log" ||
	fail "discard counters: want 1 connection, 16777216 bytes in"
grep -Eq "^ulnet up: tcp chargen: 1 connections, " "$tmp/up.log" || fail "chargen counters"
grep -Eq "^ulnet up: tcp http: [0-9]+ connections, [0-9]+ requests, " "$tmp/up.log" ||
	fail "http counters"
echo "$me: all checks passed"
