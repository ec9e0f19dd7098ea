// How a run can end, and the two exceptions the tender throws to get there.

/** Why a guest stopped; `status` is the tender's exit status (docs/abi.md, "Ending"). */
export type ExitReason = "exit" | "abort" | "trap" | "error" | "stopped";

export interface ExitResult {
  status: number;
  reason: ExitReason;
  /** For "exit": the value the guest passed, as a signed 32-bit integer. */
  code?: number;
  /** For "trap", "error", "stopped": one line saying what happened. */
  message?: string;
}

/**
 * A refusal or failure detected by the tender: a bad module, manifest, option,
 * device, an invalid guest access or a host I/O error. Its message is one line that
 * says what is wrong and how to mend it; it is printed as `solo5-wasm: <message>`
 * and the tender exits with status 1.
 */
export class TenderError extends Error {
  override name = "TenderError";
}

/**
 * Text from outside (a module's names, a manifest, an engine's message quoting them)
 * with its control characters written as \uXXXX: line breaks, terminal escapes and
 * bidirectional overrides, so that a refusal stays one line and shows what is there.
 */
export function printable(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u200e\u200f\u2028-\u202e\u2066-\u2069]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

/**
 * Guest-supplied text as a refusal quotes it: whole when short, else its start and
 * its length, so that a hostile manifest or module cannot make the one line huge;
 * control characters escaped (printable).
 */
export function excerpt(text: string, max = 64): string {
  return text.length <= max ? printable(text) : `${printable(text.slice(0, max))}... (${text.length} characters)`;
}

/**
 * A device's storage failed under a request (disk full, EFBIG, EIO, a file shrunk
 * under the guest). Not a TenderError: the call returns EUNSPEC and the guest goes
 * on, as Solo5's hvt does, and decides itself what its data can still rely on
 * (examples/kv refuses the change and keeps its log as it was). Its message is one
 * line naming the device, the request and the host's reason.
 */
export class HostIoError extends Error {
  override name = "HostIoError";
}

/** A hypercall argument that leaves guest memory (Solo5's HVT_CHECKED_GPA_P). */
export class InvalidGuestAccess extends TenderError {
  constructor(call: string, ptr: number, len: number) {
    super(`invalid guest access in ${call}: ptr=0x${ptr.toString(16)} len=${len}`);
  }
}

/**
 * Thrown through the guest's wasm frames to unwind it when it calls exit or abort.
 * Deliberately not an Error: nothing but the runner should ever catch it.
 */
export class GuestEnded {
  constructor(readonly result: ExitResult) {}
}
