// Typed access to the signal addon (native/tap/signals.c): ending the process on a
// signal with a message and a status while the main thread runs a guest, when the
// event loop, where Node runs signal listeners, does not turn.
import { createRequire } from "node:module";

interface SignalAddon {
  exitOnSignal(signo: number, message: string, status: number): void;
}

// Two levels up both from host/node/ and from dist/node/.
const addonPath = "../../native/tap/build/Release/solo5_signals.node";

/**
 * The addon, or undefined where it is not built (it is built with the TAP addon,
 * which an install without a compiler lacks): the caller then keeps the event
 * loop free for Node's own signal handling.
 */
export function signalAddon(): SignalAddon | undefined {
  try {
    return createRequire(import.meta.url)(addonPath) as SignalAddon;
  } catch {
    return undefined;
  }
}
