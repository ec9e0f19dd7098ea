// http-serve through a TAP under load and abuse, in this order on one guest (started
// with `stats`, so it prints its heap in use, after a full collection, every second):
// 500 connections open at once, 5000 opened and closed in a row, a flood of spoofed
// SYNs (scapy, raw frames on tap0) after which a GET is answered within a second,
// thousands of malformed frames after which it still serves; then the same load
// again, which must leave the heap where the first round left it: pools and tables
// grow to their size once, nothing grows per connection.
import { capture, httpServeForSuite, inNetns, PYTHON, run, SERVER, tapSupport } from "./tap-helpers.mjs";

const reason = tapSupport({ scapy: true });
if (reason) console.warn(`skipping the TAP load tests: ${reason}`);
const describeTap = reason ? describe.skip : describe;

// What both scripts below start with: the guest's MAC and a count from the command
// line, a raw socket on tap0, and the Internet checksum with a fixer for IPv4 frames.
const PRELUDE = `
import random, socket, struct, sys
from scapy.all import Ether, ICMP, IP, TCP, UDP, raw
mac, count = sys.argv[1], int(sys.argv[2])
me = open("/sys/class/net/tap0/address").read().strip()
s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
s.bind(("tap0", 0))

def csum(b):
    if len(b) % 2: b += b"\\0"
    t = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    while t >> 16: t = (t & 0xffff) + (t >> 16)
    return ~t & 0xffff

def fix(f, ip_only=False):
    """Recomputes the IPv4 header's checksum, and TCP's or UDP's over the bytes there are."""
    f = bytearray(f)
    ihl = (f[14] & 15) * 4
    if ihl < 20 or 14 + ihl > len(f): return bytes(f)
    f[24:26] = b"\\0\\0"; f[24:26] = struct.pack("!H", csum(bytes(f[14:14 + ihl])))
    proto, seg = f[23], f[14 + ihl:]
    at = {6: 16, 17: 6}.get(proto)
    if ip_only or at is None or len(seg) < at + 2: return bytes(f)
    seg[at:at + 2] = b"\\0\\0"
    pseudo = bytes(f[26:34]) + struct.pack("!BBH", 0, proto, len(seg))
    seg[at:at + 2] = struct.pack("!H", csum(pseudo + bytes(seg)))
    f[14 + ihl:] = seg
    return bytes(f)
`;

// SYNs to port 80 from addresses in 10.0.0.0/24 that nobody owns (so neither the
// kernel nor anyone answers the SYN-ACKs with an RST), sent as raw frames on tap0:
// one frame built by scapy, its source, port and sequence number changed for each.
const SYN_FLOOD = `${PRELUDE}
rng = random.Random(5)
syn = bytearray(raw(Ether(dst=mac) / IP(src="10.0.0.3", dst="${SERVER}") / TCP(dport=80, flags="S", options=[("MSS", 1460), ("SAckOK", b"")])))
for _ in range(count):
    syn[6:12] = bytes([2, 0, 0, rng.randrange(256), rng.randrange(256), rng.randrange(256)])
    syn[29] = rng.randrange(3, 255)                                  # 10.0.0.3-254
    syn[34:36] = struct.pack("!H", rng.randrange(1024, 65536))
    syn[38:42] = struct.pack("!I", rng.randrange(1 << 32))
    s.send(fix(syn))
print(count)
`;

// Malformed frames to the guest from tap0's own address: valid TCP, UDP and ICMP
// frames built by scapy, then broken one way each (cut short, checksums wrong, IPv4
// header lengths and total lengths that disagree, TCP data offsets below 5 or past
// the segment, options of length 0 or 1 or running past the header, fragments,
// random bytes), checksums fixed where the break is meant to get past them.
const MALFORMED = `${PRELUDE}
rng = random.Random(9)
def base():
    ip = IP(src="10.0.0.1", dst="${SERVER}", id=rng.randrange(65536))
    kind = rng.randrange(4)
    if kind == 0: l4 = TCP(sport=rng.randrange(1024, 65536), dport=80, flags=rng.choice(["S", "A", "PA", "R", "F", "SA", "FPU"]), seq=rng.randrange(1 << 32), ack=rng.randrange(1 << 32)) / (b"GET / HTTP/1.1\\r\\n" * rng.randrange(3))
    elif kind == 1: l4 = TCP(sport=rng.randrange(1024, 65536), dport=rng.choice([7, 80, 81]), flags="S", options=[("MSS", 1460), ("WScale", 7), ("SAckOK", b""), ("NOP", None)])
    elif kind == 2: l4 = UDP(sport=rng.randrange(1024, 65536), dport=rng.choice([7, 9])) / bytes(rng.randrange(40))
    else: l4 = ICMP(type=rng.choice([8, 0, 3, 11]), id=rng.randrange(65536)) / bytes(rng.randrange(60))
    return bytearray(raw(Ether(dst=mac, src=me) / ip / l4))

def tcp_options(f):
    """A TCP segment whose options are broken: length 0 or 1, or running past the header."""
    f = bytearray(raw(Ether(dst=mac, src=me) / IP(src="10.0.0.1", dst="${SERVER}") / TCP(sport=rng.randrange(1024, 65536), dport=80, flags="S", options=[("NOP", None)] * 8)))
    opts = rng.choice([b"\\x02\\x00\\x05\\xb4", b"\\x03\\x01\\x07\\x00", b"\\x02\\x28\\x05\\xb4", b"\\x05\\xff\\x00\\x00", b"\\x04\\x00\\x00\\x00", b"\\x08\\x0a\\x00\\x00"])
    f[54:54 + len(opts)] = opts
    return fix(f)

def mutate(f):
    m = rng.randrange(12)
    if m == 0: return bytes(f[:rng.randrange(len(f))])                                  # cut short anywhere
    if m == 1: f[14] = 0x40 | rng.choice([0, 1, 2, 3, 4, 6, 15]); return fix(f, True)     # IHL < 5 or past the frame
    if m == 2: f[16:18] = struct.pack("!H", rng.choice([0, 19, 21, len(f) - 13, 1500, 65535])); return fix(f, True)  # total length
    if m == 3: f[24] ^= 0xff; return bytes(f)                                            # IPv4 checksum
    if m == 4: f[-1] ^= 0x5a; return bytes(f)                                            # TCP/UDP/ICMP checksum
    if m == 5 and f[23] == 6: f[46] = (rng.choice([0, 1, 4, 15]) << 4) | (f[46] & 15); return fix(f)  # data offset
    if m == 6: return tcp_options(f)
    if m == 7: f[20:22] = struct.pack("!H", rng.choice([0x2000, 0x0001, 0x2001])); return fix(f, True)  # fragments
    if m == 8 and f[23] == 17: f[38:40] = struct.pack("!H", rng.choice([0, 7, 9, 2000])); return fix(f)  # UDP length
    if m == 9: f[14] = 0x65; return fix(f, True)                                          # version 6 in an IPv4 frame
    if m == 10: return bytes(f[:14]) + bytes(rng.randrange(256) for _ in range(rng.randrange(80)))  # random after Ethernet
    if m == 11: return bytes(rng.randrange(256) for _ in range(rng.randrange(1, 120)))   # random bytes
    f[14 + rng.randrange(len(f) - 14)] = rng.randrange(256); return bytes(f)              # one byte changed

sent = 0
for _ in range(count):
    f = mutate(base())
    if len(f) < 14: f = f + bytes(14 - len(f))  # the kernel sends no frame shorter than a header
    s.send(f)
    sent += 1
print(sent)
`;

const HEAP = /^heap in-use (\d+) peak (\d+)$/gm;

/** The heap in use that the guest prints next (the second line from now, so that what was closing has closed). */
async function heapSoon(guest) {
  const seen = [...guest.stdout.matchAll(HEAP)].length;
  for (;;) {
    const lines = [...guest.stdout.matchAll(HEAP)];
    if (lines.length >= seen + 2) return Number(lines.at(-1)[1]);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** A GET / from the namespace that must be answered within `seconds`. */
async function getWithin(ns, seconds) {
  const r = await run(ns, ["curl", "-sS", "--max-time", String(seconds), "-o", "/dev/null", "-w", "%{http_code}", `http://${SERVER}/`]);
  return { status: r.status, code: r.stdout.toString(), stderr: r.stderr };
}

describeTap("http-serve through TAP under load and abuse", () => {
  const suite = httpServeForSuite({ args: ["stats"] });
  let heapAfterRound;

  test("500 connections open at once, a GET answered on each", async () => {
    expect(await inNetns(suite.ns, "manyAtOnce", 500)).toEqual({ connected: 500, ok: 500, errors: [] });
  });

  test("5000 connections opened and closed in a row (Connection: close)", async () => {
    expect(await inNetns(suite.ns, "inARow", 5000, 4)).toEqual({ ok: 5000, errors: [] });
    heapAfterRound = await heapSoon(suite.guest);
  }, 60000);

  test("after 10000 spoofed SYNs, a GET is answered within a second", async () => {
    // The guest's ARP requests for the spoofed sources show that the SYNs got through to TCP.
    const arp = await capture(suite.ns, `arp and src host ${SERVER}`);
    const flood = await run(suite.ns, [PYTHON, "-c", SYN_FLOOD, suite.guest.mac, "10000"], { timeoutMs: 60000 });
    expect(flood.stdout.toString().trim()).toBe("10000");
    const whoHas = (await arp.stop()).filter((l) => /Request who-has 10\.0\.0\.\d+ tell 10\.0\.0\.2/.test(l));
    expect(whoHas.length).toBeGreaterThan(100);
    expect(await getWithin(suite.ns, 1)).toEqual({ status: 0, code: "200", stderr: "" });
  }, 60000);

  test("after 5000 malformed frames, the guest still serves", async () => {
    const r = await run(suite.ns, [PYTHON, "-c", MALFORMED, suite.guest.mac, "5000"], { timeoutMs: 60000 });
    expect({ sent: r.stdout.toString().trim(), stderr: r.stderr }).toEqual({ sent: "5000", stderr: "" });
    expect(await getWithin(suite.ns, 5)).toEqual({ status: 0, code: "200", stderr: "" });
    expect(suite.guest.stderr).not.toMatch(/trap|abort|unreachable/i);
  }, 60000);

  test("after the lot, the same load again leaves the heap as it was: no growth per connection", async () => {
    expect(heapAfterRound).toBeGreaterThan(0);
    const before = await heapSoon(suite.guest);
    expect(await inNetns(suite.ns, "manyAtOnce", 500)).toEqual({ connected: 500, ok: 500, errors: [] });
    expect(await inNetns(suite.ns, "inARow", 5000, 4)).toEqual({ ok: 5000, errors: [] });
    const after = await heapSoon(suite.guest);
    // 5500 connections: a byte kept per connection would be 5500 bytes.
    expect({ before, growth: after - before }).toEqual({ before, growth: expect.any(Number) });
    expect(after - before).toBeLessThan(5500);
  }, 60000);
});
