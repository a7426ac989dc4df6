#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Writes the seed corpus of fuzz/fuzz_frame.c: valid Ethernet frames for the world that
target builds (veth0: MAC 02:00:00:00:00:01, address 10.0.0.1/24, a UDP socket on port 7, a
TCP listener on port 80 and an established connection to it), sent by a host 10.0.0.2
(MAC 02:00:00:00:00:02). TCP seeds leave their checksum 0 (the target fills it in); those
from source port 40000 are on the established connection, with sequence numbers relative
to its ISNs (seq 1 and ack 1: the next byte each way). Usage: gen_corpus.py [DIR]"""
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


def tcp(sport, dport, seq, ack, flags, opts=b"", data=b"", window=29200, urg=0):
    """A TCP segment with a zero checksum (fuzz_frame computes it)."""
    assert len(opts) % 4 == 0
    doff = (20 + len(opts)) // 4
    return struct.pack("!HHIIBBHHH", sport, dport, seq, ack, doff << 4, flags, window, 0,
                       urg) + opts + data


FIN, SYN, RST, PSH, ACK, URG = 0x01, 0x02, 0x04, 0x08, 0x10, 0x20
EST = 40000  # the established connection's alias port
# MSS 1460, SACK-permitted, timestamps (tsval 1), NOP, window scale 7.
SYN_OPTS = bytes([2, 4, 0x05, 0xb4, 4, 2, 8, 10, 0, 0, 0, 1, 0, 0, 0, 0, 1, 3, 3, 7])


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
    # TCP: the listener, a closed port, and the established connection.
    tcp_seeds = {
        "tcp_syn": tcp(41000, 80, 5000, 0, SYN, SYN_OPTS),
        "tcp_syn_closed_port": tcp(41001, 81, 6000, 0, SYN),
        "tcp_ack_listener": tcp(41002, 80, 7000, 0x12345678, ACK),
        "tcp_est_ack": tcp(EST, 80, 1, 1, ACK),
        "tcp_est_data": tcp(EST, 80, 1, 1, PSH | ACK, data=b"GET / HTTP/1.0\r\n\r\n"),
        # Urgent data: the pointer (BSD: one past the urgent byte) inside the segment.
        "tcp_est_urg": tcp(EST, 80, 1, 1, URG | PSH | ACK, data=b"abc!def", urg=4),
        "tcp_est_fin": tcp(EST, 80, 1, 1, FIN | ACK),
        "tcp_est_rst": tcp(EST, 80, 1, 0, RST),
        "tcp_est_syn": tcp(EST, 80, 1, 0, SYN),
        # Option lengths 0 and 1, window scale 15, MSS 0, one overrunning the header.
        "tcp_bad_options": tcp(41003, 80, 8000, 0, SYN,
                               bytes([3, 3, 15, 1, 2, 4, 0, 0, 8, 0, 1, 1, 5, 30, 0, 0])),
    }
    for name, seg in tcp_seeds.items():
        seeds[name] = eth(DST_MAC, 0x0800, ipv4(6, seg))
    for name, frame in seeds.items():
        with open(os.path.join(out, name), "wb") as f:
            f.write(frame)
    print("wrote %d seeds to %s" % (len(seeds), out))


if __name__ == "__main__":
    main()
