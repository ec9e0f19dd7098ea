// A small HTTP/1.1 client on tcp.connect, polled like the server (add it to the stack
// as a service, or call poll()): one request at a time, a body from a lent buffer or
// streamed (Content-Length or chunked), responses framed by Content-Length, chunked
// coding or the connection's end, and the connection kept for the next request to the
// same peer when both ends agree (keepAlive).
//
//   const client = new HttpClient(stack.tcp, new Fetcher());
//   client.get(now, parseIpv4("10.0.0.2"), 80, "10.0.0.2", "/");
//   for (;;) { stack.poll(monotonic()); client.poll(monotonic()); if (client.done) break; stack.wait(); }
//   (done is checked between poll and wait: after a failed request nothing is pending,
//   and the wait would never return)
import { StackService, TcpError, TcpLayer, TcpSocket, TcpSocketOptions, TcpState } from "../tcpip";
import { NSEC_PER_SEC } from "../time";
import { storeAscii, storeDecimal } from "./ascii";
import { ChunkedDecoder, CHUNK_PREFIX_MAX, CHUNK_SUFFIX_LEN, LAST_CHUNK, storeChunkPrefix } from "./chunked";
import { HEAD_MAX, MessageHead } from "./head";
import { HeadReader } from "./head-reader";
import { HttpMessage } from "./message";
import { statusHasNoBody } from "./status";

/** Why a client request failed (None while it has not). */
export enum HttpClientError {
  None,
  /** No connection: refused (RST), unanswered, or no socket free. */
  Connect,
  /** The connection was reset, or timed out in TCP, during the exchange. */
  Reset,
  /** Nothing moved for `timeout`. */
  Timeout,
  /** The response is not HTTP/1.x, its head passed 8 KiB, or its framing is broken. */
  BadResponse,
  /** The server closed the connection before the response ended. */
  Truncated,
}

/** The response a client handler is lent: status and framing for the whole exchange,
 * fields during onResponse() (see HttpMessage). */
export class HttpClientResponse extends HttpMessage {
  /** The response's status code. */
  status: u32 = 0;
  /** Whether the server lets the connection carry another request. */
  keepAlive: bool = false;
}

/** What the application gives the client: each method has a default that does nothing. */
export class HttpClientHandler {
  /** The response's head has come. */
  onResponse(client: HttpClient, res: HttpClientResponse): void {}

  /** n body bytes at p, lent: how many were taken (the rest is offered again). */
  onBody(client: HttpClient, res: HttpClientResponse, p: usize, n: u32): u32 {
    return n;
  }

  /** The response has all come (client.done is true now). */
  onEnd(client: HttpClient, res: HttpClientResponse): void {}

  /** The request failed (client.done is true now). */
  onError(client: HttpClient, error: HttpClientError): void {}

  /** A streamed request body has room for client.room bytes: client.write() some, and
   * client.endBody() at the end. */
  onWritable(client: HttpClient): void {}
}

enum Phase { Idle, Head, Body, Done, Failed }
enum BodyOut { None, Lent, Length, Chunked, LastChunk }

/** A small HTTP/1.1 client on tcp.connect, polled like the server: one request at a time, the body lent or streamed, the response framed by Content-Length, chunked coding or the connection's end, the connection kept for the next request to the same peer when both ends agree. */
export class HttpClient implements StackService {
  /** Ask to keep the connection for the next request (else Connection: close is sent). */
  keepAlive: bool = true;
  /** A request during which nothing moves this long fails with Timeout. */
  timeout: u64 = 30 * NSEC_PER_SEC;
  /** The socket options of new connections. */
  options: TcpSocketOptions = new TcpSocketOptions();
  /** The response of the request under way (or the last one). */
  readonly response: HttpClientResponse = new HttpClientResponse();
  /** Why the last request failed, or None. */
  error: HttpClientError = HttpClientError.None;
  /** Connections opened so far (a reused one is not counted again). */
  connects: u32 = 0;

  private socket: TcpSocket | null = null;
  private ip: u32 = 0;
  private port: u32 = 0;
  private phase: Phase = Phase.Idle;
  private headOnly: bool = false;
  /** The connection got through its handshake (a failure after is a reset, not a refusal). */
  private established: bool = false;
  private lastActive: u64 = 0;
  private readonly scratch: Uint8Array;
  private readonly parsed: MessageHead = new MessageHead();
  private readonly reader: HeadReader;
  private readonly decoder: ChunkedDecoder = new ChunkedDecoder();
  private bodyLeft: u64 = 0;
  private untilClose: bool = false;
  // The request's body.
  private out: BodyOut = BodyOut.None;
  private lent: Uint8Array | null = null;
  private outLeft: u64 = 0;

  constructor(
    /** The stack's TCP, which connections are opened on. */
    readonly tcp: TcpLayer,
    /** What is called as the response comes. */
    readonly handler: HttpClientHandler,
  ) {
    const scratch = new Uint8Array(HEAD_MAX);
    this.scratch = scratch;
    this.reader = new HeadReader(scratch.dataStart);
  }

  /** A request is under way. */
  get busy(): bool {
    return this.phase == Phase.Head || this.phase == Phase.Body;
  }

  /** The last request ended: with a response (error None) or failed. */
  get done(): bool {
    return this.phase == Phase.Done || this.phase == Phase.Failed;
  }

  /** Starts a GET of `path` from `ip`:`port` (the Host field is `host`); false when a request is already under way. */
  get(now: u64, ip: u32, port: u32, host: string, path: string): bool {
    return this.request(now, "GET", ip, port, host, path);
  }

  /** A POST of `body`, lent until sent (leave it unchanged while busy). */
  post(now: u64, ip: u32, port: u32, host: string, path: string, contentType: string, body: Uint8Array): bool {
    if (!this.request(now, "POST", ip, port, host, path, contentType, body.byteLength)) return false;
    if (body.byteLength > 0) {
      this.lent = body;
      this.out = BodyOut.Lent;
      this.pumpBody();
    }
    return true;
  }

  /**
   * Starts a request to ip:port (Host: `host`) for `path`. `bodyLength` > 0: a body of
   * that many bytes, -1: a chunked body, both written from handler.onWritable(); 0: none
   * (with Content-Length: 0 for POST, PUT and PATCH, whose servers may insist on it).
   * False when a request is under way, the head would pass 8 KiB or holds a control
   * byte, or no connection can be opened.
   */
  request(now: u64, method: string, ip: u32, port: u32, host: string, path: string, contentType: string = "", bodyLength: i64 = 0): bool {
    if (this.busy) return false;
    const q = this.scratch.dataStart;
    const n = this.buildHead(q, method, host, path, contentType, bodyLength);
    if (n == 0) return false;
    let s = this.socket;
    if (s !== null && !(s.state == TcpState.Established && s.recvAvailable == 0 && this.ip == ip && this.port == port)) {
      s.close();
      s = this.socket = null;
    }
    this.error = HttpClientError.None;
    if (s === null) {
      s = this.tcp.connect(now, ip, port, this.options);
      if (s === null) {
        this.phase = Phase.Failed;
        this.error = HttpClientError.Connect;
        return false;
      }
      this.socket = s;
      this.connects++;
      this.established = false;
    }
    this.ip = ip;
    this.port = port;
    s.sendFrom(q, n);
    this.headOnly = method == "HEAD";
    this.out = bodyLength > 0 ? BodyOut.Length : bodyLength < 0 ? BodyOut.Chunked : BodyOut.None;
    this.outLeft = bodyLength > 0 ? <u64>bodyLength : 0;
    this.lent = null;
    this.reader.reset();
    this.response.status = 0;
    this.phase = Phase.Head;
    this.lastActive = now;
    return true;
  }

  /** Request body bytes write() takes now. */
  get room(): u32 {
    const s = this.socket;
    if (s === null) return 0;
    const capacity = s.sendCapacity;
    if (this.out == BodyOut.Length || this.out == BodyOut.Lent) return <u32>min(<u64>capacity, this.outLeft);
    if (this.out == BodyOut.Chunked) return capacity > CHUNK_PREFIX_MAX + CHUNK_SUFFIX_LEN ? capacity - CHUNK_PREFIX_MAX - CHUNK_SUFFIX_LEN : 0;
    return 0;
  }

  /** Queues up to n bytes of a streamed request body from p: how many it took. */
  write(p: usize, n: u32): u32 {
    const take = min(n, this.room);
    if (take == 0) return 0;
    const s = this.socket!;
    if (this.out == BodyOut.Chunked) {
      const q = this.scratch.dataStart;
      s.sendFrom(q, storeChunkPrefix(q, take));
      s.sendFrom(p, take);
      store<u16>(q, 0x0a0d);
      s.sendFrom(q, CHUNK_SUFFIX_LEN);
    } else {
      s.sendFrom(p, take);
      this.outLeft -= take;
      if (this.outLeft == 0) this.out = BodyOut.None;
    }
    return take;
  }

  /** Ends a chunked request body. */
  endBody(): void {
    if (this.out == BodyOut.Chunked) {
      this.out = BodyOut.LastChunk;
      this.pumpBody();
    }
  }

  /** Closes a connection kept for reuse. */
  close(): void {
    if (this.socket !== null && !this.busy) {
      this.socket!.close();
      this.socket = null;
    }
  }

  /** Moves the request on: reads the response and calls the handler; call it after each stack poll (or add the client to the stack as a service). */
  poll(now: u64): void {
    if (!this.busy) return;
    const s = this.socket!;
    if (s.isOpen) this.established = true;
    if (s.state == TcpState.Closed && s.error != TcpError.None && s.recvAvailable == 0) {
      // Refused or unanswered before the handshake completed, reset or given up after
      // (what came before a reset is read first: a server may reset after answering).
      this.fail(this.established ? HttpClientError.Reset : HttpClientError.Connect, now);
      return;
    }
    let moved = false;
    for (;;) {
      let progress = this.pumpBody();
      if (this.phase == Phase.Head) progress = this.readHead(s, now) || progress;
      if (this.phase == Phase.Body) progress = this.readBody(s, now) || progress;
      if (!this.busy || !progress) break;
      moved = true;
    }
    if (!this.busy) return;
    if (moved) this.lastActive = now;
    if (now - this.lastActive >= this.timeout) this.fail(HttpClientError.Timeout, now);
  }

  /** When the request under way times out (u64.MAX_VALUE when none is). */
  pollAt(now: u64): u64 {
    return this.busy ? this.lastActive + this.timeout : u64.MAX_VALUE;
  }

  /** Sends what the request body has ready; whether anything moved. */
  private pumpBody(): bool {
    const s = this.socket!;
    if (this.out == BodyOut.Lent) {
      const body = this.lent!;
      const at = <u32>body.byteLength - <u32>this.outLeft;
      const took = this.write(body.dataStart + at, <u32>this.outLeft);
      if (this.out == BodyOut.None) this.lent = null;
      return took > 0;
    }
    if (this.out == BodyOut.LastChunk) {
      if (s.sendCapacity < <u32>LAST_CHUNK.length) return false;
      const q = this.scratch.dataStart;
      s.sendFrom(q, storeAscii(q, LAST_CHUNK));
      this.out = BodyOut.None;
      return true;
    }
    if ((this.out == BodyOut.Length || this.out == BodyOut.Chunked) && this.room > 0) {
      const before = s.sendQueued;
      this.handler.onWritable(this);
      return s.sendQueued != before || this.out != BodyOut.Length && this.out != BodyOut.Chunked;
    }
    return false;
  }

  private readHead(s: TcpSocket, now: u64): bool {
    const n = this.reader.find(s);
    if (n == 0) {
      if (s.atEof) this.fail(HttpClientError.Truncated, now);
      return false;
    }
    const head = this.parsed;
    if (n < 0 || !head.parseResponse(this.reader.ptr, <u32>n)) {
      this.fail(HttpClientError.BadResponse, now);
      return false;
    }
    if (head.status < 200) {
      // 100 Continue and other interim answers: the final one follows (101 would switch protocols: not spoken).
      s.consume(<u32>n);
      if (head.status == 101) this.fail(HttpClientError.BadResponse, now);
      return true;
    }
    const res = this.response;
    res.status = head.status;
    res.keepAlive = head.minor == 0 ? head.keepAlive && !head.close : !head.close;
    res.lend(head);
    this.handler.onResponse(this, res);
    res.lend(null);
    s.consume(<u32>n);
    this.untilClose = false;
    this.bodyLeft = 0;
    if (this.headOnly || statusHasNoBody(head.status)) {
      this.complete();
    } else if (head.chunked) {
      this.decoder.reset();
      this.phase = Phase.Body;
    } else if (head.contentLength >= 0) {
      this.bodyLeft = <u64>head.contentLength;
      this.phase = Phase.Body;
      if (this.bodyLeft == 0) this.complete();
    } else {
      // No framing: the body runs to the connection's end (RFC 9112 6.3).
      this.untilClose = true;
      res.keepAlive = false;
      this.phase = Phase.Body;
    }
    return true;
  }

  private readBody(s: TcpSocket, now: u64): bool {
    const res = this.response;
    let progress = false;
    for (;;) {
      if (res.chunked && !this.decoder.inData) {
        const framing = this.decoder.advance(s.recvPtr, s.recvContiguous);
        if (framing > 0) {
          s.consume(framing);
          progress = true;
        }
        if (this.decoder.failed) {
          this.fail(HttpClientError.BadResponse, now);
          return true;
        }
        if (this.decoder.done) break;
        if (this.decoder.inData) continue;
        if (s.recvAvailable == 0 && s.atEof) this.fail(HttpClientError.Truncated, now);
        return progress;
      }
      const want: u64 = res.chunked ? this.decoder.dataLeft : this.untilClose ? u64.MAX_VALUE : this.bodyLeft;
      if (want == 0) break;
      const n = <u32>min(want, <u64>s.recvContiguous);
      if (n == 0) {
        if (s.atEof) {
          if (this.untilClose) break;
          this.fail(HttpClientError.Truncated, now);
        }
        return progress;
      }
      const took = min(this.handler.onBody(this, res, s.recvPtr, n), n);
      if (took == 0) return progress;
      s.consume(took);
      res.bodyReceived += took;
      if (res.chunked) this.decoder.tookData(took);
      else if (!this.untilClose) this.bodyLeft -= took;
      progress = true;
    }
    this.complete();
    return true;
  }

  /** The response ended: the connection is kept for the next request, or closed. */
  private complete(): void {
    this.phase = Phase.Done;
    const reuse = this.keepAlive && this.response.keepAlive && this.out == BodyOut.None;
    if (!reuse) {
      this.socket!.close();
      this.socket = null;
    }
    this.handler.onEnd(this, this.response);
  }

  private fail(error: HttpClientError, now: u64): void {
    this.phase = Phase.Failed;
    this.error = error;
    const s = this.socket;
    if (s !== null) {
      if (s.state == TcpState.Closed || error == HttpClientError.Truncated) s.close();
      else s.abort(now);
      this.socket = null;
    }
    this.handler.onError(this, error);
  }

  /** The request head at q: its length, or 0 when it would not fit or holds a control byte. */
  private buildHead(q: usize, method: string, host: string, path: string, contentType: string, bodyLength: i64): u32 {
    const size = method.length + path.length + host.length + contentType.length + 160;
    if (<u32>size > HEAD_MAX || method.length == 0 || !isPlain(method, false) || !isPlain(path, false) || !isPlain(host, false) || !isPlain(contentType, true)) return 0;
    let n = storeAscii(q, method);
    store<u8>(q + n++, 0x20);
    n += storeAscii(q + n, path.length > 0 ? path : "/");
    n += storeAscii(q + n, " HTTP/1.1\r\nHost: ");
    n += storeAscii(q + n, host);
    n += storeAscii(q + n, "\r\n");
    if (contentType.length > 0) {
      n += storeAscii(q + n, "Content-Type: ");
      n += storeAscii(q + n, contentType);
      n += storeAscii(q + n, "\r\n");
    }
    if (bodyLength > 0 || (bodyLength == 0 && (method == "POST" || method == "PUT" || method == "PATCH"))) {
      n += storeAscii(q + n, "Content-Length: ");
      n += storeDecimal(q + n, <u64>bodyLength);
      n += storeAscii(q + n, "\r\n");
    } else if (bodyLength < 0) {
      n += storeAscii(q + n, "Transfer-Encoding: chunked\r\n");
    }
    if (!this.keepAlive) n += storeAscii(q + n, "Connection: close\r\n");
    n += storeAscii(q + n, "\r\n");
    return n;
  }
}

/** Visible ASCII (and spaces, where `space`): nothing that could end a line or a field early. */
function isPlain(s: string, space: bool): bool {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20 || c > 0x7e || (c == 0x20 && !space)) return false;
  }
  return true;
}
