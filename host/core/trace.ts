// --trace: one stderr line per hypercall with its arguments, result and duration,
// like strace for unikernels. A hook of the hypercall table (hypercalls/index.ts),
// added only when tracing is on, so an untraced guest pays nothing for it.
import { HYPERCALLS, RESULT_NAMES, R_OK, UINT64_MAX, asU64, type HypercallName } from "./abi.js";
import { GuestEnded } from "./errors.js";
import type { GuestContext } from "./context.js";
import type { CallHook } from "./hypercalls/index.js";

const POINTER_ARGS = new Set(["buf", "name", "handle", "info", "ready_set", "read_size"]);

/** The NUL-terminated string at `ptr`, if it lies in memory; read without the checks that would end the guest. */
function peekString(bytes: Uint8Array, ptr: number): string | undefined {
  const p = ptr >>> 0;
  const end = bytes.indexOf(0, p);
  return p < bytes.length && end >= 0 ? JSON.stringify(new TextDecoder().decode(bytes.subarray(p, end))) : undefined;
}

/** What a traced call reads: guest memory, and the names of the handles acquired so far. */
interface Traced {
  mem: GuestContext["mem"];
  /** Handle -> manifest name, from the acquires this hook saw succeed (a replay has no device table). */
  acquired: Map<number, string>;
}

function showArg({ mem, acquired }: Traced, call: HypercallName, name: string, value: unknown): string {
  // Devices by their manifest names: an acquire's name string, a read's or write's handle.
  if (name === "name" && call.endsWith("acquire")) {
    const shown = peekString(mem.bytes, value as number);
    if (shown !== undefined) return `name=${shown}`;
  }
  if (name === "handle" && !call.endsWith("acquire") && typeof value === "number") {
    const device = acquired.get(value);
    if (device !== undefined) return `handle=${value} (${device})`;
  }
  if (typeof value === "bigint") {
    const u = asU64(value);
    return `${name}=${u === UINT64_MAX ? "INFINITE" : u}`;
  }
  const n = value as number;
  // The handle of net_write/read and block_write/read is a value, not a pointer.
  const pointer = POINTER_ARGS.has(name) && !(name === "handle" && !call.endsWith("acquire"));
  return `${name}=${pointer ? `0x${(n >>> 0).toString(16)}` : n}`;
}

function showResult(call: HypercallName, value: unknown): string {
  const results = HYPERCALLS[call].results as readonly string[];
  if (results.length === 0) return "";
  if (typeof value === "bigint") return ` = ${value}`;
  return ` = ${RESULT_NAMES[value as number] ?? value}`;
}

/** After an acquire said OK: the handle it wrote, by the name it was given. */
function noteAcquired({ mem, acquired }: Traced, [name, handle]: number[]): void {
  const shown = peekString(mem.bytes, name!);
  const p = handle! >>> 0;
  if (shown === undefined || p + 8 > mem.bytes.length) return;
  acquired.set(Number(new DataView(mem.bytes.buffer, mem.bytes.byteOffset).getBigUint64(p, true)), JSON.parse(shown) as string);
}

/** The hook that traces every call of the guest of `ctx` to `line`. */
export function traceHook(line: (text: string) => void, { mem }: Pick<GuestContext, "mem">): CallHook {
  const ctx: Traced = { mem, acquired: new Map() };
  return (call, fn) => {
    const names = HYPERCALLS[call].args as readonly string[];
    return (...args: never[]) => {
      const shown = `${call}(${args.map((a, i) => showArg(ctx, call, names[i]!, a)).join(", ")})`;
      const t0 = performance.now();
      try {
        const result = fn(...args);
        if (call.endsWith("acquire") && result === R_OK) noteAcquired(ctx, args as unknown as number[]);
        line(`trace: ${shown}${showResult(call, result)} (${((performance.now() - t0) * 1000).toFixed(1)} us)`);
        return result;
      } catch (e) {
        line(`trace: ${shown} ${e instanceof GuestEnded ? "ends the guest" : `failed: ${(e as Error).message}`}`);
        throw e;
      }
    };
  };
}
