// A UDP socket: bound to a local port, a bounded queue of datagrams received and one of
// datagrams to send at the next poll.
import { DatagramRing } from "../storage/datagram-ring";

/** How much a UDP socket's queues hold. */
export class UdpSocketOptions {
  /** Payload bytes each queue holds. */
  bufferBytes: u32 = 16384;
  /** Datagrams each queue holds. */
  bufferSlots: i32 = 32;
}

/** A UDP socket: bound to a local port, with a bounded queue of datagrams received and one of datagrams to send at the next poll. */
export class UdpSocket {
  /** @internal The datagrams received, filled by the layer. */
  readonly rx: DatagramRing;
  /** @internal The datagrams to send, drained by the layer. */
  readonly tx: DatagramRing;
  /** Set by the layer when the socket is closed; a closed socket is never used again. */
  closed: bool = false;
  /** Datagrams dropped because the receive queue was full. */
  dropped: u64 = 0;
  /** The sender of the datagram recv() returned last. */
  peerAddress: u32 = 0;
  /** The port the datagram recv() returned last came from. */
  peerPort: u32 = 0;

  constructor(
    /** The port it is bound to. */
    readonly localPort: u32,
    options: UdpSocketOptions,
  ) {
    this.rx = new DatagramRing(options.bufferBytes, options.bufferSlots);
    this.tx = new DatagramRing(options.bufferBytes, options.bufferSlots);
  }

  /** Whether a datagram waits. */
  get canRecv(): bool {
    return !this.rx.isEmpty;
  }

  /**
   * The oldest datagram, copied into `buf` (cut to its length if longer): its length,
   * with its sender in peerAddress and peerPort; -1 when none waits.
   */
  recv(buf: Uint8Array): i32 {
    if (this.rx.isEmpty) return -1;
    const n = this.rx.frontLength;
    memory.copy(buf.dataStart, this.rx.frontPtr, min(n, <u32>buf.byteLength));
    this.peerAddress = this.rx.frontAddress;
    this.peerPort = this.rx.frontPort;
    this.rx.pop();
    return <i32>n;
  }

  /** Queues `length` bytes of buf (all of it by default) to address:port; false when the
   * send queue is full (or the datagram could never fit it). */
  sendTo(buf: Uint8Array, address: u32, port: u32, length: i32 = -1): bool {
    const n = length < 0 ? buf.byteLength : min(length, buf.byteLength);
    return this.tx.push(buf.dataStart, <u32>n, address, port);
  }
}
