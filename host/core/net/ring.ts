// A bounded queue of Ethernet frames in a SharedArrayBuffer, with one producer
// thread and one consumer thread: how frames cross between a guest's thread and the
// thread that serves its device (Node's main thread, a page). Only ECMAScript, no
// host API, so every host can use it.
//
// Layout: four int32 header words, then `capacity` bytes of records. A record is the
// frame's length (one 32-bit word) and the frame, padded to 4 bytes; it may wrap
// around the end. HEAD and TAIL count bytes ever written and consumed, modulo 2^32;
// a power-of-two capacity keeps `counter & (capacity - 1)` right across that wrap.
// The producer writes a record, then publishes it by storing HEAD; the consumer
// reads it, then frees it by storing TAIL. Atomics order those plain accesses.

const HEAD = 0;
const TAIL = 1;
const DROPPED = 2;
const HEADER_BYTES = 16;
const LENGTH_BYTES = 4;

const align4 = (n: number): number => (n + 3) & ~3;

// ES2024, not in this project's lib typings; present in Node and Chromium.
type WaitAsync = (
  array: Int32Array,
  index: number,
  value: number,
) => { async: false; value: "not-equal" | "timed-out" } | { async: true; value: Promise<"ok" | "timed-out"> };
const waitAsync = (Atomics as unknown as { waitAsync?: WaitAsync }).waitAsync;

export class FrameRing {
  private readonly words: Int32Array;
  private readonly bytes: Uint8Array;
  /** The record area as 32-bit words, for the length prefixes (always 4-aligned). */
  private readonly lengths: Uint32Array;
  private readonly capacity: number;

  /** An empty ring with room for `capacity` bytes of records: a power of two, at least 64. */
  static create(capacity: number): FrameRing {
    if (!Number.isInteger(capacity) || capacity < 64 || (capacity & (capacity - 1)) !== 0) {
      throw new RangeError(`a ring's capacity must be a power of two of at least 64 bytes, not ${capacity}`);
    }
    return new FrameRing(new SharedArrayBuffer(HEADER_BYTES + capacity));
  }

  /** The ring in `buffer`, as create() made it (e.g. on the other thread). */
  constructor(readonly buffer: SharedArrayBuffer) {
    this.capacity = buffer.byteLength - HEADER_BYTES;
    this.words = new Int32Array(buffer, 0, HEADER_BYTES / 4);
    this.bytes = new Uint8Array(buffer, HEADER_BYTES);
    this.lengths = new Uint32Array(buffer, HEADER_BYTES);
  }

  /** Producer: queues a copy of `frame`; when it does not fit, counts it dropped and returns false. */
  push(frame: Uint8Array): boolean {
    const head = Atomics.load(this.words, HEAD) >>> 0;
    const used = (head - Atomics.load(this.words, TAIL)) >>> 0;
    const size = LENGTH_BYTES + align4(frame.length);
    if (size > this.capacity - used) {
      this.discard();
      return false;
    }
    const mask = this.capacity - 1;
    const at = head & mask;
    this.lengths[at >>> 2] = frame.length;
    this.copyIn(frame, (at + LENGTH_BYTES) & mask);
    Atomics.store(this.words, HEAD, (head + size) | 0);
    // For a consumer in afterPush(); without one this costs next to nothing.
    Atomics.notify(this.words, HEAD);
    return true;
  }

  /** Consumer: moves the oldest frame into `into` and returns its length; -1 when empty. */
  pop(into: Uint8Array): number {
    const tail = Atomics.load(this.words, TAIL) >>> 0;
    if (tail === Atomics.load(this.words, HEAD) >>> 0) return -1;
    const mask = this.capacity - 1;
    const at = tail & mask;
    const length = this.lengths[at >>> 2]!;
    if (length > into.length) throw new RangeError(`a ${length}-byte frame does not fit a ${into.length}-byte buffer`);
    this.copyOut(into, length, (at + LENGTH_BYTES) & mask);
    Atomics.store(this.words, TAIL, (tail + LENGTH_BYTES + align4(length)) | 0);
    return length;
  }

  isEmpty(): boolean {
    return Atomics.load(this.words, HEAD) === Atomics.load(this.words, TAIL);
  }

  /** Frames dropped on their way through this ring: full when pushed, or refused by either side. */
  get dropped(): number {
    return Atomics.load(this.words, DROPPED) >>> 0;
  }

  /** Counts one frame dropped for another reason (too long, unsendable), by either side. */
  discard(): void {
    Atomics.add(this.words, DROPPED, 1);
  }

  /**
   * Consumer on a thread that must not block (a main thread): undefined when a frame
   * is waiting, else a promise that settles once the producer pushes one or
   * releaseConsumer() is called.
   */
  afterPush(): Promise<unknown> | undefined {
    const head = Atomics.load(this.words, HEAD);
    if (head !== Atomics.load(this.words, TAIL)) return undefined;
    if (!waitAsync) throw new Error("this JavaScript engine lacks Atomics.waitAsync, which serving a ring needs");
    const wait = waitAsync(this.words, HEAD, head);
    return wait.async ? wait.value : undefined;
  }

  /** Settles a pending afterPush(), e.g. when the consumer stops. */
  releaseConsumer(): void {
    Atomics.notify(this.words, HEAD);
  }

  private copyIn(frame: Uint8Array, at: number): void {
    const first = Math.min(frame.length, this.capacity - at);
    this.bytes.set(first === frame.length ? frame : frame.subarray(0, first), at);
    if (first < frame.length) this.bytes.set(frame.subarray(first), 0);
  }

  private copyOut(into: Uint8Array, length: number, at: number): void {
    const first = Math.min(length, this.capacity - at);
    into.set(this.bytes.subarray(at, at + first), 0);
    if (first < length) into.set(this.bytes.subarray(0, length - first), first);
  }
}
