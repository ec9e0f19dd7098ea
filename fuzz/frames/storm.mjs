// One run of the frame fuzzer: http-serve (examples/http-serve, the real libOS stack
// compiled by asc) on the calling thread through the core's runGuest, its one net
// device fed by this file in simulated time. The run has four phases, driven from a
// hook on the guest's yield (the guest's only wait):
//   live    the peer opens a TCP connection to the echo port (the storm's "live" frames go on it)
//   storm   the fuzzed frames, a few per yield, 100 µs of simulated time apart
//   settle  nothing comes for SETTLE_NS: every timer the storm started runs out
//   check   a well-formed peer pings the guest and GETs /bytes/N over a new connection
// and ends when the check has its answers and the guest has printed its heap once
// more. The guest must not trap or abort, must answer, and must hold no more heap than
// it did before the storm (its own statistics: http-serve's `stats`).
import { GuestEnded, runGuest } from "../../dist/core/index.js";
import { frameBytes } from "./mutate.mjs";
import {
  GUEST_IP, GUEST_MAC, PEER_IP, TCP_ACK, TCP_FIN, TCP_PSH, TCP_RST, TCP_SYN, arpReply, echoRequest, fixChecksums, parseFrame, retarget, tcpSegment,
} from "./wire.mjs";

const MS = 1_000_000n;
const SEC = 1000n * MS;
/** Frames delivered per yield in the storm, and the simulated time between deliveries. */
const BURST = 4;
const STEP_NS = 100_000n;
/** Quiet time after the storm: longer than the stack's longest timer (SYN-ACK retries, TIME-WAIT, ARP). */
const SETTLE_NS = 600n * SEC;
/** Simulated time the live connection and the check may take. */
const PHASE_LIMIT_NS = 30n * SEC;
/** Yields in one phase without simulated time moving: more is the guest spinning. */
const SPIN_LIMIT = 100_000;
/** Heap the guest may hold after a storm beyond what it holds after a run with none. */
const HEAP_SLACK = 64 * 1024;
const BYTES = 1000;
const PING = Uint8Array.from({ length: 48 }, (_, i) => (i * 7) & 0xff);
const LIVE_PORT = 40001;
const CHECK_PORT = 40002;

class Failure extends Error {}

/** A deterministic byte source for the guest's entropy (its TCP keys and sequence numbers). */
function entropy(seed) {
  let x = seed >>> 0 || 1;
  return (bytes) => {
    for (let i = 0; i < bytes.length; i++) {
      x ^= x << 13;
      x ^= x >>> 17;
      x ^= x << 5;
      bytes[i] = x & 0xff;
    }
  };
}

/**
 * Runs one storm of `specs` (frame descriptions, mutate.mjs) against `kernel`.
 * `calm`: what a run without a storm returns (its heap is the bound), or undefined for that run.
 * Returns { frames, heapBefore, heapAfter, peak, sent } or throws a Failure saying what went wrong.
 */
export function runStorm(kernel, specs, seed, calm) {
  let now = 1n * SEC;
  const input = [];
  const output = [];
  const console = [];
  let phase = "boot";
  let phaseStart = now;
  let spins = 0;
  let delivered = 0;
  let next = 0;
  const heap = [];
  const live = { guestNext: 0, peerNext: 0x10000000, open: false };
  const check = { pinged: false, synAcked: false, guestNext: 0, peerNext: 0x20000000, response: [], done: false, heapLines: 0 };

  let failure;
  const fail = (what) => {
    failure ??= new Failure(`${what} (phase ${phase}, ${delivered} of ${specs.length} storm frames delivered)\nconsole: ${console.join("").split("\n").slice(-12).join("\n")}`);
    throw failure;
  };
  const enter = (p) => {
    phase = p;
    phaseStart = now;
    spins = 0;
  };

  // The peer: what it answers to each frame the guest sends.
  const fromGuest = (frame) => {
    const f = parseFrame(frame);
    if (f === null) return;
    if (f.arp) {
      if (f.op === 1 && f.targetIp === PEER_IP) input.push(arpReply());
      return;
    }
    if (f.src !== GUEST_IP || f.dst !== PEER_IP) return;
    if (f.protocol === 1 && f.icmpType === 0 && f.ident === 0x4321 && f.seq === 9) {
      if (Buffer.compare(Buffer.from(f.data), Buffer.from(PING)) !== 0) fail("the echo reply's data is not the request's");
      check.pinged = true;
    }
    if (f.protocol !== 6) return;
    const length = f.data.length + (f.flags & TCP_SYN ? 1 : 0) + (f.flags & TCP_FIN ? 1 : 0);
    if (f.sport === 7 && f.dport === LIVE_PORT) {
      if (f.flags & TCP_ACK) live.peerNext = f.ack;
      if ((f.flags & TCP_SYN) && !live.open) {
        live.open = true;
        input.push(tcpSegment({ sport: LIVE_PORT, dport: 7, seq: live.peerNext, ack: f.seq + 1, flags: TCP_ACK }));
      }
      live.guestNext = (f.seq + length) >>> 0;
      return;
    }
    if (f.sport !== 80 || f.dport !== CHECK_PORT || phase !== "check") return;
    if (f.flags & TCP_RST) fail("the guest reset the check's HTTP connection");
    if (f.flags & TCP_SYN) {
      if (check.synAcked) return;
      check.synAcked = true;
      check.peerNext++;
      check.guestNext = (f.seq + 1) >>> 0;
      const get = new TextEncoder().encode(`GET /bytes/${BYTES} HTTP/1.1\r\nHost: 10.0.0.2\r\n\r\n`);
      input.push(tcpSegment({ sport: CHECK_PORT, dport: 80, seq: check.peerNext, ack: check.guestNext, flags: TCP_ACK | TCP_PSH, data: get }));
      check.peerNext += get.length;
      return;
    }
    if (f.seq !== check.guestNext || length === 0) return;
    check.response.push(...f.data);
    check.guestNext = (f.seq + length) >>> 0;
    input.push(tcpSegment({ sport: CHECK_PORT, dport: 80, seq: check.peerNext, ack: check.guestNext, flags: TCP_ACK }));
    const text = Buffer.from(check.response).toString("latin1");
    const head = text.indexOf("\r\n\r\n");
    if (head >= 0 && text.length - head - 4 >= BYTES) {
      if (!text.startsWith("HTTP/1.1 200")) fail(`the check's GET was answered ${JSON.stringify(text.slice(0, 40))}`);
      const body = check.response.slice(head + 4, head + 4 + BYTES);
      if (body.some((b, i) => b !== i % 251)) fail("the check's GET got the wrong bytes");
      check.done = true;
    }
  };

  const stormFrame = (spec) => {
    const f = frameBytes(spec);
    if (spec.live && live.open) {
      retarget(f, { sport: LIVE_PORT, dport: 7, seq: live.peerNext + spec.live.seq, ack: live.guestNext + spec.live.ack });
      if (spec.fix) fixChecksums(f);
    } else if (spec.live && spec.fix) fixChecksums(f);
    return f;
  };

  // Called before every yield: feeds the phase's frames, moves simulated time, ends the run.
  const beforeYield = (deadline) => {
    if (++spins > SPIN_LIMIT) fail(`the guest yielded ${SPIN_LIMIT} times without simulated time moving`);
    if (input.length > 0) return;
    const until = deadline === -1n || deadline >= 2n ** 63n ? 2n ** 64n - 1n : deadline;
    const advance = (to) => {
      if (to > now) {
        now = to;
        spins = 0;
      }
    };
    switch (phase) {
      case "boot":
        enter("live");
        input.push(tcpSegment({ sport: LIVE_PORT, dport: 7, seq: live.peerNext - 1, ack: 0, flags: TCP_SYN }));
        return;
      case "live":
        if (live.open) {
          if (heap.length === 0) fail("http-serve printed no heap statistics (is `stats` on its command line?)");
          enter("storm");
          return beforeYield(deadline);
        }
        if (now - phaseStart > PHASE_LIMIT_NS) fail("the guest did not complete the live connection's handshake");
        advance(until < now + SEC ? until : now + SEC);
        return;
      case "storm":
        if (next >= specs.length) {
          enter("settle");
          return beforeYield(deadline);
        }
        for (let i = 0; i < BURST && next < specs.length; i++, delivered++) input.push(stormFrame(specs[next++]));
        advance(until < now + STEP_NS ? until : now + STEP_NS);
        return;
      case "settle":
        if (now - phaseStart >= SETTLE_NS) {
          enter("check");
          check.heapFrom = heap.length;
          input.push(echoRequest(0x4321, 9, PING));
          input.push(tcpSegment({ sport: CHECK_PORT, dport: 80, seq: check.peerNext, ack: 0, flags: TCP_SYN }));
          return;
        }
        advance(until < phaseStart + SETTLE_NS ? until : phaseStart + SETTLE_NS);
        return;
      case "check":
        if (check.pinged && check.done && heap.length > check.heapFrom) {
          throw new GuestEnded({ status: 0, reason: "exit", code: 0 });
        }
        if (now - phaseStart > PHASE_LIMIT_NS) {
          fail(`the stack no longer serves: ${check.pinged ? "" : "no echo reply; "}${check.synAcked ? "" : "no SYN-ACK; "}${check.done ? "" : `HTTP answer ${check.response.length} bytes; `}`);
        }
        advance(until < now + SEC ? until : now + SEC);
        return;
    }
  };

  const hook = (name, call) =>
    name !== "yield"
      ? call
      : (deadline, set) => {
          beforeYield(deadline);
          return call(deadline, set);
        };
  const decoder = new TextDecoder();
  const platform = {
    stdout: (b) => {
      const text = decoder.decode(b);
      console.push(text);
      if (console.length > 64) console.splice(0, 32);
      const m = /heap in-use (\d+) peak (\d+)/.exec(text);
      if (m) heap.push({ inUse: Number(m[1]), peak: Number(m[2]), phase });
    },
    stderr: (line) => console.push(`${line}\n`),
    monotonicNs: () => now,
    wallNs: () => 1_700_000_000n * SEC + now,
    randomFill: entropy(seed),
    waiter: {
      arm: () => false,
      wait: (deadline) => {
        // beforeYield saw to it that the deadline is one to reach (or input came).
        if (deadline > now) now = deadline;
      },
    },
  };
  const net = {
    mac: GUEST_MAC,
    mtu: 1500,
    write: (frame) => {
      output.push(frame.length);
      fromGuest(frame.slice());
    },
    read: (buf) => {
      const f = input.shift();
      if (f === undefined) return -1;
      buf.set(f);
      return f.length;
    },
    hasInput: () => input.length > 0,
    describe: () => "the frame fuzzer's feed",
    stats: () => `rx ${delivered} tx ${output.length}`,
  };
  const config = {
    memBytes: 32 * 2 ** 20,
    cmdline: "10.0.0.2/24 stats",
    logLevel: "error",
    trace: false,
    backends: new Map([["service0", { type: "NET_BASIC", net }]]),
  };
  const result = runGuest(kernel, config, platform, [hook]);
  if (failure) throw failure;
  if (result.reason !== "exit" || result.status !== 0) fail(`the guest ended: ${JSON.stringify(result)}`);
  const before = heap[0].inUse;
  const after = heap[heap.length - 1].inUse;
  if (calm && after > calm.heapAfter + HEAP_SLACK) {
    fail(`the guest holds ${after} bytes of heap after the storm has settled, against ${calm.heapAfter} after a run without one (at most ${HEAP_SLACK} more allowed)`);
  }
  return { frames: delivered, heapBefore: before, heapAfter: after, peak: heap[heap.length - 1].peak, sent: output.length };
}
