// The Solo5 guest interface, ABI v1 and v1.1's entropy (docs/abi.md): the whole of it,
// as solo5.h is.
// Everything a unikernel may call on the platform is imported here from module
// "solo5"; the typed API (console.ts, time.ts, net.ts, block.ts) is built on top.

/** solo5_result_t */
export type solo5_result_t = i32;
/** The call did what was asked. */
export const SOLO5_R_OK: solo5_result_t = 0;
/** Nothing to do now, try later: net_read with no frame waiting. */
export const SOLO5_R_AGAIN: solo5_result_t = 1;
/** A bad argument: an unknown device, a handle not acquired, a size or offset the device refuses. */
export const SOLO5_R_EINVAL: solo5_result_t = 2;
/** The host failed (a block device's storage: disk full, an I/O error); the tender said why on stderr. */
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
  /** Where the heap the libOS manages begins (16-byte aligned). */
  heap_start: usize;
  /** Bytes of heap, up to the end of memory. */
  heap_size: usize;
}

/** What solo5_net_acquire writes: the device's MAC and MTU (12 bytes). */
@unmanaged
export class solo5_net_info {
  /** mac_address[0..3], little-endian: byte i is (mac_lo >> 8i) & 0xff. */
  mac_lo: u32;
  /** mac_address[4..5], then 2 bytes of padding. */
  mac_hi: u32;
  /** Excludes the 14-byte Ethernet header. */
  mtu: u32;
}

/** What solo5_block_acquire writes: the device's capacity and block size (16 bytes). */
@unmanaged
export class solo5_block_info {
  /** Bytes. */
  capacity: u64;
  /** Bytes: the unit (and alignment) of every block I/O. */
  block_size: u64;
}

/** Writes `size` bytes at `buf` to the console, best effort. */
// @ts-ignore: decorator
@external("solo5", "console_write")
export declare function solo5_console_write(buf: usize, size: usize): void;

/** Ends the unikernel; the tender exits with `status & 0xff`. */
// @ts-ignore: decorator
@external("solo5", "exit")
export declare function solo5_exit(status: i32): void;

/** Ends the unikernel abnormally, status 255 (and a core with --dumpcore). */
// @ts-ignore: decorator
@external("solo5", "abort")
export declare function solo5_abort(): void;

/** Nanoseconds since an arbitrary point, never decreasing. */
// @ts-ignore: decorator
@external("solo5", "clock_monotonic")
export declare function solo5_clock_monotonic(): solo5_time_t;

/** Nanoseconds since the Unix epoch, UTC. */
// @ts-ignore: decorator
@external("solo5", "clock_wall")
export declare function solo5_clock_wall(): solo5_time_t;

/** Sleeps until the monotonic clock reaches `deadline` (SOLO5_TIME_INFINITE: never) or an acquired net device has a frame; writes the set of ready handles (a u64, 0 on timeout) at `ready_set` unless it is 0. */
// @ts-ignore: decorator
@external("solo5", "yield")
export declare function solo5_yield(deadline: solo5_time_t, ready_set: usize): void;

/** Looks up the NET_BASIC device whose NUL-terminated name is at `name`; writes its handle (a u64) at `handle` and a solo5_net_info at `info`. EINVAL for an unknown name, another type or a second acquire. */
// @ts-ignore: decorator
@external("solo5", "net_acquire")
export declare function solo5_net_acquire(name: usize, handle: usize, info: usize): solo5_result_t;

/** Sends one Ethernet frame of `size` bytes (14 to mtu + 14, else EINVAL) without blocking; a frame the backend cannot take now is dropped and counted, still OK. */
// @ts-ignore: decorator
@external("solo5", "net_write")
export declare function solo5_net_write(handle: solo5_handle_t, buf: usize, size: usize): solo5_result_t;

/** Takes one frame into `buf` without blocking: AGAIN if none waits, EINVAL if `size` < mtu + 14, else OK with its length (a u32) at `read_size`. */
// @ts-ignore: decorator
@external("solo5", "net_read")
export declare function solo5_net_read(handle: solo5_handle_t, buf: usize, size: usize, read_size: usize): solo5_result_t;

/** Looks up the BLOCK_BASIC device whose NUL-terminated name is at `name`; writes its handle (a u64) at `handle` and a solo5_block_info at `info`. EINVAL as net_acquire. */
// @ts-ignore: decorator
@external("solo5", "block_acquire")
export declare function solo5_block_acquire(name: usize, handle: usize, info: usize): solo5_result_t;

/** Writes `size` bytes at byte `offset` (both multiples of block_size, inside the capacity, else EINVAL): OK once all of it is in the host's storage, EUNSPEC if that failed. */
// @ts-ignore: decorator
@external("solo5", "block_write")
export declare function solo5_block_write(handle: solo5_handle_t, offset: u64, buf: usize, size: usize): solo5_result_t;

/** Reads `size` bytes at byte `offset` into `buf`, with block_write's rules: OK, EINVAL, or EUNSPEC if the host's storage failed. */
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
