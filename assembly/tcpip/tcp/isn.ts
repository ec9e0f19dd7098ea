// Initial sequence numbers (RFC 6528): a 4-microsecond clock plus a keyed hash of the
// connection's addresses and ports, so that one connection's ISN tells nothing about
// another's, and a new incarnation of a 4-tuple starts above the old one.
import { SipKey, siphash128 } from "./siphash";

export function initialSequence(key: SipKey, now: u64, localIp: u32, localPort: u32, remoteIp: u32, remotePort: u32): u32 {
  const a = (<u64>localIp << 32) | <u64>remoteIp;
  const b = (<u64>localPort << 16) | <u64>remotePort;
  return <u32>(now / 4000) + <u32>siphash128(key, a, b);
}
