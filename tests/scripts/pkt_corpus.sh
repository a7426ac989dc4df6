#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# `ulnet pkt` over packetdrill's corpus (../shared/packetdrill: linux-3.11 and gtests): every
# script gets a PASS/FAIL/SKIP line, the summaries add up, every SKIP says why, and no script
# that tests/pkt/corpus_expected.txt records as PASS fails to pass (the pass count never goes
# down). Scripts that newly pass are listed, so that the baseline is raised
# (docs/conformance.md says how). Skipped (77) when the corpus is absent.
# linux-3.11 runs with the sysctl of the machines it was written on (tcp_rmem max 3732736,
# which its receiver_rtt scripts restore: window scale 6); gtests load their defaults.sh.
# Args: build dir, source dir.
set -u
build=${1:?usage: pkt_corpus.sh BUILD_DIR SOURCE_DIR}
src=${2:?usage: pkt_corpus.sh BUILD_DIR SOURCE_DIR}
ulnet="$build/ulnet"
corpus="$src/../shared/packetdrill"
baseline="$src/tests/pkt/corpus_expected.txt"
if [ ! -d "$corpus" ]; then
	echo "pkt_corpus: SKIP: $corpus is absent (the packetdrill corpus lives outside the repo)"
	exit 77
fi
[ -x "$ulnet" ] || { echo "pkt_corpus: FAIL: $ulnet not built"; exit 1; }
[ -f "$baseline" ] || { echo "pkt_corpus: FAIL: $baseline is missing"; exit 1; }
fail() { echo "pkt_corpus: FAIL: $*"; exit 1; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
corpus=$(cd "$corpus" && pwd)

# One part of the corpus: the run, then its format checks.
run_part() {
	local part=$1 out="$tmp/$1.txt" rc scripts lines summary p f s
	shift
	"$ulnet" pkt "$@" "$corpus/$part" >"$out" 2>"$tmp/$part.err"
	rc=$?
	cat "$out"
	[ -s "$tmp/$part.err" ] && { echo "--- stderr:"; cat "$tmp/$part.err"; }
	scripts=$(find "$corpus/$part" -name '*.pkt' | wc -l)
	lines=$(grep -cE '^(PASS|FAIL|SKIP) ' "$out")
	[ "$lines" -eq "$scripts" ] || fail "$part: $lines result lines for $scripts scripts"
	summary=$(tail -n 1 "$out")
	echo "$summary" | grep -qE '^[0-9]+ passed, [0-9]+ failed, [0-9]+ skipped$' ||
		fail "$part: last line is not the summary: $summary"
	read -r p _ f _ s _ <<<"$summary"
	[ $((p + f + s)) -eq "$scripts" ] || fail "$part: summary counts $((p + f + s)), want $scripts"
	[ "$p" -eq "$(grep -c '^PASS ' "$out")" ] || fail "$part: pass count disagrees"
	[ "$f" -eq "$(grep -c '^FAIL ' "$out")" ] || fail "$part: fail count disagrees"
	if [ "$f" -eq 0 ]; then
		[ "$rc" -eq 0 ] || fail "$part: exit status $rc with no failure"
	else
		[ "$rc" -eq 1 ] || fail "$part: exit status $rc with $f failures"
	fi
	# Every SKIP says why (an indented line under it).
	awk '/^SKIP /{s=1; next} s&&!/^    /{exit 1} {s=0}' "$out" || fail "$part: a SKIP without its reason"
	echo "pkt_corpus: $part: $summary"
}

run_part linux-3.11 --sysctl 'net.ipv4.tcp_rmem=4096 87380 3732736'
run_part gtests

# Verdicts relative to the corpus folder: "PASS linux-3.11/listen/x.pkt".
grep -hE '^(PASS|FAIL|SKIP) ' "$tmp/linux-3.11.txt" "$tmp/gtests.txt" |
	sed "s|^\(....\) $corpus/|\1 |" | sort -k2 >"$tmp/actual.txt"
grep -E '^(PASS|FAIL|SKIP) ' "$baseline" | sort -k2 >"$tmp/expected.txt"

# awk over "expected" then "actual": regressions, new passes, scripts missing from the file.
compare() {
	awk -v want="$1" 'FILENAME == ARGV[1] { base[$2] = $1; next }
		want == "regress" && base[$2] == "PASS" && $1 != "PASS" { print $2 " (now " $1 ")" }
		want == "newpass" && base[$2] != "PASS" && $1 == "PASS" { print $2 }
		want == "missing" && !($2 in base) { print $2 }' "$tmp/expected.txt" "$tmp/actual.txt"
}
regress=$(compare regress)
newpass=$(compare newpass)
missing=$(compare missing)
base_pass=$(grep -c '^PASS ' "$tmp/expected.txt")
now_pass=$(grep -c '^PASS ' "$tmp/actual.txt")
if [ -n "$newpass" ]; then
	echo "pkt_corpus: newly passing (raise tests/pkt/corpus_expected.txt):"
	echo "$newpass" | sed 's/^/    /'
fi
if [ -n "$missing" ]; then
	echo "pkt_corpus: not in tests/pkt/corpus_expected.txt:"
	echo "$missing" | sed 's/^/    /'
fi
# PKT_BASELINE_OUT=FILE: write this run's verdicts as a new baseline (docs/conformance.md).
if [ -n "${PKT_BASELINE_OUT:-}" ]; then
	{
		echo "# Baseline of tests/scripts/pkt_corpus.sh: the verdict of each packetdrill corpus"
		echo "# script (relative to ../shared/packetdrill). A script marked PASS must keep passing."
		echo "# Regenerate: see docs/conformance.md."
		sort -k2 "$tmp/actual.txt"
	} >"$PKT_BASELINE_OUT"
	echo "pkt_corpus: baseline written to $PKT_BASELINE_OUT"
fi
if [ -n "$regress" ]; then
	echo "pkt_corpus: regressions (baseline PASS, now not):"
	echo "$regress" | sed 's/^/    /'
	fail "$(echo "$regress" | wc -l) script(s) that passed no longer pass"
fi
echo "pkt_corpus: PASS ($now_pass pass, baseline $base_pass)"
