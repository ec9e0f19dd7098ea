// Replacing a custom section in a module's bytes, for embedding a manifest into a
// module built by another toolchain (`solo5-wasm manifest embed`).
import { TenderError } from "./errors.js";

const HEADER = 8; // magic "\0asm" + version

export function readU32Leb(bytes: Uint8Array, at: number): [value: number, next: number] {
  let value = 0;
  for (let shift = 0, i = at; shift < 35; shift += 7, i++) {
    if (i >= bytes.length) break;
    value += (bytes[i]! & 0x7f) * 2 ** shift;
    if ((bytes[i]! & 0x80) === 0) return [value, i + 1];
  }
  throw new TenderError("the module is truncated or malformed (bad section size)");
}

export function u32Leb(n: number): number[] {
  const out: number[] = [];
  do {
    let byte = n & 0x7f;
    n = Math.floor(n / 128);
    if (n !== 0) byte |= 0x80;
    out.push(byte);
  } while (n !== 0);
  return out;
}

/** Encodes one custom section (id 0): size, name, payload. */
export function customSection(name: string, payload: Uint8Array): Uint8Array {
  const nameBytes = new TextEncoder().encode(name);
  const body = [...u32Leb(nameBytes.length), ...nameBytes];
  const size = u32Leb(body.length + payload.length);
  const out = new Uint8Array(1 + size.length + body.length + payload.length);
  out.set([0, ...size, ...body], 0);
  out.set(payload, 1 + size.length + body.length);
  return out;
}

/** The module with every custom section called `name` removed and one new one appended. */
export function replaceCustomSection(module: Uint8Array, name: string, payload: Uint8Array): Uint8Array {
  const kept: Uint8Array[] = [module.subarray(0, HEADER)];
  const decoder = new TextDecoder();
  for (let at = HEADER; at < module.length; ) {
    const [size, bodyAt] = readU32Leb(module, at + 1);
    const end = bodyAt + size;
    if (end > module.length) throw new TenderError("the module is truncated (a section runs past its end)");
    let drop = false;
    if (module[at] === 0) {
      const [nameLen, nameAt] = readU32Leb(module, bodyAt);
      drop = decoder.decode(module.subarray(nameAt, nameAt + nameLen)) === name;
    }
    if (!drop) kept.push(module.subarray(at, end));
    at = end;
  }
  kept.push(customSection(name, payload));
  return concat(kept);
}

/** The parts, one after the other, in one new array. */
export function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, part) => n + part.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}
