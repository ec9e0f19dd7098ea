// SHA-256 (FIPS 180-4), fed as bytes come: update() any number of times, then
// finish(). Written here because no maintained AssemblyScript package ships its source
// for guests (npm's @chainsafe/as-sha256 ships only a prebuilt module for JavaScript).

const K: StaticArray<u32> = [
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
  0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
  0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
  0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
  0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
  0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
  0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
  0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
];

/** The message schedule: scratch for one block at a time, shared by every hash. */
const W = new StaticArray<u32>(64);
const HEX = "0123456789abcdef";

/** Bytes of a SHA-256 digest. */
export const SHA256_DIGEST_LEN: i32 = 32;
/** Characters of a SHA-256 digest in hex. */
export const SHA256_HEX_LEN: i32 = 64;

/** SHA-256 (FIPS 180-4), hashed as bytes come: update() or updateBytes(), then finish() or finishHexInto(). */
export class Sha256 {
  private readonly h: StaticArray<u32> = new StaticArray<u32>(8);
  /** The partial block not hashed yet. */
  private readonly block: StaticArray<u8> = new StaticArray<u8>(64);
  private filled: u32 = 0;
  private length: u64 = 0;

  constructor() {
    this.reset();
  }

  /** Starts a new message. */
  reset(): void {
    const h = this.h;
    unchecked((h[0] = 0x6a09e667));
    unchecked((h[1] = 0xbb67ae85));
    unchecked((h[2] = 0x3c6ef372));
    unchecked((h[3] = 0xa54ff53a));
    unchecked((h[4] = 0x510e527f));
    unchecked((h[5] = 0x9b05688c));
    unchecked((h[6] = 0x1f83d9ab));
    unchecked((h[7] = 0x5be0cd19));
    this.filled = 0;
    this.length = 0;
  }

  /** Hashes n bytes at p. */
  update(p: usize, n: u32): void {
    this.length += n;
    const block = changetype<usize>(this.block);
    if (this.filled > 0) {
      const take = min(n, 64 - this.filled);
      memory.copy(block + this.filled, p, take);
      this.filled += take;
      p += take;
      n -= take;
      if (this.filled < 64) return;
      this.compress(block);
      this.filled = 0;
    }
    while (n >= 64) {
      this.compress(p);
      p += 64;
      n -= 64;
    }
    if (n > 0) {
      memory.copy(block, p, n);
      this.filled = n;
    }
  }

  /** Hashes all of `bytes`. */
  updateBytes(bytes: Uint8Array): void {
    this.update(bytes.dataStart, <u32>bytes.byteLength);
  }

  /** Ends the message: its 32-byte digest goes to `out`; reset() before hashing another. */
  finish(out: usize): void {
    const bits = this.length << 3;
    const block = changetype<usize>(this.block);
    store<u8>(block + this.filled, 0x80);
    this.filled++;
    if (this.filled > 56) {
      memory.fill(block + this.filled, 0, 64 - this.filled);
      this.compress(block);
      this.filled = 0;
    }
    memory.fill(block + this.filled, 0, 56 - this.filled);
    store<u64>(block + 56, bswap<u64>(bits));
    this.compress(block);
    for (let i = 0; i < 8; i++) store<u32>(out + (<usize>i << 2), bswap<u32>(unchecked(this.h[i])));
  }

  /** finish(), as SHA256_HEX_LEN lowercase hex digits written at `out`. */
  finishHexInto(out: usize): void {
    this.finish(out + SHA256_DIGEST_LEN);
    for (let i = 0; i < SHA256_DIGEST_LEN; i++) {
      const b = <u32>load<u8>(out + SHA256_DIGEST_LEN + i);
      store<u8>(out + 2 * i, HEX.charCodeAt(b >> 4));
      store<u8>(out + 2 * i + 1, HEX.charCodeAt(b & 15));
    }
  }

  /** One 64-byte block at p into the state. */
  private compress(p: usize): void {
    for (let t = 0; t < 16; t++) unchecked((W[t] = bswap<u32>(load<u32>(p + (<usize>t << 2)))));
    for (let t = 16; t < 64; t++) {
      const w15 = unchecked(W[t - 15]);
      const w2 = unchecked(W[t - 2]);
      const s0 = rotr<u32>(w15, 7) ^ rotr<u32>(w15, 18) ^ (w15 >>> 3);
      const s1 = rotr<u32>(w2, 17) ^ rotr<u32>(w2, 19) ^ (w2 >>> 10);
      unchecked((W[t] = unchecked(W[t - 16]) + s0 + unchecked(W[t - 7]) + s1));
    }
    const h = this.h;
    let a = unchecked(h[0]);
    let b = unchecked(h[1]);
    let c = unchecked(h[2]);
    let d = unchecked(h[3]);
    let e = unchecked(h[4]);
    let f = unchecked(h[5]);
    let g = unchecked(h[6]);
    let hh = unchecked(h[7]);
    for (let t = 0; t < 64; t++) {
      const t1 = hh + (rotr<u32>(e, 6) ^ rotr<u32>(e, 11) ^ rotr<u32>(e, 25)) + ((e & f) ^ (~e & g)) + unchecked(K[t]) + unchecked(W[t]);
      const t2 = (rotr<u32>(a, 2) ^ rotr<u32>(a, 13) ^ rotr<u32>(a, 22)) + ((a & b) ^ (a & c) ^ (b & c));
      hh = g;
      g = f;
      f = e;
      e = d + t1;
      d = c;
      c = b;
      b = a;
      a = t1 + t2;
    }
    unchecked((h[0] += a));
    unchecked((h[1] += b));
    unchecked((h[2] += c));
    unchecked((h[3] += d));
    unchecked((h[4] += e));
    unchecked((h[5] += f));
    unchecked((h[6] += g));
    unchecked((h[7] += hh));
  }
}
