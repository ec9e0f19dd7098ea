// BLOCK_BASIC: sector-aligned reads and writes of any positive multiple of the
// sector size (ABI section 4; Solo5 allows exactly one sector, see Solo5 #325).
// A write that returns OK has reached the backend's storage; one the storage failed
// under (HostIoError) returns EUNSPEC, and the tender says why on stderr.
import { BLOCK_INFO, R_EINVAL, R_EUNSPEC, R_OK } from "../abi.js";
import { endOnTenderError, type GuestContext } from "../context.js";
import { HostIoError } from "../errors.js";
import type { BlockBackend } from "../backend.js";
import { acquireDevice } from "./acquire.js";

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

export function blockCalls(ctx: GuestContext) {
  const { mem, devices, platform } = ctx;
  // A guest may retry a failing request in a loop: each device's failure is said
  // once, and again only when its reason changes (a read error after ENOSPC).
  const lastSaid = new Map<number, string>();
  const report = (handle: number, e: HostIoError) => {
    const why = e.message.slice(e.message.indexOf(" failed: "));
    if (lastSaid.get(handle) === why) return;
    lastSaid.set(handle, why);
    platform.stderr(`solo5-wasm: ${e.message} (the guest gets EUNSPEC)`);
  };
  /** block_read and block_write: the same checks, then the backend's read or write. */
  const transfer =
    (call: "block_read" | "block_write", op: "read" | "write") =>
    (handle: number, offset: bigint, buf: number, size: number): number => {
      const p = mem.check(call, buf, size);
      const block = devices.block(handle);
      const at = block ? checkRequest(block, offset, size >>> 0) : -1;
      if (at < 0) return R_EINVAL;
      try {
        block![op](at, mem.bytes, p, size >>> 0);
      } catch (e) {
        if (!(e instanceof HostIoError)) endOnTenderError(ctx, e);
        report(handle, e);
        return R_EUNSPEC;
      }
      return R_OK;
    };
  return {
    block_acquire(name: number, handle: number, info: number): number {
      const got = acquireDevice(ctx, "block_acquire", "BLOCK_BASIC", { name, handle, info, infoSize: BLOCK_INFO.size });
      if (!got) return R_EINVAL;
      const block = devices.block(got.handle)!;
      mem.view.setBigUint64(got.info + BLOCK_INFO.capacity, BigInt(block.capacity), true);
      mem.view.setBigUint64(got.info + BLOCK_INFO.blockSize, BigInt(block.blockSize), true);
      return R_OK;
    },
    block_write: transfer("block_write", "write"),
    block_read: transfer("block_read", "read"),
  };
}
