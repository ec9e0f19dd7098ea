// The Solo5 guest interface, ABI v1 and v1.1's entropy (docs/abi.md): the whole of it,
// as solo5.h is.
// Everything a unikernel may call on the platform is imported here from module
// "solo5"; the typed API (console.ts, time.ts, net.ts, block.ts) is built on top.

/** solo5_result_t */
export type solo5_result_t = i32;
export const SOLO5_R_OK: solo5_result_t = 0;
export const SOLO5_R_AGAIN: solo5_result_t = 1;
export const SOLO5_R_EINVAL: solo5_result_t = 2;
export const SOLO5_R_EUNSPEC: solo5_result_t = 3;

/** solo5_handle_t: an i32 in calls, a u64 when written to memory. */
export type solo5_handle_t = i32;
/** A set of handles: bit N is handle N. */
export type solo5_handle_set_t = u64;
/** solo5_time_t: nanoseconds. */
export type solo5_time_t = u64;
/** No deadline for solo5_yield. */
export const SOLO5_TIME_INFINITE: solo5_time_t = u64.MAX_VALUE;

/** What the tender hands to solo5_app_main, at align16(__heap_base). */
@unmanaged
export class solo5_start_info {
  /** NUL-terminated UTF-8 command line. */
  cmdline: usize;
  heap_start: usize;
  heap_size: usize;
}

@unmanaged
export class solo5_net_info {
  /** mac_address[0..3], little-endian: byte i is (mac_lo >> 8i) & 0xff. */
  mac_lo: u32;
  /** mac_address[4..5], then 2 bytes of padding. */
  mac_hi: u32;
  /** Excludes the 14-byte Ethernet header. */
  mtu: u32;
}

@unmanaged
export class solo5_block_info {
  /** Bytes. */
  capacity: u64;
  /** Bytes: the unit (and alignment) of every block I/O. */
  block_size: u64;
}

// @ts-ignore: decorator
@external("solo5", "console_write")
export declare function solo5_console_write(buf: usize, size: usize): void;

// @ts-ignore: decorator
@external("solo5", "exit")
export declare function solo5_exit(status: i32): void;

// @ts-ignore: decorator
@external("solo5", "abort")
export declare function solo5_abort(): void;

// @ts-ignore: decorator
@external("solo5", "clock_monotonic")
export declare function solo5_clock_monotonic(): solo5_time_t;

// @ts-ignore: decorator
@external("solo5", "clock_wall")
export declare function solo5_clock_wall(): solo5_time_t;

// @ts-ignore: decorator
@external("solo5", "yield")
export declare function solo5_yield(deadline: solo5_time_t, ready_set: usize): void;

// @ts-ignore: decorator
@external("solo5", "net_acquire")
export declare function solo5_net_acquire(name: usize, handle: usize, info: usize): solo5_result_t;

// @ts-ignore: decorator
@external("solo5", "net_write")
export declare function solo5_net_write(handle: solo5_handle_t, buf: usize, size: usize): solo5_result_t;

// @ts-ignore: decorator
@external("solo5", "net_read")
export declare function solo5_net_read(handle: solo5_handle_t, buf: usize, size: usize, read_size: usize): solo5_result_t;

// @ts-ignore: decorator
@external("solo5", "block_acquire")
export declare function solo5_block_acquire(name: usize, handle: usize, info: usize): solo5_result_t;

// @ts-ignore: decorator
@external("solo5", "block_write")
export declare function solo5_block_write(handle: solo5_handle_t, offset: u64, buf: usize, size: usize): solo5_result_t;

// @ts-ignore: decorator
@external("solo5", "block_read")
export declare function solo5_block_read(handle: solo5_handle_t, offset: u64, buf: usize, size: usize): solo5_result_t;

// ABI v1.1 (docs/abi.md, section 7): optional. A guest that never calls it does not
// import it and stays a v1 guest.
/** Fills `size` (at most SOLO5_ENTROPY_MAX) bytes at `buf` with cryptographically secure random bytes. */
// @ts-ignore: decorator
@external("solo5", "entropy")
export declare function solo5_entropy(buf: usize, size: usize): solo5_result_t;
/** The most bytes one solo5_entropy call fills. */
export const SOLO5_ENTROPY_MAX: usize = 65536;
