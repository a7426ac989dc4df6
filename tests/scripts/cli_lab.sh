#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# `ulnet lab`: the list's format (NAME chN question, one per line), a lab's exit status and its
# JSON output, and usage errors.
# Args: build dir, source dir.
set -u
build=${1:?usage: cli_lab.sh BUILD_DIR SOURCE_DIR}
ulnet="$build/ulnet"
[ -x "$ulnet" ] || { echo "cli_lab: FAIL: $ulnet not built"; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "cli_lab: FAIL: $*"; exit 1; }

"$ulnet" lab list >"$tmp/list" 2>"$tmp/err" || fail "lab list exited with $?"
[ -s "$tmp/list" ] || fail "lab list printed nothing"
bad=$(grep -Evc '^[a-z0-9-]+ ch([1-9]|10) [^ ].*$' "$tmp/list")
[ "$bad" = 0 ] || { cat "$tmp/list"; fail "$bad line(s) not 'NAME chN question'"; }
grep -q '^lo-frame ch5 ' "$tmp/list" || fail "lo-frame is not listed"

"$ulnet" lab lo-frame >"$tmp/out" 2>&1
rc=$?
[ $rc = 0 ] || { cat "$tmp/out"; fail "lab lo-frame exited with $rc"; }
grep -q '^Lab lo-frame (ch5): ' "$tmp/out" || fail "the report does not start with the question"
grep -q '^lab lo-frame: all [0-9]* checks passed$' "$tmp/out" || fail "no pass line"
grep -q 'ok    the path has no igb_\*' "$tmp/out" || fail "no path check"

"$ulnet" lab lo-frame --json --seed 7 >"$tmp/json" 2>&1 || fail "lab --json exited with $?"
if command -v python3 >/dev/null 2>&1; then
	python3 - "$tmp/json" <<'PY' || fail "JSON output"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["lab"] == "lo-frame" and d["chapter"] == "ch5" and d["seed"] == 7, d
assert d["passed"] is True, d
assert len(d["checks"]) >= 3 and all(c["ok"] for c in d["checks"]), d["checks"]
assert d["evidence"]["rx_context"] == "softirq", d["evidence"]
assert "Checks:" in d["report"]
PY
else
	grep -q '"passed":true' "$tmp/json" || fail "JSON has no \"passed\":true"
fi

"$ulnet" lab no-such-lab >"$tmp/out" 2>&1
rc=$?
[ $rc = 2 ] || fail "unknown lab: exit $rc, expected 2"
grep -q "no lab named 'no-such-lab'" "$tmp/out" || fail "unknown lab not named"
"$ulnet" lab lo-frame --seed -1 >/dev/null 2>&1
[ $? = 2 ] || fail "bad --seed: expected exit 2"
"$ulnet" --help | grep -q '^  lab ' || fail "--help does not list lab"
echo "cli_lab: ok"
