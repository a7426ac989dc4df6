#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Writes the seed corpus of fuzz/fuzz_frame.c: valid Ethernet frames for the world that
target builds (veth0: MAC 02:00:00:00:00:01, address 10.0.0.1/24, a UDP socket on port 7),
sent by a host 10.0.0.2 (MAC 02:00:00:00:00:02). Usage: gen_corpus.py [DIR]"""
import os
import struct
import sys

DST_MAC = bytes.fromhex("020000000001")
SRC_MAC = bytes.fromhex("020000000002")
BCAST = b"\xff" * 6
DST_IP = bytes([10, 0, 0, 1])
SRC_IP = bytes([10, 0, 0, 2])


def csum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return (~s) & 0xFFFF


def eth(dst, ethertype, payload):
    return dst + SRC_MAC + struct.pack("!H", ethertype) + payload


def ipv4(proto, payload, ident=1, frag=0x4000, ttl=64, total=None):
    total = total if total is not None else 20 + len(payload)
    hdr = struct.pack("!BBHHHBBH4s4s", 0x45, 0, total, ident, frag, ttl, proto, 0,
                      SRC_IP, DST_IP)
    hdr = hdr[:10] + struct.pack("!H", csum(hdr)) + hdr[12:]
    return hdr + payload


def udp(sport, dport, data):
    length = 8 + len(data)
    pseudo = SRC_IP + DST_IP + struct.pack("!BBH", 0, 17, length)
    hdr = struct.pack("!HHHH", sport, dport, length, 0)
    c = csum(pseudo + hdr + data) or 0xFFFF
    return struct.pack("!HHHH", sport, dport, length, c) + data


def icmp_echo(ident, seq, data):
    hdr = struct.pack("!BBHHH", 8, 0, 0, ident, seq)
    c = csum(hdr + data)
    return struct.pack("!BBHHH", 8, 0, c, ident, seq) + data


def arp_request():
    return struct.pack("!HHBBH6s4s6s4s", 1, 0x0800, 6, 4, 1, SRC_MAC, SRC_IP,
                       b"\0" * 6, DST_IP)


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
        os.path.dirname(os.path.abspath(__file__)), "corpus", "frame")
    os.makedirs(out, exist_ok=True)
    seeds = {
        "arp_request": eth(BCAST, 0x0806, arp_request()),
        "icmp_echo": eth(DST_MAC, 0x0800, ipv4(1, icmp_echo(0x77, 1, b"ulnet-ping" * 4))),
        "udp_echo": eth(DST_MAC, 0x0800, ipv4(17, udp(40000, 7, b"hello ulnet\n"))),
        "udp_closed_port": eth(DST_MAC, 0x0800, ipv4(17, udp(40000, 9999, b"x" * 16))),
    }
    # The first fragment of a 1500-byte UDP datagram (MF set, offset 0) and its last one.
    dgram = udp(40001, 7, bytes(range(256)) * 5 + b"z" * 212)
    seeds["ip_fragment_first"] = eth(DST_MAC, 0x0800,
                                     ipv4(17, dgram[:1000], ident=0x1234, frag=0x2000))
    seeds["ip_fragment_last"] = eth(DST_MAC, 0x0800,
                                    ipv4(17, dgram[1000:], ident=0x1234, frag=1000 // 8))
    for name, frame in seeds.items():
        with open(os.path.join(out, name), "wb") as f:
            f.write(frame)
    print("wrote %d seeds to %s" % (len(seeds), out))


if __name__ == "__main__":
    main()
