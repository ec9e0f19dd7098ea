// The kv store over one block device: the log of format.ts, read once at open into a
// map in memory, then appended to. Every change is one append; it is acknowledged
// only after the device's write returned OK, and so is in the host's file. A write
// the host failed (EUNSPEC: its disk full, ...) changes nothing here: the map and the
// tail stay, the next append goes where the failed one went, and whatever part of
// it reached the device fails its CRC and is skipped at the next open.
import { Block, monotonic, SOLO5_R_EINVAL, SOLO5_R_EUNSPEC, SOLO5_R_OK, solo5_result_t, wallClock } from "../../assembly";
import { decodeRecord, encodeHeader, encodeRecord, headerEpoch, headerProblem, KEY_MAX, KIND_DEL, KIND_PUT, Record, recordSpan, VALUE_MAX } from "./format";

/** A failed device call's result, as the error says it: "(EUNSPEC)". */
function named(r: solo5_result_t): string {
  return r == SOLO5_R_EUNSPEC ? "(EUNSPEC: the host's storage failed)" : r == SOLO5_R_EINVAL ? "(EINVAL)" : "(result " + r.toString() + ")";
}

/** Bytes read per call while scanning the log. */
const SCAN_BYTES: i32 = 64 * 1024;

export class Store {
  readonly map: Map<string, string> = new Map();
  private readonly bs: i32;
  private epoch: u64 = 0;
  /** The first block after the last good record: where the next append goes. */
  private tail: u64 = 1;
  private seq: u64 = 0;
  /** Good records in the log, superseded ones included. */
  records: u32 = 0;
  /** Records of this store whose CRC failed (torn by a crash, or damaged): skipped. */
  damaged: u32 = 0;

  constructor(private readonly dev: Block) {
    this.bs = <i32>dev.blockSize;
  }

  get blockSize(): i32 {
    return this.bs;
  }

  get usedBlocks(): u64 {
    return this.tail;
  }

  get freeBlocks(): u64 {
    return this.dev.blocks - this.tail;
  }

  /** Reads the store; an error message when the device does not hold one (or I/O failed). */
  open(): string | null {
    const block0 = new Uint8Array(this.bs);
    const r = this.dev.read(0, block0);
    if (r != SOLO5_R_OK) return "cannot read block 0 " + named(r);
    const problem = headerProblem(block0);
    if (problem == "empty") return this.format();
    if (problem !== null) return problem + " (the command `format` starts a new store)";
    this.epoch = headerEpoch(block0);
    return this.scan();
  }

  /** Starts an empty store: a new epoch makes every record already on the device foreign. */
  format(): string | null {
    // Unique per format in practice: the wall clock, stirred by the monotonic one.
    this.epoch = wallClock() ^ rotl<u64>(monotonic(), 32);
    const r = this.dev.write(0, encodeHeader(this.bs, this.epoch));
    if (r != SOLO5_R_OK) return "cannot write the header " + named(r);
    this.map.clear();
    this.tail = 1;
    this.seq = 0;
    this.records = 0;
    this.damaged = 0;
    return null;
  }

  put(key: string, value: string): string | null {
    return this.append(KIND_PUT, key, value);
  }

  del(key: string): string | null {
    return this.append(KIND_DEL, key, "");
  }

  private append(kind: u8, key: string, value: string): string | null {
    const k = String.UTF8.encode(key);
    const v = String.UTF8.encode(value);
    if (k.byteLength == 0 || k.byteLength > KEY_MAX) return "keys are 1 to " + KEY_MAX.toString() + " bytes";
    if (v.byteLength > VALUE_MAX) return "values are at most " + VALUE_MAX.toString() + " bytes";
    const rec = encodeRecord(this.epoch, this.seq + 1, kind, k, v, this.bs);
    const span = <u64>(rec.length / this.bs);
    if (span > this.freeBlocks) return "the device is full (" + this.freeBlocks.toString() + " blocks free)";
    const r = this.dev.write(this.tail * <u64>this.bs, rec);
    if (r != SOLO5_R_OK) return "the device refused the write " + named(r);
    this.apply(new Record(kind, this.seq + 1, key, value), span);
    return null;
  }

  private apply(r: Record, span: u64): void {
    if (r.kind == KIND_PUT) this.map.set(r.key, r.value);
    else if (this.map.has(r.key)) this.map.delete(r.key);
    this.seq = r.seq;
    this.tail += span;
    this.records++;
  }

  /**
   * Reads every block of the log, in order. A good record of this epoch with a seq
   * above the last one is applied and the scan goes on after it; anything else
   * (a damaged record, padding, another epoch's data, never-written blocks) is
   * passed over one block at a time, so a damaged record costs only itself.
   */
  private scan(): string | null {
    const bs = <u64>this.bs;
    const total = this.dev.blocks;
    const window = new Uint8Array((SCAN_BYTES / this.bs) * this.bs);
    const windowBlocks = <u64>(window.length / this.bs);
    let first: u64 = 0;
    let count: u64 = 0;
    for (let b: u64 = 1; b < total; ) {
      if (b >= first + count) {
        first = b;
        count = min(windowBlocks, total - b);
        const r = this.dev.read(first * bs, window.subarray(0, <i32>(count * bs)));
        if (r != SOLO5_R_OK) return "cannot read the log " + named(r);
      }
      const at = <i32>((b - first) * bs);
      const span = <u64>recordSpan(window.dataStart + at, this.epoch, this.bs, total - b);
      if (span == 0) {
        b++;
        continue;
      }
      let whole: Uint8Array;
      if (b + span <= first + count) {
        whole = window.subarray(at, at + <i32>(span * bs));
      } else {
        whole = new Uint8Array(<i32>(span * bs));
        const r = this.dev.read(b * bs, whole);
        if (r != SOLO5_R_OK) return "cannot read the log " + named(r);
      }
      const r = decodeRecord(whole);
      if (r === null) this.damaged++;
      if (r === null || r.seq <= this.seq) {
        b++;
        continue;
      }
      this.tail = b;
      this.apply(r, span);
      b = this.tail;
    }
    return null;
  }
}
