// A listening port: the sockets whose handshake completed wait in its accept queue (the
// backlog) until the application takes them. The half-open ones are records in the
// layer's bounded table (half-open.ts), not sockets.
import { TcpSocketOptions } from "./config";
import { TcpSocket } from "./socket";

/** A listening port: connections whose handshake completed wait in its accept queue (the backlog) until accept() takes them; half-open ones are records in the layer's bounded table, not sockets. */
export class TcpListener {
  private readonly queue: StaticArray<TcpSocket | null>;
  private head: i32 = 0;
  private count: i32 = 0;
  /** Set by the layer when closed: accept() then returns null for good. */
  closed: bool = false;

  constructor(
    /** The port it listens on. */
    readonly port: u32,
    /** Established connections it holds until accepted. */
    readonly backlog: i32,
    /** The options of the sockets it accepts. */
    readonly options: TcpSocketOptions,
    /** @internal Its place in the layer's listener table. */
    readonly index: i32,
  ) {
    this.queue = new StaticArray<TcpSocket | null>(backlog);
  }

  /** Whether the accept queue holds backlog connections (a new handshake then waits or is refused). */
  get isFull(): bool {
    return this.count == this.backlog;
  }

  /** Connections waiting to be accepted. */
  get pending(): i32 {
    return this.count;
  }

  /** Called by the layer: a connection completed its handshake. */
  enqueue(socket: TcpSocket): void {
    unchecked((this.queue[(this.head + this.count) % this.backlog] = socket));
    this.count++;
  }

  /** The next established connection, or null when none waits. It is the
   * application's until it calls close() or abort() on it. */
  accept(): TcpSocket | null {
    while (this.count > 0) {
      const s = unchecked(this.queue[this.head]);
      unchecked((this.queue[this.head] = null));
      this.head = (this.head + 1) % this.backlog;
      this.count--;
      // A connection reset while it waited is not handed out.
      if (s !== null && s.isOpen) return s;
      if (s !== null) s.released = true;
    }
    return null;
  }
}
