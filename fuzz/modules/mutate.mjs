// Mutated modules: real guests split into their sections, then fast-check's
// mutations of that structure (a section dropped, repeated, moved, renumbered, cut
// short, its size field lying, bytes flipped or inserted in it, the manifest's JSON
// replaced) and plain byte flips over the whole module.
import fs from "node:fs";
import fc from "fast-check";
import { concat, customSection, readU32Leb, u32Leb } from "../../dist/core/sections.js";
import { guestBytes } from "../hypercalls/guest.mjs";

const ROOT = new URL("../../", import.meta.url);
const EXAMPLES = ["hello", "kv", "ping-serve"];

/** The corpus: the examples the build makes (one with a block device, one with a net device) and the hypercall fuzzer's WAT guest. */
export function corpus() {
  return [...EXAMPLES.map((name) => new Uint8Array(fs.readFileSync(new URL(`examples/${name}/${name}.wasm`, ROOT)))), guestBytes()];
}

/** { header, sections: [{ id, payload }] } of a well-formed module. */
export function split(bytes) {
  const sections = [];
  for (let at = 8; at < bytes.length; ) {
    const id = bytes[at];
    const [size, start] = readU32Leb(bytes, at + 1);
    sections.push({ id, payload: bytes.subarray(start, start + size) });
    at = start + size;
  }
  return { header: bytes.subarray(0, 8), sections };
}

const section = ({ id, payload }, sizeDelta = 0) => concat([Uint8Array.of(id), Uint8Array.from(u32Leb(Math.max(0, payload.length + sizeDelta))), payload]);

const fraction = fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true });
const device = fc.record({
  name: fc.oneof(fc.constantFrom("storage", "service0", "", "a b", "x".repeat(68)), fc.string({ maxLength: 70 })),
  type: fc.oneof(fc.constantFrom("NET_BASIC", "BLOCK_BASIC"), fc.string({ maxLength: 12 })),
});
/** Manifest documents: near the real shape, its fields wrong one at a time, or any JSON at all. */
const manifestText = fc.oneof(
  fc.record({
    type: fc.oneof(fc.constant("solo5.manifest"), fc.jsonValue()),
    version: fc.oneof(fc.constant(1), fc.jsonValue()),
    devices: fc.oneof(fc.array(device, { maxLength: 70 }), fc.jsonValue()),
  }, { requiredKeys: [] }).map((m) => JSON.stringify(m)),
  fc.json(),
  fc.string({ maxLength: 200 }),
);

const mutation = fc.oneof(
  fc.record({ m: fc.constant("drop"), k: fraction }),
  fc.record({ m: fc.constant("repeat"), k: fraction }),
  fc.record({ m: fc.constant("move"), k: fraction, to: fraction }),
  fc.record({ m: fc.constant("renumber"), k: fraction, id: fc.nat(255) }),
  fc.record({ m: fc.constant("cut"), k: fraction, keep: fraction }),
  fc.record({ m: fc.constant("lie"), k: fraction, delta: fc.integer({ min: -8, max: 8 }) }),
  fc.record({ m: fc.constant("flip"), k: fraction, at: fraction, xor: fc.integer({ min: 1, max: 255 }) }),
  fc.record({ m: fc.constant("insert"), k: fraction, at: fraction, bytes: fc.uint8Array({ minLength: 1, maxLength: 8 }) }),
  fc.record({ m: fc.constant("manifest"), text: manifestText }),
);

/** A mutant: which corpus module, the structural mutations, then byte flips over the result. */
export const mutantArb = (count) =>
  fc.record({
    base: fc.nat(count - 1),
    mutations: fc.array(mutation, { maxLength: 4 }),
    flips: fc.array(fc.record({ at: fraction, xor: fc.integer({ min: 1, max: 255 }) }), { maxLength: 3 }),
  });

const pick = (list, f) => Math.floor(f * list.length);

/** The mutant's bytes. */
export function build(modules, { base, mutations, flips }) {
  const { header, sections } = split(modules[base]);
  const list = sections.map((s) => ({ ...s, delta: 0 }));
  for (const mu of mutations) {
    if (mu.m === "manifest") {
      const payload = customSection("solo5.manifest", new TextEncoder().encode(mu.text));
      const i = list.findIndex((s) => s.id === 0 && isManifest(s.payload));
      const entry = { ...split(concat([header, payload])).sections[0], delta: 0 };
      if (i >= 0) list[i] = entry;
      else list.push(entry);
      continue;
    }
    if (list.length === 0) continue;
    const i = pick(list, mu.k);
    const s = list[i];
    switch (mu.m) {
      case "drop": list.splice(i, 1); break;
      case "repeat": list.splice(i, 0, { ...s }); break;
      case "move": list.splice(i, 1); list.splice(pick(list, mu.to), 0, s); break;
      case "renumber": s.id = mu.id; break;
      case "cut": s.payload = s.payload.subarray(0, Math.floor(mu.keep * s.payload.length)); break;
      case "lie": s.delta = mu.delta; break;
      case "flip": if (s.payload.length > 0) { s.payload = s.payload.slice(); s.payload[pick(s.payload, mu.at)] ^= mu.xor; } break;
      case "insert": { const at = Math.floor(mu.at * (s.payload.length + 1)); s.payload = concat([s.payload.subarray(0, at), mu.bytes, s.payload.subarray(at)]); break; }
    }
  }
  const bytes = concat([header, ...list.map((s) => section(s, s.delta))]).slice();
  for (const f of flips) if (bytes.length > 0) bytes[pick(bytes, f.at)] ^= f.xor;
  return bytes;
}

const MANIFEST_NAME = new TextEncoder().encode("solo5.manifest");
function isManifest(payload) {
  return MANIFEST_NAME.every((b, i) => payload[1 + i] === b) && payload[0] === MANIFEST_NAME.length;
}
