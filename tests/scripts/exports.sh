#!/usr/bin/env bash
# libulnet.so exports only the public ul_* API (STYLE.md: kernel names must never clash with
# an application's symbols when ulnet is linked in or preloaded).
set -eu
build=$1
lib=$(ls "$build"/libulnet.so* 2>/dev/null | head -1)
[ -n "$lib" ] || { echo "no libulnet.so in $build"; exit 1; }
bad=$(nm -D --defined-only "$lib" | awk '$2 ~ /[TDBRVW]/ {print $3}' |
      grep -vE '^(ul_|_init$|_fini$|_edata$|_end$|__bss_start$)' || true)
if [ -n "$bad" ]; then
	echo "symbols exported besides the ul_ API:"; echo "$bad" | head -30
	exit 1
fi
n=$(nm -D --defined-only "$lib" | grep -c ' ul_')
echo "exports: $n ul_ symbols, nothing else"
