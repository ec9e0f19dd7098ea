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
//
// Every Atomics call is a call into V8's runtime here (about 7 ns; a notify with no
// waiter 28 ns), and push and isEmpty sit under net_write and yield. So each side
// keeps the counter only it writes (the producer HEAD, the consumer TAIL) in a field,
// a push notifies only while a consumer waits in afterPush(), and isEmpty reads HEAD
// plainly (see there): yield with a hub device 27 -> 13 ns, net_write to a hub
// 59 -> 50-54 ns (bench/platform/hypercalls.mjs).

const HEAD = 0;
const TAIL = 1;
const DROPPED = 2;
/** Non-zero while a consumer waits in afterPush(): only then does a push notify. */
const WAITING = 3;
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
  /** HEAD as this side last stored it: exact on the producer's side, which alone stores it. */
  private head: number;
  /** TAIL as this side last stored it: exact on the consumer's side, which alone stores it. */
  private tail: number;

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
    this.head = Atomics.load(this.words, HEAD) >>> 0;
    this.tail = Atomics.load(this.words, TAIL) >>> 0;
  }

  /** Producer: queues a copy of `frame`; when it does not fit, counts it dropped and returns false. */
  push(frame: Uint8Array): boolean {
    const head = this.head;
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
    this.head = (head + size) >>> 0;
    Atomics.store(this.words, HEAD, this.head | 0);
    // Read after the store: a consumer that set WAITING after this read then finds
    // HEAD changed when waitAsync compares it, and does not wait (all four are
    // sequentially consistent).
    if (Atomics.load(this.words, WAITING) !== 0) Atomics.notify(this.words, HEAD);
    return true;
  }

  /** Consumer: moves the oldest frame into `into` and returns its length; -1 when empty. */
  pop(into: Uint8Array): number {
    const tail = this.tail;
    if (tail === Atomics.load(this.words, HEAD) >>> 0) return -1;
    const mask = this.capacity - 1;
    const at = tail & mask;
    const length = this.lengths[at >>> 2]!;
    if (length > into.length) throw new RangeError(`a ${length}-byte frame does not fit a ${into.length}-byte buffer`);
    this.copyOut(into, length, (at + LENGTH_BYTES) & mask);
    this.tail = (tail + LENGTH_BYTES + align4(length)) >>> 0;
    Atomics.store(this.words, TAIL, this.tail | 0);
    return length;
  }

  /**
   * Consumer: whether no frame is waiting. HEAD is read plainly: the answer may lag a
   * push made a moment ago on the other thread, never one ordered before this call
   * by an atomic operation or a system call. That suits every caller: a thread that
   * finds nothing re-checks after arming its waiter (an atomic read of the word it
   * sleeps on, or ppoll on the eventfd the producer writes after pushing) before it
   * sleeps, and pop() reads HEAD atomically before it takes a frame.
   */
  isEmpty(): boolean {
    return this.words[HEAD]! >>> 0 === this.tail;
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
    if (head >>> 0 !== this.tail) return undefined;
    if (!waitAsync) throw new Error("this JavaScript engine lacks Atomics.waitAsync, which serving a ring needs");
    Atomics.store(this.words, WAITING, 1);
    const wait = waitAsync(this.words, HEAD, head);
    if (!wait.async) {
      Atomics.store(this.words, WAITING, 0);
      return undefined;
    }
    return wait.value.finally(() => Atomics.store(this.words, WAITING, 0));
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
