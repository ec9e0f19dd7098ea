#!/usr/bin/python3
# The frame fuzzer's seeds (fixtures.json): real traffic to the fuzzed guest, built
# by scapy with the fields Linux's clients put in them (ping, a curl connection with
# Linux's SYN options and SACK blocks, ISC dhclient's DHCP replies, a resolver's DNS
# answer with name compression). The fuzzer mutates them and fixes their checksums.
# Run once: /usr/bin/python3 fuzz/frames/fixtures.py > fuzz/frames/fixtures.json
# (/usr/bin/python3 is the one python3-scapy is installed for).
import json
from scapy.all import ARP, BOOTP, DHCP, DNS, DNSQR, DNSRR, ICMP, IP, TCP, UDP, Ether, Raw

PEER_MAC, GUEST_MAC = "02:00:00:00:00:01", "02:00:00:00:00:02"
PEER, GUEST = "10.0.0.1", "10.0.0.2"
eth = Ether(src=PEER_MAC, dst=GUEST_MAC)
ip = IP(src=PEER, dst=GUEST, flags="DF", id=0x4242)
LINUX_SYN_OPTIONS = [("MSS", 1460), ("SAckOK", b""), ("Timestamp", (123456, 0)), ("NOP", None), ("WScale", 7)]
TS = [("NOP", None), ("NOP", None), ("Timestamp", (123500, 99))]

frames = {
    "arp-request": Ether(src=PEER_MAC, dst="ff:ff:ff:ff:ff:ff") / ARP(op=1, hwsrc=PEER_MAC, psrc=PEER, pdst=GUEST),
    "arp-reply": eth / ARP(op=2, hwsrc=PEER_MAC, psrc=PEER, hwdst=GUEST_MAC, pdst=GUEST),
    "icmp-echo": eth / ip / ICMP(type=8, id=0x1234, seq=1) / Raw(bytes(range(56))),
    "icmp-unreachable": eth / ip / ICMP(type=3, code=3) / IP(src=GUEST, dst=PEER) / UDP(sport=7, dport=9999),
    "tcp-syn": eth / ip / TCP(sport=40000, dport=80, flags="S", seq=1000, window=64240, options=LINUX_SYN_OPTIONS),
    "tcp-syn-echo": eth / ip / TCP(sport=40001, dport=7, flags="S", seq=5000, window=64240, options=LINUX_SYN_OPTIONS),
    "tcp-ack": eth / ip / TCP(sport=40000, dport=80, flags="A", seq=1001, ack=1, window=502, options=TS),
    "tcp-get": eth / ip / TCP(sport=40000, dport=80, flags="PA", seq=1001, ack=1, window=502, options=TS)
    / Raw(b"GET / HTTP/1.1\r\nHost: 10.0.0.2\r\nUser-Agent: curl/7.88.1\r\nAccept: */*\r\n\r\n"),
    "tcp-sack": eth / ip / TCP(sport=40000, dport=80, flags="A", seq=1001, ack=1, window=502,
                               options=[("NOP", None), ("NOP", None), ("Timestamp", (123600, 120)), ("NOP", None), ("NOP", None),
                                        ("SAck", (1449, 2897, 4345, 5793))]),
    "tcp-fin": eth / ip / TCP(sport=40000, dport=80, flags="FA", seq=1080, ack=1, window=502, options=TS),
    "tcp-rst": eth / ip / TCP(sport=40000, dport=80, flags="R", seq=1080),
    "tcp-echo-data": eth / ip / TCP(sport=40001, dport=7, flags="PA", seq=5001, ack=1, window=502, options=TS) / Raw(b"hello, echo\n" * 8),
    "udp-echo": eth / ip / UDP(sport=5353, dport=7) / Raw(b"hello, world"),
    "ip-options": eth / IP(src=PEER, dst=GUEST, options=b"\x94\x04\x00\x00") / ICMP(type=8, id=7, seq=7),
    "ip-fragment": eth / IP(src=PEER, dst=GUEST, flags="MF", frag=0) / UDP(sport=5353, dport=7) / Raw(b"x" * 64),
    "dhcp-offer": Ether(src=PEER_MAC, dst="ff:ff:ff:ff:ff:ff") / IP(src=PEER, dst="255.255.255.255") / UDP(sport=67, dport=68)
    / BOOTP(op=2, xid=0x1234abcd, yiaddr=GUEST, siaddr=PEER, chaddr=bytes.fromhex("020000000002"), flags=0x8000)
    / DHCP(options=[("message-type", "offer"), ("server_id", PEER), ("lease_time", 3600), ("subnet_mask", "255.255.255.0"),
                    ("router", PEER), ("name_server", PEER), ("domain", b"example.test"), "end"]),
    "dhcp-ack": Ether(src=PEER_MAC, dst=GUEST_MAC) / IP(src=PEER, dst=GUEST) / UDP(sport=67, dport=68)
    / BOOTP(op=2, xid=0x1234abcd, yiaddr=GUEST, siaddr=PEER, chaddr=bytes.fromhex("020000000002"))
    / DHCP(options=[("message-type", "ack"), ("server_id", PEER), ("lease_time", 3600), ("renewal_time", 1800),
                    ("rebinding_time", 3150), ("subnet_mask", "255.255.255.0"), ("router", PEER), ("name_server", PEER), "end"]),
    "dns-answer": eth / ip / UDP(sport=53, dport=49152)
    / DNS(id=0x5151, qr=1, aa=0, rd=1, ra=1, qd=DNSQR(qname="www.example.test", qtype="A"),
          an=DNSRR(rrname="www.example.test", type="CNAME", ttl=300, rdata="web.example.test")
          / DNSRR(rrname="web.example.test", type="A", ttl=300, rdata="10.0.0.80")),
    "dns-query": eth / ip / UDP(sport=49153, dport=53) / DNS(id=0x6161, rd=1, qd=DNSQR(qname="guest.example.test", qtype="A")),
}
print(json.dumps({name: bytes(f).hex() for name, f in frames.items()}, indent=1))
