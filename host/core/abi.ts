// ABI v1 and its v1.1 extension in one place: every number, struct layout and
// import signature the guest and the tender agree on (docs/abi.md). Nothing else in
// the tender hard-codes them.

/** The ABI this tender implements: v1 and the optional v1.1 call (entropy). */
export const ABI_VERSION = "1.1";

/** solo5_result_t */
export const R_OK = 0;
export const R_AGAIN = 1;
export const R_EINVAL = 2;
export const R_EUNSPEC = 3;
export const RESULT_NAMES = ["OK", "AGAIN", "EINVAL", "EUNSPEC"] as const;

export const WASM_PAGE = 0x10000;
export const MIB = 0x100000;

/** --mem, in MiB: whole numbers in this range; Solo5's default. */
export const MEM_MIB_MIN = 1;
export const MEM_MIB_MAX = 4095;
export const MEM_MIB_DEFAULT = 512;

/** The least heap the tender will hand over (smaller memories are refused). */
export const HEAP_MIN = 64 * 1024;
/** Longest command line, in bytes of UTF-8, without its NUL. */
export const CMDLINE_MAX = 8191;

/** struct solo5_start_info, at align16(__heap_base); 12 bytes + 4 reserved. */
export const START_INFO = { size: 16, cmdline: 0, heapStart: 4, heapSize: 8 } as const;
/** struct solo5_net_info: mac_address[6], pad[2], mtu (u32). */
export const NET_INFO = { size: 12, mac: 0, pad: 6, mtu: 8 } as const;
/** struct solo5_block_info: capacity (u64), block_size (u64). */
export const BLOCK_INFO = { size: 16, capacity: 0, blockSize: 8 } as const;
/** solo5_handle_t and solo5_handle_set_t as stored in memory. */
export const HANDLE_SIZE = 8;

export const ETHERNET_HEADER = 14;
/** MTU of the backends that have no interface to ask (udp:, hub:, ...). */
export const DEFAULT_MTU = 1500;

/** Block sector sizes a device may have: powers of two in this range. */
export const SECTOR_SIZE_MIN = 512;
export const SECTOR_SIZE_MAX = 32768;
export const SECTOR_SIZE_DEFAULT = 512;

export const MANIFEST_SECTION = "solo5.manifest";
export const MANIFEST_TYPE = "solo5.manifest";
export const MANIFEST_VERSION = 1;
export const MAX_DEVICES = 63;
export const DEVICE_NAME_MAX = 67;
export const DEVICE_TYPES = ["NET_BASIC", "BLOCK_BASIC"] as const;
export type DeviceType = (typeof DEVICE_TYPES)[number];

/** Exports the tender looks for. */
export const EXPORT_MAIN = "solo5_app_main";
export const EXPORT_HEAP_BASE = "__heap_base";
export const EXPORT_INITIALIZE = "_initialize";

export type ValType = "i32" | "i64";
export interface Signature {
  params: readonly ValType[];
  results: readonly ValType[];
}

/** The versions of the ABI: v1.1 adds an optional call, and a guest that does not import it is a v1 guest. */
export type AbiVersion = "1" | "1.1";

/** Import module of the hypercalls, and each one's wasm type; `since` the ABI version that added it (absent: v1). */
export const HYPERCALL_MODULE = "solo5";
export const HYPERCALLS = {
  console_write: { params: ["i32", "i32"], results: [], args: ["buf", "size"] },
  exit: { params: ["i32"], results: [], args: ["status"] },
  abort: { params: [], results: [], args: [] },
  clock_monotonic: { params: [], results: ["i64"], args: [] },
  clock_wall: { params: [], results: ["i64"], args: [] },
  yield: { params: ["i64", "i32"], results: [], args: ["deadline", "ready_set"] },
  net_acquire: { params: ["i32", "i32", "i32"], results: ["i32"], args: ["name", "handle", "info"] },
  net_write: { params: ["i32", "i32", "i32"], results: ["i32"], args: ["handle", "buf", "size"] },
  net_read: { params: ["i32", "i32", "i32", "i32"], results: ["i32"], args: ["handle", "buf", "size", "read_size"] },
  block_acquire: { params: ["i32", "i32", "i32"], results: ["i32"], args: ["name", "handle", "info"] },
  block_write: { params: ["i32", "i64", "i32", "i32"], results: ["i32"], args: ["handle", "offset", "buf", "size"] },
  block_read: { params: ["i32", "i64", "i32", "i32"], results: ["i32"], args: ["handle", "offset", "buf", "size"] },
  entropy: { params: ["i32", "i32"], results: ["i32"], args: ["buf", "size"], since: "1.1" },
} as const satisfies Record<string, Signature & { args: readonly string[]; since?: AbiVersion }>;
export type HypercallName = keyof typeof HYPERCALLS;

/** The ABI version that added a hypercall. */
export const hypercallSince = (name: HypercallName): AbiVersion => (HYPERCALLS[name] as { since?: AbiVersion }).since ?? "1";

/** The ABI version a guest needs: v1.1 if it imports a v1.1 call, else v1. */
export const guestAbi = (imports: readonly HypercallName[]): AbiVersion => (imports.some((n) => hypercallSince(n) === "1.1") ? "1.1" : "1");

/** The most bytes one entropy call fills (ABI v1.1). */
export const ENTROPY_MAX = 65536;

export const MAIN_SIGNATURE: Signature = { params: ["i32"], results: ["i32"] };
export const INITIALIZE_SIGNATURE: Signature = { params: [], results: [] };

/** Exit status of tender-detected errors, and of abort and traps. */
export const STATUS_TENDER_ERROR = 1;
export const STATUS_ABORT = 255;

/** UINT64_MAX: the yield deadline that never comes (SOLO5_TIME_INFINITE). */
export const UINT64_MAX = 0xffff_ffff_ffff_ffffn;

/**
 * An i64 argument as the ABI's uint64_t (yield's deadline, a block offset): an i64
 * crosses into JavaScript as a signed BigInt, so UINT64_MAX arrives as -1n.
 */
export const asU64 = (value: bigint): bigint => (value < 0n ? BigInt.asUintN(64, value) : value);

/**
 * Bytes of the control words a guest's thread shares with the threads that wake it
 * (atomics-waiter.ts): not seen by the guest, but every host makes them alike.
 */
export const CONTROL_BYTES = 16;

/** Rounds up to 16; arithmetic, not bitwise, as addresses may exceed 2^31. */
export const align16 = (n: number): number => Math.ceil(n / 16) * 16;
