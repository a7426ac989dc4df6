#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# docs/ulnet.1 is valid roff (groff -man -ww reports nothing) and documents every command that
# `ulnet --help` lists. Args: build dir, source dir. Exit 77 (skip) without groff.
set -u
build=${1:?usage: cli_man.sh BUILD_DIR SOURCE_DIR}
src=${2:?usage: cli_man.sh BUILD_DIR SOURCE_DIR}
command -v groff >/dev/null 2>&1 || { echo "cli_man: SKIP: groff is not installed"; exit 77; }
fail() { echo "cli_man: FAIL: $*"; exit 1; }
warn=$(groff -man -Tutf8 -ww -z "$src/docs/ulnet.1" 2>&1)
[ -z "$warn" ] || fail "groff warnings: $warn"
text=$(groff -man -Tutf8 "$src/docs/ulnet.1" 2>/dev/null | col -b)
for cmd in lab run view demo pkt up; do
	grep -q "^       $cmd" <<<"$text" || fail "the man page does not document '$cmd'"
done
for cmd in $("$build/ulnet" --help | awk '/^Commands:/ {on=1; next} on && /^  [a-z]/ {print $1}'); do
	case $cmd in lab|run|view|demo|pkt|up) ;; *) continue ;; esac	# others document themselves
	grep -Eq "ulnet[[:space:]]+$cmd" <<<"$text" || fail "SYNOPSIS lacks 'ulnet $cmd'"
done
echo "cli_man: ok"
