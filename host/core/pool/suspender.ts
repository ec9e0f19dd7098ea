// Suspending and resuming one asyncified guest (asyncify.ts) inside its own memory,
// without the guest ever seeing the bytes asyncify needs.
//
// Asyncify saves the guest's wasm stack (locals and call positions of every frame
// between solo5_app_main and yield) into linear memory, at a place we name. The ABI
// gives the tender no such place: the heap is the guest's to the last byte. So the
// tender borrows one and gives it back before any guest code runs again:
//   suspend   keep aside the bytes of the window, start unwinding into it;
//   unwound   (the export has returned) copy out what asyncify wrote, put the guest's
//             bytes back;
//   resume    keep aside the guest's bytes again, put asyncify's back, start rewinding;
//   resumed   (rewinding has reached yield again) put the guest's bytes back.
// While asyncify unwinds or rewinds, only its own instrumentation runs (no guest
// code reads memory), so the guest never observes the window. The window sits at the
// start info, a page the tender has written anyway, so borrowing it commits no page.
import { ASYNCIFY_REWINDING, ASYNCIFY_UNWINDING, type AsyncifyExports } from "./asyncify.js";
import { TenderError } from "../errors.js";

/**
 * Room for the saved stack. A guest sleeping in sleep() needs 40 bytes; this is
 * hundreds of frames. Borrowing costs a copy of the window at each suspension (and a
 * page fault per page the first time), so it is no larger than that.
 */
export const STACK_WINDOW = 16 * 1024;
/** asyncify's data header: [i32 current position, i32 end]. */
const HEADER = 8;

export class Suspender {
  /** The guest's suspended stack: the window's first bytes as asyncify left them. */
  private saved: Uint8Array | undefined;
  private readonly view: DataView;
  private readonly size: number;

  /**
   * `scratch` (at least STACK_WINDOW bytes) holds the guest's own bytes while the
   * window is borrowed; one serves every guest of a thread, as they run one at a time.
   */
  constructor(
    private readonly bytes: Uint8Array,
    private readonly at: number,
    private readonly asyncify: AsyncifyExports,
    private readonly scratch: Uint8Array,
  ) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.size = Math.min(STACK_WINDOW, bytes.length - at);
  }

  get suspended(): boolean {
    return this.saved !== undefined;
  }

  /** In yield: starts unwinding the guest to the export that was called. */
  suspend(): void {
    this.scratch.set(this.bytes.subarray(this.at, this.at + this.size));
    this.view.setUint32(this.at, this.at + HEADER, true);
    this.view.setUint32(this.at + 4, this.at + this.size, true);
    this.asyncify.asyncify_start_unwind(this.at);
  }

  /** After an export returned: true if it was unwinding (the guest is now suspended). */
  unwound(): boolean {
    if (this.asyncify.asyncify_get_state() !== ASYNCIFY_UNWINDING) return false;
    const end = this.view.getUint32(this.at, true);
    // Asyncify checks for overflow only here, after writing past the window into the
    // guest's memory: that guest cannot be resumed, so it ends.
    if (end > this.at + this.size) throw this.overflow();
    this.asyncify.asyncify_stop_unwind();
    this.saved = this.bytes.slice(this.at, end);
    this.bytes.set(this.scratch.subarray(0, end - this.at), this.at);
    return true;
  }

  /** Before calling the export again: it will rewind to the yield that suspended. */
  resume(): void {
    const saved = this.saved!;
    this.scratch.set(this.bytes.subarray(this.at, this.at + saved.length));
    this.bytes.set(saved, this.at);
    this.asyncify.asyncify_start_rewind(this.at);
  }

  /** In yield: true if this call is the rewinding one (the guest is back), which it ends. */
  resumed(): boolean {
    if (this.asyncify.asyncify_get_state() !== ASYNCIFY_REWINDING) return false;
    this.asyncify.asyncify_stop_rewind();
    this.bytes.set(this.scratch.subarray(0, this.saved!.length), this.at);
    this.saved = undefined;
    return true;
  }

  /**
   * After a trap: if it came while unwinding (asyncify ran out of memory past the
   * window), the reason is a TenderError saying so; otherwise the trap as it was.
   */
  explain(trap: unknown): unknown {
    return this.asyncify.asyncify_get_state() === ASYNCIFY_UNWINDING ? this.overflow() : trap;
  }

  /** The window's bytes go back (for a core dump); the error says why the guest ends. */
  private overflow(): TenderError {
    this.bytes.set(this.scratch.subarray(0, this.size), this.at);
    return new TenderError(
      `the guest's stack at yield needs more than ${this.size} bytes to be suspended on a shared thread: run it on its own worker`,
    );
  }
}
