// An HTTP/1.1 server on a TCP listener, run by the stack as a service (or by the
// application calling poll()): it accepts connections into a bounded pool of slots,
// each with its own handler H, and runs every connection at each poll.
//
//   const server = new HttpServer<Site>(stack.tcp.listen(80)!);
//   stack.addService(server);
import { StackService, TcpListener } from "../tcpip";
import { NSEC_PER_SEC } from "../time";
import { HttpConnection, SEND_ROOM_TO_START, ServerScratch } from "./connection";
import { HttpHandler } from "./handler";
import { HttpServerStats } from "./stats";

/** The server's limits: how many connections at once and how long one may sit idle. */
export class HttpServerConfig {
  /** Connections served at once; more are closed as they come. */
  maxConnections: i32 = 1024;
  /** A connection on which nothing moves (no request, no byte of body or answer) this long is closed. */
  idleTimeout: u64 = 60 * NSEC_PER_SEC;
}

/** An HTTP/1.1 server on a TCP listener: a bounded pool of connection slots, each with its own handler H (reused for every request it serves), run at each poll(); add it to the stack with stack.addService(server). */
export class HttpServer<H extends HttpHandler> implements StackService {
  private readonly scratch: ServerScratch = new ServerScratch();
  /** Connections open, and slots to reuse. */
  private readonly open: HttpConnection[] = [];
  private readonly spare: HttpConnection[] = [];
  private slots: i32 = 0;

  constructor(
    /** The TCP listener it takes connections from. */
    readonly listener: TcpListener,
    /** Its limits. */
    readonly config: HttpServerConfig = new HttpServerConfig(),
  ) {
    // A response head must fit the send buffer whole.
    if (listener.options.txBuffer < 2 * SEND_ROOM_TO_START) listener.options.txBuffer = 2 * SEND_ROOM_TO_START;
  }

  /** What the server has counted so far. */
  get stats(): HttpServerStats {
    return this.scratch.stats;
  }

  /** Connections open now. */
  get connections(): i32 {
    return this.open.length;
  }

  /** Takes new connections, then runs every open one. */
  poll(now: u64): void {
    const stats = this.scratch.stats;
    for (;;) {
      const socket = this.listener.accept();
      if (socket === null) break;
      const c = this.slot();
      if (c === null) {
        stats.refused++;
        socket.close();
        continue;
      }
      stats.accepted++;
      c.open(socket, now);
      this.open.push(c);
    }
    const open = this.open;
    for (let i = 0; i < open.length; ) {
      const c = unchecked(open[i]);
      c.service(now);
      if (!c.isClosed && now - c.lastActive >= this.config.idleTimeout) {
        stats.timedOut++;
        c.shut(now);
      }
      if (c.isClosed) {
        // Swap-remove: order does not matter.
        const last = open.pop();
        if (last !== c) unchecked((open[i] = last));
        this.spare.push(c);
        continue;
      }
      i++;
    }
  }

  /** The next idle timeout (incoming bytes wake the stack by themselves). */
  pollAt(now: u64): u64 {
    let at = u64.MAX_VALUE;
    const open = this.open;
    for (let i = 0; i < open.length; i++) at = min(at, unchecked(open[i]).lastActive + this.config.idleTimeout);
    return at;
  }

  private slot(): HttpConnection | null {
    if (this.spare.length > 0) return this.spare.pop();
    if (this.slots >= this.config.maxConnections) return null;
    this.slots++;
    return new HttpConnection(instantiate<H>(), this.scratch);
  }
}
