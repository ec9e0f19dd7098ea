// The kv store's on-disk format (docs/block.md has the full picture). Little-endian.
//
// Block 0, the header, written once by `format`:
//   0 magic "solo5kv1" | 8 version u32 | 12 block size u32 | 16 epoch u64 | 24 CRC-32 of 0..24
// Blocks 1.., the log: records appended in order, each starting on a block boundary
// and padded with zeros to whole blocks, so appending never rewrites a block that
// holds an acknowledged record:
//   0 magic "KVR1" | 4 CRC-32 of 8..end | 8 epoch u64 | 16 seq u64 | 24 kind u8 | 25 pad u8
//   | 26 key length u16 | 28 value length u32 | 32 key | value
// The epoch ties records to one `format` (records of an earlier one are not ours);
// seq numbers them 1, 2, 3, ... A record whose CRC fails is torn or damaged: skipped.
import { crc32 } from "./crc32";

const HEADER_MAGIC: u64 = 0x3176_6b35_6f6c_6f73; // "solo5kv1"
const VERSION: u32 = 1;
const HEADER_CRC_AT: usize = 24;
const RECORD_MAGIC: u32 = 0x3152_564b; // "KVR1"
const RECORD_HEAD: i32 = 32;

export const KIND_PUT: u8 = 1;
export const KIND_DEL: u8 = 2;
export const KEY_MAX: i32 = 255;
export const VALUE_MAX: i32 = 65536;

/** Block 0 of a store formatted at `epoch`. */
export function encodeHeader(blockSize: i32, epoch: u64): Uint8Array {
  const b = new Uint8Array(blockSize);
  const p = b.dataStart;
  store<u64>(p, HEADER_MAGIC);
  store<u32>(p, VERSION, 8);
  store<u32>(p, <u32>blockSize, 12);
  store<u64>(p, epoch, 16);
  store<u32>(p, crc32(p, HEADER_CRC_AT), HEADER_CRC_AT);
  return b;
}

/** Why block 0 is not the header of a store with this block size; null when it is. */
export function headerProblem(block: Uint8Array): string | null {
  const p = block.dataStart;
  let zero = true;
  for (let i = 0; i < block.length && zero; i++) zero = block[i] == 0;
  if (zero) return "empty";
  if (load<u64>(p) != HEADER_MAGIC || load<u32>(p, 8) != VERSION) return "block 0 is not a kv store header";
  if (load<u32>(p, HEADER_CRC_AT) != crc32(p, HEADER_CRC_AT)) return "the header's checksum is wrong";
  if (load<u32>(p, 12) != <u32>block.length) {
    return "the store was formatted with blocks of " + load<u32>(p, 12).toString() + " bytes, the device has " + block.length.toString();
  }
  return null;
}

export function headerEpoch(block: Uint8Array): u64 {
  return load<u64>(block.dataStart, 16);
}

function blocksFor(bytes: i32, blockSize: i32): i32 {
  return (bytes + blockSize - 1) / blockSize;
}

export class Record {
  constructor(readonly kind: u8, readonly seq: u64, readonly key: string, readonly value: string) {}
}

/** A record as whole blocks, ready to append. */
export function encodeRecord(epoch: u64, seq: u64, kind: u8, key: ArrayBuffer, value: ArrayBuffer, blockSize: i32): Uint8Array {
  const klen = key.byteLength;
  const vlen = value.byteLength;
  const b = new Uint8Array(blocksFor(RECORD_HEAD + klen + vlen, blockSize) * blockSize);
  const p = b.dataStart;
  store<u32>(p, RECORD_MAGIC);
  store<u64>(p, epoch, 8);
  store<u64>(p, seq, 16);
  store<u8>(p, kind, 24);
  store<u16>(p, <u16>klen, 26);
  store<u32>(p, <u32>vlen, 28);
  memory.copy(p + RECORD_HEAD, changetype<usize>(key), klen);
  memory.copy(p + RECORD_HEAD + klen, changetype<usize>(value), vlen);
  store<u32>(p, crc32(p + 8, RECORD_HEAD - 8 + klen + vlen), 4);
  return b;
}

/**
 * How many blocks the record starting in the block at `p` spans, when that block
 * looks like the start of one of this store's records (magic, epoch, lengths that
 * fit in `room` blocks); 0 otherwise. The CRC is checked by decodeRecord.
 */
export function recordSpan(p: usize, epoch: u64, blockSize: i32, room: u64): i32 {
  if (load<u32>(p) != RECORD_MAGIC || load<u64>(p, 8) != epoch) return 0;
  const kind = load<u8>(p, 24);
  const klen = <i32>load<u16>(p, 26);
  const vlen = load<u32>(p, 28);
  if ((kind != KIND_PUT && kind != KIND_DEL) || klen == 0 || klen > KEY_MAX || vlen > <u32>VALUE_MAX) return 0;
  const span = blocksFor(RECORD_HEAD + klen + <i32>vlen, blockSize);
  return <u64>span <= room ? span : 0;
}

/** The record in `b` (as many blocks as recordSpan said), or null when its CRC fails. */
export function decodeRecord(b: Uint8Array): Record | null {
  const p = b.dataStart;
  const klen = <usize>load<u16>(p, 26);
  const vlen = <usize>load<u32>(p, 28);
  if (crc32(p + 8, RECORD_HEAD - 8 + klen + vlen) != load<u32>(p, 4)) return null;
  const key = String.UTF8.decodeUnsafe(p + RECORD_HEAD, klen);
  const value = String.UTF8.decodeUnsafe(p + RECORD_HEAD + klen, vlen);
  return new Record(load<u8>(p, 24), load<u64>(p, 16), key, value);
}
