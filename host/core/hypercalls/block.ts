// BLOCK_BASIC: sector-aligned reads and writes of any positive multiple of the
// sector size (ABI section 4; Solo5 allows exactly one sector, see Solo5 #325).
// A write that returns OK has reached the backend's storage.
import { BLOCK_INFO, HANDLE_SIZE, R_EINVAL, R_OK } from "../abi.js";
import type { GuestContext } from "../context.js";

export interface BlockBackend {
  /** Bytes; a multiple of blockSize. */
  readonly capacity: number;
  /** Bytes: a power of two from 512 to 32768. */
  readonly blockSize: number;
  /**
   * Fills `length` bytes of `memory` from `at` with the device's bytes from `offset`;
   * throws TenderError on a host I/O error. (Memory and range rather than a subarray:
   * making a view of guest memory per call costs about a tenth of a 4 KiB read.)
   */
  read(offset: number, memory: Uint8Array, at: number, length: number): void;
  /** Writes `length` bytes of `memory` from `at` at byte `offset`, all before returning; throws TenderError on a host I/O error. */
  write(offset: number, memory: Uint8Array, at: number, length: number): void;
  describe(): string;
  stats(): string;
}

/**
 * The byte offset of a valid request, or -1 (EINVAL). In numbers, not BigInts (fewer
 * allocations per call): a capacity is below 2^53, so an offset too large to convert
 * exactly is past the end anyway, and a negative i64 is above 2^63 unsigned.
 */
function checkRequest(block: BlockBackend, offset: bigint, size: number): number {
  const off = offset < 0n ? Infinity : Number(offset);
  if (size === 0 || size % block.blockSize !== 0 || off % block.blockSize !== 0) return -1;
  if (off + size > block.capacity) return -1;
  return off;
}

export function blockCalls({ mem, devices }: GuestContext) {
  return {
    block_acquire(name: number, handle: number, info: number): number {
      const id = mem.cstring("block_acquire", name);
      const h = mem.check("block_acquire", handle, HANDLE_SIZE);
      const i = mem.check("block_acquire", info, BLOCK_INFO.size);
      const got = devices.acquire(id, "BLOCK_BASIC");
      const block = devices.block(got);
      if (!block) return R_EINVAL;
      mem.view.setBigUint64(h, BigInt(got), true);
      mem.view.setBigUint64(i + BLOCK_INFO.capacity, BigInt(block.capacity), true);
      mem.view.setBigUint64(i + BLOCK_INFO.blockSize, BigInt(block.blockSize), true);
      return R_OK;
    },

    block_write(handle: number, offset: bigint, buf: number, size: number): number {
      const p = mem.check("block_write", buf, size);
      const block = devices.block(handle);
      const at = block ? checkRequest(block, offset, size >>> 0) : -1;
      if (at < 0) return R_EINVAL;
      block!.write(at, mem.bytes, p, size >>> 0);
      return R_OK;
    },

    block_read(handle: number, offset: bigint, buf: number, size: number): number {
      const p = mem.check("block_read", buf, size);
      const block = devices.block(handle);
      const at = block ? checkRequest(block, offset, size >>> 0) : -1;
      if (at < 0) return R_EINVAL;
      block!.read(at, mem.bytes, p, size >>> 0);
      return R_OK;
    },
  };
}
