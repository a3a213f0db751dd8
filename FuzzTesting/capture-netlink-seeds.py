#!/usr/bin/env python3
"""Captures real WG_CMD_GET_DEVICE dumps from the kernel as FuzzNetlinkDump seeds.

Run as root where the wireguard module is loaded (the VM). For each device named on the
command line it resolves the family, sends the dump request and records every datagram
the kernel returns, in the fuzz target's input layout: one options byte (bit 0 set: the
harness stamps sequence numbers, since the fuzzer's requests get their own), then each
datagram as a 2-byte little-endian length and its bytes. Prints NAME BASE64 per device.
"""
import base64, os, socket, struct, sys

NETLINK_GENERIC = 16
GENL_ID_CTRL = 0x10
CTRL_CMD_GETFAMILY, CTRL_ATTR_FAMILY_ID, CTRL_ATTR_FAMILY_NAME = 3, 1, 2
NLM_F_REQUEST, NLM_F_ACK, NLM_F_DUMP = 1, 4, 0x300
NLMSG_ERROR, NLMSG_DONE = 2, 3

def attr(t, payload):
    a = struct.pack("=HH", 4 + len(payload), t) + payload
    return a + b"\0" * (-len(a) % 4)

def msg(t, flags, seq, cmd, attrs):
    body = struct.pack("=BBH", cmd, 1, 0) + attrs
    return struct.pack("=IHHII", 16 + len(body), t, flags, seq, 0) + body

def family_id(s):
    s.send(msg(GENL_ID_CTRL, NLM_F_REQUEST | NLM_F_ACK, 1, CTRL_CMD_GETFAMILY, attr(CTRL_ATTR_FAMILY_NAME, b"wireguard\0")))
    fid = None
    while True:
        d = s.recv(65536)
        off = 0
        while off + 16 <= len(d):
            ln, t = struct.unpack_from("=IH", d, off)
            if t == NLMSG_ERROR:
                return fid
            a = off + 20
            while a + 4 <= off + ln:
                al, at = struct.unpack_from("=HH", d, a)
                if at == CTRL_ATTR_FAMILY_ID:
                    fid = struct.unpack_from("=H", d, a + 4)[0]
                a += (al + 3) & ~3
            off += (ln + 3) & ~3

def dump(s, fid, name):
    s.send(msg(fid, NLM_F_REQUEST | NLM_F_ACK | NLM_F_DUMP, 2, 0, attr(2, name.encode() + b"\0")))
    grams = []
    while True:
        d = s.recv(1 << 20)
        grams.append(d)
        off = 0
        while off + 16 <= len(d):
            ln, t = struct.unpack_from("=IH", d, off)
            if t in (NLMSG_DONE, NLMSG_ERROR):
                return grams
            off += (ln + 3) & ~3

s = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, NETLINK_GENERIC)
s.bind((0, 0))
fid = family_id(s)
for name in sys.argv[1:]:
    out = bytes([1]) + b"".join(struct.pack("<H", len(g)) + g for g in dump(s, fid, name))
    print(name, base64.b64encode(out).decode())
