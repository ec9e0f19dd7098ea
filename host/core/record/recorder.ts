// --record: a hook of the hypercall table that writes every input the guest gets
// (each call's result and the bytes it wrote into guest memory) and a digest of
// every output, as records (format.ts) in chunks with a length and a checksum.
// Records are buffered and handed to the sink in chunks of about 64 KiB, before
// every yield that may sleep and before console output: a tender killed with SIGKILL
// leaves every record made before the guest last slept or printed, or before its
// last full chunk, and a guest asleep in yield has nothing pending.
import { BLOCK_INFO, NET_INFO, R_OK, asU64, type HypercallName } from "../abi.js";
import type { GuestContext } from "../context.js";
import { TenderError, type ExitResult } from "../errors.js";
import type { CallHook, Hypercall } from "../hypercalls/index.js";
import { BlockReads } from "./block-reads.js";
import type { Digests } from "./digest.js";
import type { RecordSink } from "./sink.js";
import { CHUNK_HEADER_BYTES, FORMAT_VERSION, MAGIC, PREAMBLE_BYTES, RecordWriter, TAG_END, TAG_FAILED, TAG_REPEAT, callId, tagOf, type RecordHeader } from "./format.js";

/** The END record. */
function writeEnd(w: RecordWriter, result: ExitResult): void {
  const json = new TextEncoder().encode(JSON.stringify(result));
  w.byte(TAG_END);
  w.uint(json.length);
  w.raw(json);
}

/** The chunk of `w`'s records, its length and checksum filled in. */
function sealChunk(w: RecordWriter, digests: Digests): Uint8Array {
  const payload = w.bytes.subarray(CHUNK_HEADER_BYTES, w.at);
  w.view.setUint32(0, payload.length, true);
  w.view.setUint32(4, digests.h32(payload), true);
  return w.bytes.subarray(0, w.at);
}

/**
 * The last chunk of a log whose guest's thread was stopped from outside (it could
 * not write its own ending): the host appends it once the thread is gone.
 */
export function endChunk(result: ExitResult, digests: Digests): Uint8Array {
  const w = new RecordWriter();
  writeEnd(w, result);
  return sealChunk(w, digests);
}

/** A chunk is handed over once its records pass this many bytes. */
const CHUNK_BYTES = 64 * 1024;

export class Recorder {
  private readonly w = new RecordWriter();
  private lastMonotonic = 0n;
  private lastWall = 0n;
  /** The digest of each block range the log holds the bytes of. */
  private readonly reads = new BlockReads<bigint>();

  constructor(
    private readonly sink: RecordSink,
    header: RecordHeader,
  ) {
    const json = new TextEncoder().encode(JSON.stringify(header));
    const preamble = new Uint8Array(PREAMBLE_BYTES + json.length);
    const view = new DataView(preamble.buffer);
    preamble.set(MAGIC);
    view.setUint32(MAGIC.length, FORMAT_VERSION, true);
    view.setUint32(MAGIC.length + 4, json.length, true);
    view.setUint32(MAGIC.length + 8, sink.digests.h32(json), true);
    preamble.set(json, PREAMBLE_BYTES);
    sink.write(preamble);
  }

  /** The run's ending, as the last record; everything goes to the sink. */
  end(result: ExitResult): void {
    writeEnd(this.w, result);
    this.flush();
  }

  private flush(): void {
    const { w } = this;
    if (w.at === CHUNK_HEADER_BYTES) return;
    const chunk = sealChunk(w, this.sink.digests);
    w.at = CHUNK_HEADER_BYTES;
    this.sink.write(chunk);
  }

  readonly hook: CallHook = (name, call, ctx) => {
    const id = callId(name);
    const record = this.recordOf(name, call, ctx);
    const { w } = this;
    return (...args: never[]) => {
      try {
        const result = record(...args);
        if (w.at >= CHUNK_BYTES) this.flush();
        return result;
      } catch (e) {
        // A call that ends the guest with a tender error (an invalid guest access, a
        // host I/O error) wrote no record of its own: replay ends it the same way.
        if (e instanceof TenderError) {
          const message = new TextEncoder().encode(e.message);
          w.byte(TAG_FAILED | id);
          w.uint(message.length);
          w.raw(message);
        }
        throw e;
      }
    };
  };

  /** The call, and the record of what it returned and wrote. */
  private recordOf(name: HypercallName, call: Hypercall, ctx: GuestContext): Hypercall {
    const { w } = this;
    const { h64 } = this.sink.digests;
    const id = callId(name);
    const f = call as (...args: unknown[]) => unknown;
    const { mem } = ctx;
    const written = (p: number, n: number) => mem.bytes.subarray(p >>> 0, (p >>> 0) + (n >>> 0));
    switch (name) {
      case "console_write":
        // Recorded and handed over before the bytes are printed: a log cut short by a
        // kill still holds everything up to what was last seen on the console.
        return ((buf: number, size: number) => {
          mem.check(name, buf, size);
          w.byte(tagOf(id, 0));
          w.uint(size >>> 0);
          if (size !== 0) w.u64(h64(written(buf, size)));
          this.flush();
          f(buf, size);
        }) as Hypercall;
      case "exit":
        return ((status: number) => {
          w.byte(tagOf(id, 0));
          w.uint(status >>> 0);
          f(status);
        }) as Hypercall;
      case "abort":
        return (() => {
          w.byte(tagOf(id, 0));
          f();
        }) as Hypercall;
      case "clock_monotonic":
      case "clock_wall": {
        // Each clock as the change since its last reading: a few bytes a call.
        const last = name === "clock_monotonic" ? "lastMonotonic" : "lastWall";
        return (() => {
          const t = f() as bigint;
          w.byte(tagOf(id, 0));
          w.signed(t - this[last]);
          this[last] = t;
          return t;
        }) as Hypercall;
      }
      case "yield":
        return ((deadline: bigint, readySet: number) => {
          // A yield that may sleep: what came before it is with the OS first.
          if (deadline !== 0n) this.flush();
          f(deadline, readySet);
          w.byte(tagOf(id, 0));
          w.big(readySet === 0 ? 0n : mem.view.getBigUint64(readySet >>> 0, true));
        }) as Hypercall;
      case "net_acquire":
      case "block_acquire": {
        const infoSize = name === "net_acquire" ? NET_INFO.size : BLOCK_INFO.size;
        return ((devName: number, handle: number, info: number) => {
          const r = f(devName, handle, info) as number;
          w.byte(tagOf(id, r));
          if (r === R_OK) {
            w.big(mem.view.getBigUint64(handle >>> 0, true));
            w.raw(written(info, infoSize));
          }
          return r;
        }) as Hypercall;
      }
      case "net_write":
        return ((handle: number, buf: number, size: number) => {
          const r = f(handle, buf, size) as number;
          w.byte(tagOf(id, r));
          w.uint(size >>> 0);
          w.u64(h64(written(buf, size)));
          return r;
        }) as Hypercall;
      case "net_read":
        return ((handle: number, buf: number, size: number, readSize: number) => {
          const r = f(handle, buf, size, readSize) as number;
          w.byte(tagOf(id, r));
          if (r === R_OK) {
            const n = mem.view.getUint32(readSize >>> 0, true);
            w.uint(n);
            w.raw(written(buf, n));
          }
          return r;
        }) as Hypercall;
      case "block_write":
        return ((handle: number, offset: bigint, buf: number, size: number) => {
          const r = f(handle, offset, buf, size) as number;
          w.byte(tagOf(id, r));
          w.big(asU64(offset));
          w.uint(size >>> 0);
          w.u64(h64(written(buf, size)));
          return r;
        }) as Hypercall;
      case "block_read":
        return ((handle: number, offset: bigint, buf: number, size: number) => {
          const r = f(handle, offset, buf, size) as number;
          if (r !== R_OK) {
            w.byte(tagOf(id, r));
            w.big(asU64(offset));
            w.uint(size >>> 0);
            return r;
          }
          // The bytes again, if the log holds them from the last read of this range.
          const bytes = written(buf, size);
          const at = Number(offset);
          const digest = h64(bytes);
          const repeat = this.reads.get(handle, at, bytes.length) === digest;
          w.byte(tagOf(id, r) | (repeat ? TAG_REPEAT : 0));
          w.uint(at);
          w.uint(bytes.length);
          if (!repeat) {
            w.raw(bytes);
            this.reads.read(handle, at, bytes.length, digest);
          }
          return r;
        }) as Hypercall;
      case "entropy":
        return ((buf: number, size: number) => {
          const r = f(buf, size) as number;
          w.byte(tagOf(id, r));
          w.uint(size >>> 0);
          if (r === R_OK) w.raw(written(buf, size));
          return r;
        }) as Hypercall;
    }
  }
}
