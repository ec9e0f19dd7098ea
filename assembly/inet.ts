// Small helpers for unikernels that speak Ethernet, ARP and IPv4 over a Net device:
// big-endian fields, the Internet checksum, addresses as text. Pointers are into
// linear memory (a frame buffer's dataStart); the caller checks lengths first.

export const ETHERTYPE_IPV4: u32 = 0x0800;
export const ETHERTYPE_ARP: u32 = 0x0806;

// @ts-ignore: decorator
@inline
export function getBe16(p: usize): u32 {
  return (<u32>load<u8>(p) << 8) | load<u8>(p, 1);
}

// @ts-ignore: decorator
@inline
export function setBe16(p: usize, v: u32): void {
  store<u8>(p, <u8>(v >> 8));
  store<u8>(p, <u8>v, 1);
}

export function getBe32(p: usize): u32 {
  return (getBe16(p) << 16) | getBe16(p + 2);
}

export function setBe32(p: usize, v: u32): void {
  setBe16(p, v >> 16);
  setBe16(p + 2, v & 0xffff);
}

/** RFC 1071 over `n` bytes at `p`: store it with setBe16 into a zeroed checksum field. */
export function inetChecksum(p: usize, n: u32): u32 {
  let sum: u32 = 0;
  for (; n > 1; p += 2, n -= 2) sum += getBe16(p);
  if (n > 0) sum += <u32>load<u8>(p) << 8;
  while (sum >> 16) sum = (sum & 0xffff) + (sum >> 16);
  return ~sum & 0xffff;
}

/** "10.0.0.2" as a number (10 << 24 | 2); -1 if it is not a dotted quad. */
export function parseIPv4(text: string): i64 {
  const parts = text.split(".");
  if (parts.length != 4) return -1;
  let ip: u32 = 0;
  for (let i = 0; i < 4; i++) {
    const part = parts[i];
    if (part.length < 1 || part.length > 3) return -1;
    for (let j = 0; j < part.length; j++) if (part.charCodeAt(j) < 0x30 || part.charCodeAt(j) > 0x39) return -1;
    const byte = I32.parseInt(part, 10);
    if (byte > 255) return -1;
    ip = (ip << 8) | <u32>byte;
  }
  return ip;
}

export function formatIPv4(ip: u32): string {
  return (ip >> 24).toString() + "." + ((ip >> 16) & 0xff).toString() + "." + ((ip >> 8) & 0xff).toString() + "." + (ip & 0xff).toString();
}

/** Bytes as lowercase hex, `separator` between them ("" gives Solo5's MAC format). */
export function toHex(bytes: Uint8Array, separator: string = ""): string {
  let s = "";
  for (let i = 0; i < bytes.length; i++) {
    if (i > 0) s += separator;
    s += (<u32>bytes[i] >> 4).toString(16) + (<u32>bytes[i] & 0xf).toString(16);
  }
  return s;
}
