// Backing a guest's env.memory with a shared WebAssembly.Memory, so that boot time
// does not grow with --mem (docs/performance.md, "Boot at large --mem").
//
// V8 counts a non-shared memory's whole size as external memory the moment it is
// created, and answers 64 MiB or more of new external memory with garbage collection
// on the spot (Heap::ReportExternalMemoryPressure): 1 ms at 64 MiB, 4 ms at 512 and
// over 8 ms at 4095 here, against 0.02 ms for a shared memory of any size, which V8
// does not count per isolate. Shared or not makes no difference to the guest's code
// (plain loads and stores; the memory cannot grow either way), but an import must
// match the memory's shared flag, so the module is compiled with its env.memory
// import marked shared. The guest's own bytes are checked as they came (kernel.ts).
//
// A host opts in where a shared memory behaves as a plain one for the hypercalls
// (Node: TextDecoder and fs take views of a SharedArrayBuffer) and where the guest's
// isolate ends with the guest (a worker per guest, or a process), because V8 then
// also does not count that memory when deciding to collect it.
import { TenderError } from "./errors.js";
import { concat, readU32Leb, u32Leb } from "./sections.js";

const HEADER = 8;
const IMPORT_SECTION = 2;
const KIND_FUNC = 0;
const KIND_TABLE = 1;
const KIND_MEMORY = 2;
/** Limits flags: minimum only, or minimum and maximum; with the shared bit, both. */
const LIMITS_MIN = 0x00;
const LIMITS_MIN_MAX = 0x01;
const LIMITS_SHARED_MIN_MAX = 0x03;
/** A shared memory type needs a maximum: when the guest has none, the largest wasm32 one. */
const MAX_PAGES = 65536;

/**
 * The module with its memory import's limits marked shared (the maximum kept, or
 * added). Anything this does not recognise is left to the engine's own checks,
 * unchanged: a module that loadKernel refuses never gets here.
 */
export function shareMemoryImport(module: Uint8Array): Uint8Array {
  for (let at = HEADER; at < module.length; ) {
    const [size, bodyAt] = readU32Leb(module, at + 1);
    const end = bodyAt + size;
    if (end > module.length) throw new TenderError("the module is truncated (a section runs past its end)");
    if (module[at] === IMPORT_SECTION) {
      const body = shareInImports(module.subarray(bodyAt, end));
      if (!body) return module;
      return concat([module.subarray(0, at), Uint8Array.of(IMPORT_SECTION, ...u32Leb(body.length)), body, module.subarray(end)]);
    }
    at = end;
  }
  return module;
}

/** The import section's body with the memory import's limits rewritten; undefined if it has none to rewrite. */
function shareInImports(body: Uint8Array): Uint8Array | undefined {
  let [count, at] = readU32Leb(body, 0);
  const skipName = (p: number) => {
    const [len, next] = readU32Leb(body, p);
    return next + len;
  };
  const skipLimits = (p: number) => {
    const flags = body[p]!;
    let next = readU32Leb(body, p + 1)[1];
    if (flags & 1) next = readU32Leb(body, next)[1];
    return next;
  };
  for (; count > 0; count--) {
    at = skipName(skipName(at));
    const kind = body[at++];
    if (kind === KIND_MEMORY) {
      const flags = body[at]!;
      if (flags !== LIMITS_MIN && flags !== LIMITS_MIN_MAX) return undefined;
      const [min, next] = readU32Leb(body, at + 1);
      const [max, end] = flags === LIMITS_MIN_MAX ? readU32Leb(body, next) : [MAX_PAGES, next];
      const limits = Uint8Array.of(LIMITS_SHARED_MIN_MAX, ...u32Leb(min), ...u32Leb(max));
      return concat([body.subarray(0, at), limits, body.subarray(end)]);
    }
    if (kind === KIND_FUNC) at = readU32Leb(body, at)[1];
    else if (kind === KIND_TABLE) at = skipLimits(at + 1); // reftype, then limits
    else at += 2; // a global: valtype, mutability
  }
  return undefined;
}
