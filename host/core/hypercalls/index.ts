// The hypercall table: the solo5.* import object of one guest, built from every
// family's functions for its context and restricted to what the guest imports. Every
// call goes through here, so this is where a call is replaced (the shared-thread
// scheduler brings its own yield) or wrapped by a hook: tracing is one (trace.ts),
// record/ has the recorder's and the replayer's, and fuzzing would be another.
import type { HypercallName } from "../abi.js";
import type { GuestContext } from "../context.js";
import { blockCalls } from "./block.js";
import { clockCalls } from "./clock.js";
import { consoleCalls } from "./console.js";
import { entropyCalls } from "./entropy.js";
import { exitCalls } from "./exit.js";
import { netCalls } from "./net.js";
import { yieldCalls } from "./yield.js";

export type Hypercalls = ReturnType<typeof consoleCalls> &
  ReturnType<typeof clockCalls> &
  ReturnType<typeof exitCalls> &
  ReturnType<typeof yieldCalls> &
  ReturnType<typeof netCalls> &
  ReturnType<typeof blockCalls> &
  ReturnType<typeof entropyCalls>;

/** Any hypercall, as a hook sees it. */
export type Hypercall = (...args: never[]) => unknown;

/**
 * Wraps one hypercall: gets its name, the function that does it and the guest's
 * context (its memory, for a hook that reads what a call wrote), returns what the
 * guest calls instead. Applied once per import, at instantiation; a guest without
 * hooks calls the families' functions directly and pays nothing for them.
 */
export type CallHook = (name: HypercallName, call: Hypercall, ctx: GuestContext) => Hypercall;

export interface TableOptions {
  /** Calls done the host's own way. */
  replace?: Partial<Hypercalls>;
  /** Applied in order: the last one is outermost. */
  hooks?: readonly CallHook[];
}

export function hypercalls(ctx: GuestContext, names: readonly HypercallName[], { replace = {}, hooks = [] }: TableOptions = {}): Hypercalls {
  const all: Hypercalls = {
    ...consoleCalls(ctx),
    ...clockCalls(ctx),
    ...exitCalls(ctx),
    ...yieldCalls(ctx),
    ...netCalls(ctx),
    ...blockCalls(ctx),
    ...entropyCalls(ctx),
    ...replace,
  };
  // Only what the guest imports: less to wrap and nothing unasked-for visible.
  return Object.fromEntries(names.map((name) => [name, hooks.reduce((call, hook) => hook(name, call, ctx), all[name] as Hypercall)])) as Hypercalls;
}
