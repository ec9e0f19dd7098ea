// The TCP/IP stack against itself over the simulated link (assembly/tcpip/sim/link.ts):
// two stacks in one guest, 10.0.0.1 (the client) and 10.0.0.2 (the server), time moved
// from event to event, so every run of a scenario is the same. The command line names a
// scenario and its parameters; the guest prints its result line, "ok ..." or "FAIL ...",
// and exits 0 or 1. Options after the scenario's own words:
//   loss=P% reorder=P% dup=P% delay=MS rate=BYTES/S seed=N nosack trace
//
//   echo BYTES        the client sends BYTES (byte i is i % 251) to the server's echo
//                     port and checks that the same bytes come back; both then close
//   slow-reader BYTES the server sends BYTES, the client reads 2 KiB every 20 ms: the
//                     window shuts and reopens, the server probes it
//   stalled-reader BYTES SECONDS
//                     the client stops reading for SECONDS with under a segment of its
//                     window left: the server sends what fits, then probes, until it reads
//   close             orderly closes: client first, server first, both at once (no
//                     retransmission on a clean link)
//   simultaneous-open both ends connect to each other at once, then exchange data
//   blind-attacks     RFC 5961: an in-window RST and a SYN get challenge ACKs, an RST at
//                     rcvNxt resets
//   big-window BYTES  1 MiB buffers over 20 ms one way: window scaling fills the pipe
//   refused           a SYN to a port nobody listens on is answered by RST
//   reuse             the server closes first (TIME-WAIT), and the client's new SYN from
//                     the same port opens a new connection at once (RFC 6191)
//   syn-flood N       N SYNs from spoofed addresses, then a real client is served
//   many N M          N connections open at once, then M opened and closed one after
//                     another; the heap does not grow with them
//   give-up           the link dies: retransmissions end in a timeout, not a hang
//   keepalive         a peer that vanishes is found out by keep-alive probes
//   garbage N         N malformed segments (every field mangled), then the server still serves
import { cmdline, heap_in_use, puts } from "../../../assembly";
import {
  LinkConditions, NetStack, SimLink, TcpConfig, TcpError, TcpListener, TcpSocket, TcpSocketOptions, TcpState,
} from "../../../assembly/tcpip";

const CLIENT: u32 = 0x0a000001;
const SERVER: u32 = 0x0a000002;
const ECHO_PORT: u32 = 7;
const SOURCE_PORT: u32 = 9; // the server sends, the client reads
const MS: u64 = 1_000_000;
const SEC: u64 = 1_000 * MS;

let link!: SimLink;
let client!: NetStack;
let server!: NetStack;
const words = cmdline().split(" ");

function option(name: string, fallback: f64): f64 {
  for (let i = 0; i < words.length; i++) {
    if (words[i].startsWith(name + "=")) return parseFloat(words[i].slice(name.length + 1).replace("%", ""));
  }
  return fallback;
}

function has(name: string): bool {
  return words.includes(name);
}

function number(i: i32, fallback: u64): u64 {
  return i < words.length && words[i].length > 0 && words[i].charCodeAt(0) >= 0x30 && words[i].charCodeAt(0) <= 0x39 ? <u64>parseInt(words[i]) : fallback;
}

function setUp(config: TcpConfig): void {
  const c = new LinkConditions();
  c.loss = option("loss", 0) / 100;
  c.reorder = option("reorder", 0) / 100;
  c.duplicate = option("dup", 0) / 100;
  c.delay = <u64>(option("delay", 1) * <f64>MS);
  c.bytesPerSec = <u64>option("rate", 0);
  const seed = <u64>option("seed", 1);
  link = new SimLink(1500, c, seed);
  config.sack = !has("nosack");
  const keysA = new StaticArray<u64>(4);
  const keysB = new StaticArray<u64>(4);
  for (let i = 0; i < 4; i++) {
    keysA[i] = seed * 31 + <u64>i;
    keysB[i] = seed * 37 + <u64>i + 7;
  }
  client = new NetStack(link.a, keysA, config);
  server = new NetStack(link.b, keysB, config);
  client.configure(CLIENT, 24, 0);
  server.configure(SERVER, 24, 0);
  if (has("trace")) link.tap = traceFrame;
}

/** The application on both sides: step() after each poll; true when it is over. */
abstract class Scenario {
  abstract step(now: u64): bool;
  /** When the application wants to run again, whatever the stacks do. */
  wakeAt(): u64 {
    return u64.MAX_VALUE;
  }
  /** "ok ..." or "FAIL ...". */
  abstract result(): string;
}

/** Polls both stacks, runs the scenario, and moves time to the next event; false when
 * time ran past `limit` or nothing could happen any more (a deadlock). */
function run(s: Scenario, limit: u64): bool {
  let idle = 0;
  const end = link.now + limit;
  while (link.now <= end) {
    const now = link.now;
    client.poll(now);
    server.poll(now);
    if (s.step(now)) return true;
    client.flush(now);
    server.flush(now);
    const next = min(min(min(client.pollAt(now), server.pollAt(now)), link.nextEvent()), s.wakeAt());
    if (next == u64.MAX_VALUE) {
      puts("deadlock: nothing pending at " + (now / MS).toString() + " ms\n");
      return false;
    }
    if (next > now) {
      link.now = next;
      idle = 0;
    } else if (++idle > 10000) {
      puts("livelock: pollAt keeps saying now at " + (now / MS).toString() + " ms\n");
      return false;
    }
  }
  puts("timeout at " + (link.now / MS).toString() + " ms\n");
  return false;
}

const PATTERN_LEN: i32 = 251 * 64;
const PATTERN = new Uint8Array(PATTERN_LEN);
for (let i = 0; i < PATTERN_LEN; i++) PATTERN[i] = <u8>(i % 251);
const buf = new Uint8Array(65536);

/** Queues pattern bytes from `sent` up to `total`: the new count. */
function sendPattern(s: TcpSocket, sent: u64, total: u64): u64 {
  while (sent < total) {
    const off = <i32>(sent % 251);
    const n = s.send(PATTERN, off, <i32>min(<u64>(PATTERN_LEN - off), total - sent));
    if (n <= 0) break;
    sent += <u64>n;
  }
  return sent;
}

/** Reads up to `max` bytes and checks them against the pattern from `checked`: the new
 * count, or u64.MAX_VALUE when a byte is wrong. */
function readPattern(s: TcpSocket, checked: u64, max: u32): u64 {
  while (max > 0) {
    const n = s.recvInto(buf.dataStart, min(max, <u32>buf.byteLength));
    if (n == 0) break;
    for (let i: u32 = 0; i < n; i++) {
      if (load<u8>(buf.dataStart + i) != <u8>((checked + <u64>i) % 251)) return u64.MAX_VALUE;
    }
    checked += <u64>n;
    max -= n;
  }
  return checked;
}

/** The server side of the echo port: echo what fits, close after the peer's FIN. */
class EchoServer {
  readonly listener: TcpListener;
  private readonly conns: TcpSocket[] = [];
  served: i32 = 0;

  constructor(options: TcpSocketOptions = new TcpSocketOptions()) {
    this.listener = server.tcp.listen(ECHO_PORT, 128, options)!;
  }

  step(): void {
    let a: TcpSocket | null;
    while ((a = this.listener.accept()) !== null) this.conns.push(a);
    for (let i = 0; i < this.conns.length; i++) {
      const c = this.conns[i];
      for (;;) {
        const room = min(c.sendCapacity, <u32>buf.byteLength);
        if (room == 0) break;
        const n = c.recvInto(buf.dataStart, room);
        if (n == 0) break;
        c.sendFrom(buf.dataStart, n);
      }
      if (c.atEof || c.state == TcpState.Closed) {
        c.close();
        this.conns.splice(i--, 1);
        this.served++;
      }
    }
  }
}

/** The server side of the source port: sends `total` pattern bytes to the first client,
 * then closes. */
class SourceServer {
  private readonly listener: TcpListener;
  private accepted: TcpSocket | null = null;
  private sent: u64 = 0;

  constructor(readonly total: u64, options: TcpSocketOptions = new TcpSocketOptions()) {
    this.listener = server.tcp.listen(SOURCE_PORT, 8, options)!;
  }

  /** The accepted connection (null until there is one). */
  get socket(): TcpSocket | null {
    return this.accepted;
  }

  step(): void {
    if (this.accepted === null) this.accepted = this.listener.accept();
    const a = this.accepted;
    if (a === null || this.sent == this.total) return;
    this.sent = sendPattern(a, this.sent, this.total);
    if (this.sent == this.total) a.close();
  }
}

class Echo extends Scenario {
  private readonly echo: EchoServer = new EchoServer();
  private readonly conn: TcpSocket;
  private sent: u64 = 0;
  private checked: u64 = 0;
  private finishedAt: u64 = 0;
  private readonly startedAt: u64;

  constructor(readonly total: u64) {
    super();
    this.startedAt = link.now;
    this.conn = client.tcp.connect(link.now, SERVER, ECHO_PORT)!;
  }

  step(now: u64): bool {
    this.echo.step();
    const c = this.conn;
    if (c.state == TcpState.Closed && this.finishedAt == 0) return true;
    this.sent = sendPattern(c, this.sent, this.total);
    if (this.checked != u64.MAX_VALUE) this.checked = readPattern(c, this.checked, u32.MAX_VALUE);
    if (this.checked == this.total && this.finishedAt == 0) {
      this.finishedAt = now;
      c.close();
    }
    return this.finishedAt != 0 && this.echo.served == 1 && (c.state == TcpState.TimeWait || c.state == TcpState.Closed);
  }

  result(): string {
    if (this.checked == u64.MAX_VALUE) return "FAIL echo: the bytes that came back differ";
    if (this.finishedAt == 0) return "FAIL echo: " + this.checked.toString() + " of " + this.total.toString() + " bytes came back (error " + (<i32>this.conn.error).toString() + ")";
    return "ok echo " + this.total.toString() + " bytes in " + ((this.finishedAt - this.startedAt) / MS).toString() + " ms";
  }
}

/** A client with a 16 KiB receive buffer. */
function smallReceiver(): TcpSocketOptions {
  const options = new TcpSocketOptions();
  options.rxBuffer = 16384;
  return options;
}

/** The client reads 2 KiB every 20 ms from the source port. */
class SlowReader extends Scenario {
  private readonly source: SourceServer;
  private readonly conn: TcpSocket;
  private checked: u64 = 0;
  private nextRead: u64 = 0;
  private sawZeroWindow: bool = false;

  constructor(readonly total: u64) {
    super();
    this.source = new SourceServer(total);
    this.conn = client.tcp.connect(link.now, SERVER, SOURCE_PORT, smallReceiver())!;
  }

  step(now: u64): bool {
    this.source.step();
    const c = this.conn;
    if (c.recvAvailable > 16384 - 1460) this.sawZeroWindow = true; // too little room left for a segment
    if (now >= this.nextRead && this.checked != u64.MAX_VALUE) {
      this.checked = readPattern(c, this.checked, 2048);
      this.nextRead = now + 20 * MS;
    }
    if (c.atEof && c.state != TcpState.Closed && c.state != TcpState.TimeWait) c.close();
    return c.atEof && (c.state == TcpState.Closed || c.state == TcpState.TimeWait) || this.checked == u64.MAX_VALUE;
  }

  wakeAt(): u64 {
    return this.nextRead;
  }

  result(): string {
    if (this.checked != this.total) return "FAIL slow-reader: " + this.checked.toString() + " of " + this.total.toString() + " bytes read";
    if (!this.sawZeroWindow) return "FAIL slow-reader: the receive buffer never filled";
    return "ok slow-reader " + this.total.toString() + " bytes";
  }
}

/** The client stops reading for `pause` ns once its 16 KiB buffer is nearly full: the
 * window left is under a segment, so the server must send what fits after the persist
 * timeout, then probe the shut window, and the transfer completes when reading resumes. */
class StalledReader extends Scenario {
  private readonly source: SourceServer;
  private readonly conn: TcpSocket;
  private checked: u64 = 0;
  private stalledAt: u64 = 0;
  private resumedAt: u64 = 0;
  private probesBefore: u64 = 0;
  private probesDuring: u64 = 0;
  private doneAt: u64 = 0;

  constructor(readonly total: u64, readonly pause: u64) {
    super();
    this.source = new SourceServer(total);
    this.conn = client.tcp.connect(link.now, SERVER, SOURCE_PORT, smallReceiver())!;
  }

  step(now: u64): bool {
    this.source.step();
    const c = this.conn;
    if (this.stalledAt == 0) {
      // Read until 100 kB came, then stop with the buffer filling.
      if (this.checked < 100000) this.checked = readPattern(c, this.checked, u32.MAX_VALUE);
      else if (c.recvAvailable > 16384 - 1460) {
        this.stalledAt = now;
        this.probesBefore = server.tcp.stats.windowProbes;
      }
    } else if (this.resumedAt == 0 && now - this.stalledAt >= this.pause) {
      this.resumedAt = now;
      this.probesDuring = server.tcp.stats.windowProbes - this.probesBefore;
    }
    if (this.resumedAt != 0 && this.checked != u64.MAX_VALUE) {
      this.checked = readPattern(c, this.checked, u32.MAX_VALUE);
      if (c.atEof) {
        c.close();
        this.doneAt = now;
        return true;
      }
    }
    return this.checked == u64.MAX_VALUE;
  }

  wakeAt(): u64 {
    return this.stalledAt != 0 && this.resumedAt == 0 ? this.stalledAt + this.pause : u64.MAX_VALUE;
  }

  result(): string {
    if (this.checked != this.total) return "FAIL stalled-reader: " + this.checked.toString() + " of " + this.total.toString() + " bytes read";
    if (this.probesDuring == 0) return "FAIL stalled-reader: no window probe in " + (this.pause / SEC).toString() + " s of a shut window";
    const after = (this.doneAt - this.resumedAt) / MS;
    if (after > 1000) return "FAIL stalled-reader: " + after.toString() + " ms to finish after reading resumed";
    return "ok stalled-reader " + this.probesDuring.toString() + " probes while stalled, done " + after.toString() + " ms after resuming";
  }
}

/** Orderly closes in the three orders; each pair of sockets must end closed (or in
 * TIME-WAIT on the side that closed first). */
class Closes extends Scenario {
  private readonly listener: TcpListener;
  private readonly conns: TcpSocket[] = [];
  private readonly peers: TcpSocket[] = [];
  private stage: i32 = 0;
  private failure: string = "";

  constructor() {
    super();
    this.listener = server.tcp.listen(ECHO_PORT)!;
    for (let i = 0; i < 3; i++) this.conns.push(client.tcp.connect(link.now, SERVER, ECHO_PORT)!);
  }

  step(now: u64): bool {
    let a: TcpSocket | null;
    while ((a = this.listener.accept()) !== null) this.peers.push(a);
    if (this.stage == 0 && this.peers.length == 3) {
      this.conns[0].close(); // client first
      this.peers[1].close(); // server first
      this.conns[2].close(); // both at once
      this.peers[2].close();
      this.stage = 1;
    }
    if (this.stage == 1) {
      // The server holds its half of pair 0 open for 5 s: the client, in FIN-WAIT-2 with
      // its FIN acknowledged, must send nothing meanwhile.
      if (this.halfClosedAt == 0 && this.conns[0].state == TcpState.FinWait2) {
        this.halfClosedAt = now;
        this.sentAtHalfClose = client.tcp.stats.segmentsSent;
      }
      if (this.halfClosedAt != 0 && now - this.halfClosedAt >= 5 * SEC && this.peers[0].state == TcpState.CloseWait) {
        if (client.tcp.stats.segmentsSent != this.sentAtHalfClose) this.failure = "the client sent segments in FIN-WAIT-2";
        this.peers[0].close();
      }
      if (this.conns[1].atEof && this.conns[1].state == TcpState.CloseWait) this.conns[1].close();
      const done = this.conns[0].state == TcpState.TimeWait && this.peers[0].state == TcpState.Closed &&
        this.peers[1].state == TcpState.TimeWait && this.conns[1].state == TcpState.Closed &&
        this.conns[2].state == TcpState.TimeWait && this.peers[2].state == TcpState.TimeWait;
      if (done) {
        for (let i = 0; i < 3; i++) {
          if (this.conns[i].error != TcpError.None || this.peers[i].error != TcpError.None) this.failure = "an error on pair " + i.toString();
        }
        this.stage = 2;
        this.closedAt = now;
      }
    }
    // TIME-WAIT records expire after 2 MSL: then nothing is left.
    if (this.stage == 2 && client.tcp.timeWaitCount == 0 && server.tcp.timeWaitCount == 0) return true;
    return false;
  }

  private closedAt: u64 = 0;
  private halfClosedAt: u64 = 0;
  private sentAtHalfClose: u64 = 0;

  wakeAt(): u64 {
    return this.halfClosedAt != 0 && this.peers[0].state == TcpState.CloseWait ? this.halfClosedAt + 5 * SEC : u64.MAX_VALUE;
  }

  result(): string {
    if (this.failure.length) return "FAIL close: " + this.failure;
    if (this.stage != 2) return "FAIL close: stage " + this.stage.toString();
    // A close on a clean link needs no retransmission (a FIN sent again after its ACK did).
    const resent = client.tcp.stats.retransmitted + server.tcp.stats.retransmitted + client.tcp.stats.timeouts + server.tcp.stats.timeouts;
    if (resent != 0) return "FAIL close: " + resent.toString() + " retransmissions or timeouts on a clean link";
    const left = client.tcp.connections + server.tcp.connections;
    return "ok close (TIME-WAIT over " + ((link.now - this.closedAt) / SEC).toString() + " s later, " + left.toString() + " sockets left)";
  }
}

class Refused extends Scenario {
  private readonly conn: TcpSocket;

  constructor() {
    super();
    this.conn = client.tcp.connect(link.now, SERVER, 1234)!;
  }

  step(now: u64): bool {
    return this.conn.state == TcpState.Closed;
  }

  result(): string {
    return this.conn.error == TcpError.Reset ? "ok refused" : "FAIL refused: error " + (<i32>this.conn.error).toString();
  }
}

/** A connection the server closes first, then a new one from the same client port. */
class Reuse extends Scenario {
  private readonly listener: TcpListener;
  private first: TcpSocket;
  private second: TcpSocket | null = null;
  private stage: i32 = 0;
  private secondStarted: u64 = 0;
  private secondUp: u64 = 0;

  constructor() {
    super();
    this.listener = server.tcp.listen(ECHO_PORT)!;
    this.first = client.tcp.connect(link.now, SERVER, ECHO_PORT, new TcpSocketOptions(), 40000)!;
  }

  step(now: u64): bool {
    const a = this.listener.accept();
    if (this.stage == 0 && a !== null) {
      sendPattern(a, 0, 100000);
      a.close();
      this.stage = 1;
    } else if (this.stage == 2 && a !== null) {
      this.secondUp = now;
      a.close();
      return true;
    }
    if (this.stage == 1) {
      readPattern(this.first, 0, u32.MAX_VALUE);
      if (this.first.atEof) {
        this.first.close();
        if (this.first.state == TcpState.Closed || this.first.state == TcpState.LastAck) {
          if (this.first.state == TcpState.Closed && server.tcp.timeWaitCount == 1) {
            this.second = client.tcp.connect(now, SERVER, ECHO_PORT, new TcpSocketOptions(), 40000);
            this.secondStarted = now;
            this.stage = 2;
          }
        }
      }
    }
    return false;
  }

  result(): string {
    if (this.second === null) return "FAIL reuse: the second connection was not started";
    const took = (this.secondUp - this.secondStarted) / MS;
    return took < 100 ? "ok reuse (connected in " + took.toString() + " ms)" : "FAIL reuse: the second connection took " + took.toString() + " ms";
  }
}

/** SYNs from `n` spoofed clients, then a real client's echo. */
class SynFlood extends Scenario {
  private readonly echo: EchoServer = new EchoServer();
  private conn: TcpSocket | null = null;
  private flooded: i32 = 0;
  private checked: u64 = 0;
  private maxHalfOpen: i32 = 0;
  private startedAt: u64 = 0;
  private servedAt: u64 = 0;
  private readonly frame: Uint8Array = new Uint8Array(54);
  heapBefore: usize = 0;
  heapAfter: usize = 0;

  constructor(readonly n: i32) {
    super();
  }

  step(now: u64): bool {
    this.echo.step();
    if (this.flooded == 0) this.heapBefore = heap_in_use();
    // 200 SYNs per step, from addresses in 10.0.0.0/24 beyond the two stacks.
    for (let k = 0; k < 200 && this.flooded < this.n; k++, this.flooded++) {
      buildSyn(this.frame, 0x0a000003 + <u32>(this.flooded % 250), <u32>(1024 + this.flooded % 60000), <u32>this.flooded * 2654435761);
      if (!link.b.inject(this.frame)) break; // the link is full: the rest next time
    }
    this.maxHalfOpen = max(this.maxHalfOpen, server.tcp.halfOpenCount);
    // The real client comes once the server has taken in the whole flood.
    if (this.flooded == this.n && this.conn === null && link.b.inFlight == 0) {
      this.heapAfter = heap_in_use();
      this.startedAt = now;
      this.conn = client.tcp.connect(now, SERVER, ECHO_PORT);
      sendPattern(this.conn!, 0, 1000);
    }
    const c = this.conn;
    if (c !== null && this.servedAt == 0) {
      this.checked = readPattern(c, this.checked, u32.MAX_VALUE);
      if (this.checked == 1000) {
        this.servedAt = now;
        c.close();
        return true;
      }
    }
    return false;
  }

  result(): string {
    if (this.servedAt == 0) return "FAIL syn-flood: the real client was not served";
    if (this.maxHalfOpen > server.tcp.config.maxHalfOpen) return "FAIL syn-flood: " + this.maxHalfOpen.toString() + " half-open connections";
    return "ok syn-flood " + this.n.toString() + " SYNs, at most " + this.maxHalfOpen.toString() + " half-open, client served in " +
      ((this.servedAt - this.startedAt) / MS).toString() + " ms, heap +" + (<i64>this.heapAfter - <i64>this.heapBefore).toString() + " bytes";
  }
}

/** A SYN from a spoofed address into `f` (with a valid checksum, as a flood tool sends). */
function buildSyn(f: Uint8Array, ip: u32, port: u32, seq: u32): void {
  buildSegment(f, ip, port, ECHO_PORT, seq, 0, 0x02);
}

/** A 54-byte segment with no payload from ip:port to the server's dstPort, checksums
 * valid, as if it came over the wire. */
function buildSegment(f: Uint8Array, ip: u32, port: u32, dstPort: u32, seq: u32, ack: u32, flags: u32): void {
  const p = f.dataStart;
  storeMacAt(p, link.b.mac);
  storeMacAt(p + 6, 0x0c00_0000_0002);
  store<u16>(p + 12, bswap<u16>(0x0800));
  const h = p + 14;
  store<u8>(h, 0x45);
  store<u8>(h, 0, 1);
  store<u16>(h + 2, bswap<u16>(40));
  store<u32>(h + 4, 0);
  store<u8>(h + 8, 64);
  store<u8>(h + 9, 6);
  store<u16>(h + 10, 0);
  store<u32>(h + 12, bswap<u32>(ip));
  store<u32>(h + 16, bswap<u32>(SERVER));
  store<u16>(h + 10, ~foldSum(sumWords(h, 20)));
  const t = h + 20;
  store<u16>(t, bswap<u16>(<u16>port));
  store<u16>(t + 2, bswap<u16>(<u16>dstPort));
  store<u32>(t + 4, bswap<u32>(seq));
  store<u32>(t + 8, bswap<u32>(ack));
  store<u8>(t + 12, 0x50);
  store<u8>(t + 13, <u8>flags);
  store<u16>(t + 14, bswap<u16>(64240));
  store<u16>(t + 16, 0);
  store<u16>(t + 18, 0);
  const pseudo = sumWords(h + 12, 8) + <u32>bswap<u16>(6) + <u32>bswap<u16>(20);
  store<u16>(t + 16, ~foldSum(pseudo + sumWords(t, 20)));
}

function storeMacAt(p: usize, mac: u64): void {
  store<u32>(p, <u32>mac);
  store<u16>(p + 4, <u16>(mac >> 32));
}

function sumWords(p: usize, n: u32): u32 {
  let s: u32 = 0;
  for (let i: u32 = 0; i < n; i += 2) s += <u32>load<u16>(p + i);
  return s;
}

function foldSum(s: u32): u16 {
  while (s >> 16) s = (s & 0xffff) + (s >> 16);
  return <u16>s;
}

/** `n` connections at once, then `m` one after another. */
class Many extends Scenario {
  private readonly echo: EchoServer;
  private readonly options: TcpSocketOptions;
  private readonly open: TcpSocket[] = [];
  private readonly got: u64[] = [];
  private stage: i32 = 0;
  private sequential: i32 = 0;
  private current: TcpSocket | null = null;
  private currentGot: u64 = 0;
  heapAfterFirst: usize = 0;
  heapAtEnd: usize = 0;
  private heapBefore: usize = 0;
  /** Heap bytes per open connection, both ends' sockets, beyond their buffers. */
  private perConnection: i64 = 0;
  private failure: string = "";
  private finished: bool = false;

  constructor(readonly n: i32, readonly m: i32) {
    super();
    const options = new TcpSocketOptions();
    options.rxBuffer = 8192;
    options.txBuffer = 8192;
    this.options = options;
    this.echo = new EchoServer(options);
  }

  step(now: u64): bool {
    this.echo.step();
    if (this.stage == 0) {
      __collect();
      this.heapBefore = heap_in_use();
      for (let i = 0; i < this.n; i++) {
        const c = client.tcp.connect(now, SERVER, ECHO_PORT, this.options);
        if (c === null) {
          this.failure = "connect " + i.toString() + " refused";
          return true;
        }
        sendPattern(c, 0, 100);
        this.open.push(c);
        this.got.push(0);
      }
      this.stage = 1;
    }
    if (this.stage == 1) {
      let done = 0;
      for (let i = 0; i < this.open.length; i++) {
        const g = readPattern(this.open[i], this.got[i], u32.MAX_VALUE);
        this.got[i] = g;
        if (g == 100) done++;
      }
      if (done == this.n) {
        __collect();
        const buffers = <i64>(2 * (8192 + 8192)); // client and server sockets, rx and tx each
        this.perConnection = (<i64>heap_in_use() - <i64>this.heapBefore) / this.n - buffers;
        for (let i = 0; i < this.open.length; i++) this.open[i].close();
        this.stage = 2;
      }
    }
    if (this.stage == 2) {
      if (client.tcp.connections == 0 && server.tcp.connections == 0) {
        __collect();
        this.heapAfterFirst = heap_in_use();
        this.stage = 3;
      }
    }
    if (this.stage == 3) {
      if (this.current === null) {
        if (this.sequential == this.m) {
          if (client.tcp.connections == 0 && server.tcp.connections == 0) {
            __collect();
            this.heapAtEnd = heap_in_use();
            this.finished = true;
            return true;
          }
          return false;
        }
        this.current = client.tcp.connect(now, SERVER, ECHO_PORT, this.options);
        if (this.current === null) {
          this.failure = "sequential connect " + this.sequential.toString() + " refused";
          return true;
        }
        sendPattern(this.current!, 0, 100);
        this.currentGot = 0;
      }
      const c = this.current!;
      this.currentGot = readPattern(c, this.currentGot, u32.MAX_VALUE);
      if (this.currentGot == 100) {
        c.close();
        this.current = null;
        this.sequential++;
      }
    }
    return false;
  }

  result(): string {
    if (this.failure.length) return "FAIL many: " + this.failure;
    if (!this.finished) return "FAIL many: " + this.sequential.toString() + " of " + this.m.toString() + " sequential connections done";
    const growth = <i64>this.heapAtEnd - <i64>this.heapAfterFirst;
    // One record per connection in TIME-WAIT is kept without allocating; anything that
    // grows with connections would show here, M connections later.
    if (growth > 4096) return "FAIL many: the heap grew by " + growth.toString() + " bytes over " + this.m.toString() + " connections";
    return "ok many " + this.n.toString() + " at once, " + this.m.toString() + " in a row, heap " + this.heapAfterFirst.toString() + " -> " + this.heapAtEnd.toString() +
      " bytes, " + client.tcp.timeWaitCount.toString() + " in TIME-WAIT, " + this.perConnection.toString() + " bytes a connection (both ends) beyond buffers";
  }
}

/** The link dies after the handshake: the client gives up with TimedOut. */
class GiveUp extends Scenario {
  private readonly listener: TcpListener;
  private readonly conn: TcpSocket;
  private cutAt: u64 = 0;

  constructor() {
    super();
    this.listener = server.tcp.listen(ECHO_PORT)!;
    this.conn = client.tcp.connect(link.now, SERVER, ECHO_PORT)!;
  }

  step(now: u64): bool {
    this.listener.accept();
    if (this.cutAt == 0 && this.conn.state == TcpState.Established) {
      link.conditions.loss = 1;
      this.cutAt = now;
      sendPattern(this.conn, 0, 1000);
    }
    return this.conn.state == TcpState.Closed;
  }

  result(): string {
    if (this.conn.error != TcpError.TimedOut) return "FAIL give-up: error " + (<i32>this.conn.error).toString();
    return "ok give-up after " + ((link.now - this.cutAt) / SEC).toString() + " s";
  }
}

/** The client vanishes; the server's keep-alive finds out. */
class KeepAlive extends Scenario {
  private readonly listener: TcpListener;
  private accepted: TcpSocket | null = null;
  private cutAt: u64 = 0;

  constructor() {
    super();
    const options = new TcpSocketOptions();
    options.keepAliveIdle = 10 * SEC;
    this.listener = server.tcp.listen(ECHO_PORT, 8, options)!;
    client.tcp.connect(link.now, SERVER, ECHO_PORT);
  }

  step(now: u64): bool {
    if (this.accepted === null) {
      this.accepted = this.listener.accept();
      if (this.accepted !== null) {
        link.conditions.loss = 1;
        this.cutAt = now;
      }
      return false;
    }
    return this.accepted!.state == TcpState.Closed;
  }

  result(): string {
    const a = this.accepted;
    if (a === null || a.error != TcpError.TimedOut) return "FAIL keepalive";
    return "ok keepalive gave up after " + ((link.now - this.cutAt) / SEC).toString() + " s";
  }
}

/** Segments with every field mangled, from the client's address, then an echo. */
class Garbage extends Scenario {
  private readonly echo: EchoServer = new EchoServer();
  private injected: i32 = 0;
  private readonly frame: Uint8Array = new Uint8Array(1514);
  private rng: u32 = 2463534242;
  private conn: TcpSocket | null = null;
  private checked: u64 = 0;

  constructor(readonly n: i32) {
    super();
  }

  private next(): u32 {
    let x = this.rng;
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    this.rng = x;
    return x;
  }

  step(now: u64): bool {
    this.echo.step();
    for (let k = 0; k < 100 && this.injected < this.n; k++, this.injected++) {
      // A valid SYN, then a few random bytes overwritten (checksums stay as built, so
      // most are caught there, and some parse; lengths and offsets too).
      buildSyn(this.frame, CLIENT, 1024 + (this.next() & 0xffff), this.next());
      const len = 54 + <i32>(this.next() % 64);
      for (let i = 54; i < len; i++) this.frame[i] = <u8>this.next();
      const flips: u32 = 1 + this.next() % 4;
      for (let f: u32 = 0; f < flips; f++) this.frame[14 + <i32>(this.next() % <u32>(len - 14))] = <u8>this.next();
      link.b.inject(this.frame, len);
    }
    if (this.injected == this.n && this.conn === null) {
      this.conn = client.tcp.connect(now, SERVER, ECHO_PORT);
      sendPattern(this.conn!, 0, 5000);
    }
    const c = this.conn;
    if (c !== null) {
      this.checked = readPattern(c, this.checked, u32.MAX_VALUE);
      if (this.checked == 5000) return true;
    }
    return false;
  }

  result(): string {
    if (this.checked != 5000) return "FAIL garbage: the server stopped serving";
    return "ok garbage " + this.n.toString() + " segments, drops: " + server.iface.drops.toString();
  }
}

/** Both ends connect to each other at once (RFC 9293 figure 8): SYN-SENT, then
 * SYN-RECEIVED on both, then ESTABLISHED, and data flows both ways. */
class SimultaneousOpen extends Scenario {
  private readonly a: TcpSocket;
  private readonly b: TcpSocket;
  private sentA: u64 = 0;
  private sentB: u64 = 0;
  private gotA: u64 = 0;
  private gotB: u64 = 0;
  private sawSynReceived: bool = false;

  constructor() {
    super();
    this.a = client.tcp.connect(link.now, SERVER, 6000, new TcpSocketOptions(), 5000)!;
    this.b = server.tcp.connect(link.now, CLIENT, 5000, new TcpSocketOptions(), 6000)!;
  }

  step(now: u64): bool {
    if (this.a.state == TcpState.SynReceived || this.b.state == TcpState.SynReceived) this.sawSynReceived = true;
    this.sentA = sendPattern(this.a, this.sentA, 100000);
    this.sentB = sendPattern(this.b, this.sentB, 100000);
    if (this.gotA != u64.MAX_VALUE) this.gotA = readPattern(this.a, this.gotA, u32.MAX_VALUE);
    if (this.gotB != u64.MAX_VALUE) this.gotB = readPattern(this.b, this.gotB, u32.MAX_VALUE);
    return (this.gotA == 100000 && this.gotB == 100000) || this.gotA == u64.MAX_VALUE || this.gotB == u64.MAX_VALUE || this.a.state == TcpState.Closed;
  }

  result(): string {
    if (!this.sawSynReceived) return "FAIL simultaneous-open: no SYN-RECEIVED (the SYNs did not cross)";
    if (this.gotA != 100000 || this.gotB != 100000) return "FAIL simultaneous-open: " + this.gotA.toString() + " and " + this.gotB.toString() + " bytes";
    return "ok simultaneous-open 100000 bytes each way";
  }
}

/** RFC 5961 on an established connection: an RST in the window but not at rcvNxt, and a
 * SYN, each get a challenge ACK and leave it open; an RST at rcvNxt resets it. */
class BlindAttacks extends Scenario {
  private readonly listener: TcpListener;
  private readonly conn: TcpSocket;
  private accepted: TcpSocket | null = null;
  private stage: i32 = 0;
  private sentBefore: u64 = 0;
  private failure: string = "";
  private readonly frame: Uint8Array = new Uint8Array(54);

  constructor() {
    super();
    this.listener = server.tcp.listen(ECHO_PORT)!;
    this.conn = client.tcp.connect(link.now, SERVER, ECHO_PORT)!;
  }

  /** A segment from the client's address and port to the server's connection. */
  private inject(seq: u32, ack: u32, flags: u32): void {
    buildSegment(this.frame, CLIENT, this.conn.localPort, ECHO_PORT, seq, ack, flags);
    link.b.inject(this.frame);
  }

  step(now: u64): bool {
    if (this.accepted === null) this.accepted = this.listener.accept();
    const a = this.accepted;
    if (a === null) return false;
    const rcvNxt = a.receiveNext;
    if (this.stage == 0 || this.stage == 1) {
      if (this.checkAt != 0) {
        if (now < this.checkAt) return false;
        const acks = server.tcp.stats.segmentsSent - this.sentBefore;
        if (a.state != TcpState.Established) this.failure = "the connection did not survive a blind " + (this.stage == 0 ? "RST" : "SYN");
        else if (acks != 1) this.failure = acks.toString() + " challenge ACKs for a blind " + (this.stage == 0 ? "RST" : "SYN");
        if (this.failure.length) return true;
        this.stage++;
        this.checkAt = 0;
        if (this.stage == 2) {
          this.inject(rcvNxt, 0, 0x04); // RST exactly at rcvNxt
          return false;
        }
      }
      this.sentBefore = server.tcp.stats.segmentsSent;
      if (this.stage == 0) this.inject(rcvNxt + 1000, a.sendNext, 0x04); // RST, in the window, not at rcvNxt
      else this.inject(rcvNxt + 10, 0, 0x02); // SYN
      this.checkAt = now + 10 * MS;
    } else if (this.stage == 2) {
      return a.state == TcpState.Closed;
    }
    return false;
  }

  private checkAt: u64 = 0;

  wakeAt(): u64 {
    return this.checkAt != 0 ? this.checkAt : u64.MAX_VALUE;
  }

  result(): string {
    if (this.failure.length) return "FAIL blind-attacks: " + this.failure;
    const a = this.accepted;
    if (a === null || a.error != TcpError.Reset) return "FAIL blind-attacks: an RST at rcvNxt did not reset the connection";
    return "ok blind-attacks";
  }
}

/** The server sends `total` bytes over a 20 ms one-way link to a client with a 1 MiB
 * receive buffer: only window scaling lets more than 64 KiB be in flight. */
class BigWindow extends Scenario {
  private readonly source: SourceServer;
  private readonly conn: TcpSocket;
  private checked: u64 = 0;
  private readonly startedAt: u64;

  constructor(readonly total: u64) {
    super();
    const big = new TcpSocketOptions();
    big.rxBuffer = 1 << 20;
    big.txBuffer = 1 << 20;
    this.source = new SourceServer(total, big);
    this.conn = client.tcp.connect(link.now, SERVER, SOURCE_PORT, big)!;
    this.startedAt = link.now;
  }

  step(now: u64): bool {
    this.source.step();
    if (this.checked != u64.MAX_VALUE) this.checked = readPattern(this.conn, this.checked, u32.MAX_VALUE);
    return this.checked == this.total || this.checked == u64.MAX_VALUE;
  }

  result(): string {
    if (this.checked != this.total) return "FAIL big-window: " + this.checked.toString() + " bytes";
    const ms = (link.now - this.startedAt) / MS;
    // A 64 KiB window over a 40 ms round trip moves 1.6 MB/s at most.
    const unscaledMs = this.total * 1000 / (65535 * 25);
    if (ms * 4 > unscaledMs) return "FAIL big-window: " + ms.toString() + " ms, as if the window were not scaled (" + unscaledMs.toString() + " ms)";
    return "ok big-window " + this.total.toString() + " bytes in " + ms.toString() + " ms (unscaled: at least " + unscaledMs.toString() + " ms)";
  }
}

/** One line per frame: time, direction, TCP flags, seq, ack, window, length. */
function traceFrame(p: usize, n: u32, fromA: bool): void {
  const ip = p + 14;
  if (load<u16>(p + 12) == bswap<u16>(0x0806)) {
    puts((link.now / 1000).toString() + "us " + (fromA ? "c>s " : "s>c ") + "arp op=" + load<u8>(ip + 7).toString() +
      " target=" + bswap<u32>(load<u32>(ip + 24)).toString(16) + "\n");
    return;
  }
  if (n < 54 || load<u8>(ip + 9) != 6) return;
  const tcp = ip + ((<u32>load<u8>(ip) & 0xf) << 2);
  const flags = <u32>load<u8>(tcp + 13);
  let f = "";
  if (flags & 2) f += "S";
  if (flags & 1) f += "F";
  if (flags & 4) f += "R";
  if (flags & 16) f += ".";
  const total = <u32>bswap<u16>(load<u16>(ip + 2));
  const len = total - ((<u32>load<u8>(ip) & 0xf) << 2) - ((<u32>load<u8>(tcp + 12) >> 4) << 2);
  puts((link.now / 1000).toString() + "us " + (fromA ? "c>s " : "s>c ") + f + " seq=" + bswap<u32>(load<u32>(tcp + 4)).toString() +
    " ack=" + bswap<u32>(load<u32>(tcp + 8)).toString() + " win=" + (<u32>bswap<u16>(load<u16>(tcp + 14))).toString() + " len=" + len.toString() + "\n");
}

export function solo5_app_main(_si: usize): i32 {
  const what = words[0];
  const config = new TcpConfig();
  setUp(config);
  let s: Scenario;
  let limit: u64 = 1000 * SEC;
  if (what == "echo") s = new Echo(number(1, 100000));
  else if (what == "slow-reader") s = new SlowReader(number(1, 1000000));
  else if (what == "stalled-reader") s = new StalledReader(number(1, 1000000), number(2, 10) * SEC);
  else if (what == "close") s = new Closes();
  else if (what == "simultaneous-open") s = new SimultaneousOpen();
  else if (what == "blind-attacks") s = new BlindAttacks();
  else if (what == "big-window") s = new BigWindow(number(1, 20000000));
  else if (what == "refused") s = new Refused();
  else if (what == "reuse") s = new Reuse();
  else if (what == "syn-flood") s = new SynFlood(<i32>number(1, 10000));
  else if (what == "many") s = new Many(<i32>number(1, 500), <i32>number(2, 5000));
  else if (what == "give-up") s = new GiveUp();
  else if (what == "keepalive") s = new KeepAlive();
  else if (what == "garbage") s = new Garbage(<i32>number(1, 10000));
  else {
    puts("FAIL unknown scenario '" + what + "'\n");
    return 1;
  }
  const done = run(s, limit);
  const line = s.result();
  puts(line + "\n");
  puts("link: lost " + link.lost.toString() + ", reordered " + link.reordered.toString() + ", duplicated " + link.duplicated.toString() +
    ", frames " + link.a.sent.toString() + "+" + link.b.sent.toString() + "\n");
  puts("drops: client " + client.iface.drops.toString() + "; server " + server.iface.drops.toString() + "\n");
  puts("tcp client: " + client.tcp.stats.toString() + "\ntcp server: " + server.tcp.stats.toString() + "\n");
  return done && line.startsWith("ok") ? 0 : 1;
}
