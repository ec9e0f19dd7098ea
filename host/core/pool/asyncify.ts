// Asyncify (binaryen) on a guest module, so that solo5.yield can suspend the guest
// and give its thread to another one (scheduler.ts). Only code that can reach the
// yield import is instrumented ("asyncify-imports"); a guest that never yields comes
// out nearly as it went in. Indirect calls are assumed to reach it, as they may.
// binaryen is loaded on first use: a 13 MB module that only shared-thread hosts need.
import { TenderError } from "../errors.js";

/** What asyncify adds to the module's exports. */
export interface AsyncifyExports {
  asyncify_start_unwind(data: number): void;
  asyncify_stop_unwind(): void;
  asyncify_start_rewind(data: number): void;
  asyncify_stop_rewind(): void;
  asyncify_get_state(): number;
}

export const ASYNCIFY_NORMAL = 0;
export const ASYNCIFY_UNWINDING = 1;
export const ASYNCIFY_REWINDING = 2;

/** The bytes of `module` with yield made resumable. Throws TenderError when binaryen cannot. */
export async function asyncifyYield(module: Uint8Array): Promise<Uint8Array> {
  const { default: binaryen } = await import("binaryen");
  const F = binaryen.Features;
  // What V8 in Node 20 runs without flags: more than ABI v1 asks, so that a guest
  // built with, say, exception handling is refused by asyncify with its own reason.
  const features =
    F.MutableGlobals | F.NontrappingFPToInt | F.SIMD128 | F.BulkMemory | F.BulkMemoryOpt | F.SignExt | F.ExceptionHandling | F.ReferenceTypes | F.Multivalue | F.Atomics;
  let m: InstanceType<typeof binaryen.Module> | undefined;
  try {
    m = binaryen.readBinaryWithFeatures(module, features);
    // Pass settings are binaryen globals: set every time, never assumed.
    binaryen.setOptimizeLevel(2); // lets asyncify simplify what it instruments
    binaryen.setShrinkLevel(0);
    binaryen.setDebugInfo(true); // keeps the names section: trap stacks keep function names
    binaryen.setPassArgument("asyncify-imports", "solo5.yield");
    m.runPasses(["asyncify"]);
    return m.emitBinary();
  } catch (e) {
    throw new TenderError(`cannot make this guest's yield resumable for a shared thread (binaryen asyncify): ${(e as Error).message ?? e}`);
  } finally {
    binaryen.setPassArgument("asyncify-imports", null);
    m?.dispose();
  }
}
