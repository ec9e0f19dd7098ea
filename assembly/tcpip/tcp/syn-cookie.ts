// SYN cookies (RFC 4987 3.6, as Linux makes them): when the half-open table is full, the
// SYN-ACK's sequence number itself records the connection, so the handshake's ACK can
// open it with no state kept in between. The cookie is a keyed hash of the 4-tuple, the
// client's ISN and a clock ticking every 64 s (5 bits, so a cookie lives 64-128 s), with
// the MSS as one of 8 values. A connection opened by a cookie has no window scaling and
// no SACK: the SYN's options are not kept.
import { SipKey, siphash128 } from "./siphash";

const TICK_SHIFT: u32 = 36; // 2^36 ns: about 69 s
const MSS_TABLE: StaticArray<u32> = [536, 1024, 1220, 1360, 1440, 1452, 1460, 8960];

function hash(key: SipKey, tick: u32, localIp: u32, localPort: u32, remoteIp: u32, remotePort: u32, irs: u32): u32 {
  const a = (<u64>localIp << 32) | <u64>remoteIp;
  const b = (<u64>localPort << 48) | (<u64>remotePort << 32) | <u64>(irs ^ (tick * 0x9e3779b9));
  return <u32>siphash128(key, a, b) & 0xffffff;
}

/** The cookie for a SYN with sequence number irs offering `mss` (0: none). */
export function makeCookie(key: SipKey, now: u64, localIp: u32, localPort: u32, remoteIp: u32, remotePort: u32, irs: u32, mss: u32): u32 {
  const tick = <u32>(now >> TICK_SHIFT) & 31;
  let index: u32 = 0;
  for (let i = 1; i < MSS_TABLE.length; i++) if (mss >= unchecked(MSS_TABLE[i])) index = <u32>i;
  return (tick << 27) | (index << 24) | hash(key, tick, localIp, localPort, remoteIp, remotePort, irs);
}

/** The MSS a valid cookie records, or 0 if `cookie` is not one made for this 4-tuple and
 * client ISN in the last two ticks. */
export function checkCookie(key: SipKey, now: u64, localIp: u32, localPort: u32, remoteIp: u32, remotePort: u32, irs: u32, cookie: u32): u32 {
  const tick = cookie >> 27;
  const age = ((<u32>(now >> TICK_SHIFT) & 31) - tick) & 31;
  if (age > 1) return 0;
  if ((cookie & 0xffffff) != hash(key, tick, localIp, localPort, remoteIp, remotePort, irs)) return 0;
  return unchecked(MSS_TABLE[(cookie >> 24) & 7]);
}
