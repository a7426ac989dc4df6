#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Smoke run of the routing lookup benchmark (bench/ul_fib_lookup.c) at 1k routes: it runs,
# every lookup inside a route finds one, and the table row is sane. Args: build dir, source
# dir. Exit 77 (skip) when the benchmark was not built.
set -u
build=${1:?build dir}
bin="$build/bench_ul_fib_lookup"
[ -x "$bin" ] || { echo "SKIP: $bin not built"; exit 77; }

out=$(timeout 60 "$bin" -n 1000 -l 20000 -s 7) || { echo "FAIL: benchmark exited $?"; echo "$out"; exit 1; }
echo "$out"
echo "$out" | grep -q '^ *routes *depth *tnodes *leaves *found *lookups/s *nodes/lookup$' ||
	{ echo "FAIL: no table header"; exit 1; }
row=$(echo "$out" | awk '$1 == 1000')
[ -n "$row" ] || { echo "FAIL: no row for 1000 routes"; exit 1; }
# depth, found, nodes per lookup: the trie is shallow, at least the 10000 lookups aimed
# inside a route found it, and a lookup visits a few nodes.
echo "$row" | awk '{ if ($2 < 1 || $2 > 8) exit 1; if ($5 < 10000) exit 1;
	if ($7 <= 0 || $7 > 16) exit 1; if ($6 <= 0) exit 1 }' ||
	{ echo "FAIL: implausible row: $row"; exit 1; }
echo "OK"
