// Replay: a hook of the hypercall table that answers every call from a record log
// instead of doing it. Inputs are written into guest memory as recorded; outputs are
// checked against their recorded digests (console bytes are printed too); exit and
// abort are done for real. The first difference ends the guest with one line naming
// the call's number (from 1), its name and what differed. Nothing waits: a yield
// returns its recorded ready set at once, so replay runs as fast as the guest does.
import { BLOCK_INFO, HANDLE_SIZE, NET_INFO, R_OK, asU64, type HypercallName } from "../abi.js";
import { endGuest, type GuestContext } from "../context.js";
import { GuestEnded, TenderError, type ExitResult } from "../errors.js";
import type { CallHook, Hypercall } from "../hypercalls/index.js";
import { BlockReads } from "./block-reads.js";
import type { Digests } from "./digest.js";
import { CALL_IDS, RecordReader, RecordsEnded, TAG_END, TAG_FAILED, TAG_REPEAT, callId, showDigest, type RecordedEnd } from "./format.js";
import type { RecordLog } from "./log-reader.js";

/** How a replay came out: `matched` when the guest did all the recorded run did and ended as it did. */
export interface ReplayOutcome {
  matched: boolean;
  /** Hypercalls replayed. */
  calls: number;
  /** The replay's exit status: the recorded run's when matched, 0 when stopped by `until`, else 1. */
  status: number;
  /** One line saying how it came out. */
  message: string;
  /** How the replayed guest ended. */
  result: ExitResult;
}

export interface ReplayerOptions {
  /** Stop before call N (counted from 1), as `--until=N`, dumping a core if the platform can. */
  until?: number;
}

/** Says how a run ended, as divergence lines show it. */
export const showEnding = (r: ExitResult): string =>
  `${r.reason}${r.reason === "exit" ? ` ${r.code}` : r.message ? `: ${r.message}` : ""} (status ${r.status})`;

const BLOCK_READ = callId("block_read");

export class Replayer {
  calls = 0;
  private chunk = 0;
  private reader: RecordReader;
  private monotonic = 0n;
  private wall = 0n;
  /** Whether the record taken last is a repeated block read (TAG_REPEAT). */
  private repeat = false;
  /** The recorded bytes of each block range a later read may repeat. */
  private readonly reads = new BlockReads<Uint8Array>();
  /** Set when replay stopped the guest itself (a divergence, the log's end, --until). */
  private stopped?: { status: number; message: string; matched: boolean };

  constructor(
    private readonly log: RecordLog,
    private readonly digests: Digests,
    private readonly options: ReplayerOptions = {},
  ) {
    this.reader = new RecordReader(log.chunks[0]?.payload ?? new Uint8Array(0));
  }

  readonly hook: CallHook = (name, call, ctx) => {
    const id = callId(name);
    const replay = this.replayOf(name, call, ctx);
    return (...args: never[]) => {
      const index = ++this.calls;
      if (index === this.options.until) this.stopHere(ctx, index, name);
      try {
        return replay(this.take(ctx, index, name, id), ...args);
      } catch (e) {
        if (e instanceof RecordsEnded) this.fail(ctx, `the log is corrupt in its chunk at byte ${this.chunkAt()}: the record of call ${index} (${name}) is cut short`);
        throw e;
      }
    };
  };

  /** Whether replay has said how it came out: it stopped the guest itself, with a line. */
  get said(): boolean {
    return this.stopped !== undefined;
  }

  /** The outcome, given how the replayed guest ended. */
  finish(result: ExitResult): ReplayOutcome {
    const { calls } = this;
    if (this.stopped) return { ...this.stopped, calls, result };
    const next = this.nextTag();
    if (next === undefined) {
      return { matched: false, calls, status: 1, result, message: `the guest ended (${showEnding(result)}) where the log ends, which records no ending: ${this.cutShort()}` };
    }
    if (next !== TAG_END) {
      const recorded = CALL_IDS[next & 0x0f] ?? `a record tagged ${next}`;
      return { matched: false, calls, status: 1, result, message: `replay diverged after call ${calls}: recorded ${recorded} next, now the guest ended (${showEnding(result)})` };
    }
    const end = this.readEnd();
    const same = end.status === result.status && end.reason === result.reason && end.code === result.code && end.message === result.message;
    if (!same) return { matched: false, calls, status: 1, result, message: `replay diverged at its end: recorded ${showEnding(end)}, now ${showEnding(result)}` };
    return { matched: true, calls, status: result.status, result, message: `replay matched the recorded run: ${calls} calls, and it ended as recorded (${showEnding(result)})` };
  }

  private chunkAt(): number {
    return this.log.chunks[this.chunk]?.at ?? this.log.size;
  }

  /** The next record's tag, moving to the next chunk when one is done; undefined past the last. */
  private nextTag(): number | undefined {
    while (this.reader.done) {
      const next = this.log.chunks[++this.chunk];
      if (!next) return undefined;
      this.reader = new RecordReader(next.payload);
    }
    return this.reader.bytes[this.reader.at];
  }

  private readEnd(): RecordedEnd {
    const r = this.reader;
    r.byte();
    return JSON.parse(new TextDecoder().decode(r.raw(r.uint()))) as RecordedEnd;
  }

  private cutShort(): string {
    const torn = this.log.torn ? ` (at byte ${this.log.torn.at}, ${this.log.torn.what})` : "";
    return `the log stops after call ${this.calls}${torn}: the recorded run was killed there or its log cut short`;
  }

  /** Ends the guest with a tender error that replay itself found. */
  private fail(ctx: GuestContext, message: string): never {
    this.stopped = { status: 1, message, matched: false };
    return endGuest(ctx, new TenderError(message));
  }

  private diverge(ctx: GuestContext, index: number, name: HypercallName, what: string): never {
    return this.fail(ctx, `replay diverged at call ${index} (${name}): ${what}`);
  }

  /** The recorded run was stopped from outside before this call: so is the replay, as it was. */
  private stoppedHere(ctx: GuestContext, index: number, end: RecordedEnd): never {
    this.calls = index - 1;
    const message = `replay matched the recorded run up to where it was stopped from outside: ${this.calls} calls (status ${end.status})`;
    ctx.platform.stderr(`solo5-wasm: ${message}`);
    this.stopped = { status: end.status, message, matched: true };
    return endGuest(ctx, new GuestEnded(end));
  }

  private stopHere(ctx: GuestContext, index: number, name: HypercallName): never {
    this.calls = index - 1;
    const message = `replay stopped before call ${index} (${name}), as --until asked`;
    const { platform } = ctx;
    platform.stderr(`solo5-wasm: ${message}`);
    if (platform.dumpCore) {
      try {
        platform.stderr(`solo5-wasm: core dumped to ${platform.dumpCore(ctx.mem.bytes, message)}`);
      } catch (e) {
        platform.stderr(`solo5-wasm: cannot dump core: ${(e as Error).message}: check the --dumpcore directory`);
      }
    }
    this.stopped = { status: 0, message, matched: false };
    return endGuest(ctx, new GuestEnded({ status: 0, reason: "stopped", message }));
  }

  /** Takes this call's record and returns its recorded result; ends the guest if the log says otherwise. */
  private take(ctx: GuestContext, index: number, name: HypercallName, id: number): number {
    const tag = this.nextTag();
    if (tag === undefined) return this.fail(ctx, this.cutShort());
    if (tag === TAG_END) {
      const end = this.readEnd();
      if (end.reason === "stopped") return this.stoppedHere(ctx, index, end);
      return this.diverge(ctx, index, name, `recorded the end (${showEnding(end)}), now ${name}`);
    }
    if ((tag & 0x0f) !== id) return this.diverge(ctx, index, name, `recorded ${CALL_IDS[tag & 0x0f] ?? `a record tagged ${tag}`}, now ${name}`);
    const r = this.reader;
    r.byte();
    this.repeat = (tag & TAG_REPEAT) !== 0;
    if (this.repeat && (id !== BLOCK_READ || this.log.version < 2)) {
      return this.fail(ctx, `the log is corrupt in its chunk at byte ${this.chunkAt()}: call ${index} (${name}) is marked a repeated block read, which ${id === BLOCK_READ ? `a version ${this.log.version} log has none of` : "only a block_read can be"}`);
    }
    if (tag & TAG_FAILED) {
      // The recorded call ended the guest with this tender error: so does this one.
      const message = new TextDecoder().decode(r.raw(r.uint()));
      endGuest(ctx, new TenderError(message));
    }
    return (tag >> 4) & 3;
  }

  /** What replaying one call does, given its recorded result. */
  private replayOf(name: HypercallName, call: Hypercall, ctx: GuestContext): (result: number, ...args: never[]) => unknown {
    const { mem } = ctx;
    const r = () => this.reader;
    const { h64 } = this.digests;
    const f = call as (...args: unknown[]) => unknown;
    const index = () => this.calls;
    /** Compares an output with its record: length and digest. */
    const output = (p: number, size: number, withDigest: boolean) => {
      const n = size >>> 0;
      const recordedN = r().uint();
      const recorded = withDigest ? r().u64() : 0n;
      const now = withDigest ? h64(mem.bytes.subarray(p, p + n)) : 0n;
      if (recordedN !== n || recorded !== now) {
        const show = (len: number, d: bigint) => `${len} bytes${withDigest ? ` ${showDigest(d)}` : ""}`;
        this.diverge(ctx, index(), name, `recorded ${show(recordedN, recorded)}, now ${show(n, now)}`);
      }
    };
    /** Compares a block call's offset and size with its record. */
    const request = (offset: bigint, size: number) => {
      const o = r().big();
      const n = r().uint();
      if (o !== asU64(offset) || n !== size >>> 0) {
        this.diverge(ctx, index(), name, `recorded offset ${o} size ${n}, now offset ${asU64(offset)} size ${size >>> 0}`);
      }
    };
    switch (name) {
      case "console_write":
        return ((_: number, buf: number, size: number) => {
          const p = mem.check(name, buf, size);
          const n = r().uint();
          const recorded = n === 0 ? 0n : r().u64();
          const now = size === 0 ? 0n : h64(mem.bytes.subarray(p, p + (size >>> 0)));
          if (n !== size >>> 0 || recorded !== now) {
            this.diverge(ctx, index(), name, `recorded ${n} bytes ${showDigest(recorded)}, now ${size >>> 0} bytes ${showDigest(now)}`);
          }
          f(buf, size);
        }) as never;
      case "exit":
        return ((_: number, status: number) => {
          const recorded = r().uint();
          if (recorded !== status >>> 0) this.diverge(ctx, index(), name, `recorded exit(${recorded | 0}), now exit(${status | 0})`);
          f(status);
        }) as never;
      case "abort":
        return () => f();
      case "clock_monotonic":
        return () => (this.monotonic += r().signed());
      case "clock_wall":
        return () => (this.wall += r().signed());
      case "yield":
        return ((_: number, _deadline: bigint, readySet: number) => {
          const out = readySet === 0 ? 0 : mem.check(name, readySet, HANDLE_SIZE);
          const set = r().big();
          if (readySet !== 0) mem.view.setBigUint64(out, set, true);
        }) as never;
      case "net_acquire":
      case "block_acquire": {
        const infoSize = name === "net_acquire" ? NET_INFO.size : BLOCK_INFO.size;
        return ((result: number, devName: number, handle: number, info: number) => {
          mem.cstring(name, devName);
          const h = mem.check(name, handle, HANDLE_SIZE);
          const at = mem.check(name, info, infoSize);
          if (result === R_OK) {
            mem.view.setBigUint64(h, r().big(), true);
            mem.bytes.set(r().raw(infoSize), at);
          }
          return result;
        }) as never;
      }
      case "net_write":
        return ((result: number, _handle: number, buf: number, size: number) => {
          output(mem.check(name, buf, size), size, true);
          return result;
        }) as never;
      case "net_read":
        return ((result: number, _handle: number, buf: number, size: number, readSize: number) => {
          const into = mem.check(name, buf, size);
          const out = mem.check(name, readSize, 4);
          if (result === R_OK) {
            const n = r().uint();
            if (n > size >>> 0) this.diverge(ctx, index(), name, `recorded a frame of ${n} bytes, now a buffer of ${size >>> 0}`);
            mem.bytes.set(r().raw(n), into);
            mem.view.setUint32(out, n, true);
          }
          return result;
        }) as never;
      case "block_write":
        return ((result: number, _handle: number, offset: bigint, buf: number, size: number) => {
          const p = mem.check(name, buf, size);
          request(offset, size);
          const recorded = r().u64();
          const now = h64(mem.bytes.subarray(p, p + (size >>> 0)));
          if (recorded !== now) this.diverge(ctx, index(), name, `recorded ${size >>> 0} bytes ${showDigest(recorded)}, now ${size >>> 0} bytes ${showDigest(now)}`);
          return result;
        }) as never;
      case "block_read":
        return ((result: number, handle: number, offset: bigint, buf: number, size: number) => {
          const p = mem.check(name, buf, size);
          request(offset, size);
          if (result !== R_OK) return result;
          const at = Number(offset);
          const n = size >>> 0;
          const bytes = this.repeat ? this.reads.get(handle, at, n) : r().raw(n);
          if (!bytes) return this.fail(ctx, `the log is corrupt in its chunk at byte ${this.chunkAt()}: call ${index()} (${name}) repeats a read of offset ${at} size ${n} that the log holds no bytes of`);
          if (!this.repeat) this.reads.read(handle, at, n, bytes);
          mem.bytes.set(bytes, p);
          return result;
        }) as never;
      case "entropy":
        return ((result: number, buf: number, size: number) => {
          const p = mem.check(name, buf, size);
          output(p, size, false);
          if (result === R_OK) mem.bytes.set(r().raw(size >>> 0), p);
          return result;
        }) as never;
    }
  }
}
