// The TCP/IP stack against itself over the simulated link (assembly/tcpip/sim/link.ts):
// two stacks in one guest, 10.0.0.1 (the client) and 10.0.0.2 (the server), time moved
// from event to event, so every run of a scenario is the same. The command line names a
// scenario and its parameters; the guest prints one result line, "ok ..." or "FAIL ...",
// and exits 0 or 1.
//
//   echo BYTES LOSS% [reorder=P%] [dup=P%] [nosack] [seed=N] [rate=BYTES/S] [delay=MS]
//       the client sends BYTES (byte i is i % 251) to the server's echo port and checks
//       that the same bytes come back, then both close.
import { cmdline, puts } from "../../../assembly";
import {
  LinkConditions, NetStack, SimLink, TcpConfig, TcpListener, TcpSocket, TcpSocketOptions, TcpState,
} from "../../../assembly/tcpip";

const CLIENT: u32 = 0x0a000001;
const SERVER: u32 = 0x0a000002;
const PORT: u32 = 7;
const MS: u64 = 1_000_000;

let link!: SimLink;
let client!: NetStack;
let server!: NetStack;

function setUp(conditions: LinkConditions, seed: u64, sack: bool): void {
  link = new SimLink(1500, conditions, seed);
  const config = new TcpConfig();
  config.sack = sack;
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
}

/** One step of the application on both sides; true when the scenario is over. */
abstract class Scenario {
  abstract step(now: u64): bool;
  abstract result(): string;
}

/** Polls both stacks, runs the scenario, and moves time to the next event; false when
 * time ran past `limit` or nothing could happen any more (a deadlock). */
function run(s: Scenario, limit: u64): bool {
  let idle = 0;
  while (link.now <= limit) {
    const now = link.now;
    client.poll(now);
    server.poll(now);
    if (s.step(now)) return true;
    client.flush(now);
    server.flush(now);
    const next = min(min(client.pollAt(now), server.pollAt(now)), link.nextEvent());
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

class Echo extends Scenario {
  private readonly listener: TcpListener;
  private readonly conn: TcpSocket;
  private accepted: TcpSocket | null = null;
  private sent: u64 = 0;
  private checked: u64 = 0;
  private bad: bool = false;
  private serverClosed: bool = false;
  private readonly buf: Uint8Array = new Uint8Array(8192);
  finishedAt: u64 = 0;

  constructor(readonly total: u64) {
    super();
    const options = new TcpSocketOptions();
    this.listener = server.tcp.listen(PORT, 128, options)!;
    this.conn = client.tcp.connect(link.now, SERVER, PORT, options)!;
  }

  step(now: u64): bool {
    if (this.accepted === null) this.accepted = this.listener.accept();
    const a = this.accepted;
    if (a !== null && !this.serverClosed) {
      // Echo what fits in the send buffer; close after the client's FIN.
      for (;;) {
        const room = min(a.sendCapacity, <u32>this.buf.byteLength);
        if (room == 0) break;
        const n = a.recvInto(this.buf.dataStart, room);
        if (n == 0) break;
        a.sendFrom(this.buf.dataStart, n);
      }
      if (a.atEof) {
        a.close();
        this.serverClosed = true;
      }
    }
    const c = this.conn;
    if (c.state == TcpState.Closed && c.error != 0) {
      puts("client connection failed: error " + (<i32>c.error).toString() + "\n");
      return true;
    }
    if (c.isOpen || c.state == TcpState.SynSent) {
      while (this.sent < this.total) {
        const off = <i32>(this.sent % 251);
        const n = c.send(PATTERN, off, <i32>min(<u64>(PATTERN_LEN - off), this.total - this.sent));
        if (n <= 0) break;
        this.sent += <u64>n;
      }
      if (this.sent == this.total && c.state == TcpState.Established && this.checked == 0 && this.total == 0) c.close();
      for (;;) {
        const n = c.recvInto(this.buf.dataStart, <u32>this.buf.byteLength);
        if (n == 0) break;
        for (let i: u32 = 0; i < n; i++) {
          if (load<u8>(this.buf.dataStart + i) != <u8>((this.checked + <u64>i) % 251)) this.bad = true;
        }
        this.checked += <u64>n;
      }
      if (this.checked == this.total && this.sent == this.total && this.finishedAt == 0) {
        this.finishedAt = now;
        c.close();
      }
    }
    return this.finishedAt != 0 && this.serverClosed && c.state == TcpState.Closed || (this.finishedAt != 0 && c.state == TcpState.TimeWait);
  }

  result(): string {
    if (this.bad) return "FAIL echo: the bytes that came back differ";
    if (this.checked != this.total) return "FAIL echo: " + this.checked.toString() + " of " + this.total.toString() + " bytes came back";
    return "ok echo " + this.total.toString() + " bytes in " + (this.finishedAt / MS - 1000).toString() + " ms";
  }
}

/** One line per frame: time, direction, TCP flags, seq, ack, window, length. */
function traceFrame(p: usize, n: u32, fromA: bool): void {
  const ip = p + 14;
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

function option(words: string[], name: string, fallback: f64): f64 {
  for (let i = 0; i < words.length; i++) {
    if (words[i].startsWith(name + "=")) return parseFloat(words[i].slice(name.length + 1).replace("%", ""));
  }
  return fallback;
}

function has(words: string[], name: string): bool {
  return words.includes(name);
}

export function solo5_app_main(_si: usize): i32 {
  const words = cmdline().split(" ");
  const what = words[0];
  if (what == "echo") {
    const conditions = new LinkConditions();
    conditions.loss = parseFloat(words[2].replace("%", "")) / 100;
    conditions.reorder = option(words, "reorder", 0) / 100;
    conditions.duplicate = option(words, "dup", 0) / 100;
    conditions.delay = <u64>(option(words, "delay", 1) * <f64>MS);
    conditions.bytesPerSec = <u64>option(words, "rate", 0);
    setUp(conditions, <u64>option(words, "seed", 1), !has(words, "nosack"));
    if (has(words, "trace")) link.tap = traceFrame;
    const s = new Echo(<u64>parseInt(words[1]));
    const done = run(s, 1000 * 1000 * MS);
    const line = s.result();
    puts(line + " (lost " + link.lost.toString() + ", reordered " + link.reordered.toString() + ", duplicated " + link.duplicated.toString() + ", frames " + link.a.sent.toString() + "+" + link.b.sent.toString() + ")\n");
    puts("drops client: " + client.iface.drops.toString() + "; server: " + server.iface.drops.toString() + "\n");
    puts("tcp client: " + client.tcp.stats.toString() + "\ntcp server: " + server.tcp.stats.toString() + "\n");
    return done && line.startsWith("ok") ? 0 : 1;
  }
  puts("FAIL unknown scenario '" + what + "'\n");
  return 1;
}
