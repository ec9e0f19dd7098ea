// The solo5.* import object of one guest: every hypercall module's functions for its
// context, restricted to what the guest imports. A host may replace some (the shared
// thread scheduler brings its own yield); the rest are exactly what runGuest uses.
import type { HypercallName } from "../abi.js";
import type { GuestContext } from "../context.js";
import { blockCalls } from "./block.js";
import { clockCalls } from "./clock.js";
import { consoleCalls } from "./console.js";
import { exitCalls } from "./exit.js";
import { netCalls } from "./net.js";
import { yieldCalls } from "./yield.js";

export type Hypercalls = ReturnType<typeof consoleCalls> &
  ReturnType<typeof clockCalls> &
  ReturnType<typeof exitCalls> &
  ReturnType<typeof yieldCalls> &
  ReturnType<typeof netCalls> &
  ReturnType<typeof blockCalls>;

export function hypercalls(ctx: GuestContext, names: readonly HypercallName[], replace: Partial<Hypercalls> = {}): Hypercalls {
  const all: Hypercalls = {
    ...consoleCalls(ctx),
    ...clockCalls(ctx),
    ...exitCalls(ctx),
    ...yieldCalls(ctx),
    ...netCalls(ctx),
    ...blockCalls(ctx),
    ...replace,
  };
  // Only what the guest imports: less to wrap and nothing unasked-for visible.
  return Object.fromEntries(names.map((name) => [name, all[name]])) as Hypercalls;
}
