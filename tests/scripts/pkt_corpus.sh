#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# `ulnet pkt` over packetdrill's corpus (../shared/packetdrill: linux-3.11 and gtests): every
# script gets a PASS/FAIL/SKIP line, the summary adds up, and nothing FAILs (scripts needing
# what ulnet lacks yet are SKIPs with a reason). Skipped (77) when the corpus is absent.
# Args: build dir, source dir.
set -u
build=${1:?usage: pkt_corpus.sh BUILD_DIR SOURCE_DIR}
src=${2:?usage: pkt_corpus.sh BUILD_DIR SOURCE_DIR}
ulnet="$build/ulnet"
corpus="$src/../shared/packetdrill"
if [ ! -d "$corpus" ]; then
	echo "pkt_corpus: SKIP: $corpus is absent (the packetdrill corpus lives outside the repo)"
	exit 77
fi
[ -x "$ulnet" ] || { echo "pkt_corpus: FAIL: $ulnet not built"; exit 1; }
fail() { echo "pkt_corpus: FAIL: $*"; exit 1; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$ulnet" pkt "$corpus" >"$tmp/out.txt" 2>"$tmp/err.txt"
rc=$?
cat "$tmp/out.txt"
[ -s "$tmp/err.txt" ] && { echo "--- stderr:"; cat "$tmp/err.txt"; }

scripts=$(find "$corpus" -name '*.pkt' | wc -l)
lines=$(grep -cE '^(PASS|FAIL|SKIP) ' "$tmp/out.txt")
[ "$lines" -eq "$scripts" ] || fail "$lines result lines for $scripts scripts"
summary=$(tail -n 1 "$tmp/out.txt")
echo "$summary" | grep -qE '^[0-9]+ passed, [0-9]+ failed, [0-9]+ skipped$' ||
	fail "last line is not the summary: $summary"
read -r p _ f _ s _ <<<"$summary"
[ $((p + f + s)) -eq "$scripts" ] || fail "summary counts $((p + f + s)), want $scripts"
[ "$p" -eq "$(grep -c '^PASS ' "$tmp/out.txt")" ] || fail "pass count disagrees"
[ "$f" -eq 0 ] || fail "$f corpus scripts FAILED"
[ "$rc" -eq 0 ] || fail "exit status $rc with no failure"
# Every SKIP says why (an indented line under it).
if awk '/^SKIP /{s=1; next} s&&!/^    /{exit 1} {s=0}' "$tmp/out.txt"; then :; else
	fail "a SKIP without its reason"
fi
echo "pkt_corpus: PASS ($summary)"
