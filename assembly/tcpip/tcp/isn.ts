// Initial sequence numbers (RFC 6528): a clock plus a keyed hash of the connection's
// addresses and ports, so that one connection's ISN tells nothing about another's, and a
// new incarnation of a 4-tuple usually starts above the old one. The clock ticks every
// 64 ns, as Linux's does (RFC 6528 suggests 4 us): a port reused after a connection that
// moved more than 250 kB a second would otherwise start below the old one, and its SYN
// would be taken for an old duplicate by the peer's TIME-WAIT.
import { SipKey, siphash128 } from "./siphash";

export function initialSequence(key: SipKey, now: u64, localIp: u32, localPort: u32, remoteIp: u32, remotePort: u32): u32 {
  const a = (<u64>localIp << 32) | <u64>remoteIp;
  const b = (<u64>localPort << 16) | <u64>remotePort;
  return <u32>(now >> 6) + <u32>siphash128(key, a, b);
}
