// The few wire formats the frame fuzzer writes and reads in JS: Ethernet, ARP, IPv4,
// ICMP echo and TCP, enough for its well-formed peer (peer.mjs) and for putting right
// the checksums of a mutated frame, so that mutations reach past the checksum checks.
export const PEER_MAC = Uint8Array.of(2, 0, 0, 0, 0, 1);
export const GUEST_MAC = Uint8Array.of(2, 0, 0, 0, 0, 2);
export const PEER_IP = 0x0a000001;
export const GUEST_IP = 0x0a000002;
export const ETH = 14;

export const TCP_FIN = 0x01;
export const TCP_SYN = 0x02;
export const TCP_RST = 0x04;
export const TCP_PSH = 0x08;
export const TCP_ACK = 0x10;

function sum16(bytes, from, to, acc = 0) {
  for (let i = from; i + 1 < to; i += 2) acc += (bytes[i] << 8) | bytes[i + 1];
  if ((to - from) & 1) acc += bytes[to - 1] << 8;
  return acc;
}

function fold(acc) {
  while (acc > 0xffff) acc = (acc & 0xffff) + Math.floor(acc / 0x10000);
  return ~acc & 0xffff;
}

const view = (f) => new DataView(f.buffer, f.byteOffset, f.byteLength);

/**
 * Puts right, in place, the IPv4 header checksum of an IPv4 frame and the checksum of
 * its ICMP, TCP or UDP payload, over what the frame holds of them (a mutated length
 * field stays as it is: only the sums follow the bytes).
 */
export function fixChecksums(f) {
  if (f.length < ETH + 20 || f[12] !== 0x08 || f[13] !== 0x00) return;
  const d = view(f);
  const ihl = (f[ETH] & 0x0f) * 4;
  if (ihl < 20 || ETH + ihl > f.length) return;
  d.setUint16(ETH + 10, 0);
  d.setUint16(ETH + 10, fold(sum16(f, ETH, ETH + ihl)));
  const end = Math.min(f.length, ETH + Math.max(d.getUint16(ETH + 2), ihl));
  const p = ETH + ihl;
  const proto = f[ETH + 9];
  const at = proto === 1 ? 2 : proto === 6 ? 16 : proto === 17 ? 6 : -1;
  if (at < 0 || p + at + 2 > end) return;
  d.setUint16(p + at, 0);
  const pseudo = proto === 1 ? 0 : sum16(f, ETH + 12, ETH + 20) + proto + (end - p);
  let sum = fold(sum16(f, p, end, pseudo));
  if (proto === 17 && sum === 0) sum = 0xffff;
  d.setUint16(p + at, sum);
}

function ethernet(dst, type, length) {
  const f = new Uint8Array(ETH + length);
  f.set(dst, 0);
  f.set(PEER_MAC, 6);
  view(f).setUint16(12, type);
  return f;
}

function ipv4(protocol, payload) {
  const f = ethernet(GUEST_MAC, 0x0800, 20 + payload);
  const d = view(f);
  f[ETH] = 0x45;
  d.setUint16(ETH + 2, 20 + payload);
  d.setUint16(ETH + 6, 0x4000);
  f[ETH + 8] = 64;
  f[ETH + 9] = protocol;
  d.setUint32(ETH + 12, PEER_IP);
  d.setUint32(ETH + 16, GUEST_IP);
  return f;
}

/** The peer's ARP reply to the guest's request for the peer's address. */
export function arpReply() {
  const f = ethernet(GUEST_MAC, 0x0806, 28);
  f.set([0, 1, 8, 0, 6, 4, 0, 2], ETH);
  f.set(PEER_MAC, ETH + 8);
  view(f).setUint32(ETH + 14, PEER_IP);
  f.set(GUEST_MAC, ETH + 18);
  view(f).setUint32(ETH + 24, GUEST_IP);
  return f;
}

export function echoRequest(ident, seq, payload) {
  const f = ipv4(1, 8 + payload.length);
  const d = view(f);
  f[ETH + 20] = 8;
  d.setUint16(ETH + 24, ident);
  d.setUint16(ETH + 26, seq);
  f.set(payload, ETH + 28);
  fixChecksums(f);
  return f;
}

/** A TCP segment from the peer; a SYN carries Linux's options (MSS 1460, SACK permitted, window scale 7). */
export function tcpSegment({ sport, dport, seq, ack, flags, window = 0xffff, data = new Uint8Array(0) }) {
  const options = flags & TCP_SYN ? [2, 4, 0x05, 0xb4, 4, 2, 1, 3, 3, 7] : [];
  const header = 20 + ((options.length + 3) & ~3);
  const f = ipv4(6, header + data.length);
  const d = view(f);
  const t = ETH + 20;
  d.setUint16(t, sport);
  d.setUint16(t + 2, dport);
  d.setUint32(t + 4, seq >>> 0);
  d.setUint32(t + 8, ack >>> 0);
  f[t + 12] = (header / 4) << 4;
  f[t + 13] = flags;
  d.setUint16(t + 14, window);
  f.set(options, t + 20);
  f.set(data, t + header);
  fixChecksums(f);
  return f;
}

/** What the peer needs of a frame the guest sent: null when it is not IPv4 or ARP. */
export function parseFrame(f) {
  if (f.length < ETH + 20) return null;
  const d = view(f);
  const type = d.getUint16(12);
  if (type === 0x0806) return { arp: true, op: d.getUint16(ETH + 6), targetIp: d.getUint32(ETH + 24) };
  if (type !== 0x0800) return null;
  const ihl = (f[ETH] & 0x0f) * 4;
  const end = ETH + d.getUint16(ETH + 2);
  const p = ETH + ihl;
  const ip = { protocol: f[ETH + 9], src: d.getUint32(ETH + 12), dst: d.getUint32(ETH + 16) };
  if (ip.protocol === 1) return { ...ip, icmpType: f[p], ident: d.getUint16(p + 4), seq: d.getUint16(p + 6), data: f.slice(p + 8, end) };
  if (ip.protocol !== 6) return ip;
  const header = (f[p + 12] >> 4) * 4;
  return {
    ...ip,
    sport: d.getUint16(p),
    dport: d.getUint16(p + 2),
    seq: d.getUint32(p + 4),
    ack: d.getUint32(p + 8),
    flags: f[p + 13],
    data: f.slice(p + header, end),
  };
}

/** Rewrites a TCP frame's ports and sequence numbers (for the storm's segments on the peer's live connection). */
export function retarget(f, { sport, dport, seq, ack }) {
  if (f.length < ETH + 20 || f[12] !== 0x08 || f[13] !== 0 || f[ETH + 9] !== 6) return;
  const p = ETH + (f[ETH] & 0x0f) * 4;
  if (p + 12 > f.length) return;
  const d = view(f);
  d.setUint16(p, sport);
  d.setUint16(p + 2, dport);
  d.setUint32(p + 4, seq >>> 0);
  d.setUint32(p + 8, ack >>> 0);
}
