// The record log's hashes: xxHash (xxhash-wasm, which runs in Node and in pages).
// Outputs are kept as a 64-bit xxh64 digest, not SHA-256: the log has to tell a
// changed output from the recorded one, not resist someone forging a match, and
// xxh64 costs a fraction of a microsecond per frame where a SHA-256 through
// node:crypto costs a few. Chunks carry a 32-bit checksum of their bytes, to find a
// torn or corrupt one: the low half of their xxh64, which xxhash-wasm computes in
// about half the time of an xxh32 (64 KiB: 7 against 13 us). Loaded only by a run
// that records or replays.
export interface Digests {
  /** An output's digest. */
  h64(bytes: Uint8Array): bigint;
  /** A chunk's checksum. */
  h32(bytes: Uint8Array): number;
}

let loaded: Promise<Digests> | undefined;

export function loadDigests(): Promise<Digests> {
  loaded ??= import("xxhash-wasm").then(async ({ default: xxhash }) => {
    const { h64Raw } = await xxhash();
    return { h64: (b) => h64Raw(b), h32: (b) => Number(h64Raw(b) & 0xffffffffn) };
  });
  return loaded;
}
