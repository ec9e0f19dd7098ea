// SipHash-2-4 (Aumasson and Bernstein, 2012) of up to two 64-bit words: the keyed hash
// behind initial sequence numbers (RFC 6528 asks for a PRF of the 4-tuple and a secret)
// and the connection table (so that a peer cannot choose ports that collide).

export class SipKey {
  constructor(readonly k0: u64, readonly k1: u64) {}
}

let v0: u64 = 0;
let v1: u64 = 0;
let v2: u64 = 0;
let v3: u64 = 0;

// @ts-ignore: decorator
@inline
function round(): void {
  v0 += v1;
  v1 = rotl<u64>(v1, 13);
  v1 ^= v0;
  v0 = rotl<u64>(v0, 32);
  v2 += v3;
  v3 = rotl<u64>(v3, 16);
  v3 ^= v2;
  v0 += v3;
  v3 = rotl<u64>(v3, 21);
  v3 ^= v0;
  v2 += v1;
  v1 = rotl<u64>(v1, 17);
  v1 ^= v2;
  v2 = rotl<u64>(v2, 32);
}

// @ts-ignore: decorator
@inline
function absorb(m: u64): void {
  v3 ^= m;
  round();
  round();
  v0 ^= m;
}

/** SipHash-2-4 of the 16-byte message a (bytes 0..7, little-endian) then b. */
export function siphash128(key: SipKey, a: u64, b: u64): u64 {
  v0 = key.k0 ^ 0x736f6d6570736575;
  v1 = key.k1 ^ 0x646f72616e646f6d;
  v2 = key.k0 ^ 0x6c7967656e657261;
  v3 = key.k1 ^ 0x7465646279746573;
  absorb(a);
  absorb(b);
  absorb(<u64>16 << 56); // the length byte, no tail
  v2 ^= 0xff;
  round();
  round();
  round();
  round();
  return v0 ^ v1 ^ v2 ^ v3;
}
