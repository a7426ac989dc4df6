#!/usr/bin/env bash
# Installs what ulnet needs to build and test on Debian 12, and only what is missing.
# Called by `make run`, `make test` and `.ci/run`; safe to run again.
set -eu
pkgs="cmake ninja-build gcc clang libclang-rt-14-dev libcmocka-dev libpcap-dev tcpdump tshark
      iproute2 iputils-ping iputils-arping socat netcat-openbsd curl valgrind python3"
missing=""
for p in $pkgs; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
echo "install-deps: installing:$missing"
if [ "$(id -u)" != 0 ]; then
	echo "install-deps: not root; install these by hand:$missing" >&2
	exit 1
fi
export DEBIAN_FRONTEND=noninteractive
# tshark asks whether non-root users may capture; the answer does not matter here.
echo "wireshark-common wireshark-common/install-setuid boolean false" | debconf-set-selections
apt-get update -qq
apt-get install -y -qq --no-install-recommends $missing >/dev/null
