// TCP over the interface: the connection table, the listeners with their half-open
// records and backlogs, TIME-WAIT records, the socket pool, and the RSTs for segments
// nobody wants. input() demultiplexes a segment by its 4-tuple; dispatch() runs every
// socket that has something due; pollAt() says when that is next.
import { Drop } from "../drop";
import { Interface, Transport } from "../iface/interface";
import { IPV4_HEADER_LEN, ipv4Src, PROTOCOL_TCP } from "../wire/ipv4";
import {
  checkTcp, emitTcp, finishTcp, parseTcpOptions, TCP_ACK, TCP_FIN, TCP_HEADER_LEN, TCP_RST, TCP_SYN, tcpAck,
  tcpDstPort, tcpFlags, tcpHeaderLen, tcpSeq, tcpSrcPort, tcpWindow, writeMssOption, writeSackPermittedOption,
  writeWindowScaleOption,
} from "../wire/tcp";
import { NSEC_PER_SEC } from "../../time";
import { TcpConfig, TcpSocketOptions } from "./config";
import { HalfOpenTable } from "./half-open";
import { initialSequence } from "./isn";
import { TcpListener } from "./listener";
import { Segment } from "./segment";
import { seqGe, seqGt, seqLt } from "./seq";
import { SipKey } from "./siphash";
import { TcpStats } from "./stats";
import { checkCookie, makeCookie } from "./syn-cookie";
import { SocketOwner, TcpSocket, TcpState } from "./socket";
import { ConnectionTable, connectionKey, NOT_FOUND } from "./table";
import { TimeWaitTable } from "./time-wait";

// What a connection table entry is: a socket, a half-open record or a TIME-WAIT record.
const KIND_SHIFT: u32 = 28;
const INDEX_MASK: i32 = (1 << KIND_SHIFT) - 1;
const SOCKET: i32 = 0;
const HALF_OPEN: i32 = 1;
const TIME_WAIT: i32 = 2;
/** The SYN-ACK's first timeout (RFC 6298's initial RTO). */
const SYN_ACK_RTO: u64 = NSEC_PER_SEC;
const EPHEMERAL_FIRST: u32 = 49152;
const EPHEMERAL_COUNT: u32 = 16384;

/** TCP over an interface: listeners, connections, the bounded half-open table and SYN cookies, TIME-WAIT records, initial sequence numbers from a keyed hash (RFC 6528). */
export class TcpLayer implements Transport, SocketOwner {
  /** The limits and timers every connection of this layer uses. */
  readonly config: TcpConfig;
  /** What the layer has counted over all its connections. */
  readonly stats: TcpStats = new TcpStats();
  private readonly table: ConnectionTable;
  private readonly isnKey: SipKey;
  /** Every socket ever made (up to maxConnections), by index; free ones are listed in `free`. */
  private readonly sockets: TcpSocket[] = [];
  private readonly free: i32[] = [];
  /** Sockets in use, in no particular order. */
  private readonly active: TcpSocket[] = [];
  private readonly activeAt: i32[] = [];
  private readonly listeners: TcpListener[] = [];
  private readonly halfOpen: HalfOpenTable;
  private readonly timeWait: TimeWaitTable;
  private readonly segment: Segment = new Segment();
  private challengeTokens: u32 = 0;
  private challengeRefilledAt: u64 = 0;
  private nextEphemeral: u32;

  /** `keys`: four random words (from entropy): the ISN key, then the table's. */
  constructor(
    /** The interface it sends and receives through. */
    readonly iface: Interface, config: TcpConfig, keys: StaticArray<u64>) {
    this.config = config;
    this.isnKey = new SipKey(keys[0], keys[1]);
    this.table = new ConnectionTable(config.maxConnections + config.maxHalfOpen + config.maxTimeWait, new SipKey(keys[2], keys[3]));
    this.halfOpen = new HalfOpenTable(config.maxHalfOpen);
    this.timeWait = new TimeWaitTable(config.maxTimeWait);
    this.challengeTokens = config.challengeAcksPerSec;
    this.nextEphemeral = <u32>(keys[0] >> 48) % EPHEMERAL_COUNT;
    iface.tcp = this;
  }

  // ---- For applications ----------------------------------------------------------

  /** Listens on `port` with a backlog of established connections not yet accepted; null
   * when the port is taken. Accepted sockets get `options`. */
  listen(port: u32, backlog: i32 = 128, options: TcpSocketOptions = new TcpSocketOptions()): TcpListener | null {
    if (port == 0 || port > 0xffff || backlog < 1 || this.findListener(port) !== null) return null;
    const listener = new TcpListener(port, backlog, options, this.listeners.length);
    this.listeners.push(listener);
    return listener;
  }

  /** Stops listening: half-open connections are forgotten, queued ones reset. */
  unlisten(listener: TcpListener): void {
    listener.closed = true;
    let s: TcpSocket | null;
    while ((s = listener.accept()) !== null) s.abort(this.clock);
  }

  /** Opens a connection to ip:port from `localPort` (0: an ephemeral one); the SYN goes
   * at the next poll. null when the port is in use, or no port or socket is free. */
  connect(now: u64, ip: u32, port: u32, options: TcpSocketOptions = new TcpSocketOptions(), localPort: u32 = 0): TcpSocket | null {
    const local = localPort != 0 ? localPort : this.ephemeralPort(ip, port);
    if (local == 0 || local > 0xffff || this.table.get(connectionKey(ip, port, local)) != NOT_FOUND) return null;
    const s = this.allocate(options);
    if (s === null) return null;
    s.openActive(now, local, ip, port, initialSequence(this.isnKey, now, this.iface.address, local, ip, port));
    this.table.set(connectionKey(ip, port, local), s.index);
    this.stats.connected++;
    return s;
  }

  /** Connections with a socket (established or closing), half-open and in TIME-WAIT. */
  get connections(): i32 {
    return this.active.length;
  }

  /** Handshakes under way (SYN received, not yet acknowledged). */
  get halfOpenCount(): i32 {
    return this.halfOpen.count;
  }

  /** 4-tuples held in TIME-WAIT. */
  get timeWaitCount(): i32 {
    return this.timeWait.count;
  }

  // ---- SocketOwner ---------------------------------------------------------------

  /** The time of the segment or dispatch being handled (for calls without one). */
  private clock: u64 = 0;

  /** @internal Whether a challenge ACK may go now (RFC 5961's rate limit). */
  challengeAllowed(now: u64): bool {
    if (now - this.challengeRefilledAt >= NSEC_PER_SEC) {
      this.challengeTokens = this.config.challengeAcksPerSec;
      this.challengeRefilledAt = now;
    }
    if (this.challengeTokens == 0) return false;
    this.challengeTokens--;
    return true;
  }

  /** @internal A socket's connection enters TIME-WAIT: kept as a small record, the socket released. */
  enterTimeWait(now: u64, s: TcpSocket): void {
    const key = connectionKey(s.remoteIp, s.remotePort, s.localPort);
    this.expireTimeWait(now);
    if (this.timeWait.isFull) this.dropOldestTimeWait();
    const i = this.timeWait.push(key, s.receiveNext, s.sendNext, now + 2 * this.config.msl);
    this.table.set(key, (TIME_WAIT << KIND_SHIFT) | i);
  }

  /** @internal A socket's connection has ended. */
  closed(s: TcpSocket): void {
    const key = connectionKey(s.remoteIp, s.remotePort, s.localPort);
    if (this.table.get(key) == ((SOCKET << KIND_SHIFT) | s.index)) this.table.delete(key);
  }

  // ---- The pool ------------------------------------------------------------------

  private allocate(options: TcpSocketOptions): TcpSocket | null {
    let s: TcpSocket;
    if (this.free.length > 0) {
      s = unchecked(this.sockets[this.free.pop()]);
    } else if (this.sockets.length < this.config.maxConnections) {
      s = new TcpSocket(this, this.sockets.length, options);
      this.sockets.push(s);
      this.activeAt.push(-1);
    } else {
      return null;
    }
    s.reset(options);
    unchecked((this.activeAt[s.index] = this.active.length));
    this.active.push(s);
    return s;
  }

  /** Returns a closed, released socket to the pool. */
  private recycle(s: TcpSocket): void {
    const at = unchecked(this.activeAt[s.index]);
    const last = this.active.pop();
    if (last !== s) {
      unchecked((this.active[at] = last));
      unchecked((this.activeAt[last.index] = at));
    }
    unchecked((this.activeAt[s.index] = -1));
    this.free.push(s.index);
  }

  // ---- Input ---------------------------------------------------------------------

  /** @internal A segment from the interface, its IPv4 header at ip. */
  input(now: u64, ip: usize, p: usize, length: u32): void {
    const drops = this.iface.drops;
    const bad = checkTcp(ip, p, length);
    if (bad) return drops.count(bad);
    const seg = this.segment;
    const headerLen = tcpHeaderLen(p);
    if (parseTcpOptions(p, seg.options)) return drops.count(Drop.BadOption);
    seg.srcIp = ipv4Src(ip);
    seg.srcPort = tcpSrcPort(p);
    seg.dstPort = tcpDstPort(p);
    seg.seq = tcpSeq(p);
    seg.ack = tcpAck(p);
    seg.flags = tcpFlags(p);
    seg.window = tcpWindow(p);
    seg.data = p + headerLen;
    seg.length = length - headerLen;
    this.clock = now;
    this.stats.segmentsReceived++;
    const key = connectionKey(seg.srcIp, seg.srcPort, seg.dstPort);
    const v = this.table.get(key);
    if (v != NOT_FOUND) {
      const kind = v >> KIND_SHIFT;
      const i = v & INDEX_MASK;
      if (kind == SOCKET) return unchecked(this.sockets[i]).input(now, seg);
      if (kind == HALF_OPEN) return this.halfOpenInput(now, i, key, seg);
      if (this.timeWaitInput(now, i, key, seg)) return;
    }
    const listener = this.findListener(seg.dstPort);
    if (listener === null || listener.closed) {
      drops.count(Drop.NoSocket);
      return this.refuse(now, seg);
    }
    const flags = seg.flags;
    if (flags & TCP_RST) return;
    if (flags & TCP_SYN) {
      if (flags & TCP_ACK) return this.sendControl(now, seg, seg.ack, 0, TCP_RST);
      return this.newHalfOpen(now, listener, key, seg);
    }
    if (flags & TCP_ACK) {
      if (this.cookieInput(now, listener, key, seg)) return;
      return this.sendControl(now, seg, seg.ack, 0, TCP_RST); // RFC 9293 3.10.7.2
    }
    drops.count(Drop.BadFlags);
  }

  /** RST for a segment to a closed port (RFC 9293 3.10.7.1). */
  private refuse(now: u64, seg: Segment): void {
    if (seg.flags & TCP_RST) return;
    if (seg.flags & TCP_ACK) this.sendControl(now, seg, seg.ack, 0, TCP_RST);
    else this.sendControl(now, seg, 0, seg.seq + seg.seqLength, TCP_RST | TCP_ACK);
  }

  private findListener(port: u32): TcpListener | null {
    for (let i = 0; i < this.listeners.length; i++) {
      const l = unchecked(this.listeners[i]);
      if (l.port == port && !l.closed) return l;
    }
    return null;
  }

  private newHalfOpen(now: u64, listener: TcpListener, key: u64, seg: Segment): void {
    if (listener.isFull) return this.iface.drops.count(Drop.BacklogFull); // as Linux: the client's SYN retries
    const h = this.halfOpen;
    const opts = seg.options;
    const local = this.iface.address;
    if (h.isFull) {
      // No state: the SYN-ACK's sequence number is the record (no window scale, no SACK).
      this.stats.cookiesSent++;
      const cookie = makeCookie(this.isnKey, now, local, seg.dstPort, seg.srcIp, seg.srcPort, seg.seq, opts.mss);
      return this.sendSynAck(now, seg.srcIp, seg.srcPort, seg.dstPort, cookie, seg.seq, listener.options.rxBuffer, false, false);
    }
    let iss = initialSequence(this.isnKey, now, local, seg.dstPort, seg.srcIp, seg.srcPort);
    // A new incarnation after TIME-WAIT starts above the old one (RFC 6191's condition).
    if (this.reuseFloorSet) {
      if (seqLt(iss, this.reuseFloor)) iss = this.reuseFloor;
      this.reuseFloorSet = false;
    }
    const sack = opts.sackPermitted && this.config.sack;
    const i = h.add(now, key, listener.index, iss, seg.seq, opts.mss, opts.windowScale, sack, SYN_ACK_RTO);
    this.table.set(key, (HALF_OPEN << KIND_SHIFT) | i);
    this.sendSynAck(now, seg.srcIp, seg.srcPort, seg.dstPort, iss, seg.seq, listener.options.rxBuffer, opts.windowScale >= 0, sack);
  }

  /** An ACK for no known connection: the end of a handshake answered by a cookie? */
  private cookieInput(now: u64, listener: TcpListener, key: u64, seg: Segment): bool {
    const irs = seg.seq - 1;
    const mss = checkCookie(this.isnKey, now, this.iface.address, seg.dstPort, seg.srcIp, seg.srcPort, irs, seg.ack - 1);
    if (mss == 0) return false;
    if (listener.isFull) {
      this.iface.drops.count(Drop.BacklogFull);
      return true; // the client resends; its data is not lost
    }
    this.stats.cookiesAccepted++;
    return this.establish(now, listener, key, seg, seg.ack - 1, irs, mss, -1, false);
  }

  /** The handshake completed: a socket, queued for accept(), takes the segment. */
  private establish(now: u64, listener: TcpListener, key: u64, seg: Segment, iss: u32, irs: u32, mss: u32, peerShift: i32, sackOk: bool): bool {
    const s = this.allocate(listener.options);
    if (s === null) {
      this.iface.drops.count(Drop.BacklogFull);
      return true;
    }
    s.openPassive(now, seg.dstPort, seg.srcIp, seg.srcPort, iss, irs, mss, peerShift, sackOk, seg.window);
    s.listener = listener.index;
    this.table.set(key, s.index);
    listener.enqueue(s);
    this.stats.accepted++;
    // The handshake's ACK may carry data (or be the first data segment): the socket takes it.
    s.input(now, seg);
    return true;
  }

  private halfOpenInput(now: u64, i: i32, key: u64, seg: Segment): void {
    const h = this.halfOpen;
    const flags = seg.flags;
    const irs = unchecked(h.irs[i]);
    const iss = unchecked(h.iss[i]);
    if (flags & TCP_RST) {
      // RFC 5961 3.2: only exactly at rcvNxt (in a half-open connection, irs + 1).
      if (seg.seq == irs + 1) this.dropHalfOpen(i, key);
      return;
    }
    if (flags & TCP_SYN) {
      if (!(flags & TCP_ACK) && seg.seq == irs) this.resendSynAck(now, i); // our SYN-ACK was lost
      else this.iface.drops.count(Drop.BadFlags);
      return;
    }
    if (!(flags & TCP_ACK)) return this.iface.drops.count(Drop.BadFlags);
    if (seg.ack != iss + 1) return this.sendControl(now, seg, seg.ack, 0, TCP_RST);
    const listener = unchecked(this.listeners[unchecked(h.listeners[i])]);
    if (!seqGe(seg.seq, irs + 1) || !seqLt(seg.seq, irs + 1 + listener.options.rxBuffer)) {
      return this.iface.drops.count(Drop.OutOfWindow);
    }
    if (listener.closed) {
      this.dropHalfOpen(i, key);
      return this.sendControl(now, seg, seg.ack, 0, TCP_RST);
    }
    // A full backlog or pool: drop the ACK; the record stays and the SYN-ACK is resent.
    if (listener.isFull) return this.iface.drops.count(Drop.BacklogFull);
    const mss = unchecked(h.peerMss[i]);
    const shift = unchecked(h.peerShift[i]);
    const sack = unchecked(h.sackOk[i]);
    h.release(i);
    this.establish(now, listener, key, seg, iss, irs, mss, shift, sack);
  }

  private dropHalfOpen(i: i32, key: u64): void {
    this.halfOpen.release(i);
    this.table.delete(key);
  }

  /** A segment for a connection in TIME-WAIT: true when it is dealt with, false for a
   * SYN that may open a new incarnation (RFC 6191, without timestamps: its sequence
   * number is past the old connection's). */
  private timeWaitInput(now: u64, i: i32, key: u64, seg: Segment): bool {
    const t = this.timeWait;
    const rcvNxt = unchecked(t.rcvNxt[i]);
    const sndNxt = unchecked(t.sndNxt[i]);
    const flags = seg.flags;
    if (flags & TCP_RST) {
      if (seg.seq == rcvNxt) this.dropTimeWait(i, key);
      return true;
    }
    if ((flags & TCP_SYN) && !(flags & TCP_ACK)) {
      if (seqGt(seg.seq, rcvNxt)) {
        this.dropTimeWait(i, key);
        this.reuseFloor = sndNxt + 65536;
        this.reuseFloorSet = true;
        return false;
      }
      this.sendTimeWaitAck(now, seg, sndNxt, rcvNxt);
      return true;
    }
    if (flags & TCP_FIN) {
      // The peer did not get our ACK of its FIN: again, and 2 * MSL from now.
      unchecked((t.expiresAt[i] = now + 2 * this.config.msl));
      this.sendTimeWaitAck(now, seg, sndNxt, rcvNxt);
      return true;
    }
    if (seg.length > 0 || seg.seq != rcvNxt) this.sendTimeWaitAck(now, seg, sndNxt, rcvNxt);
    return true;
  }

  /** The ISN floor for the next half-open record (set by a SYN that ended a TIME-WAIT). */
  private reuseFloor: u32 = 0;
  private reuseFloorSet: bool = false;

  private sendTimeWaitAck(now: u64, seg: Segment, sndNxt: u32, rcvNxt: u32): void {
    this.sendControl(now, seg, sndNxt, rcvNxt, TCP_ACK);
  }

  private dropTimeWait(i: i32, key: u64): void {
    unchecked((this.timeWait.live[i] = false));
    this.table.delete(key);
  }

  private expireTimeWait(now: u64): void {
    const t = this.timeWait;
    for (let i = t.front; i >= 0; i = t.front) {
      if (unchecked(t.live[i])) {
        if (unchecked(t.expiresAt[i]) > now) break;
        this.table.delete(unchecked(t.keys[i]));
      }
      t.pop();
    }
  }

  private dropOldestTimeWait(): void {
    const t = this.timeWait;
    const i = t.front;
    if (unchecked(t.live[i])) this.table.delete(unchecked(t.keys[i]));
    t.pop();
  }

  // ---- Output --------------------------------------------------------------------

  /** A bare segment answering `seg` (an RST, or a TIME-WAIT ACK), with no socket behind it. */
  private sendControl(now: u64, seg: Segment, seq: u32, ack: u32, flags: u32): void {
    const q = this.iface.beginIpv4(now, seg.srcIp, PROTOCOL_TCP);
    if (q == 0) return;
    emitTcp(q, seg.dstPort, seg.srcPort, seq, ack, flags, (flags & TCP_RST) != 0 ? 0 : 0xffff, 0);
    finishTcp(this.iface.txIp, q, TCP_HEADER_LEN);
    this.iface.endIpv4(TCP_HEADER_LEN);
  }

  /** The SYN-ACK of half-open record i, again. */
  private resendSynAck(now: u64, i: i32): void {
    const h = this.halfOpen;
    const key = unchecked(h.keys[i]);
    const listener = unchecked(this.listeners[unchecked(h.listeners[i])]);
    this.sendSynAck(now, <u32>(key >> 32), <u32>(key >> 16) & 0xffff, <u32>key & 0xffff, unchecked(h.iss[i]), unchecked(h.irs[i]),
      listener.options.rxBuffer, unchecked(h.peerShift[i]) >= 0, unchecked(h.sackOk[i]));
  }

  /** Window scale and SACK-permitted go only when the SYN offered them (RFC 7323 2.2, RFC 2018 2). */
  private sendSynAck(now: u64, remoteIp: u32, remotePort: u32, localPort: u32, iss: u32, irs: u32, rxBuffer: u32, scale: bool, sack: bool): void {
    const q = this.iface.beginIpv4(now, remoteIp, PROTOCOL_TCP);
    if (q == 0) return;
    const optionsLen: u32 = 4 + (scale ? 4 : 0) + (sack ? 4 : 0);
    emitTcp(q, localPort, remotePort, iss, irs + 1, TCP_SYN | TCP_ACK, min(rxBuffer, 0xffff), optionsLen);
    let o = writeMssOption(q + TCP_HEADER_LEN, this.iface.mtu - IPV4_HEADER_LEN - TCP_HEADER_LEN);
    if (scale) o = writeWindowScaleOption(o, TcpSocket.shiftFor(rxBuffer));
    if (sack) writeSackPermittedOption(o);
    finishTcp(this.iface.txIp, q, TCP_HEADER_LEN + optionsLen);
    this.iface.endIpv4(TCP_HEADER_LEN + optionsLen);
    this.stats.segmentsSent++;
  }

  /** Runs what is due: TIME-WAIT expiry, SYN-ACK resends, and every socket's dispatch. */
  dispatch(now: u64): void {
    this.clock = now;
    this.expireTimeWait(now);
    if (this.halfOpen.nextResend <= now) this.resendSynAcks(now);
    for (let k = 0; k < this.active.length; k++) {
      const s = unchecked(this.active[k]);
      if (s.state == TcpState.Closed || s.state == TcpState.TimeWait) {
        if (s.released) {
          this.recycle(s);
          k--; // the last socket moved here
        }
        continue;
      }
      if (s.pollAt(now) <= now) s.dispatch(now);
    }
  }

  private resendSynAcks(now: u64): void {
    const h = this.halfOpen;
    let next = u64.MAX_VALUE;
    for (let i = 0; i < h.size; i++) {
      if (!unchecked(h.used[i])) continue;
      if (unchecked(h.resendAt[i]) > now) {
        next = min(next, unchecked(h.resendAt[i]));
        continue;
      }
      const resends = unchecked(h.resends[i]);
      if (resends >= this.config.maxSynRetransmits) {
        this.dropHalfOpen(i, unchecked(h.keys[i]));
        continue;
      }
      unchecked((h.resends[i] = resends + 1));
      const at = now + (SYN_ACK_RTO << (resends + 1));
      unchecked((h.resendAt[i] = at));
      next = min(next, at);
      this.resendSynAck(now, i);
    }
    h.nextResend = next;
  }

  /** When dispatch() must run next. */
  pollAt(now: u64): u64 {
    let at = this.halfOpen.nextResend;
    const t = this.timeWait;
    const front = t.front;
    if (front >= 0) at = min(at, unchecked(t.expiresAt[front]));
    for (let k = 0; k < this.active.length; k++) {
      const s = unchecked(this.active[k]);
      if ((s.state == TcpState.Closed || s.state == TcpState.TimeWait) && s.released) return now;
      at = min(at, s.pollAt(now));
    }
    return at;
  }

  private ephemeralPort(ip: u32, port: u32): u32 {
    for (let tries: u32 = 0; tries < EPHEMERAL_COUNT; tries++) {
      const local = EPHEMERAL_FIRST + this.nextEphemeral;
      this.nextEphemeral = (this.nextEphemeral + 1) % EPHEMERAL_COUNT;
      if (this.findListener(local) === null && this.table.get(connectionKey(ip, port, local)) == NOT_FOUND) return local;
    }
    return 0;
  }
}
