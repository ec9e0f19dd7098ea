// One HTTP/1.1 connection of the server: reads request heads in place from the
// socket's receive buffer (copying into the server's shared scratch only when a head
// wraps around the ring), runs one exchange at a time through the handler (so
// pipelined requests are answered in order), delivers the body as Content-Length or
// chunked framing says, and reuses or closes the connection afterwards.
import { TcpSocket, TcpState } from "../tcpip";
import { ChunkedDecoder } from "./chunked";
import { HttpHandler } from "./handler";
import { HEAD_MAX, MessageHead, Method } from "./head";
import { HeadReader } from "./head-reader";
import { HttpRequest } from "./request";
import { HttpResponse, RESPONSE_HEAD_MAX } from "./response";
import { HttpServerStats } from "./stats";

/** Send-buffer room a request needs before it is started: its whole head (and a 100 Continue) fits. */
export const SEND_ROOM_TO_START: u32 = RESPONSE_HEAD_MAX + 64;

/** What the server shares between its connections: used within one call, never across. */
export class ServerScratch {
  /** A head that wraps around the receive ring, copied. */
  readonly head: Uint8Array = new Uint8Array(HEAD_MAX);
  /** The parse of the head being handled. */
  readonly parsed: MessageHead = new MessageHead();
  /** Response heads and chunk framing being built. */
  readonly response: Uint8Array = new Uint8Array(RESPONSE_HEAD_MAX);
  readonly stats: HttpServerStats = new HttpServerStats();
}

enum Phase { Head, Exchange, Closed }

export class HttpConnection {
  socket: TcpSocket | null = null;
  readonly request: HttpRequest = new HttpRequest();
  readonly response: HttpResponse;
  private readonly decoder: ChunkedDecoder = new ChunkedDecoder();
  private phase: Phase = Phase.Closed;
  private readonly reader: HeadReader;
  /** Body bytes (Content-Length) still to come, and whether the body has all come. */
  private bodyLeft: u64 = 0;
  private bodyDone: bool = true;
  /** When something last moved; idleTimeout after it, the connection is closed. */
  lastActive: u64 = 0;

  constructor(readonly handler: HttpHandler, private readonly scratch: ServerScratch) {
    this.response = new HttpResponse(scratch.response.dataStart);
    this.reader = new HeadReader(scratch.head.dataStart);
  }

  open(socket: TcpSocket, now: u64): void {
    this.socket = socket;
    this.request.remoteAddress = socket.remoteIp;
    this.request.remotePort = socket.remotePort;
    this.phase = Phase.Head;
    this.reader.reset();
    this.lastActive = now;
  }

  get isClosed(): bool {
    return this.phase == Phase.Closed;
  }

  /** Whether nothing is pending: between requests, no byte of the next one here. */
  get isIdle(): bool {
    return this.phase == Phase.Head && this.socket !== null && this.socket!.recvAvailable == 0;
  }

  /** Runs the connection as far as it can go now. */
  service(now: u64): void {
    const socket = this.socket;
    if (socket === null) return;
    if (socket.state == TcpState.Closed) return this.finish(false, now);
    let moved = false;
    for (;;) {
      let progress = false;
      if (this.phase == Phase.Head) progress = this.readHead(socket, now);
      if (this.phase == Phase.Exchange) progress = this.exchange(socket, now) || progress;
      if (this.phase == Phase.Closed || !progress) break;
      moved = true;
    }
    if (moved) this.lastActive = now;
  }

  /** Closes the connection from the server's side: gently when between requests, else with an RST. */
  shut(now: u64): void {
    if (this.socket !== null) this.finish(!this.isIdle, now);
  }

  /** Parses and starts the next request if its head has come; whether anything moved. */
  private readHead(socket: TcpSocket, now: u64): bool {
    const available = socket.recvAvailable;
    if (available == 0) {
      if (socket.atEof) this.finish(false, now);
      return false;
    }
    // Earlier answers still fill the send buffer: the next request waits (back-pressure on pipelining).
    if (socket.sendCapacity < SEND_ROOM_TO_START) {
      if (socket.sendCapacity == 0 && socket.state != TcpState.Established && socket.state != TcpState.CloseWait) this.finish(false, now);
      return false;
    }
    const end = this.reader.find(socket);
    if (end <= 0) {
      if (end < 0) this.reject(socket, 400);
      else if (socket.atEof) this.finish(false, now);
      return end < 0;
    }
    const head = this.scratch.parsed;
    if (!head.parseRequest(this.reader.ptr, <u32>end)) {
      this.reject(socket, head.error);
      return true;
    }
    this.start(socket, head, <u32>end);
    return true;
  }

  /** Answers a head that cannot be taken, and closes after the answer. */
  private reject(socket: TcpSocket, status: u32): void {
    this.scratch.stats.rejected++;
    const res = this.response;
    res.prepare(socket, false, 1, false);
    res.sendStatus(status);
    socket.consume(socket.recvAvailable);
    this.bodyDone = true;
    this.phase = Phase.Exchange;
  }

  /** Lends the parsed head to the handler, then drops it from the receive buffer. */
  private start(socket: TcpSocket, head: MessageHead, length: u32): void {
    this.scratch.stats.requests++;
    const req = this.request;
    const keepAlive = head.minor == 0 ? head.keepAlive && !head.close : !head.close;
    req.lend(head);
    this.response.prepare(socket, head.method == Method.HEAD, head.minor, keepAlive);
    this.bodyLeft = head.chunked ? 0 : head.contentLength > 0 ? <u64>head.contentLength : 0;
    this.bodyDone = !head.chunked && this.bodyLeft == 0;
    if (head.chunked) this.decoder.reset();
    this.phase = Phase.Exchange;
    // The client waits for this before it sends the body; whatever the handler answers,
    // the body then comes and is read (or skipped), so the connection stays in step.
    if (head.expectContinue && head.minor > 0 && !this.bodyDone) this.response.sendContinue();
    this.handler.onRequest(req, this.response);
    req.lend(null);
    socket.consume(length);
    if (this.bodyDone && !this.response.finished) this.handler.onBodyEnd(req, this.response);
  }

  /** Moves the body in and the response out; whether anything moved. */
  private exchange(socket: TcpSocket, now: u64): bool {
    const res = this.response;
    let progress = false;
    if (!this.bodyDone) {
      progress = this.readBody(socket, !res.finished, now);
      if (this.phase == Phase.Closed) return false;
    }
    if (res.started && !res.finished) {
      const before = res.bodySent;
      if (res.pump() && res.room > 0) this.handler.onWritable(this.request, res);
      progress = progress || res.bodySent != before || res.finished;
    }
    if (res.finished && this.bodyDone) {
      if (!res.keepAlive) {
        this.finish(false, now);
      } else {
        this.phase = Phase.Head;
      }
      return true;
    }
    return progress;
  }

  /** Hands body bytes to the handler (or skips them, when `deliver` is false); whether any moved. */
  private readBody(socket: TcpSocket, deliver: bool, now: u64): bool {
    const req = this.request;
    const res = this.response;
    let progress = false;
    for (;;) {
      if (this.request.chunked && !this.decoder.inData) {
        const framing = this.decoder.advance(socket.recvPtr, socket.recvContiguous);
        if (framing > 0) {
          socket.consume(framing);
          progress = true;
        }
        if (this.decoder.failed) {
          this.badBody(socket, now);
          return true;
        }
        if (this.decoder.done) break;
        if (!this.decoder.inData) {
          if (socket.recvAvailable == 0 && socket.atEof) this.badBody(socket, now);
          return progress;
        }
        continue;
      }
      const want = this.request.chunked ? this.decoder.dataLeft : this.bodyLeft;
      if (want == 0) break;
      const n = <u32>min(want, <u64>socket.recvContiguous);
      if (n == 0) {
        if (socket.atEof) this.badBody(socket, now);
        return progress;
      }
      const took = deliver ? min(this.handler.onBody(req, res, socket.recvPtr, n), n) : n;
      if (took == 0) return progress;
      socket.consume(took);
      req.bodyReceived += took;
      if (this.request.chunked) this.decoder.tookData(took);
      else this.bodyLeft -= took;
      progress = true;
      if (deliver && res.finished) deliver = false;
    }
    this.bodyDone = true;
    if (deliver) this.handler.onBodyEnd(req, res);
    return true;
  }

  /** The body is broken (bad chunk framing, or the peer stopped sending mid-way). */
  private badBody(socket: TcpSocket, now: u64): void {
    this.scratch.stats.badBodies++;
    const res = this.response;
    if (!res.started && socket.sendCapacity > 0 && !socket.atEof) {
      res.sendStatus(400);
      socket.consume(socket.recvAvailable);
      this.bodyDone = true;
      return;
    }
    this.finish(true, now);
  }

  /** Hands the socket back to the stack: closed after what is queued, or reset (`abort`). */
  private finish(abort: bool, now: u64): void {
    const socket = this.socket;
    if (socket === null) return;
    if (abort) socket.abort(now);
    else socket.close();
    this.socket = null;
    this.phase = Phase.Closed;
    this.response.release();
  }
}
