#!/usr/bin/env python3
"""Wraps every frame of an Ethernet pcap in Ethernet/IPv4/UDP 4789/VXLAN, as AWS VPC Traffic Mirroring
delivers it to a mirror target (outer 10.0.0.5 -> 10.0.0.9). Timestamps and inner frames are kept as they
are. Standard library only, so that captures can be regenerated anywhere.

Usage: vxlan-wrap.py [--vni N] IN.pcap OUT.pcap
"""
import argparse
import struct

LINKTYPE_ETHERNET = 1
VXLAN_PORT = 4789


def ipv4_checksum(header: bytes) -> int:
    total = sum(struct.unpack("!10H", header))
    while total > 0xFFFF:
        total = (total & 0xFFFF) + (total >> 16)
    return ~total & 0xFFFF


def wrap(frame: bytes, vni: int, ident: int) -> bytes:
    vxlan = struct.pack("!BBHI", 0x08, 0, 0, vni << 8)  # flags: I bit; 24-bit VNI then a reserved byte
    udp_len = 8 + len(vxlan) + len(frame)
    udp = struct.pack("!HHHH", 49152 + ident % 16384, VXLAN_PORT, udp_len, 0)  # checksum 0: allowed over IPv4
    ip = bytearray(struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + udp_len, ident & 0xFFFF, 0x4000, 64, 17, 0,
                               bytes([10, 0, 0, 5]), bytes([10, 0, 0, 9])))
    struct.pack_into("!H", ip, 10, ipv4_checksum(bytes(ip)))
    eth = bytes.fromhex("0a0000000009") + bytes.fromhex("0a0000000005") + struct.pack("!H", 0x0800)
    return eth + bytes(ip) + udp + vxlan + frame


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--vni", type=int, default=4242)
    parser.add_argument("source")
    parser.add_argument("target")
    args = parser.parse_args()
    with open(args.source, "rb") as src:
        data = src.read()
    magic = data[:4]
    endian = "<" if magic in (b"\xd4\xc3\xb2\xa1", b"\x4d\x3c\xb2\xa1") else ">"
    _, _, _, _, _, snaplen, linktype = struct.unpack(endian + "IHHiIII", data[:24])
    if linktype != LINKTYPE_ETHERNET:
        raise SystemExit(f"{args.source}: link type {linktype} (expected: 1, Ethernet)")
    out = bytearray(data[:16] + struct.pack(endian + "II", 65535, LINKTYPE_ETHERNET))
    pos, ident = 24, 0
    while pos + 16 <= len(data):
        sec, frac, incl, orig = struct.unpack(endian + "IIII", data[pos:pos + 16])
        frame = data[pos + 16:pos + 16 + incl]
        pos += 16 + incl
        ident += 1
        wrapped = wrap(frame, args.vni, ident)
        overhead = len(wrapped) - len(frame)
        out += struct.pack(endian + "IIII", sec, frac, len(wrapped), orig + overhead) + wrapped
    with open(args.target, "wb") as dst:
        dst.write(out)


if __name__ == "__main__":
    main()
