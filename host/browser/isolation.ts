// A guest blocks in yield with Atomics.wait on a SharedArrayBuffer, and browsers
// give a page SharedArrayBuffer only when it is cross-origin isolated. Refuse early,
// saying exactly what is missing and how to mend it, rather than fail obscurely later.
import { TenderError } from "../core/errors.js";

export const ISOLATION_HEADERS = {
  "Cross-Origin-Opener-Policy": "same-origin",
  "Cross-Origin-Embedder-Policy": "require-corp",
} as const;

const HEADERS = Object.entries(ISOLATION_HEADERS).map(([k, v]) => `${k}: ${v}`).join(" and ");

/** Throws a TenderError unless this page can run guests. */
export function checkIsolation(): void {
  if (!globalThis.isSecureContext) {
    throw new TenderError(
      `this page is not a secure context, so it cannot be cross-origin isolated, which guests need (SharedArrayBuffer and Atomics.wait): ` +
        `serve it over https, or from localhost or 127.0.0.1, with the headers ${HEADERS}`,
    );
  }
  if (!globalThis.crossOriginIsolated) {
    throw new TenderError(
      `this page is not cross-origin isolated, so guests cannot block in their Web Worker (SharedArrayBuffer and Atomics.wait need it): ` +
        `serve the page with the headers ${HEADERS} (solo5-wasm serve does), and every cross-origin resource it loads with CORS or Cross-Origin-Resource-Policy`,
    );
  }
}
