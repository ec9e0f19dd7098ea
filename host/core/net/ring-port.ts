// The serving side of a network device whose frames a host's own thread handles
// (hub: and udp: on Node's main thread; hubs and WebSockets in a page): two frame
// rings shared with the guest's worker. Frames for the guest go into `rx`, then the
// guest is woken; frames from the guest are taken out of `tx` as they come, without
// blocking the event loop (Atomics.waitAsync).
import { DEFAULT_MTU, ETHERNET_HEADER } from "../abi.js";
import type { RingNetSpec } from "./ring-backend.js";
import { FrameRing } from "./ring.js";

/**
 * Bytes of frames each way: about 170 full-size frames, or 2700 of 64 bytes. A guest
 * that does not read loses what does not fit, counted, and memory stays bounded.
 */
const RING_BYTES = 256 * 1024;
/** Frames taken from a guest in one turn of the event loop, so that a guest sending
 * flat out cannot starve the other guests and sockets this thread serves. */
const BATCH = 64;

/** What the worker opens for a device served here (openRingNet in the core). */
export interface RingSpec extends RingNetSpec {
  kind: "ring";
  name: string;
}

/** The next turn of the event loop: setImmediate where there is one (Node), else a 0 ms timer (a page). */
const nextTurn = (): Promise<void> =>
  new Promise((resolve) => ((globalThis as { setImmediate?: (f: () => void) => void }).setImmediate ?? setTimeout)(resolve));

export class RingPort {
  private readonly rx = FrameRing.create(RING_BYTES);
  private readonly tx = FrameRing.create(RING_BYTES);
  private closed = false;
  /** Where each frame from the guest is taken out to. */
  private readonly frame = new Uint8Array(DEFAULT_MTU + ETHERNET_HEADER);
  readonly spec: RingSpec;

  /** `onFrame` gets each frame the guest sends; the view is valid only during the call. */
  constructor(
    name: string,
    mac: Uint8Array,
    description: string,
    private readonly wake: () => void,
    private readonly onFrame: (frame: Uint8Array) => void,
  ) {
    this.spec = { kind: "ring", name, mac, mtu: DEFAULT_MTU, rx: this.rx.buffer, tx: this.tx.buffer, description };
    void this.serve();
  }

  /** Queues a frame for the guest (dropped and counted when its queue is full). */
  deliver(frame: Uint8Array): void {
    if (frame.length < ETHERNET_HEADER || frame.length > DEFAULT_MTU + ETHERNET_HEADER) this.rx.discard();
    else if (this.rx.push(frame)) this.wake();
  }

  /** Counts a frame the guest sent that could not be passed on. */
  lost(): void {
    this.tx.discard();
  }

  /**
   * Once the guest has ended: what it wrote and this side has not yet taken out is
   * passed on first (net_write said OK to each), then the port stops serving.
   */
  close(): void {
    if (this.closed) return;
    this.take(Infinity);
    this.closed = true;
    this.tx.releaseConsumer();
  }

  private async serve(): Promise<void> {
    while (!this.closed) {
      this.take(BATCH);
      await (this.tx.afterPush() ?? nextTurn());
    }
  }

  /** Passes on up to `most` of the guest's frames, oldest first. */
  private take(most: number): void {
    for (let i = 0, n; i < most && !this.closed && (n = this.tx.pop(this.frame)) >= 0; i++) this.onFrame(this.frame.subarray(0, n));
  }
}
