// Tapes for the hypercall fuzzer's guest (guest.wat): fast-check arbitraries of
// calls with random and edge-case arguments, and their encoding as the guest reads
// them. A call is a plain object ({ op: "net_read", handle, buf, size, readSize }), so
// a shrunk failure prints readably and can be kept as JSON (kept.json).
//
// Pointers a call writes through land in the scratch part of memory (from `scratch`
// to the end) or on an edge (at, across or far past the end; wrapping); pointers a
// call only reads may be anywhere. The tape and the results stay intact, so every
// call's result can be told from the tape alone (model.mjs).
import fc from "fast-check";

export const MEM_MIB = 2;
export const MEM = MEM_MIB * 1024 * 1024;
export const SECTOR = 512;
export const TAPE_AT = 4096;
export const RECORDS_AT = TAPE_AT + 32;
export const RECORD = 32;
export const STORAGE_BYTES = 32 * SECTOR;
export const MTU = 1500;
export const ENTROPY_MAX = 65536;
export const U32 = 2 ** 32;
export const UINT64_MAX = 2n ** 64n - 1n;

/** Device names in the guest's data (guest.wat), and the empty name at 0. */
export const NAMES = { "": 0, tape: 64, storage: 69, service0: 77 };
/** Handles are manifest order + 1 (the guest's manifest, guest.mjs). */
export const HANDLES = { tape: 1, storage: 2, service0: 3 };

/** The tape device's capacity for this many calls: header and records, whole sectors. */
export const tapeBytes = (count) => Math.ceil((32 + RECORD * count) / SECTOR) * SECTOR;
/** Where pointers that are written through may start: past the tape and the results. */
export const scratchStart = (count) => Math.ceil((TAPE_AT + tapeBytes(count) + count) / 4096) * 4096;

const OPS = ["console_write", "clock_monotonic", "clock_wall", "yield", "net_acquire", "net_write", "net_read", "block_acquire", "block_write", "block_read", "entropy"];
export const OP_CODE = Object.fromEntries(OPS.map((op, i) => [op, i]));

// A place is resolved against the call's length once the tape's size is known:
// { safe: f } lies wholly inside (f in [0, 1) across the allowed range), { edge: k } is one of EDGES.
const EDGES = [
  (len) => MEM - len, // ends exactly at the end
  (len) => MEM - len + 1, // one byte across
  () => MEM, // at the end
  () => MEM + 1,
  () => MEM - 1,
  () => U32 - 1, // wraps with any length > 0
  () => 0x80000000,
  () => U32 - 16,
];
// Choices that stop the guest (edges, lengths past any buffer) are rare: one in
// RARE, so that a tape runs hundreds of calls before it ends on one.
const RARE = 5000;
const rare = (common, stopping) => fc.oneof({ weight: RARE, arbitrary: common }, { weight: 1, arbitrary: stopping });
const place = rare(fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }).map((f) => ({ safe: f })), fc.nat(EDGES.length - 1).map((k) => ({ edge: k })));

/** A place's address for a buffer of `len` bytes; `from` is where safe places start. */
export function resolve(p, len, from) {
  if ("edge" in p) return EDGES[p.edge](len >>> 0) >>> 0;
  const room = MEM - (len >>> 0) - from;
  return room < 0 ? (MEM - 1) >>> 0 : from + Math.floor(p.safe * (room + 1));
}

const some = (values) => fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...values) }, { weight: 1, arbitrary: fc.nat({ max: U32 - 1 }) });
const handle = some([0, 1, 2, 3, 4, 63, 64, U32 - 1, 0x7fffffff]);
const sizes = (values, stopping) => rare(fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...values) }, { weight: 1, arbitrary: fc.nat(values.at(-1)) }), fc.constantFrom(...stopping));
const consoleLen = sizes([0, 1, 80, 256], [U32 - 1, 0x80000000, MEM, MEM + 1]);
const frameLen = sizes([0, 1, 13, 14, 15, 60, MTU + 13, MTU + 14, MTU + 15, 9014], [U32 - 1, 0x80000000, MEM]);
const blockLen = sizes([0, 1, SECTOR - 1, SECTOR, SECTOR + 1, 2 * SECTOR, 8 * SECTOR, STORAGE_BYTES, STORAGE_BYTES + SECTOR], [U32 - SECTOR, 0x80000000, U32 - 1]);
const offset = fc.oneof(
  { weight: 12, arbitrary: fc.constantFrom(0n, 1n, 511n, 512n, BigInt(STORAGE_BYTES - SECTOR), BigInt(STORAGE_BYTES), 2n ** 32n, 2n ** 63n, UINT64_MAX - 511n, UINT64_MAX) },
  { weight: 4, arbitrary: fc.nat(64).map((k) => BigInt(k * SECTOR)) },
  { weight: 1, arbitrary: fc.bigInt({ min: 0n, max: UINT64_MAX }) },
);
const entropyLen = sizes([0, 1, 16, ENTROPY_MAX - 1, ENTROPY_MAX, ENTROPY_MAX + 1, 2 * ENTROPY_MAX], [U32 - 1, 0x80000000]);
const name = rare(fc.constantFrom("tape", "storage", "service0", ""), fc.constantFrom(MEM, MEM + 1, U32 - 1));
// Deadlines: polls (0, 1, long past), short sleeps from now; the never-ending ones end a tape (see `end`).
const deadline = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom({ at: 0n }, { at: 1n }, { at: 1000n }) },
  { weight: 1, arbitrary: fc.bigInt({ min: 0n, max: 200_000n }).map((ns) => ({ after: ns })) },
);

export const callArb = fc.oneof(
  { weight: 4, arbitrary: fc.record({ op: fc.constant("console_write"), buf: place, size: consoleLen }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant("clock_monotonic") }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant("clock_wall") }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant("yield"), deadline, readySet: fc.option(place, { freq: 4 }) }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant("net_acquire"), name, handle: place, info: place }) },
  { weight: 4, arbitrary: fc.record({ op: fc.constant("net_write"), handle, buf: place, size: frameLen }) },
  { weight: 4, arbitrary: fc.record({ op: fc.constant("net_read"), handle, buf: place, size: frameLen, readSize: place }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant("block_acquire"), name, handle: place, info: place }) },
  { weight: 4, arbitrary: fc.record({ op: fc.constant("block_write"), handle, offset, buf: place, size: blockLen }) },
  { weight: 4, arbitrary: fc.record({ op: fc.constant("block_read"), handle, offset, buf: place, size: blockLen }) },
  { weight: 3, arbitrary: fc.record({ op: fc.constant("entropy"), buf: place, size: entropyLen }) },
);

/** How a tape ends after its calls: return, sleep for good (stopped from outside), exit(status), abort. */
const endArb = fc.oneof(
  { weight: 6, arbitrary: fc.constant({ kind: "return" }) },
  { weight: 1, arbitrary: fc.constantFrom(UINT64_MAX, 2n ** 63n, UINT64_MAX - 1n).map((deadline) => ({ kind: "sleep", deadline })) },
  { weight: 1, arbitrary: fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }).map((status) => ({ kind: "exit", status })) },
  { weight: 1, arbitrary: fc.constant({ kind: "abort" }) },
);

export const tapeArb = (maxCalls) => fc.record({ calls: fc.array(callArb, { maxLength: maxCalls, size: "max" }), end: endArb });

/** Resolves a tape's places into addresses: the calls as the guest will make them. */
export function concrete({ calls }) {
  const from = scratchStart(calls.length);
  const at = (p, len) => (p === null ? 0 : resolve(p, len, from));
  const anywhere = (p, len) => resolve(p, len, 0); // read-only buffers: the tape itself may be one
  return calls.map((c) => {
    switch (c.op) {
      case "console_write": return { ...c, buf: anywhere(c.buf, c.size) };
      case "yield": return { ...c, readySet: at(c.readySet, 8) };
      case "net_acquire": return { ...c, handle: at(c.handle, 8), info: at(c.info, 12) };
      case "block_acquire": return { ...c, handle: at(c.handle, 8), info: at(c.info, 16) };
      case "net_write": return { ...c, buf: anywhere(c.buf, c.size) };
      case "net_read": return { ...c, buf: at(c.buf, c.size), readSize: at(c.readSize, 4) };
      case "block_write": return { ...c, buf: anywhere(c.buf, c.size) };
      case "block_read": return { ...c, buf: at(c.buf, c.size) };
      case "entropy": return { ...c, buf: at(c.buf, c.size) };
      default: return c;
    }
  });
}

/** The tape device's bytes for concrete calls and an ending. */
export function encode(calls, end) {
  const bytes = new Uint8Array(tapeBytes(calls.length));
  const v = new DataView(bytes.buffer);
  const endCode = { return: 0, sleep: 1, exit: 2, abort: 3 }[end.kind];
  v.setUint32(0, calls.length, true);
  v.setUint32(4, endCode, true);
  v.setInt32(8, end.kind === "exit" ? end.status : 0, true);
  v.setBigUint64(16, end.kind === "sleep" ? end.deadline : 0n, true);
  calls.forEach((c, i) => {
    const r = 32 + i * RECORD;
    const words = fields(c);
    v.setUint32(r, OP_CODE[c.op], true);
    words.slice(0, 4).forEach((w, k) => v.setUint32(r + 4 + 4 * k, w >>> 0, true));
    v.setBigUint64(r + 24, words[4] ?? 0n, true);
  });
  return bytes;
}

/** A concrete call's words a, b, c, d and its 64-bit e, as guest.wat passes them. */
function fields(c) {
  switch (c.op) {
    case "console_write": return [c.buf, c.size, 0, 0];
    case "yield": return "after" in c.deadline ? [c.readySet, 0, 0, 1, c.deadline.after] : [c.readySet, 0, 0, 0, c.deadline.at];
    case "net_acquire":
    case "block_acquire": return [typeof c.name === "string" ? NAMES[c.name] : c.name, c.handle, c.info, 0];
    case "net_write": return [c.handle, c.buf, c.size, 0];
    case "net_read": return [c.handle, c.buf, c.size, c.readSize];
    case "block_write":
    case "block_read": return [c.handle, c.buf, c.size, 0, c.offset];
    case "entropy": return [c.buf, c.size, 0, 0];
    default: return [0, 0, 0, 0];
  }
}
