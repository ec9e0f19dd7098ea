// One TCP connection (RFC 9293): its state, the send buffer (unacknowledged and unsent
// bytes) and the receive buffer (in-order bytes, then out-of-order ones placed ahead),
// the timers, RTT estimation, congestion control and loss recovery (NewReno, or SACK's
// RFC 6675 when both ends permit it). input() takes a segment the layer demultiplexed
// here; dispatch() sends what is due; pollAt() says when dispatch() must run next.
// Applications use the methods in the "application" section.
import { Drop } from "../drop";
import { Interface } from "../iface/interface";
import { Assembler } from "../storage/assembler";
import { ByteRing } from "../storage/byte-ring";
import { IPV4_HEADER_LEN, PROTOCOL_TCP } from "../wire/ipv4";
import {
  emitTcp, finishTcp, SACK_BLOCKS_MAX, TCP_ACK, TCP_FIN, TCP_HEADER_LEN, TCP_PSH, TCP_RST, TCP_SYN,
  WINDOW_SCALE_MAX, writeMssOption, writeSackOption, writeSackPermittedOption, writeWindowScaleOption,
} from "../wire/tcp";
import { TcpConfig, TcpSocketOptions } from "./config";
import { Congestion } from "./congestion";
import { RttEstimator } from "./rtt";
import { DUP_THRESH, Scoreboard } from "./scoreboard";
import { Segment } from "./segment";
import { TcpStats } from "./stats";
import { seqGe, seqGt, seqLe, seqLt, seqMin } from "./seq";

/** The states of a TCP connection (RFC 9293 3.3.2). */
export enum TcpState {
  Closed,
  SynSent,
  SynReceived,
  Established,
  FinWait1,
  FinWait2,
  CloseWait,
  Closing,
  LastAck,
  TimeWait,
}

/** Why a connection ended other than by an orderly close. */
export enum TcpError {
  None,
  /** The peer sent RST (or refused the connection). */
  Reset,
  /** Retransmissions, SYNs or keep-alive probes went unanswered. */
  TimedOut,
  /** The application aborted it. */
  Aborted,
}

/** The shortest probe timeout (Linux's TCP_TIMEOUT_MIN is 2 ms; on a LAN 10 ms keeps
 * spurious probes rare). */
const PROBE_MIN: u64 = 10_000_000;
/** The MSS assumed when the peer sends none (RFC 9293 3.7.1). */
const DEFAULT_MSS: u32 = 536;
/** The SACK blocks of the segment being built (one segment at a time). */
const SACK_LEFT = new StaticArray<u32>(SACK_BLOCKS_MAX);
const SACK_RIGHT = new StaticArray<u32>(SACK_BLOCKS_MAX);

/** What a socket needs from its layer (which owns the connection table and TIME-WAIT). */
export interface SocketOwner {
  readonly iface: Interface;
  readonly config: TcpConfig;
  readonly stats: TcpStats;
  /** Whether one more challenge ACK (RFC 5961) may go out now. */
  challengeAllowed(now: u64): bool;
  /** The socket reached TIME-WAIT: the layer keeps a small record instead. */
  enterTimeWait(now: u64, socket: TcpSocket): void;
  /** The socket is closed for good (its table entry can go). */
  closed(socket: TcpSocket): void;
}

/** One TCP connection: bounded send and receive buffers, read and write with back-pressure, close (FIN) and abort (RST), run by its layer at each poll. */
export class TcpSocket {
  /** Where the connection is in RFC 9293's state machine. */
  state: TcpState = TcpState.Closed;
  /** Why the connection ended abnormally (a reset, a timeout, a refusal), or None. */
  error: TcpError = TcpError.None;
  /** This end's port. */
  localPort: u32 = 0;
  /** The peer's IPv4 address. */
  remoteIp: u32 = 0;
  /** The peer's port. */
  remotePort: u32 = 0;

  private rx: ByteRing;
  private tx: ByteRing;
  private readonly assembler: Assembler;
  private readonly scoreboard: Scoreboard = new Scoreboard();
  private readonly rtt: RttEstimator;
  private readonly cc: Congestion = new Congestion();

  // Send sequence space (RFC 9293 3.3.1), plus the highest sequence number sent.
  private iss: u32 = 0;
  private sndUna: u32 = 0;
  private sndNxt: u32 = 0;
  private sndMax: u32 = 0;
  /** The peer's window in bytes (scaled), and the largest seen (for RFC 5961's ACK test). */
  private sndWnd: u32 = 0;
  private maxSndWnd: u32 = 0;
  private sndWl1: u32 = 0;
  private sndWl2: u32 = 0;
  /** The peer's and our window shifts, 0 unless both sent the option. */
  private sndShift: u32 = 0;
  private rcvShift: u32 = 0;
  /** Our shift as offered on the SYN (it applies only if the peer's SYN has the option too). */
  private offeredShift: u32 = 0;
  private sackOk: bool = false;
  /** The most payload a segment to the peer carries (its MSS, our MTU, room for options). */
  mss: u32 = DEFAULT_MSS;
  /** Whether our SYN has been acknowledged (data then starts at sndUna). */
  private synAcked: bool = false;
  /** The application closed: a FIN follows the data. */
  private finQueued: bool = false;
  /** Our FIN has been acknowledged (it is never sent again). */
  private finAcked: bool = false;

  // Receive sequence space.
  private irs: u32 = 0;
  private rcvNxt: u32 = 0;
  /** The right edge of the window last advertised: never moved left (RFC 9293 3.8.6.2.2). */
  private rcvAdv: u32 = 0;
  /** A FIN seen ahead of missing data: its sequence number. */
  private finAhead: bool = false;
  private finSeq: u32 = 0;
  /** The peer's FIN has been taken in order: no more data comes. */
  finReceived: bool = false;

  // Timers: absolute ns, 0 when off.
  private rtoAt: u64 = 0;
  private persistAt: u64 = 0;
  private delayedAckAt: u64 = 0;
  private keepAliveAt: u64 = 0;
  private lastSendAt: u64 = 0;
  private lastRecvAt: u64 = 0;
  /** Retransmission timeouts in a row. */
  private retries: u32 = 0;
  /** Window or keep-alive probes in a row that nothing came back after, and when the last went. */
  private probes: u32 = 0;
  private probedAt: u64 = 0;
  /** Karn: the segment being timed (its end) and when it went; off after a retransmission. */
  private timing: bool = false;
  private timedSeq: u32 = 0;
  private timedAt: u64 = 0;

  // Loss recovery.
  private dupAcks: u32 = 0;
  private inRecovery: bool = false;
  /** RecoveryPoint (RFC 6675) / recover (RFC 6582). */
  private recoverSeq: u32 = 0;
  /** HighRxt: the highest sequence number resent in this recovery, plus one. */
  private highRxt: u32 = 0;
  /** Resend the segment at sndUna now (entering recovery, a partial ACK, a lost resend). */
  private resendFirst: bool = false;
  /** sndMax when the segment at sndUna was last resent: SACKs for data above it mean that
   * data sent after the resend arrived and the resend did not (Linux's lost-retransmit
   * detection). */
  private resendMark: u32 = 0;
  /** The tail loss probe (RFC 8985 7): when it fires (0: off), and whether one is out for
   * this flight (only one until an ACK moves sndUna). */
  private probeAt: u64 = 0;
  private probeOut: bool = false;
  /** Minshall's Nagle: the end of the last segment sent shorter than the MSS. */
  private smallEnd: u32 = 0;

  // ACKs.
  private ackNow: bool = false;
  private unackedBytes: u32 = 0;

  /** Nagle off: send small segments at once rather than waiting for outstanding data to be acknowledged. */
  noDelay: bool = false;
  /** Keep-alive: ns of silence before the first probe; 0 sends none. */
  keepAliveIdle: u64 = 0;
  /** The application is done with it (close() or abort()): the layer frees it once closed. */
  released: bool = false;
  /** Where it sits in the layer's pool. */
  readonly index: i32;
  /** The listener it was accepted on (-1: opened by connect()). */
  listener: i32 = -1;

  constructor(
    /** @internal The layer that runs it. */
    readonly owner: SocketOwner, index: i32, options: TcpSocketOptions) {
    this.index = index;
    this.rx = new ByteRing(options.rxBuffer);
    this.tx = new ByteRing(options.txBuffer);
    this.assembler = new Assembler(options.reassemblyRanges);
    this.rtt = new RttEstimator(owner.config.minRto, owner.config.maxRto);
  }

  /** Makes a pooled socket new again, with `options` (buffers reused when their sizes match). */
  reset(options: TcpSocketOptions): void {
    if (this.rx.capacity != options.rxBuffer) this.rx = new ByteRing(options.rxBuffer);
    else this.rx.consume(this.rx.length);
    if (this.tx.capacity != options.txBuffer) this.tx = new ByteRing(options.txBuffer);
    else this.tx.consume(this.tx.length);
    this.assembler.clear();
    this.scoreboard.clear();
    this.rtt.srtt = 0;
    this.rtt.rttvar = 0;
    this.rtt.backoff = 0;
    this.state = TcpState.Closed;
    this.error = TcpError.None;
    this.sndWnd = this.maxSndWnd = 0;
    this.sndShift = this.rcvShift = this.offeredShift = 0;
    this.sackOk = this.synAcked = this.finQueued = this.finAcked = false;
    this.finAhead = this.finReceived = false;
    this.rtoAt = this.persistAt = this.delayedAckAt = this.keepAliveAt = this.probeAt = 0;
    this.probeOut = false;
    this.retries = this.probes = 0;
    this.timing = false;
    this.dupAcks = 0;
    this.inRecovery = this.resendFirst = false;
    this.ackNow = false;
    this.unackedBytes = 0;
    this.noDelay = options.noDelay;
    this.keepAliveIdle = options.keepAliveIdle;
    this.released = false;
    this.listener = -1;
  }

  // ---- Opening -------------------------------------------------------------------

  /** The MSS we announce: what our MTU carries. */
  private ownMss(): u32 {
    return this.owner.iface.mtu - IPV4_HEADER_LEN - TCP_HEADER_LEN;
  }

  /** Active open: SYN-SENT with `iss`; dispatch() sends the SYN. */
  openActive(now: u64, localPort: u32, remoteIp: u32, remotePort: u32, iss: u32): void {
    this.localPort = localPort;
    this.remoteIp = remoteIp;
    this.remotePort = remotePort;
    this.iss = iss;
    this.sndUna = this.sndNxt = this.sndMax = iss;
    this.recoverSeq = iss;
    this.offeredShift = TcpSocket.shiftFor(this.rx.capacity);
    this.mss = DEFAULT_MSS;
    this.state = TcpState.SynSent;
    this.lastRecvAt = now;
  }

  /**
   * Passive open, completed: the listener's half-open record saw the handshake's ACK.
   * `peerShift` is -1 when the peer's SYN had no window scale option.
   */
  openPassive(now: u64, localPort: u32, remoteIp: u32, remotePort: u32, iss: u32, irs: u32, peerMss: u32, peerShift: i32, sackOk: bool, window: u32): void {
    this.localPort = localPort;
    this.remoteIp = remoteIp;
    this.remotePort = remotePort;
    this.iss = iss;
    this.sndUna = this.sndNxt = this.sndMax = iss + 1;
    this.recoverSeq = iss;
    this.synAcked = true;
    this.irs = irs;
    this.rcvNxt = irs + 1;
    if (peerShift >= 0) {
      this.sndShift = <u32>peerShift;
      this.rcvShift = TcpSocket.shiftFor(this.rx.capacity);
    }
    this.rcvAdv = this.rcvNxt + min(this.rx.capacity, 0xffff); // what the SYN-ACK offered
    this.sackOk = sackOk;
    this.setMss(peerMss);
    this.sndWnd = this.maxSndWnd = window << this.sndShift;
    this.sndWl1 = irs + 1;
    this.sndWl2 = iss + 1;
    this.state = TcpState.Established;
    this.lastRecvAt = now;
    this.armKeepAlive(now);
  }

  /** The send MSS from the peer's option (0: none given). */
  private setMss(peerMss: u32): void {
    const peer = peerMss == 0 ? DEFAULT_MSS : max(peerMss, 64);
    this.mss = min(peer, this.ownMss());
    this.cc.reset(this.mss);
  }

  /** The shift that lets the window cover a receive buffer (RFC 7323 2.3): the listener's
   * SYN-ACK and the socket it opens agree on it. */
  static shiftFor(rxBuffer: u32): u32 {
    let shift: u32 = 0;
    while (shift < WINDOW_SCALE_MAX && (rxBuffer >> shift) > 0xffff) shift++;
    return shift;
  }

  // ---- Application ---------------------------------------------------------------

  /** Established, or closing with data still to read. */
  get isOpen(): bool {
    return this.state != TcpState.Closed && this.state != TcpState.TimeWait && this.state != TcpState.SynSent && this.state != TcpState.SynReceived;
  }

  /** Bytes waiting to be read. */
  get recvAvailable(): u32 {
    return this.rx.length;
  }

  /** Whether the peer has closed its side and every byte it sent has been read (EOF). */
  get atEof(): bool {
    return this.rx.length == 0 && (this.finReceived || this.state == TcpState.Closed || this.state == TcpState.TimeWait);
  }

  /** Copies up to n waiting bytes to p and frees their room: how many (0 when none waits; see atEof). */
  recvInto(p: usize, n: u32): u32 {
    const got = this.rx.read(p, n);
    if (got > 0) this.windowMayHaveOpened();
    return got;
  }

  /** recvInto() into buf from `offset`. */
  recv(buf: Uint8Array, offset: i32 = 0): i32 {
    if (offset < 0 || offset > buf.byteLength) return 0;
    return <i32>this.recvInto(buf.dataStart + <usize>offset, <u32>(buf.byteLength - offset));
  }

  /** Copies n waiting bytes from `offset` (offset + n <= recvAvailable) to p, leaving them
   * waiting: to look at what spans the end of the ring without reading it. */
  peek(offset: u32, p: usize, n: u32): void {
    this.rx.peek(offset, p, n);
  }

  /** The waiting bytes that are contiguous in memory, to parse in place (then consume()). */
  get recvPtr(): usize {
    return this.rx.contiguousPtr;
  }

  /** Received bytes readable in one piece, from the start of the receive buffer's data. */
  get recvContiguous(): u32 {
    return this.rx.contiguousLength;
  }

  /** Drops n waiting bytes (n <= recvAvailable), as recvInto() would have read them. */
  consume(n: u32): void {
    this.rx.consume(min(n, this.rx.length));
    if (n > 0) this.windowMayHaveOpened();
  }

  /** Bytes send() takes now: the free room of the send buffer (0 once closed). */
  get sendCapacity(): u32 {
    if (this.finQueued || !(this.state == TcpState.Established || this.state == TcpState.CloseWait || this.state == TcpState.SynSent || this.state == TcpState.SynReceived)) return 0;
    return this.tx.free;
  }

  /** Queues up to n bytes from p: how many (fewer when the buffer is full: back-pressure). */
  sendFrom(p: usize, n: u32): u32 {
    return this.tx.write(p, min(n, this.sendCapacity));
  }

  /** sendFrom() of `length` bytes of buf from `offset` (to its end by default). */
  send(buf: Uint8Array, offset: i32 = 0, length: i32 = -1): i32 {
    if (offset < 0 || offset > buf.byteLength) return 0;
    const n = length < 0 ? buf.byteLength - offset : min(length, buf.byteLength - offset);
    return <i32>this.sendFrom(buf.dataStart + <usize>offset, <u32>n);
  }

  /** sendFrom() of a string's UTF-8 bytes: how many were taken. */
  sendString(s: string): i32 {
    return this.send(Uint8Array.wrap(String.UTF8.encode(s)));
  }

  /** Bytes queued and not yet acknowledged. */
  get sendQueued(): u32 {
    return this.tx.length;
  }

  /** Orderly close: a FIN after the queued data; the socket is the stack's afterwards. */
  close(): void {
    this.released = true;
    if (this.state == TcpState.SynSent) {
      this.toClosed();
      return;
    }
    if (this.state == TcpState.Established || this.state == TcpState.SynReceived) this.state = TcpState.FinWait1;
    else if (this.state == TcpState.CloseWait) this.state = TcpState.LastAck;
    else return;
    this.finQueued = true;
  }

  /** Abortive close: an RST now, buffers dropped; the socket is the stack's afterwards. */
  abort(now: u64): void {
    this.released = true;
    if (this.state != TcpState.Closed && this.state != TcpState.SynSent && this.state != TcpState.TimeWait) {
      this.sendSegment(now, this.sndNxt, 0, TCP_RST | TCP_ACK);
    }
    this.error = TcpError.Aborted;
    this.toClosed();
  }

  // ---- Receiving -------------------------------------------------------------------

  /** The window to advertise now: free room, rounded to the scale, never shrinking the
   * right edge already offered, and not grown by less than a segment (receiver SWS
   * avoidance, RFC 9293 3.8.6.2.2). */
  private windowToAdvertise(): u32 {
    const maxWnd: u32 = 0xffff << this.rcvShift;
    const offered = min(seqGt(this.rcvAdv, this.rcvNxt) ? this.rcvAdv - this.rcvNxt : 0, maxWnd);
    let wnd = min(this.rx.free, maxWnd);
    if (wnd <= offered) return offered;
    if (wnd - offered < min(this.rx.capacity >> 1, this.ownMss())) wnd = offered;
    return (wnd >> this.rcvShift) << this.rcvShift;
  }

  /** After the application read: a window update when the window opens by two segments or half the buffer. */
  private windowMayHaveOpened(): void {
    if (this.state == TcpState.Closed || this.state == TcpState.TimeWait) return;
    const offered = seqGt(this.rcvAdv, this.rcvNxt) ? this.rcvAdv - this.rcvNxt : 0;
    const free = min(this.rx.free, <u32>0xffff << this.rcvShift);
    if (free > offered && free - offered >= min(this.rx.capacity >> 1, 2 * this.ownMss())) this.ackNow = true;
  }

  /** A segment for this connection (the layer found it by its 4-tuple). */
  input(now: u64, seg: Segment): void {
    if (this.state == TcpState.SynSent) return this.inputSynSent(now, seg);
    if (this.state == TcpState.Closed || this.state == TcpState.TimeWait) return;
    const iface = this.owner.iface;
    const flags = seg.flags;
    this.lastRecvAt = now;
    this.probes = 0;

    // 1. Is it in the window? (RFC 9293 3.10.7.4, first)
    const wnd = this.rx.free;
    const len = seg.seqLength;
    let acceptable: bool;
    if (len == 0) {
      acceptable = wnd == 0 ? seg.seq == this.rcvNxt : seqLe(this.rcvNxt, seg.seq) && seqLt(seg.seq, this.rcvNxt + wnd);
    } else {
      acceptable = wnd > 0 && ((seqLe(this.rcvNxt, seg.seq) && seqLt(seg.seq, this.rcvNxt + wnd)) ||
        (seqLe(this.rcvNxt, seg.seq + len - 1) && seqLt(seg.seq + len - 1, this.rcvNxt + wnd)));
    }
    // A zero window still takes ACKs, RSTs and FINs at rcvNxt (RFC 9293 3.10.7.4 note).
    if (!acceptable && wnd == 0 && seg.seq == this.rcvNxt) acceptable = true;
    if (!acceptable) {
      iface.drops.count(Drop.OutOfWindow);
      if (!(flags & TCP_RST)) this.ackNow = true; // tells the peer where we are (and a duplicate's sender its ACK was lost)
      return;
    }

    // 2. RST: reset only when exactly at rcvNxt; in the window, a challenge ACK (RFC 5961 3.2).
    if (flags & TCP_RST) {
      if (seg.seq == this.rcvNxt) {
        this.error = TcpError.Reset;
        this.owner.stats.resets++;
        this.toClosed();
      } else if (this.owner.challengeAllowed(now)) {
        this.ackNow = true;
      }
      return;
    }

    // 4. SYN in a synchronized state: a challenge ACK (RFC 5961 4.2).
    if (flags & TCP_SYN) {
      iface.drops.count(Drop.BadFlags);
      if (this.owner.challengeAllowed(now)) this.ackNow = true;
      return;
    }

    // 5. ACK.
    if (!(flags & TCP_ACK)) return iface.drops.count(Drop.BadFlags);
    if (!this.processAck(now, seg)) return;

    // 7. Data.
    if (seg.length > 0 || (flags & TCP_FIN)) {
      if (this.state == TcpState.Established || this.state == TcpState.FinWait1 || this.state == TcpState.FinWait2) {
        this.processData(now, seg);
      }
    }
    if (this.finAhead && this.finSeq == this.rcvNxt && !this.finReceived) this.takeFin(now);
  }

  private inputSynSent(now: u64, seg: Segment): void {
    const flags = seg.flags;
    if (flags & TCP_ACK) {
      if (seqLe(seg.ack, this.iss) || seqGt(seg.ack, this.sndMax)) {
        if (!(flags & TCP_RST)) this.sendReset(now, seg.ack);
        this.owner.iface.drops.count(Drop.OutOfWindow);
        return;
      }
    }
    if (flags & TCP_RST) {
      if (flags & TCP_ACK) {
        this.error = TcpError.Reset; // connection refused
        this.toClosed();
      }
      return;
    }
    if (!(flags & TCP_SYN)) return;
    this.irs = seg.seq;
    this.rcvNxt = seg.seq + 1;
    this.rcvAdv = this.rcvNxt; // nothing offered yet: our ACK's window will be the first
    const opts = seg.options;
    if (opts.windowScale >= 0) {
      this.sndShift = <u32>opts.windowScale;
      this.rcvShift = this.offeredShift;
    }
    this.sackOk = opts.sackPermitted && this.owner.config.sack;
    this.setMss(opts.mss);
    this.lastRecvAt = now;
    if (flags & TCP_ACK) {
      this.sndUna = seg.ack;
      this.synAcked = true;
      this.rtoAt = 0;
      this.retries = 0;
      if (this.timing) {
        this.rtt.sample(now - this.timedAt);
        this.timing = false;
      }
      this.sndWnd = this.maxSndWnd = seg.window << this.sndShift;
      this.sndWl1 = seg.seq;
      this.sndWl2 = seg.ack;
      this.state = TcpState.Established;
      this.armKeepAlive(now);
      this.ackNow = true;
      if (seg.length > 0) {
        // Data on the SYN-ACK: after the SYN.
        seg.seq += 1;
        seg.flags &= ~TCP_SYN;
        this.processData(now, seg);
      }
    } else {
      // Simultaneous open (RFC 9293 figure 8): SYN-RECEIVED, our SYN again with an ACK.
      this.state = TcpState.SynReceived;
      this.sndNxt = this.iss;
      this.sndWnd = seg.window;
      this.rtoAt = 0;
    }
  }

  /** Step 5 of segment arrival: false when the segment must go no further. */
  private processAck(now: u64, seg: Segment): bool {
    const ack = seg.ack;
    if (this.state == TcpState.SynReceived) {
      if (seqLt(this.sndUna, ack) && seqLe(ack, this.sndMax)) {
        this.state = TcpState.Established;
        this.synAcked = true;
        this.sndUna = this.iss + 1;
        this.sndWnd = this.maxSndWnd = seg.window << this.sndShift;
        this.sndWl1 = seg.seq;
        this.sndWl2 = ack;
        this.rtoAt = 0;
        this.armKeepAlive(now);
      } else {
        this.sendReset(now, ack);
        return false;
      }
    }
    // RFC 5961 5.2: an ACK must lie in [sndUna - maxSndWnd, sndMax].
    if (seqGt(ack, this.sndMax)) {
      this.owner.iface.drops.count(Drop.OutOfWindow);
      if (this.owner.challengeAllowed(now)) this.ackNow = true;
      return false;
    }
    if (seqLt(ack, this.sndUna - this.maxSndWnd)) {
      this.owner.iface.drops.count(Drop.OutOfWindow);
      if (this.owner.challengeAllowed(now)) this.ackNow = true;
      return false;
    }
    const window = seg.window << this.sndShift;
    const sackChanged = this.sackOk && seg.options.sackCount > 0 ? this.takeSack(seg) : false;
    if (sackChanged && this.inRecovery && seqGt(this.highRxt, this.sndUna) && seqGt(this.scoreboard.highSacked, this.resendMark)) {
      // Data sent after our resend of sndUna's segment arrived, the resend did not.
      this.resendFirst = true;
    }

    if (seqGt(ack, this.sndUna)) {
      this.ackedNew(now, ack);
      // SACK may show a hole even as the cumulative ACK moves (RFC 6675 5, IsLost(HighACK + 1)).
      if (this.sackOk && !this.inRecovery && sackChanged && this.scoreboard.isLost(this.sndUna, this.mss)) this.enterRecovery();
    } else if (ack == this.sndUna && seqGt(this.sndMax, this.sndUna)) {
      // A duplicate ACK (RFC 5681 2); with SACK, also any ACK that SACKs new data (RFC
      // 6675 2), which keeps counting when data flows both ways.
      const strict = seg.length == 0 && !(seg.flags & (TCP_SYN | TCP_FIN)) && window == this.sndWnd;
      if (strict || sackChanged) this.duplicateAck(now, sackChanged);
    }

    // The window (RFC 9293 3.10.7.4, fifth, the SND.WL1/WL2 rule).
    if (seqLt(this.sndWl1, seg.seq) || (this.sndWl1 == seg.seq && seqLe(this.sndWl2, ack))) {
      const reopened = this.sndWnd == 0 && window > 0;
      this.sndWnd = window;
      if (window > this.maxSndWnd) this.maxSndWnd = window;
      this.sndWl1 = seg.seq;
      this.sndWl2 = ack;
      if (window > 0) {
        this.persistAt = 0;
        if (reopened) this.retries = 0;
      }
    }
    return this.state != TcpState.Closed && this.state != TcpState.TimeWait;
  }

  /** Records the segment's SACK blocks; whether the scoreboard grew. */
  private takeSack(seg: Segment): bool {
    const opts = seg.options;
    let grew = false;
    for (let i = 0; i < opts.sackCount; i++) {
      // Blocks at or below the cumulative ACK are D-SACKs (RFC 2883): nothing to record.
      if (this.scoreboard.add(unchecked(opts.sackLeft[i]), unchecked(opts.sackRight[i]), seg.ack, this.sndMax)) grew = true;
    }
    return grew;
  }

  /** New data acknowledged up to `ack`. */
  private ackedNew(now: u64, ack: u32): void {
    let acked = ack - this.sndUna;
    if (!this.synAcked) {
      this.synAcked = true;
      acked -= 1;
    }
    const data = min(acked, this.tx.length);
    this.tx.consume(data);
    const finAcked = acked > data;
    this.sndUna = ack;
    if (seqLt(this.sndNxt, ack)) this.sndNxt = ack;
    this.scoreboard.advance(ack);
    this.retries = 0;
    this.dupAcks = 0;
    // Karn's rule: only a segment sent once gives a sample.
    if (this.timing && seqGe(ack, this.timedSeq)) {
      this.rtt.sample(now - this.timedAt);
      this.timing = false;
    } else if (this.rtt.backoff > 0) {
      this.rtt.backoff = 0;
    }
    if (this.inRecovery) {
      if (seqGe(ack, this.recoverSeq)) {
        // Full ACK: leave recovery (RFC 6582 3.2 (3), RFC 6675 5).
        this.inRecovery = false;
        this.cc.cwnd = min(this.cc.ssthresh, max(this.flight(), this.mss) + this.mss);
      } else if (!this.sackOk) {
        // Partial ACK (RFC 6582 3.2 (5)): resend the next hole, deflate by what was acked.
        this.resendFirst = true;
        this.cc.cwnd = this.cc.cwnd > data ? this.cc.cwnd - data + this.mss : this.mss;
      }
    } else {
      this.cc.onAck(data);
    }
    this.rtoAt = seqGt(this.sndMax, this.sndUna) ? now + this.rtt.rto : 0;
    this.probeOut = false;
    this.armProbe(now);
    if (finAcked) this.ourFinAcked(now);
  }

  private duplicateAck(now: u64, sackChanged: bool): void {
    this.dupAcks++;
    if (this.inRecovery) {
      if (!this.sackOk) this.cc.cwnd += this.mss; // NewReno: each dup ACK is a segment gone
      return;
    }
    if (this.dupAcks >= <u32>DUP_THRESH || (this.sackOk && this.scoreboard.isLost(this.sndUna, this.mss))) this.enterRecovery();
  }

  /** Fast retransmit and recovery (RFC 6582 3.2 (2), RFC 6675 5 (4)): the segment at
   * sndUna goes again at once, then NewReno's or the scoreboard's rules. */
  private enterRecovery(): void {
    // Loss reported for data sent before the last recovery or timeout is not a new loss
    // (RFC 6582 3.2 (2): recoverSeq is one past the highest sequence number sent then, so
    // an ACK that reaches it covers all of that data).
    if (seqLt(this.sndUna, this.recoverSeq)) return;
    this.inRecovery = true;
    this.owner.stats.recoveries++;
    this.recoverSeq = this.sndMax;
    this.highRxt = this.sndUna;
    this.cc.enterRecovery(this.flight());
    this.timing = false;
    this.cc.cwnd = this.sackOk ? this.cc.ssthresh : this.cc.ssthresh + 3 * this.mss;
    this.resendFirst = true;
  }

  /** Our FIN was acknowledged. */
  private ourFinAcked(now: u64): void {
    this.finAcked = true;
    if (this.state == TcpState.FinWait1) {
      this.state = TcpState.FinWait2;
    } else if (this.state == TcpState.Closing) {
      this.toTimeWait(now);
    } else if (this.state == TcpState.LastAck) {
      this.toClosed();
    }
  }

  /** Step 7: takes the segment's data into the receive buffer, in order or ahead. */
  private processData(now: u64, seg: Segment): void {
    const iface = this.owner.iface;
    let seq = seg.seq;
    let data = seg.data;
    let n = seg.length;
    let fin = (seg.flags & TCP_FIN) != 0;
    // Trim what we have already.
    if (seqLt(seq, this.rcvNxt)) {
      const skip = this.rcvNxt - seq;
      if (skip >= n) {
        if (fin && seq + n == this.rcvNxt && !this.finReceived) {
          n = 0;
          seq = this.rcvNxt;
        } else {
          this.ackNow = true; // a duplicate: our ACK may have been lost
          return;
        }
      } else {
        data += skip;
        n -= skip;
        seq = this.rcvNxt;
      }
    }
    const offset = seq - this.rcvNxt;
    const free = this.rx.free;
    if (offset >= free && n > 0) {
      iface.drops.count(Drop.NoBufferSpace);
      this.ackNow = true;
      return;
    }
    if (offset + n > free) {
      n = free - offset;
      fin = false; // its FIN lies beyond what we keep
      iface.drops.count(Drop.NoBufferSpace);
    }
    if (fin) {
      this.finAhead = true;
      this.finSeq = seq + n;
    }
    if (n == 0) {
      if (fin && offset == 0) this.takeFin(now);
      return;
    }
    const wasReordering = !this.assembler.isEmpty;
    if (offset > 0) {
      if (!this.assembler.add(offset, n)) {
        iface.drops.count(Drop.NoBufferSpace);
        this.ackNow = true;
        return;
      }
      this.rx.writeAhead(this.rx.length + offset, data, n);
      // Out of order: a duplicate ACK at once (RFC 5681 4.2), one per segment even when a
      // batch of frames is taken in one poll: the sender counts them.
      this.sendAck(now);
      return;
    }
    this.rx.writeAhead(this.rx.length, data, n);
    const inOrder = this.assembler.advance(n);
    this.rx.commit(inOrder);
    this.rcvNxt += inOrder;
    if (wasReordering) {
      this.ackNow = true; // a hole filled: ACK at once (RFC 5681 4.2)
      return;
    }
    this.unackedBytes += inOrder;
    // Every second full segment is ACKed at once (RFC 9293 3.8.6.3), here and now rather
    // than after the batch of frames this one came in: one ACK per batch would hold a
    // sender's slow start to two segments a round trip.
    if (this.unackedBytes >= 2 * this.ownMss()) this.sendAck(now);
    else if (this.delayedAckAt == 0) this.delayedAckAt = now + this.owner.config.delayedAck;
  }

  /** The peer's FIN, in order (step 8). */
  private takeFin(now: u64): void {
    this.finReceived = true;
    this.finAhead = false;
    this.rcvNxt += 1;
    this.ackNow = true;
    if (this.state == TcpState.Established || this.state == TcpState.SynReceived) {
      this.state = TcpState.CloseWait;
    } else if (this.state == TcpState.FinWait1) {
      this.state = TcpState.Closing; // (had the segment acknowledged our FIN, we would be in FIN-WAIT-2)
    } else if (this.state == TcpState.FinWait2) {
      this.toTimeWait(now);
    }
  }

  // ---- Sending ---------------------------------------------------------------------

  /** Where data starts in sequence space: after the SYN. */
  private dataStart(): u32 {
    return this.synAcked ? this.sndUna : this.iss + 1;
  }

  /** A FIN is queued and not yet acknowledged. (Once it is, finSeqOut() has moved past it:
   * sndUna is one beyond the FIN and the send buffer is empty.) */
  private get finToSend(): bool {
    return this.finQueued && !this.finAcked;
  }

  /** Our FIN's sequence number (once queued): after the last byte. */
  private finSeqOut(): u32 {
    return this.dataStart() + this.tx.length;
  }

  /** Bytes sent and not acknowledged. */
  private flight(): u32 {
    return this.sndMax - this.sndUna;
  }

  /** TIME-WAIT: the FIN's ACK goes now, then the layer keeps a small record instead. */
  private toTimeWait(now: u64): void {
    this.sendAck(now);
    this.state = TcpState.TimeWait;
    this.clearTimers();
    this.owner.enterTimeWait(now, this);
  }

  /** For the layer's TIME-WAIT record. */
  get receiveNext(): u32 {
    return this.rcvNxt;
  }

  /** The next sequence number this end sends (SND.NXT). */
  get sendNext(): u32 {
    return this.sndMax;
  }

  private toClosed(): void {
    if (this.state == TcpState.Closed) return;
    this.state = TcpState.Closed;
    this.clearTimers();
    this.owner.closed(this);
  }

  private clearTimers(): void {
    this.rtoAt = this.persistAt = this.delayedAckAt = this.keepAliveAt = this.probeAt = 0;
  }

  private armKeepAlive(now: u64): void {
    this.keepAliveAt = this.keepAliveIdle > 0 ? now + this.keepAliveIdle : 0;
  }

  /** When dispatch() must run next (u64.MAX_VALUE: only on input or the application's say). */
  pollAt(now: u64): u64 {
    if (this.state == TcpState.Closed) return u64.MAX_VALUE;
    if (this.ackNow || this.wantsToSend()) return now;
    let at = u64.MAX_VALUE;
    if (this.rtoAt) at = min(at, this.rtoAt);
    if (this.probeAt) at = min(at, this.probeAt);
    if (this.persistAt) at = min(at, this.persistAt);
    if (this.delayedAckAt) at = min(at, this.delayedAckAt);
    if (this.keepAliveAt) at = min(at, this.keepAliveAt);
    return at;
  }

  /** Whether a segment can go now: data or a FIN the windows allow, or a retransmission. */
  private wantsToSend(): bool {
    if (this.state == TcpState.SynSent || this.state == TcpState.SynReceived) return this.sndNxt == this.iss;
    if (this.state == TcpState.TimeWait || this.state == TcpState.Closed) return false;
    if (this.resendFirst) return true;
    const canSend = this.sendableNow();
    return canSend > 0 || this.finDue() || this.persistDue();
  }

  /** Data waits, nothing is out to bring an ACK back, and the window (shut, or too small
   * for SWS avoidance) lets nothing go: the persist timer must start (RFC 9293 3.8.6.1). */
  private persistDue(): bool {
    return this.persistAt == 0 && this.rtoAt == 0 && this.sndNxt == this.sndUna && seqLt(this.sndNxt, this.finSeqOut());
  }

  /** Whether the FIN goes next: queued, and every byte before it sent (again, after a timeout). */
  private finDue(): bool {
    return this.finToSend && this.sndNxt == this.finSeqOut();
  }

  /** Room the congestion window leaves: cwnd less what is out (the pipe, in SACK
   * recovery); before recovery, each of the first two duplicate ACKs lets one more
   * segment go (limited transmit, RFC 3042). */
  private cwndRoom(): u32 {
    const out = this.inRecovery && this.sackOk ? this.scoreboard.pipe(this.sndUna, this.sndMax, this.highRxt, this.mss) : this.sndNxt - this.sndUna;
    const cwnd = this.cc.cwnd + (this.inRecovery ? 0 : min(this.dupAcks, 2) * this.mss);
    return cwnd > out ? cwnd - out : 0;
  }

  /** Bytes from sndNxt the peer's window and the congestion window both allow. */
  private usableWindow(): u32 {
    const edge = this.sndUna + this.sndWnd;
    const byPeer = seqGt(edge, this.sndNxt) ? edge - this.sndNxt : 0;
    return min(byPeer, this.cwndRoom());
  }

  /** Bytes of a segment that may go now (0: none), Nagle and SWS avoidance applied. */
  private sendableNow(): u32 {
    const end = this.finSeqOut();
    if (!seqLt(this.sndNxt, end)) return 0;
    const unsent = end - this.sndNxt;
    const usable = this.usableWindow();
    let n = min(min(unsent, usable), this.mss);
    if (n == 0) return 0;
    if (n < this.mss) {
      // Only the tail of the data, or as much as a small window takes (sender SWS
      // avoidance: half the largest window the peer offered, RFC 9293 3.8.6.2.1).
      if (n < unsent && n < (this.maxSndWnd >> 1)) return 0;
      // Minshall's Nagle: hold a small tail while an earlier small segment is unacknowledged.
      if (n == unsent && !this.noDelay && !this.finQueued && seqGt(this.smallEnd, this.sndUna) && seqGt(this.sndNxt, this.sndUna)) return 0;
    }
    return n;
  }

  /** Sends what is due; the layer calls it when pollAt() says so, or after input. */
  dispatch(now: u64): void {
    if (this.state == TcpState.Closed || this.state == TcpState.TimeWait) return;
    if (this.sndMax == this.sndUna && this.lastSendAt != 0 && now - this.lastSendAt > this.rtt.rto) {
      this.cc.restartAfterIdle(); // RFC 5681 4.1
    }
    if (this.probeAt && now >= this.probeAt && !(this.rtoAt && now >= this.rtoAt)) this.tailLossProbe(now);
    if (this.rtoAt && now >= this.rtoAt) {
      if (!this.retransmitTimeout(now)) return;
    }
    if (this.keepAliveAt && now >= this.keepAliveAt) {
      if (!this.keepAliveTimeout(now)) return;
    }
    if (this.delayedAckAt && now >= this.delayedAckAt) this.ackNow = true;
    if (this.persistAt && now >= this.persistAt) this.persistTimeout(now);

    if (this.state == TcpState.SynSent || this.state == TcpState.SynReceived) {
      if (this.sndNxt == this.iss) this.sendSyn(now);
      else if (this.ackNow) this.sendAck(now);
      return;
    }
    let sent = false;
    // Loss recovery first: the segment at sndUna (NewReno), or the lost holes (SACK).
    if (this.resendFirst) {
      this.resendFirst = false;
      const n = min(this.mss, seqMin(this.sndMax, this.finSeqOut()) - this.sndUna);
      if (n > 0 || this.finToSend) {
        if (!this.sendData(now, this.sndUna, n, true)) return;
        if (seqGt(this.sndUna + n, this.highRxt)) this.highRxt = this.sndUna + n;
        this.resendMark = this.sndMax;
        sent = true;
      }
    }
    if (this.inRecovery && this.sackOk) {
      // RFC 6675 5 (C): while cwnd - pipe leaves a segment, resend lost holes first.
      while (this.cwndRoom() >= this.mss) {
        const lost = this.scoreboard.nextLost(this.highRxt, this.sndUna, this.mss);
        if (lost < 0) break;
        const from = <u32>lost;
        const n = min(this.mss, seqMin(this.scoreboard.holeEnd, this.finSeqOut()) - from);
        if (n == 0) break;
        if (!this.sendData(now, from, n, true)) return;
        this.highRxt = from + n;
        sent = true;
      }
    }
    // New data (or, after a timeout, data again from sndNxt, skipping what is SACKed).
    for (;;) {
      if (this.sackOk && seqLt(this.sndNxt, this.sndMax)) {
        const skipped = this.scoreboard.skipSacked(this.sndNxt);
        if (skipped != this.sndNxt) {
          this.sndNxt = seqMin(skipped, this.sndMax);
          continue;
        }
      }
      let n = this.sendableNow();
      if (n > 0 && this.sackOk && seqLt(this.sndNxt, this.sndMax)) {
        // A resend stops at the next SACKed range.
        for (let i = 0; i < this.scoreboard.count; i++) {
          const l = this.scoreboard.left(i);
          if (seqGt(l, this.sndNxt)) {
            n = min(n, l - this.sndNxt);
            break;
          }
        }
      }
      const fin = this.finToSend && this.sndNxt + n == this.finSeqOut();
      if (n == 0 && !fin) break;
      if (!this.sendData(now, this.sndNxt, n, false)) return;
      sent = true;
      if (fin) break;
    }
    if (this.persistDue()) this.persistAt = now + this.rtt.rto;
    if (!sent && this.ackNow) this.sendAck(now);
  }

  /** A segment with `n` data bytes from `seq` (and the FIN if it reaches it); whether it
   * went. `resend`: a recovery retransmission, which leaves sndNxt where it is. */
  private sendData(now: u64, seq: u32, n: u32, resend: bool): bool {
    const end = seq + n;
    const withFin = this.finToSend && end == this.finSeqOut();
    let flags = TCP_ACK;
    // PSH only on the segment that empties what is queued, as BSD and Linux send it: a
    // Linux receiver ACKs every segment that has it as soon as its reader takes the data,
    // which doubled the ACKs of a bulk download.
    if (n > 0 && end == this.finSeqOut()) flags |= TCP_PSH;
    if (withFin) flags |= TCP_FIN;
    if (!this.sendSegment(now, seq, n, flags)) return false;
    const seqEnd = end + (withFin ? 1 : 0);
    if (resend || seqLt(seq, this.sndMax)) {
      this.owner.stats.retransmitted++;
      this.timing = false; // Karn: nothing sent twice is timed, and the timed one may be this
    } else if (!this.timing) {
      this.timing = true;
      this.timedSeq = seqEnd;
      this.timedAt = now;
    }
    if (!resend) this.sndNxt = seqEnd;
    if (seqGt(seqEnd, this.sndMax)) this.sndMax = seqEnd;
    if (n > 0 && n < this.mss) this.smallEnd = end;
    if (this.rtoAt == 0) this.rtoAt = now + this.rtt.rto;
    if (this.probeAt == 0) this.armProbe(now);
    this.lastSendAt = now;
    return true;
  }

  private sendSyn(now: u64): void {
    const flags = this.state == TcpState.SynReceived ? TCP_SYN | TCP_ACK : TCP_SYN;
    if (!this.sendSegment(now, this.iss, 0, flags)) return;
    this.sndNxt = this.sndMax = this.iss + 1;
    if (!this.timing && this.retries == 0) {
      this.timing = true;
      this.timedSeq = this.iss + 1;
      this.timedAt = now;
    }
    if (this.rtoAt == 0) this.rtoAt = now + this.rtt.rto;
  }

  private sendAck(now: u64): void {
    this.sendSegment(now, this.sndNxt, 0, TCP_ACK);
  }

  private sendReset(now: u64, seq: u32): void {
    this.sendSegment(now, seq, 0, TCP_RST);
  }

  /** A zero-window or keep-alive probe: an old sequence number, which the peer must ACK. */
  private sendProbe(now: u64): void {
    this.sendSegment(now, this.sndUna - 1, 0, TCP_ACK);
  }

  /** The retransmission timer fired: false when the connection is given up. */
  private retransmitTimeout(now: u64): bool {
    const config = this.owner.config;
    const synState = this.state == TcpState.SynSent || this.state == TcpState.SynReceived;
    if (this.retries >= (synState ? config.maxSynRetransmits : config.maxRetransmits)) {
      if (synState) {
        this.error = TcpError.TimedOut;
        this.toClosed();
      } else {
        this.giveUp(now);
      }
      return false;
    }
    this.retries++;
    this.owner.stats.timeouts++;
    this.rtt.timedOut();
    this.timing = false;
    // The next timeout counts from now, even if this resend cannot go (no ARP answer).
    this.rtoAt = now + this.rtt.rto;
    this.probeAt = 0;
    this.probeOut = false;
    if (synState) {
      this.sndNxt = this.iss;
      return true;
    }
    // Go back to sndUna (RFC 5681 3.1 and RFC 6298 5.4): one segment, then slow start;
    // SACKed data is skipped (RFC 6675 5.1).
    this.cc.onTimeout(this.flight());
    this.inRecovery = false;
    this.resendFirst = false;
    this.dupAcks = 0;
    this.recoverSeq = this.sndMax;
    this.sndNxt = this.sndUna;
    return true;
  }

  /** The probe timeout, PTO (RFC 8985 7.2): two round trips after the last send, more
   * when one segment is out (the peer may delay its ACK), never after the RTO. */
  private armProbe(now: u64): void {
    if (this.probeOut || !seqGt(this.sndMax, this.sndUna) || this.rtt.srtt == 0 || !this.synAcked) {
      this.probeAt = 0;
      return;
    }
    let pto = max(2 * this.rtt.srtt, PROBE_MIN);
    if (this.flight() <= this.mss) pto += this.owner.config.delayedAck;
    this.probeAt = this.rtoAt != 0 ? min(now + pto, this.rtoAt) : now + pto;
  }

  /**
   * The tail loss probe: nothing came back for a PTO with data out. One segment goes, new
   * data if the peer's window takes it (whatever cwnd says), else the last segment again;
   * its ACK (or SACK) lets fast recovery see a loss at the tail, or a lost resend, which
   * would otherwise wait for the RTO.
   */
  private tailLossProbe(now: u64): void {
    this.probeAt = 0;
    this.probeOut = true;
    this.owner.stats.tailProbes++;
    const unsent = seqGt(this.finSeqOut(), this.sndMax) ? this.finSeqOut() - this.sndMax : 0;
    const edge = this.sndUna + this.sndWnd;
    if (unsent > 0 && this.sndNxt == this.sndMax && seqGe(edge, this.sndMax + min(unsent, this.mss))) {
      this.sendData(now, this.sndMax, min(unsent, this.mss), false);
      return;
    }
    const dataEnd = seqMin(this.sndMax, this.finSeqOut());
    const n = min(this.mss, dataEnd - this.sndUna);
    if (n > 0 || this.finToSend) this.sendData(now, dataEnd - n, n, true);
  }

  /**
   * The persist timer: with a shut window, a probe; with a window too small for SWS
   * avoidance, what fits (the override timeout, RFC 9293 3.8.6.2.1). The peer's answer
   * (any segment) counts; maxRetransmits unanswered probes give the connection up.
   */
  private persistTimeout(now: u64): void {
    this.persistAt = 0;
    if (this.sndNxt != this.sndUna || !seqLt(this.sndNxt, this.finSeqOut())) return;
    if (this.probes >= this.owner.config.maxRetransmits) {
      this.giveUp(now);
      return;
    }
    this.probes++;
    this.owner.stats.windowProbes++;
    this.rtt.timedOut();
    const unsent = this.finSeqOut() - this.sndNxt;
    const n = min(min(unsent, this.sndWnd), this.mss);
    if (n > 0) this.sendData(now, this.sndNxt, n, false);
    else this.sendProbe(now);
    this.persistAt = now + this.rtt.rto;
  }

  /** Idle for keepAliveIdle: a probe each keepAliveInterval; keepAliveProbes unanswered ones give up. */
  private keepAliveTimeout(now: u64): bool {
    const config = this.owner.config;
    if (now - this.lastRecvAt < this.keepAliveIdle) {
      this.keepAliveAt = this.lastRecvAt + this.keepAliveIdle;
      return true;
    }
    if (this.probes >= config.keepAliveProbes) {
      this.giveUp(now);
      return false;
    }
    this.probes++;
    this.sendProbe(now);
    this.keepAliveAt = now + config.keepAliveInterval;
    return true;
  }

  /** The peer stopped answering: an RST (in case it only lost its way), then closed. */
  private giveUp(now: u64): void {
    this.error = TcpError.TimedOut;
    this.owner.stats.timedOut++;
    this.sendSegment(now, this.sndNxt, 0, TCP_RST | TCP_ACK);
    this.toClosed();
  }

  /**
   * Builds and sends one segment: `n` bytes of data from sequence number `seq`, with
   * `flags`; our ACK and window go on every segment but a bare SYN or RST. False when
   * there is no route to the peer (no gateway): as for a lost segment, the timers
   * decide what happens next.
   */
  private sendSegment(now: u64, seq: u32, n: u32, flags: u32): bool {
    const iface = this.owner.iface;
    const q = iface.beginIpv4(now, this.remoteIp, PROTOCOL_TCP);
    if (q == 0) return false;
    let optionsLen: u32 = 0;
    const syn = (flags & TCP_SYN) != 0;
    const offerSack = this.owner.config.sack && (this.state == TcpState.SynSent || this.sackOk);
    if (syn) {
      optionsLen = 4 + 4 + (offerSack ? 4 : 0); // MSS, window scale, SACK permitted
    } else if (this.sackOk && !this.assembler.isEmpty && (flags & TCP_RST) == 0 && this.mss >= n + 12) {
      // Options count against the MSS (RFC 9293 3.7.1): as many blocks as fit beside the data.
      optionsLen = 4 + 8 * <u32>min(<u32>min(this.assembler.count, SACK_BLOCKS_MAX - 1), (this.mss - n - 4) >> 3);
    }
    const window = (flags & TCP_RST) != 0 ? 0 : this.windowToAdvertise();
    const ack = (flags & TCP_ACK) != 0 ? this.rcvNxt : 0;
    // The window field of a SYN is never scaled (RFC 7323 2.2).
    const field = syn ? min(window, 0xffff) : window >> this.rcvShift;
    emitTcp(q, this.localPort, this.remotePort, seq, ack, flags, field, optionsLen);
    const opts = q + TCP_HEADER_LEN;
    if (syn) {
      let o = writeMssOption(opts, this.ownMss());
      o = writeWindowScaleOption(o, this.state == TcpState.SynReceived ? this.rcvShift : this.offeredShift);
      if (offerSack) writeSackPermittedOption(o);
    } else if (optionsLen > 0) {
      this.writeSackBlocks(opts, (optionsLen - 4) >> 3);
    }
    const headerLen = TCP_HEADER_LEN + optionsLen;
    if (n > 0) this.tx.peek(seq - this.dataStart(), q + headerLen, n);
    finishTcp(iface.txIp, q, headerLen + n);
    iface.endIpv4(headerLen + n);
    this.owner.stats.segmentsSent++;
    if ((flags & TCP_ACK) != 0) {
      if (!syn || this.state == TcpState.SynReceived) {
        const edge = this.rcvNxt + window;
        if (seqGt(edge, this.rcvAdv)) this.rcvAdv = edge;
      }
      this.ackNow = false;
      this.delayedAckAt = 0;
      this.unackedBytes = 0;
    }
    return true;
  }

  /** SACK blocks (RFC 2018 4): the range the latest segment touched first, then the rest from the top. */
  private writeSackBlocks(q: usize, count: u32): void {
    const a = this.assembler;
    let k = 0;
    const first = a.latest;
    if (first >= 0) {
      unchecked((SACK_LEFT[0] = this.rcvNxt + a.start(first)));
      unchecked((SACK_RIGHT[0] = this.rcvNxt + a.end(first)));
      k = 1;
    }
    for (let i = a.count - 1; i >= 0 && <u32>k < count; i--) {
      if (i == first) continue;
      unchecked((SACK_LEFT[k] = this.rcvNxt + a.start(i)));
      unchecked((SACK_RIGHT[k] = this.rcvNxt + a.end(i)));
      k++;
    }
    writeSackOption(q, SACK_LEFT, SACK_RIGHT, k);
  }
}
