#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Builds the libFuzzer targets (fuzz/fuzz_*.c) with the fuzz preset's settings (clang, ASan +
# UBSan, coverage) and runs each briefly over its seed corpus (fuzz/corpus/NAME): no crash,
# no leak, no slab growth. The debug/release builds need no clang: without clang or its
# libFuzzer runtime (libclang-rt-14-dev) this test is skipped (exit 77).
# Args: build dir, source dir. ULNET_FUZZ_BUILD overrides the fuzz build dir (default
# BUILD-fuzz beside the calling build dir: each build dir's tests build their own fuzz
# targets. A shared one (the preset's build/fuzz) raced when several ctest runs rebuilt it
# at once from a tree being edited: targets linked from objects of different struct
# layouts crashed, e.g. a SEGV in __sk_free reached from tcp_v4_rcv's sock_put).
set -u
build=$1
src=$(cd "$2" && pwd)
fz=${ULNET_FUZZ_BUILD:-$(cd "$build" && pwd)-fuzz}
runs=${ULNET_FUZZ_RUNS:-2000}

command -v clang >/dev/null 2>&1 || { echo "skip: clang is not installed"; exit 77; }
command -v ninja >/dev/null 2>&1 || { echo "skip: ninja is not installed"; exit 77; }
probe=$(mktemp -d)
trap 'rm -rf "$probe"' EXIT
printf 'int LLVMFuzzerTestOneInput(const unsigned char *d, unsigned long n) { return 0; }\n' \
	>"$probe/p.c"
if ! clang -fsanitize=fuzzer -o "$probe/p" "$probe/p.c" >/dev/null 2>&1; then
	echo "skip: clang has no libFuzzer runtime (libclang-rt-14-dev)"
	exit 77
fi

# The fuzz preset's cache, spelled out so that any build dir works.
if ! cmake -S "$src" -B "$fz" -G Ninja -DCMAKE_BUILD_TYPE=Debug -DCMAKE_C_COMPILER=clang \
	-DULNET_FUZZ=ON -DULNET_SANITIZE=ON >"$probe/configure.log" 2>&1; then
	cat "$probe/configure.log"; echo "FAIL: cannot configure $fz"; exit 1
fi
targets=$(cd "$src/fuzz" && ls fuzz_*.c 2>/dev/null | sed 's/\.c$//')
[ -n "$targets" ] || { echo "FAIL: no fuzz/fuzz_*.c"; exit 1; }
# shellcheck disable=SC2086
if ! timeout 540 ninja -C "$fz" -j2 $targets >"$probe/build.log" 2>&1; then
	tail -30 "$probe/build.log"; echo "FAIL: cannot build the fuzz targets"; exit 1
fi

rc=0
for t in $targets; do
	name=${t#fuzz_}
	seeds="$src/fuzz/corpus/$name"
	work="$probe/corpus-$name"
	mkdir -p "$work"
	[ -d "$seeds" ] || seeds=""
	# -runs over the seeds then mutations; new inputs go to a scratch dir, never the seeds.
	if timeout 60 "$fz/$t" -runs="$runs" -max_total_time=50 -print_final_stats=1 \
		"$work" $seeds >"$probe/$t.log" 2>&1; then
		echo "$t: $(grep -E '^Done|stat::number_of_executed_units' "$probe/$t.log" | head -1)"
	else
		tail -40 "$probe/$t.log"
		echo "FAIL: $t"
		rc=1
	fi
done
exit $rc
