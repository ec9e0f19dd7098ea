// What ABI section 4 says each call of a tape must do, worked out from the tape
// alone: every call's result byte, or the call at which the guest must be stopped
// with the invalid-access line, and how the guest then ends. The fuzzer compares a
// tender's run against this, call by call.
import { ENTROPY_MAX, HANDLES, MEM, MTU, SECTOR, STORAGE_BYTES, tapeBytes } from "./tape.mjs";

const OK = 0, AGAIN = 1, EINVAL = 2, NONE = 0xff;

class Stop {
  constructor(call, ptr, len) {
    this.line = `solo5-wasm: invalid guest access in ${call}: ptr=0x${(ptr >>> 0).toString(16)} len=${len >>> 0}`;
  }
}

function check(call, ptr, len) {
  if ((ptr >>> 0) + (len >>> 0) > MEM) throw new Stop(call, ptr, len);
}

/**
 * { results: bytes of the calls made, stop: the stderr line if one call is an invalid
 * access (the calls after it are never made), status, reason, consoleBytes: bytes
 * console_write sends before the results }.
 */
export function expected(calls, end) {
  const acquired = new Set(["tape"]); // the guest acquires its tape before the calls
  const capacity = { tape: tapeBytes(calls.length), storage: STORAGE_BYTES };
  const byHandle = (h, type) => {
    const name = Object.keys(HANDLES).find((n) => HANDLES[n] === h >>> 0);
    return name && acquired.has(name) && (name === "service0") === (type === "NET_BASIC") ? name : undefined;
  };
  const acquire = (call, type, c, infoSize) => {
    if (typeof c.name !== "string") check(call, c.name, 1); // only names past the end are numbers
    check(call, c.handle, 8);
    check(call, c.info, infoSize);
    const fits = c.name in HANDLES && (c.name === "service0") === (type === "NET_BASIC");
    if (!fits || acquired.has(c.name)) return EINVAL;
    acquired.add(c.name);
    return OK;
  };
  const results = [];
  let consoleBytes = 0;
  try {
    for (const c of calls) results.push(result(c));
  } catch (e) {
    if (!(e instanceof Stop)) throw e;
    return { results, stop: e.line, status: 1, reason: "error", consoleBytes };
  }
  const ending = { return: [0, "exit"], sleep: [1, "stopped"], exit: [(end.status ?? 0) & 0xff, "exit"], abort: [255, "abort"] }[end.kind];
  return { results, stop: null, status: ending[0], reason: ending[1], consoleBytes };

  function result(c) {
    switch (c.op) {
      case "console_write":
        check(c.op, c.buf, c.size);
        consoleBytes += c.size >>> 0;
        return NONE;
      case "clock_monotonic": return OK; // the guest's own check: 1 if the clock went back
      case "clock_wall": return NONE;
      case "yield":
        if (c.readySet !== 0) check(c.op, c.readySet, 8);
        return NONE;
      case "net_acquire": return acquire(c.op, "NET_BASIC", c, 12);
      case "block_acquire": return acquire(c.op, "BLOCK_BASIC", c, 16);
      case "net_write": {
        check(c.op, c.buf, c.size);
        const size = c.size >>> 0;
        return byHandle(c.handle, "NET_BASIC") && size >= 14 && size <= MTU + 14 ? OK : EINVAL;
      }
      case "net_read":
        check(c.op, c.buf, c.size);
        check(c.op, c.readSize, 4);
        // Alone on its hub, the guest never has a frame to read.
        return byHandle(c.handle, "NET_BASIC") && c.size >>> 0 >= MTU + 14 ? AGAIN : EINVAL;
      case "block_write":
      case "block_read": {
        check(c.op, c.buf, c.size);
        const name = byHandle(c.handle, "BLOCK_BASIC");
        const size = BigInt(c.size >>> 0);
        const s = BigInt(SECTOR);
        const fine = name && size > 0n && size % s === 0n && c.offset % s === 0n && c.offset + size <= BigInt(capacity[name]);
        return fine ? OK : EINVAL;
      }
      case "entropy":
        check(c.op, c.buf, c.size);
        return c.size >>> 0 > ENTROPY_MAX ? EINVAL : OK;
      default:
        throw new Error(`no model for ${c.op}`);
    }
  }
}
