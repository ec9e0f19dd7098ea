// Checked access to guest memory for hypercalls. A (ptr, len) pair is valid when
// ptr + len <= size, computed without overflow (JS numbers do not wrap at 2^32);
// anything else stops the guest (InvalidGuestAccess, through `fault`). Never clamped.
import { InvalidGuestAccess } from "./errors.js";

export class GuestMemory {
  readonly bytes: Uint8Array;
  readonly view: DataView;
  readonly size: number;

  /**
   * `fault` ends the guest with the error (it must throw): the guest's context records
   * it first, so that a guest catching the unwinding still ends.
   */
  constructor(
    readonly memory: WebAssembly.Memory,
    private readonly fault: (e: InvalidGuestAccess) => never,
  ) {
    // The memory cannot grow (initial == maximum), so these views stay valid.
    this.bytes = new Uint8Array(memory.buffer);
    this.view = new DataView(memory.buffer);
    this.size = this.bytes.length;
  }

  /** Checks a buffer argument; returns its offset as unsigned. Lengths arrive as i32. */
  check(call: string, ptr: number, len: number): number {
    const p = ptr >>> 0;
    if (p + (len >>> 0) > this.size) this.fault(new InvalidGuestAccess(call, p, len >>> 0));
    return p;
  }

  /** A view of a checked buffer (no copy: valid only during the hypercall). */
  slice(call: string, ptr: number, len: number): Uint8Array {
    const p = this.check(call, ptr, len);
    return this.bytes.subarray(p, p + (len >>> 0));
  }

  /** Reads a NUL-terminated UTF-8 string; its NUL must lie inside memory. */
  cstring(call: string, ptr: number): string {
    const p = this.check(call, ptr, 1);
    const end = this.bytes.indexOf(0, p);
    if (end < 0) this.fault(new InvalidGuestAccess(call, p, this.size - p + 1));
    return new TextDecoder().decode(this.bytes.subarray(p, end));
  }
}
