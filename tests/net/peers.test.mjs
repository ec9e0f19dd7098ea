// Guests talking to each other without root: over hub: in one process, over udp:
// between two tender processes; garbage from the wire; a flood into a guest that
// does not read; guests idle in yield. No TAP here (tap.test.mjs).
import dgram from "node:dgram";
import fs from "node:fs";
import { example, guest } from "../helpers/paths.mjs";
import { cpuOver, freeUdpPorts, startGuest, WAYS } from "./net-helpers.mjs";

const SERVE = example("ping-serve");
const PINGER = guest("net-pinger");
const SINK = guest("net-sink");
/** Bytes a UDP socket's kernel receive buffer holds by default (the backend leaves it so). */
const SOCKET_BUFFER = Number(fs.readFileSync("/proc/sys/net/core/rmem_default", "utf8"));

/** A UDP socket at 127.0.0.1:`port` talking to `peer`, keeping what it receives. */
async function udpPeer(port, peer) {
  const socket = dgram.createSocket("udp4");
  const received = [];
  const waiting = [];
  socket.on("message", (m) => {
    received.push(m);
    waiting.splice(0).forEach((w) => w());
  });
  await new Promise((resolve) => socket.bind(port, "127.0.0.1", resolve));
  await new Promise((resolve) => socket.connect(peer, "127.0.0.1", resolve));
  return {
    received,
    send: (frame) => new Promise((resolve, reject) => socket.send(frame, (e) => (e ? reject(e) : resolve()))),
    /** The first frame received from now on that satisfies `match`. */
    next(match, timeoutMs = 5000) {
      const from = received.length;
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error("no matching frame")), timeoutMs);
        const look = () => {
          const hit = received.slice(from).find(match);
          if (hit) {
            clearTimeout(timer);
            resolve(hit);
          } else waiting.push(look);
        };
        look();
      });
    },
    close: () => new Promise((resolve) => socket.close(resolve)),
  };
}

test("hub: two guests in one process ping each other, one echo at a time and 16 in flight", async () => {
  const hub = `hub:peers${process.pid}`;
  const server = await startGuest("library", SERVE, { devices: { service0: { spec: hub } } });
  try {
    for (const window of ["1", "16"]) {
      const pinger = await startGuest("library", PINGER, {
        args: ["10.0.0.3/24", "10.0.0.2", "2000", window],
        devices: { service0: { spec: hub } },
      });
      const r = await pinger.exited;
      expect(r.stdout).toMatch(/net-pinger: 2000 replies in \d+ us/);
      expect(r.status).toBe(0);
    }
  } finally {
    await server.stop();
  }
});

describe.each(WAYS)("udp: via the %s", (way) => {
  test("two guests, each in its own tender, ping each other", async () => {
    const [a, b] = await freeUdpPorts(2);
    const server = await startGuest(way, SERVE, { devices: { service0: { spec: `udp:local=127.0.0.1:${a},remote=127.0.0.1:${b}` } } });
    try {
      await server.waitFor("Serving ping");
      const pinger = await startGuest(way, PINGER, {
        args: ["10.0.0.3/24", "10.0.0.2", "2000", "4"],
        devices: { service0: { spec: `udp:local=127.0.0.1:${b},remote=127.0.0.1:${a}` } },
      });
      const r = await pinger.exited;
      expect(r.stdout).toMatch(/net-pinger: 2000 replies in \d+ us/);
      expect(r.status).toBe(0);
    } finally {
      await server.stop();
    }
  });

  test("ping-serve survives garbage and truncated frames from the wire, and still answers", async () => {
    const [a, b] = await freeUdpPorts(2);
    const peer = await udpPeer(b, a);
    const garp = peer.next(isArp(1));
    const server = await startGuest(way, SERVE, {
      devices: { service0: { spec: `udp:local=127.0.0.1:${a},remote=127.0.0.1:${b}`, mac: GUEST_MAC.map(hex).join(":") } },
    });
    try {
      // The gratuitous ARP: from us, for 10.0.0.2, to everyone.
      expect([...(await garp)]).toEqual([...Array(6).fill(0xff), ...GUEST_MAC, 8, 6, 0, 1, 8, 0, 6, 4, 0, 1, ...GUEST_MAC, 10, 0, 0, 2, ...Array(6).fill(0), 10, 0, 0, 2]);
      const start = peer.received.length;
      for (const frame of garbage()) {
        await peer.send(frame);
        await nextTurn(); // a library guest's socket is served by this thread too
      }
      // Asked until answered: a busy receiver's kernel may have dropped a datagram.
      const arp = await untilAnswered(peer, arpRequest([10, 0, 0, 2]), isArp(2));
      expect([...arp.subarray(0, 12)]).toEqual([...PEER_MAC, ...GUEST_MAC]);
      expect([...arp.subarray(22, 42)]).toEqual([...GUEST_MAC, 10, 0, 0, 2, ...PEER_MAC, ...PEER_IP]);
      checkEchoReply(await untilAnswered(peer, echoRequest([10, 0, 0, 2], 77), isIPv4), 77);
      // Nothing answered the garbage: all that came back answers the two questions.
      for (const f of peer.received.slice(start)) expect(isArp(2)(f) || isIPv4(f)).toBe(true);
      expect(server.stdout).toContain("[service0] Unknown or unsupported packet, dropped\n");
      expect(server.stdout).not.toMatch(/FAILURE|Read error|Write error/);
    } finally {
      await peer.close();
      await server.stop();
    }
    expect((await server.exited).stdout).not.toContain("solo5_exit");
  });

  test("a flood into a guest that does not read: bounded queue, drops counted and reported", async () => {
    const [a, b, c, d] = await freeUdpPorts(4);
    const sink = await startGuest(way, SINK, {
      args: ["--solo5:debug"],
      trace: true,
      devices: {
        service0: { spec: `udp:local=127.0.0.1:${a},remote=127.0.0.1:${b}` },
        control: { spec: `udp:local=127.0.0.1:${c},remote=127.0.0.1:${d}` },
      },
    });
    const flooder = await udpPeer(b, a);
    const control = await udpPeer(d, c);
    const sent = 20000;
    try {
      await sink.waitFor("waiting for control");
      await flood(flooder, sent);
      await control.send(Buffer.alloc(60, 0xff));
      const r = await sink.exited;
      const keptLine = /kept (\d+) frames, (\d+) bytes/;
      const statsLine = /Solo5: device service0: rx (\d+) tx 0 dropped rx (\d+) tx 0/;
      expect({ status: r.status, stdout: r.stdout }).toEqual({ status: 0, stdout: expect.stringMatching(keptLine) });
      expect(r.stdout).toMatch(statsLine);
      const [, kept, bytes] = keptLine.exec(r.stdout).map(Number);
      const [, rx, dropped] = statsLine.exec(r.stdout).map(Number);
      expect(rx).toBe(kept);
      // The receive queue's size, plus what still sat in the socket's kernel buffer
      // when the guest began to read: the control frame comes on another socket, so
      // the flood's tail can still arrive and fill the room the reads make.
      expect(bytes).toBeLessThanOrEqual(256 * 1024 + SOCKET_BUFFER);
      expect(kept).toBeGreaterThan(0);
      expect(dropped).toBeGreaterThan(0);
      expect(kept + dropped).toBeLessThanOrEqual(sent); // the kernel may drop some too
      expect(r.stderr).toMatch(/trace: udp:127\.0\.0\.1:\d+->127\.0\.0\.1:\d+ mac \S+: \d+ incoming frame\(s\) dropped \(receive queue full or frame unfit\), \d+ in all/);
    } finally {
      await flooder.close();
      await control.close();
      await sink.stop();
    }
  });

  test("an idle guest waiting in yield uses no CPU", async () => {
    const [a, b] = await freeUdpPorts(2);
    const server = await startGuest(way, SERVE, { devices: { service0: { spec: `udp:local=127.0.0.1:${a},remote=127.0.0.1:${b}` } } });
    try {
      await server.waitFor("Serving ping");
      await new Promise((r) => setTimeout(r, 200)); // past start-up
      const used = await cpuOver(server, 1000);
      // Spinning would take a whole second; sleeping takes next to nothing.
      expect(used).toBeLessThan(0.1);
    } finally {
      await server.stop();
    }
  });
});

test("memory stays bounded while a guest that does not read is flooded (CLI process)", async () => {
  const [a, b, c, d] = await freeUdpPorts(4);
  const sink = await startGuest("cli", SINK, {
    devices: {
      service0: { spec: `udp:local=127.0.0.1:${a},remote=127.0.0.1:${b}` },
      control: { spec: `udp:local=127.0.0.1:${c},remote=127.0.0.1:${d}` },
    },
  });
  const flooder = await udpPeer(b, a);
  const control = await udpPeer(d, c);
  try {
    await sink.waitFor("waiting for control");
    const before = rssBytes(sink.pid);
    await flood(flooder, 100000); // 150 MB of frames
    const grown = rssBytes(sink.pid) - before;
    expect(grown).toBeLessThan(64 * 1024 * 1024);
    await control.send(Buffer.alloc(60, 0xff));
    expect((await sink.exited).status).toBe(0);
  } finally {
    await flooder.close();
    await control.close();
    await sink.stop();
  }
});

// ---- helpers ----

const GUEST_MAC = [0x02, 0, 0, 0, 0, 0x02];
const PEER_MAC = [0x02, 0, 0, 0, 0, 0x01];
const PEER_IP = [10, 0, 0, 1];
const hex = (b) => b.toString(16).padStart(2, "0");

function rssBytes(pid) {
  return Number(/VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"))[1]) * 1024;
}

const nextTurn = () => new Promise(setImmediate);

/**
 * `count` full-size frames, in bursts with a turn of the event loop between them: a
 * library guest's socket is read by this thread, which must get to read it.
 */
async function flood(peer, count) {
  const frame = Buffer.alloc(1514, 0x55);
  Buffer.from(GUEST_MAC).copy(frame, 0);
  for (let i = 0; i < count; i += 50) {
    const burst = [];
    for (let j = i; j < Math.min(count, i + 50); j++) burst.push(peer.send(frame));
    await Promise.all(burst);
    await nextTurn();
  }
}

const isArp = (op) => (f) => f.length >= 42 && f.readUInt16BE(12) === 0x0806 && f.readUInt16BE(20) === op;
const isIPv4 = (f) => f.length >= 34 && f.readUInt16BE(12) === 0x0800;

/** Sends `frame` every 200 ms until a frame matching `answer` comes back. */
async function untilAnswered(peer, frame, answer) {
  for (let tries = 0; ; tries++) {
    const reply = peer.next(answer, 200);
    await peer.send(frame);
    try {
      return await reply;
    } catch (e) {
      if (tries === 25) throw e;
    }
  }
}

function inetChecksum(bytes) {
  let sum = 0;
  for (let i = 0; i + 1 < bytes.length; i += 2) sum += (bytes[i] << 8) | bytes[i + 1];
  if (bytes.length & 1) sum += bytes[bytes.length - 1] << 8;
  while (sum >> 16) sum = (sum & 0xffff) + (sum >> 16);
  return ~sum & 0xffff;
}

const ether = (dst, type, payload) => Buffer.from([...dst, ...PEER_MAC, type >> 8, type & 0xff, ...payload]);

function arpRequest(target, dst = [0xff, 0xff, 0xff, 0xff, 0xff, 0xff]) {
  return ether(dst, 0x0806, [0, 1, 8, 0, 6, 4, 0, 1, ...PEER_MAC, ...PEER_IP, 0, 0, 0, 0, 0, 0, ...target]);
}

/** An IPv4 packet; `o` overrides header fields to make it wrong. */
function ipv4(dst, proto, payload, o = {}) {
  const header = [o.versionIhl ?? 0x45, 0, 0, 0, 0, 1, (o.flags ?? 0) >> 8, (o.flags ?? 0) & 0xff, 64, proto, 0, 0, ...PEER_IP, ...dst];
  const total = o.total ?? 20 + payload.length;
  header[2] = total >> 8;
  header[3] = total & 0xff;
  const sum = inetChecksum(Uint8Array.from(header));
  header[10] = sum >> 8;
  header[11] = sum & 0xff;
  return [...header, ...payload];
}

function icmpEcho(seq, type = 8, code = 0) {
  const body = [type, code, 0, 0, 0x12, 0x34, seq >> 8, seq & 0xff, ...Array.from({ length: 56 }, (_, i) => (i * 3) & 0xff)];
  const sum = inetChecksum(Uint8Array.from(body));
  body[2] = sum >> 8;
  body[3] = sum & 0xff;
  return body;
}

const echoRequest = (dst, seq, o = {}, icmp = icmpEcho(seq)) => ether(GUEST_MAC, 0x0800, ipv4(dst, 1, icmp, o));

function checkEchoReply(f, seq) {
  expect([...f.subarray(0, 12)]).toEqual([...PEER_MAC, ...GUEST_MAC]);
  const ip = f.subarray(14, 34);
  expect(inetChecksum(ip)).toBe(0);
  expect([...ip.subarray(12, 20)]).toEqual([10, 0, 0, 2, ...PEER_IP]);
  const icmp = f.subarray(34, 14 + ip.readUInt16BE(2));
  expect(inetChecksum(icmp)).toBe(0);
  expect([icmp[0], icmp[1], icmp.readUInt16BE(6)]).toEqual([0, 0, seq]);
  expect([...icmp.subarray(8)]).toEqual(icmpEcho(seq).slice(8));
}

/** Frames ping-serve must drop without answering or failing. */
function* garbage() {
  const BROADCAST = [0xff, 0xff, 0xff, 0xff, 0xff, 0xff];
  yield Buffer.alloc(0); // shorter than an Ethernet header: the device drops these
  yield Buffer.from([1, 2, 3, 4, 5]);
  yield Buffer.alloc(13, 0xff);
  yield Buffer.alloc(1515, 0xff); // longer than mtu + 14: dropped too
  yield Buffer.alloc(9000, 0xff);
  yield ether(GUEST_MAC, 0x0800, []); // a bare header
  yield ether(BROADCAST, 0x0806, []);
  yield arpRequest([10, 0, 0, 2]).subarray(0, 41); // truncated ARP
  yield arpRequest([10, 0, 0, 9]); // for another address
  yield ether(BROADCAST, 0x0806, [0, 6, 8, 0, 6, 4, 0, 1, ...Array(20).fill(0)]); // not Ethernet ARP
  yield echoRequest([10, 0, 0, 2], 1).subarray(0, 34); // IP header, no ICMP
  yield echoRequest([10, 0, 0, 2], 1).subarray(0, 41); // truncated ICMP header
  yield echoRequest([10, 0, 0, 2], 2, { total: 1400 }); // claims more than it has
  yield echoRequest([10, 0, 0, 2], 3, { total: 10 }); // claims less than a header
  yield echoRequest([10, 0, 0, 2], 4, { versionIhl: 0x46 }); // options
  yield echoRequest([10, 0, 0, 2], 5, { versionIhl: 0x65 }); // not IPv4
  yield echoRequest([10, 0, 0, 2], 6, { flags: 0x2000 }); // first fragment
  yield echoRequest([10, 0, 0, 2], 7, { flags: 0x0010 }); // a later fragment
  yield echoRequest([10, 0, 0, 2], 8, {}, icmpEcho(8, 8, 1)); // bad code
  yield echoRequest([10, 0, 0, 2], 9, {}, icmpEcho(9, 0, 0)); // a reply, not a request
  yield echoRequest([10, 0, 0, 9], 10); // for another address
  yield ether(GUEST_MAC, 0x0800, ipv4([10, 0, 0, 2], 17, Array(30).fill(0))); // UDP
  yield ether(GUEST_MAC, 0x86dd, Array(60).fill(0)); // IPv6
  yield ether([0x02, 9, 9, 9, 9, 9], 0x0800, icmpEcho(11)); // for another MAC
  // And random bytes, with our MAC in front half the time.
  let seed = 12345;
  const random = () => (seed = (seed * 1103515245 + 12345) >>> 0) >>> 24;
  for (let i = 0; i < 300; i++) {
    const f = Buffer.from(Array.from({ length: 14 + ((random() << 3) % 1500) }, random));
    if (i % 2) Buffer.from(GUEST_MAC).copy(f);
    if (i % 4 === 1) f.writeUInt16BE(i % 8 === 1 ? 0x0800 : 0x0806, 12);
    if (i % 8 === 1) f[14] = 0x45;
    yield f;
  }
}
