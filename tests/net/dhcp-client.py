#!/usr/bin/python3
# A DHCP client on a TAP interface, for checking that a DHCP server answers on the
# side where a guest would sit: it attaches the TAP as a guest's tender does and
# speaks DHCP (RFC 2131: discover, offer, request, ack) through it with frames
# built by scapy (python3-scapy). Prints the lease as one JSON line:
# {"address", "mask", "router", "dns", "server"}. Run it with Debian's python3
# (/usr/bin/python3), the one scapy is installed for.
#
#   dhcp-client.py TAP MAC [TIMEOUT_S]
import fcntl
import json
import os
import select
import struct
import sys
import time

from scapy.layers.dhcp import BOOTP, DHCP
from scapy.layers.inet import IP, UDP
from scapy.layers.l2 import Ether
from scapy.utils import mac2str

TUNSETIFF = 0x400454CA
IFF_TAP = 0x0002
IFF_NO_PI = 0x1000
OFFER, ACK = 2, 5


def open_tap(name):
    fd = os.open("/dev/net/tun", os.O_RDWR)
    fcntl.ioctl(fd, TUNSETIFF, struct.pack("16sH", name.encode(), IFF_TAP | IFF_NO_PI))
    return fd


def options(packet):
    return {o[0]: o[1] for o in packet[DHCP].options if isinstance(o, tuple)}


def exchange(fd, request, xid, want, deadline):
    """Sends `request` once a second until a reply of message type `want` for `xid` comes."""
    while time.monotonic() < deadline:
        os.write(fd, bytes(request))
        resend = time.monotonic() + 1
        while (left := min(resend, deadline) - time.monotonic()) > 0:
            if not select.select([fd], [], [], left)[0]:
                continue
            reply = Ether(os.read(fd, 2048))
            if DHCP in reply and reply[BOOTP].op == 2 and reply[BOOTP].xid == xid and options(reply).get("message-type") == want:
                return reply
    sys.exit(f"dhcp-client: no DHCP message of type {want} before the deadline")


def main():
    tap, mac = sys.argv[1], sys.argv[2]
    deadline = time.monotonic() + float(sys.argv[3] if len(sys.argv) > 3 else 10)
    fd = open_tap(tap)
    xid = struct.unpack("I", os.urandom(4))[0]
    # Broadcast replies (flags): this client has no address to be sent to yet.
    base = Ether(src=mac, dst="ff:ff:ff:ff:ff:ff") / IP(src="0.0.0.0", dst="255.255.255.255") / UDP(sport=68, dport=67)
    bootp = BOOTP(chaddr=mac2str(mac), xid=xid, flags=0x8000)
    offer = exchange(fd, base / bootp / DHCP(options=[("message-type", "discover"), "end"]), xid, OFFER, deadline)
    server = options(offer)["server_id"]
    request = DHCP(options=[("message-type", "request"), ("server_id", server), ("requested_addr", offer[BOOTP].yiaddr), "end"])
    ack = exchange(fd, base / bootp / request, xid, ACK, deadline)
    lease = options(ack)
    print(json.dumps({"address": ack[BOOTP].yiaddr, "mask": lease.get("subnet_mask"), "router": lease.get("router"),
                      "dns": lease.get("name_server"), "server": server}))


main()
