// The record log's format (docs/record.md), in one place: its magic, version, header,
// chunk framing, the tag of each record, and the variable-length integers the
// records are made of. The recorder writes it, the log reader and replayer read it.
import type { DeviceType, HypercallName } from "../abi.js";
import type { ExitResult } from "../errors.js";

/** The file's first bytes. */
export const MAGIC = new TextEncoder().encode("solo5rec");
/** The format's version, after MAGIC as a u32. Version 2 added TAG_REPEAT. */
export const FORMAT_VERSION = 2;
/** The versions a reader takes: version 1's records are version 2's without TAG_REPEAT. */
export const READABLE_VERSIONS: readonly number[] = [1, FORMAT_VERSION];
/** MAGIC, version u32, header length u32, header checksum u32. */
export const PREAMBLE_BYTES = MAGIC.length + 12;
/** Each chunk: payload length u32, payload checksum u32 (the low half of its xxh64), then the records. */
export const CHUNK_HEADER_BYTES = 8;

/** Every hypercall's number in a record's tag: fixed by the format, whatever the ABI adds later. */
export const CALL_IDS: readonly HypercallName[] = [
  "console_write",
  "exit",
  "abort",
  "clock_monotonic",
  "clock_wall",
  "yield",
  "net_acquire",
  "net_write",
  "net_read",
  "block_acquire",
  "block_write",
  "block_read",
  "entropy",
];
export const callId = (name: HypercallName): number => CALL_IDS.indexOf(name);

/**
 * A record's first byte: the call's id in the low 4 bits and its solo5_result_t in
 * bits 4-5. TAG_FAILED marks a call that ended the guest with a tender error (its
 * message follows); TAG_REPEAT a block_read whose bytes are those of the last read
 * of the same range (block-reads.ts), so not in the record;
 * TAG_END is the run's last record, its ending as JSON.
 */
export const TAG_FAILED = 0x40;
export const TAG_REPEAT = 0x80;
export const TAG_END = 0xff;
export const tagOf = (id: number, result: number): number => id | (result << 4);

/** The devices as the recorded guest saw them. */
export type RecordedDevice =
  | { name: string; type: Extract<DeviceType, "NET_BASIC">; mac: string; mtu: number }
  | { name: string; type: Extract<DeviceType, "BLOCK_BASIC">; capacity: number; blockSize: number };

/** The header, JSON after the preamble. */
export interface RecordHeader {
  format: number;
  /** SHA-256 of the kernel's bytes, hex. */
  kernel: string;
  /** --mem in MiB. */
  mem: number;
  /** The guest's command line and the Solo5: log level, as the guest was started. */
  cmdline: string;
  logLevel: string;
  /** The tender's command line (or the page that recorded). */
  commandLine: string;
  devices: RecordedDevice[];
  /** The tender that recorded it: "solo5-wasm 0.1.0 (node)". */
  tender: string;
}

/** What the host knows of a recording before the guest's thread runs it. */
export interface RecordMeta {
  kernel: string;
  commandLine: string;
  tender: string;
}

/** The run's last record. */
export type RecordedEnd = ExitResult;

/** Appends to a growing byte buffer; the chunk's header is reserved at its start. */
export class RecordWriter {
  bytes = new Uint8Array(1 << 18);
  view = new DataView(this.bytes.buffer);
  at = CHUNK_HEADER_BYTES;

  /** Makes room for `n` more bytes. */
  room(n: number): void {
    if (this.at + n <= this.bytes.length) return;
    let size = this.bytes.length * 2;
    while (size < this.at + n) size *= 2;
    const grown = new Uint8Array(size);
    grown.set(this.bytes.subarray(0, this.at));
    this.bytes = grown;
    this.view = new DataView(grown.buffer);
  }

  byte(b: number): void {
    this.room(1);
    this.bytes[this.at++] = b;
  }

  /** An unsigned LEB128 of a whole number below 2^53. */
  uint(n: number): void {
    this.room(8);
    while (n >= 0x80) {
      this.bytes[this.at++] = (n % 0x80) | 0x80;
      n = Math.floor(n / 0x80);
    }
    this.bytes[this.at++] = n;
  }

  /** An unsigned LEB128 of a u64. */
  big(n: bigint): void {
    if (n < 0x20000000000000n) return this.uint(Number(n));
    this.room(10);
    while (n >= 0x80n) {
      this.bytes[this.at++] = Number(n & 0x7fn) | 0x80;
      n >>= 7n;
    }
    this.bytes[this.at++] = Number(n);
  }

  /** A signed i64 as zigzag LEB128. */
  signed(n: bigint): void {
    this.big(n < 0n ? (-n << 1n) - 1n : n << 1n);
  }

  raw(src: Uint8Array): void {
    this.room(src.length);
    this.bytes.set(src, this.at);
    this.at += src.length;
  }

  u64(n: bigint): void {
    this.room(8);
    this.view.setBigUint64(this.at, n, true);
    this.at += 8;
  }
}

/** Thrown by RecordReader past the end of what it was given. */
export class RecordsEnded extends Error {}

/** Reads the records of one chunk. */
export class RecordReader {
  readonly view: DataView;
  constructor(
    readonly bytes: Uint8Array,
    public at = 0,
  ) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  get done(): boolean {
    return this.at >= this.bytes.length;
  }

  private need(n: number): void {
    if (this.at + n > this.bytes.length) throw new RecordsEnded();
  }

  byte(): number {
    this.need(1);
    return this.bytes[this.at++]!;
  }

  uint(): number {
    let n = 0;
    let scale = 1;
    for (;;) {
      const b = this.byte();
      n += (b & 0x7f) * scale;
      if (b < 0x80) return n;
      scale *= 0x80;
      if (scale > 2 ** 63) throw new RecordsEnded();
    }
  }

  big(): bigint {
    let n = 0n;
    let shift = 0n;
    for (;;) {
      const b = this.byte();
      n |= BigInt(b & 0x7f) << shift;
      if (b < 0x80) return n;
      shift += 7n;
      if (shift > 63n) throw new RecordsEnded();
    }
  }

  signed(): bigint {
    const z = this.big();
    return z & 1n ? -((z + 1n) >> 1n) : z >> 1n;
  }

  raw(n: number): Uint8Array {
    this.need(n);
    const out = this.bytes.subarray(this.at, this.at + n);
    this.at += n;
    return out;
  }

  u64(): bigint {
    this.need(8);
    const v = this.view.getBigUint64(this.at, true);
    this.at += 8;
    return v;
  }
}

/** A u64 digest as the divergence line shows it: its first 4 hex digits. */
export const showDigest = (d: bigint): string => `${d.toString(16).padStart(16, "0").slice(0, 4)}...`;
