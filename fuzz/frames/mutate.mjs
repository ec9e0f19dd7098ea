// The storm's frames as fast-check values: each frame is a small description (a seed
// fixture and its edits, or random bytes with an optional header), made into bytes by
// frameBytes(), so fast-check shrinks the description (fewer frames, fewer edits,
// smaller numbers) rather than kilobytes of bytes.
import fs from "node:fs";
import fc from "fast-check";
import { ETH, GUEST_MAC, PEER_MAC, fixChecksums } from "./wire.mjs";

const FIXTURES = JSON.parse(fs.readFileSync(new URL("./fixtures.json", import.meta.url), "utf8"));
export const FIXTURE_NAMES = Object.keys(FIXTURES);
const SEEDS = FIXTURE_NAMES.map((n) => Uint8Array.from(Buffer.from(FIXTURES[n], "hex")));
/** The largest frame the device takes: MTU 1500 and the Ethernet header. */
export const FRAME_MAX = 1514;

/** Where an edit lands: mostly in the headers, sometimes anywhere. */
const offset = fc.oneof({ weight: 4, arbitrary: fc.nat(90) }, { weight: 1, arbitrary: fc.nat(FRAME_MAX) });
/** Values at the edges of 8-, 16- and 32-bit fields. */
const edge16 = fc.oneof(fc.constantFrom(0, 1, 2, 0x7f, 0x80, 0xff, 0x100, 0x5dc, 0x5dd, 0x7fff, 0x8000, 0xfffe, 0xffff), fc.integer({ min: 0, max: 0xffff }));
const edge32 = fc.oneof(fc.constantFrom(0, 1, 0x7fffffff, 0x80000000, 0xffffffff), fc.integer({ min: 0, max: 0xffffffff }));

const edit = fc.oneof(
  fc.record({ op: fc.constant("byte"), at: offset, value: fc.integer({ min: 0, max: 255 }) }),
  fc.record({ op: fc.constant("flip"), at: offset, bit: fc.nat(7) }),
  fc.record({ op: fc.constant("u16"), at: offset, value: edge16 }),
  fc.record({ op: fc.constant("u32"), at: offset, value: edge32 }),
  fc.record({ op: fc.constant("insert"), at: offset, bytes: fc.uint8Array({ minLength: 1, maxLength: 40 }) }),
  fc.record({ op: fc.constant("delete"), at: offset, count: fc.integer({ min: 1, max: 40 }) }),
  fc.record({ op: fc.constant("cut"), at: offset }),
  fc.record({ op: fc.constant("grow"), count: fc.integer({ min: 1, max: FRAME_MAX }), fill: fc.integer({ min: 0, max: 255 }) }),
);

const mutant = fc.record({
  kind: fc.constant("mutant"),
  fixture: fc.nat(SEEDS.length - 1),
  edits: fc.array(edit, { maxLength: 6 }),
  /** Put the checksums right after the edits (most of the time: else the headers' checks drop nearly all). */
  fix: fc.oneof({ weight: 4, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }),
  /** A TCP segment moved onto the peer's live connection: its ports, and sequence numbers near the connection's. */
  live: fc.option(fc.record({ seq: fc.integer({ min: -70000, max: 70000 }), ack: fc.integer({ min: -70000, max: 70000 }) }), { freq: 2 }),
});

const random = fc.record({
  kind: fc.constant("random"),
  bytes: fc.uint8Array({ maxLength: FRAME_MAX }),
  /** 0: the bytes as they are; else the guest's MAC and this EtherType first (0x0800 then a plausible IPv4 start). */
  header: fc.constantFrom(0, 0x0800, 0x0806, 0x86dd),
  fix: fc.boolean(),
});

export const frameArb = fc.oneof({ weight: 3, arbitrary: mutant }, { weight: 1, arbitrary: random });

function applyEdit(f, e) {
  const at = f.length === 0 ? 0 : e.at % f.length;
  const d = new DataView(f.buffer, f.byteOffset, f.byteLength);
  switch (e.op) {
    case "byte":
      if (f.length) f[at] = e.value;
      return f;
    case "flip":
      if (f.length) f[at] ^= 1 << e.bit;
      return f;
    case "u16":
      if (at + 2 <= f.length) d.setUint16(at, e.value);
      return f;
    case "u32":
      if (at + 4 <= f.length) d.setUint32(at, e.value);
      return f;
    case "insert":
      return Uint8Array.from([...f.subarray(0, at), ...e.bytes, ...f.subarray(at)]);
    case "delete":
      return Uint8Array.from([...f.subarray(0, at), ...f.subarray(at + e.count)]);
    case "cut":
      return f.slice(0, at);
    case "grow": {
      const g = new Uint8Array(Math.min(FRAME_MAX, f.length + e.count)).fill(e.fill);
      g.set(f.subarray(0, g.length));
      return g;
    }
  }
  throw new Error(`unknown edit ${e.op}`);
}

/**
 * The bytes of a frame description, and whether it is to go on the peer's live
 * connection (then the driver sets its ports and sequence numbers, and fixes its
 * checksums after).
 */
export function frameBytes(spec) {
  let f;
  if (spec.kind === "random") {
    f = spec.bytes.slice();
    if (spec.header !== 0 && f.length >= ETH) {
      f.set(GUEST_MAC, 0);
      f.set(PEER_MAC, 6);
      f[12] = spec.header >> 8;
      f[13] = spec.header & 0xff;
      if (spec.header === 0x0800 && f.length > ETH) f[ETH] = 0x45;
    }
  } else {
    f = SEEDS[spec.fixture].slice();
    for (const e of spec.edits) f = applyEdit(f, e);
  }
  if (f.length > FRAME_MAX) f = f.slice(0, FRAME_MAX);
  if (spec.fix && !spec.live) fixChecksums(f);
  return f;
}
