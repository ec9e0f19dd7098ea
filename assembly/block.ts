// Block devices (solo5_block_*): a BLOCK_BASIC device of the manifest, acquired by
// name. Offsets and sizes are bytes; both must be multiples of blockSize, and a call
// may span any number of whole blocks (docs/abi.md, section 4). A write that returned
// OK has reached the host's storage.
import {
  SOLO5_R_OK,
  solo5_block_acquire,
  solo5_block_info,
  solo5_block_read,
  solo5_block_write,
  solo5_handle_t,
  solo5_result_t,
} from "./solo5";

// Where block_acquire writes its outputs: the handle (a u64) then solo5_block_info.
// Static, so acquiring allocates nothing but the name's bytes; the values are
// copied out before the next acquire can overwrite them.
const ACQUIRE_OUT: usize = memory.data(8 + offsetof<solo5_block_info>(), 8);

/** An acquired BLOCK_BASIC device: reads and writes of whole blocks at byte offsets. */
export class Block {
  private constructor(
    /** The device's name in the manifest. */
    readonly name: string,
    /** The handle the raw solo5_block_* calls take. */
    readonly handle: solo5_handle_t,
    /** Bytes; a multiple of blockSize. */
    readonly capacity: u64,
    /** Bytes: the unit and alignment of every read and write. */
    readonly blockSize: u64,
  ) {}

  /**
   * The BLOCK_BASIC device called `name`, or null when the manifest has no such
   * device or it was acquired already (a device is acquired once), as Net.acquire.
   */
  static acquire(name: string): Block | null {
    const cname = String.UTF8.encode(name, true);
    const info = changetype<solo5_block_info>(ACQUIRE_OUT + 8);
    if (solo5_block_acquire(changetype<usize>(cname), ACQUIRE_OUT, changetype<usize>(info)) != SOLO5_R_OK) return null;
    return new Block(name, <solo5_handle_t>load<u64>(ACQUIRE_OUT), info.capacity, info.block_size);
  }

  /** Fills `buf` from byte `offset`: OK, or EINVAL for a misaligned or out-of-range request. */
  read(offset: u64, buf: Uint8Array): solo5_result_t {
    return solo5_block_read(this.handle, offset, buf.dataStart, <usize>buf.byteLength);
  }

  /** Writes all of `buf` at byte `offset`; OK means it is in the host's storage. */
  write(offset: u64, buf: Uint8Array): solo5_result_t {
    return solo5_block_write(this.handle, offset, buf.dataStart, <usize>buf.byteLength);
  }

  /** read() into `size` bytes at `ptr`, for buffers that are not a Uint8Array. */
  readRaw(offset: u64, ptr: usize, size: usize): solo5_result_t {
    return solo5_block_read(this.handle, offset, ptr, size);
  }

  /** write() of `size` bytes at `ptr`, for buffers that are not a Uint8Array. */
  writeRaw(offset: u64, ptr: usize, size: usize): solo5_result_t {
    return solo5_block_write(this.handle, offset, ptr, size);
  }

  /** Number of blocks. */
  get blocks(): u64 {
    return this.capacity / this.blockSize;
  }
}
