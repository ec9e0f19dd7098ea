// http-serve's routes (examples/http-serve/site.ts) and the HTTP client, between two of
// the libOS's stacks in one guest over the simulated link: 10.0.0.1 runs the client,
// 10.0.0.2 the server (port 80: HttpServer<Site>, port 81: a bare TCP listener for
// comparisons). Time moves from event to event, so every run is the same. The command
// line names a scenario; the guest prints "ok ..." or "FAIL ..." lines and exits 0 or 1.
//
//   routes                every route of the contract through HttpClient, on one kept connection
//   raw                   hand-written requests on raw sockets: pipelining, 400/404/405/411/501,
//                         HTTP/1.0, HEAD, chunked bodies, Expect, closes
//   download N [loss=P%]  GET /bytes/N, every byte checked and the body hashed
//   upload N [loss=P%]    POST /echo and /sha256 of N bytes, lent and chunked
//   pipeline N            N pipelined requests of mixed lengths through a 4 KiB receive
//                         buffer (heads wrap around the ring), answered in order
//   garbage N             N connections sending random bytes; a GET works afterwards
//   idle K                K idle kept connections: the HTTP layer's bytes per connection
//                         beyond the TCP sockets' (heap measured, K bare TCP connections subtracted)
//   timeout               a head that stops half-way is closed after the idle timeout
//   client                the client against chunked answers, HTTP/1.0, interim answers, and
//                         servers that send garbage, cut bodies short or refuse
//   steady ROUNDS         ROUNDS x 200 pipelined GET / on one connection: no heap growth
import { cmdline, heap_in_use, puts } from "../../../assembly";
import {
  HttpClient, HttpClientError, HttpClientHandler, HttpClientResponse, HttpHandler, HttpRequest, HttpResponse, HttpServer,
  HttpServerConfig, MessageHead, findHeadEnd, parseDecimal, Sha256, SHA256_HEX_LEN,
} from "../../../assembly/http";
import { LinkConditions, NetStack, SimLink, TcpListener, TcpSocket, TcpSocketOptions, TcpState } from "../../../assembly/tcpip";
import { Site } from "../../../examples/http-serve/site";
import { PAGE } from "../../../examples/http-serve/page";

const CLIENT: u32 = 0x0a000001;
const SERVER: u32 = 0x0a000002;
const MS: u64 = 1_000_000;
const SEC: u64 = 1000 * MS;

let link!: SimLink;
let client!: NetStack;
let server!: NetStack;
let http!: HttpServer<Site>;
let bare!: TcpListener;
let failures = 0;

function setUp(loss: f64, serverOptions: TcpSocketOptions = new TcpSocketOptions()): void {
  const conditions = new LinkConditions();
  conditions.loss = loss;
  link = new SimLink(1500, conditions, 7);
  const keysA = new StaticArray<u64>(4);
  const keysB = new StaticArray<u64>(4);
  for (let i = 0; i < 4; i++) {
    keysA[i] = 31 + <u64>i;
    keysB[i] = 77 + <u64>i;
  }
  client = new NetStack(link.a, keysA);
  server = new NetStack(link.b, keysB);
  client.configure(CLIENT, 24, 0);
  server.configure(SERVER, 24, 0);
  const config = new HttpServerConfig();
  config.idleTimeout = 10 * SEC;
  http = new HttpServer<Site>(server.tcp.listen(80, 1024, serverOptions)!, config);
  server.addService(http);
  bare = server.tcp.listen(81, 1024)!;
}

function report(ok: bool, what: string): void {
  if (!ok) failures++;
  puts((ok ? "ok " : "FAIL ") + what + "\n");
}

/** Something the test drives at each step of simulated time; done() ends the run. */
abstract class Driver {
  abstract step(now: u64): void;
  abstract done(): bool;
}

/** Polls both stacks and the driver, moving time to the next event, for at most `limit`
 * ns; false on a deadlock or when the driver is not done by then. */
function run(d: Driver, limit: u64): bool {
  const end = link.now + limit;
  let idle = 0;
  while (link.now <= end) {
    const now = link.now;
    client.poll(now);
    server.poll(now);
    d.step(now);
    if (d.done()) return true;
    client.flush(now);
    server.flush(now);
    const next = min(min(client.pollAt(now), server.pollAt(now)), link.nextEvent());
    if (next == u64.MAX_VALUE) return false;
    if (next > now) {
      link.now = min(next, end + 1); // a timer beyond the run waits for the next run
      idle = 0;
    } else if (++idle > 100000) {
      puts("livelock at " + (now / MS).toString() + " ms\n");
      return false;
    }
  }
  return false;
}

/** Lets `ms` of simulated time pass. */
class Wait extends Driver {
  constructor(readonly until: u64) {
    super();
  }
  step(now: u64): void {}
  done(): bool {
    return link.now >= this.until;
  }
}

function pass(ms: u64): void {
  const w = new Wait(link.now + ms * MS);
  run(w, ms * MS + SEC);
}

// ---- The pattern of /bytes and of uploads: byte i is i % 251 ----------------------

const PATTERN_LENGTH: i32 = 251 * 64;
const PATTERN = new Uint8Array(PATTERN_LENGTH);
for (let i = 0; i < PATTERN_LENGTH; i++) PATTERN[i] = <u8>(i % 251);

function pattern(n: i32): Uint8Array {
  const b = new Uint8Array(n);
  for (let i = 0; i < n; i++) b[i] = <u8>(i % 251);
  return b;
}

function hexOf(h: Sha256): string {
  const out = new Uint8Array(SHA256_HEX_LEN);
  h.finishHexInto(out.dataStart);
  return String.UTF8.decode(out.buffer);
}

function patternSha(n: u64): string {
  const h = new Sha256();
  let left = n;
  while (left > 0) {
    const k = <u32>min(left, <u64>PATTERN_LENGTH);
    h.update(PATTERN.dataStart, k);
    left -= k;
  }
  return hexOf(h);
}

function text(b: Uint8Array): string {
  return String.UTF8.decode(b.buffer);
}

// ---- Through HttpClient ----------------------------------------------------------

/** Keeps what a response said: status, some fields, the body (its first 64 KiB kept,
 * all of it hashed and checked against the pattern). */
class Recorder extends HttpClientHandler {
  status: u32 = 0;
  contentType: string = "";
  contentLength: string = "";
  allow: string = "";
  connection: string = "";
  received: u64 = 0;
  patternOk: bool = true;
  ended: bool = false;
  error: HttpClientError = HttpClientError.None;
  readonly kept: Uint8Array = new Uint8Array(65536);
  readonly hash: Sha256 = new Sha256();
  // A streamed request body: `streamLeft` pattern bytes, then endBody() if chunked.
  streamSent: u64 = 0;
  streamLeft: u64 = 0;
  streamChunked: bool = false;

  clear(): void {
    this.status = 0;
    this.contentType = this.contentLength = this.allow = this.connection = "";
    this.received = 0;
    this.patternOk = true;
    this.ended = false;
    this.error = HttpClientError.None;
    this.hash.reset();
    this.streamSent = this.streamLeft = 0;
  }

  onResponse(c: HttpClient, res: HttpClientResponse): void {
    this.status = res.status;
    const t = res.header("Content-Type");
    this.contentType = t === null ? "" : t;
    const l = res.header("content-length");
    this.contentLength = l === null ? "" : l;
    const a = res.header("Allow");
    this.allow = a === null ? "" : a;
    const k = res.header("Connection");
    this.connection = k === null ? "" : k;
  }

  onBody(c: HttpClient, res: HttpClientResponse, p: usize, n: u32): u32 {
    // Take an odd amount now and then, so the client offers the rest again.
    const take = n > 1000 && (this.received & 1) == 1 ? n - 999 : n;
    for (let i: u32 = 0; i < take; i++) {
      if (load<u8>(p + i) != <u8>((this.received + i) % 251)) this.patternOk = false;
    }
    if (this.received < <u64>this.kept.length) memory.copy(this.kept.dataStart + <usize>this.received, p, <usize>min(<u64>take, <u64>this.kept.length - this.received));
    this.hash.update(p, take);
    this.received += take;
    return take;
  }

  onEnd(c: HttpClient, res: HttpClientResponse): void {
    this.ended = true;
  }

  onError(c: HttpClient, error: HttpClientError): void {
    this.error = error;
  }

  onWritable(c: HttpClient): void {
    while (this.streamLeft > 0) {
      const off = <i32>(this.streamSent % 251);
      const n = <u32>min(this.streamLeft, <u64>(PATTERN_LENGTH - off));
      // Pieces of varied sizes, so chunks are of every size.
      const piece = min(n, 1 + <u32>(this.streamSent * 7919 % 20000));
      const took = c.write(PATTERN.dataStart + <usize>off, piece);
      if (took == 0) return;
      this.streamSent += took;
      this.streamLeft -= took;
    }
    if (this.streamChunked) c.endBody();
  }

  keptText(): string {
    return String.UTF8.decodeUnsafe(this.kept.dataStart, <usize>min(this.received, <u64>this.kept.length));
  }

  digest(): string {
    return hexOf(this.hash);
  }
}

class Exchange extends Driver {
  constructor(readonly c: HttpClient) {
    super();
  }
  step(now: u64): void {
    this.c.poll(now);
  }
  done(): bool {
    return this.c.done;
  }
}

const recorder = new Recorder();
let httpClient!: HttpClient;

function newClient(): void {
  httpClient = new HttpClient(client.tcp, recorder);
}

function exchange(what: string): bool {
  const ok = run(new Exchange(httpClient), 600 * SEC);
  if (!ok) report(false, what + ": no end (error " + (<i32>recorder.error).toString() + ")");
  return ok;
}

function get(path: string, method: string = "GET"): bool {
  recorder.clear();
  if (!httpClient.request(link.now, method, SERVER, 80, "10.0.0.2", path)) return false;
  return exchange(method + " " + path);
}

function post(path: string, body: Uint8Array): bool {
  recorder.clear();
  if (!httpClient.post(link.now, SERVER, 80, "10.0.0.2", path, "application/octet-stream", body)) return false;
  return exchange("POST " + path);
}

/** A POST of n pattern bytes written from onWritable: chunked, or with a Content-Length. */
function postStreamed(path: string, n: u64, chunked: bool): bool {
  recorder.clear();
  recorder.streamLeft = n;
  recorder.streamChunked = chunked;
  if (!httpClient.request(link.now, "POST", SERVER, 80, "10.0.0.2", path, "application/octet-stream", chunked ? -1 : <i64>n)) return false;
  return exchange("POST " + path);
}

function routes(): void {
  setUp(0);
  newClient();
  const r = recorder;
  if (get("/")) report(r.status == 200 && r.contentType == "text/html" && r.contentLength == "612" && r.received == 612 && memory.compare(r.kept.dataStart, PAGE.dataStart, 612) == 0, "GET / is the 612-byte page, text/html");
  if (get("/", "HEAD")) report(r.status == 200 && r.contentLength == "612" && r.received == 0, "HEAD / has the length and no body");
  if (get("/bytes/0")) report(r.status == 200 && r.contentLength == "0" && r.received == 0 && r.contentType == "application/octet-stream", "GET /bytes/0");
  if (get("/bytes/100000")) report(r.status == 200 && r.received == 100000 && r.patternOk && r.digest() == patternSha(100000), "GET /bytes/100000: byte i is i % 251");
  if (get("/bytes/4294967295", "HEAD")) report(r.status == 200 && r.contentLength == "4294967295" && r.received == 0, "HEAD /bytes/4294967295");
  if (get("/bytes/4294967296")) report(r.status == 404, "GET /bytes/4294967296: 404");
  if (get("/bytes/12x")) report(r.status == 404, "GET /bytes/12x: 404");
  if (get("/bytes/")) report(r.status == 404, "GET /bytes/: 404");
  if (get("/nowhere")) report(r.status == 404 && r.contentLength.length > 0, "GET /nowhere: 404 with a length");
  if (get("/", "POST")) report(r.status == 405 && r.allow == "GET, HEAD", "POST /: 405, Allow: GET, HEAD");
  if (get("/bytes/5", "DELETE")) report(r.status == 405 && r.allow == "GET, HEAD", "DELETE /bytes/5: 405");
  if (get("/echo")) report(r.status == 405 && r.allow == "POST", "GET /echo: 405, Allow: POST");
  if (get("/sha256", "HEAD")) report(r.status == 405 && r.allow == "POST", "HEAD /sha256: 405");
  if (post("/echo", Uint8Array.wrap(String.UTF8.encode("hello, echo")))) report(r.status == 200 && r.keptText() == "hello, echo", "POST /echo answers the body");
  if (post("/echo", new Uint8Array(0))) report(r.status == 200 && r.contentLength == "0" && r.received == 0, "POST /echo of nothing");
  if (post("/sha256", Uint8Array.wrap(String.UTF8.encode("abc")))) report(r.status == 200 && r.contentType == "text/plain" && r.keptText() == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad\n", "POST /sha256 of abc");
  if (post("/sha256", new Uint8Array(0))) report(r.keptText() == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\n", "POST /sha256 of nothing");
  const big = pattern(1000000);
  if (post("/echo", big)) report(r.status == 200 && r.received == 1000000 && r.patternOk, "POST /echo of 1 MB comes back byte-exact");
  if (post("/sha256", big)) report(r.keptText() == patternSha(1000000) + "\n", "POST /sha256 of 1 MB");
  if (postStreamed("/echo", 300000, true)) report(r.status == 200 && r.contentLength == "300000" && r.received == 300000 && r.patternOk, "chunked POST /echo: answered with a Content-Length");
  if (postStreamed("/sha256", 700001, true)) report(r.keptText() == patternSha(700001) + "\n", "chunked POST /sha256");
  if (postStreamed("/sha256", 123457, false)) report(r.keptText() == patternSha(123457) + "\n", "streamed POST /sha256 with a Content-Length");
  report(httpClient.connects == 1, "every request above went over one kept connection (" + httpClient.connects.toString() + ")");
  httpClient.keepAlive = false;
  if (get("/")) report(r.status == 200 && r.connection == "close", "Connection: close is honoured");
  pass(100);
  report(http.connections == 0, "and the server closed the connection");
}

// ---- Raw sockets -----------------------------------------------------------------

/** Sends bytes on a raw connection (in `pieces` of at most that size, one per `gap` ms),
 * and collects everything that comes back until the server closes or time runs out. */
class Raw extends Driver {
  readonly socket: TcpSocket;
  private sent: i32 = 0;
  private nextSendAt: u64 = 0;
  readonly got: Uint8Array = new Uint8Array(4 << 20);
  length: i32 = 0;
  closed: bool = false;
  reset: bool = false;

  constructor(readonly request: Uint8Array, readonly piece: i32 = 1 << 30, readonly gap: u64 = 0, port: u32 = 80) {
    super();
    const options = new TcpSocketOptions();
    options.noDelay = true;
    this.socket = client.tcp.connect(link.now, SERVER, port, options)!;
  }

  step(now: u64): void {
    const s = this.socket;
    if (this.closed) return;
    if (this.sent < this.request.length && now >= this.nextSendAt && (s.isOpen || s.state == TcpState.SynSent)) {
      const n = s.send(this.request, this.sent, min(this.piece, this.request.length - this.sent));
      this.sent += n;
      if (n > 0 && this.gap > 0) this.nextSendAt = now + this.gap * MS;
    }
    for (;;) {
      const n = s.recvInto(this.got.dataStart + <usize>this.length, <u32>(this.got.length - this.length));
      if (n == 0) break;
      this.length += <i32>n;
    }
    if (s.atEof || s.state == TcpState.Closed) {
      this.reset = s.error != 0;
      this.closed = true;
      s.close();
    }
  }

  done(): bool {
    return this.closed;
  }

  /** The bodies of the responses statuses() read, one after another. */
  bodies: string = "";

  /** The statuses of the responses, in order, as "200 404"; bodies taken by their
   * Content-Length (responses whose bit is set in headOnly have none). */
  statuses(headOnly: u32 = 0): string {
    const head = new MessageHead();
    let out = "";
    let at = 0;
    let k = 0;
    this.bodies = "";
    while (at < this.length) {
      const p = this.got.dataStart + <usize>at;
      const end = findHeadEnd(p, <u32>(this.length - at), 0);
      if (end == 0 || !head.parseResponse(p, end)) return out + " <junk>";
      out += (out.length > 0 ? " " : "") + head.status.toString();
      at += <i32>end;
      if (head.status >= 200 && ((headOnly >> <u32>k) & 1) == 0 && head.contentLength > 0) {
        const n = <i32>min(head.contentLength, <i64>(this.length - at));
        this.bodies += String.UTF8.decodeUnsafe(this.got.dataStart + <usize>at, n);
        at += n;
      }
      if (head.status >= 200) k++;
    }
    return out;
  }

  text(): string {
    return String.UTF8.decodeUnsafe(this.got.dataStart, this.length);
  }
}

/** One raw exchange: `request` sent, the server must answer `statuses` and close or not;
 * the answer must contain `contains`. */
function raw(what: string, request: string, statuses: string, closes: bool, contains: string = "", headOnly: u32 = 0): void {
  const r = new Raw(Uint8Array.wrap(String.UTF8.encode(request)));
  run(r, 5 * SEC); // within the server's 10 s idle timeout: a close before is the server's answer
  const got = r.statuses(headOnly);
  const ok = got == statuses && r.closed == closes && !r.reset && (contains.length == 0 || r.text().includes(contains));
  report(ok, what + (ok ? "" : ": got '" + got + "'" + (r.closed ? " and a close" : " and no close") + (r.reset ? " (reset)" : "") + " in\n" + r.text().slice(0, 600)));
  if (!r.closed) {
    r.socket.close();
    pass(10);
  }
}

const H = " HTTP/1.1\r\nHost: s\r\n";

function rawCases(): void {
  setUp(0);
  raw("three pipelined requests, answered in order", "GET /" + H + "\r\nGET /nope" + H + "\r\nPOST /echo" + H + "Content-Length: 5\r\nConnection: close\r\n\r\nhello",
    "200 404 200", true, "\r\n\r\nhello");
  raw("keep-alive by default: no close", "GET /bytes/3" + H + "\r\n", "200", false, "Content-Length: 3\r\n\r\n\x00\x01\x02");
  raw("HTTP/2.0: 400, then close", "GET / HTTP/2.0\r\n\r\n", "400", true);
  raw("not HTTP at all: 400, then close", "\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03\r\n\r\n", "400", true);
  raw("HTTP/0.9: 400, then close", "GET /\r\n\r\n", "400", true);
  raw("a head over 8 KiB: 400, then close", "GET /" + H + "X: " + "a".repeat(9000) + "\r\n\r\n", "400", true);
  raw("a head of 8 KiB exactly is served", "GET /bytes/1" + H + "X: " + "a".repeat(8192 - 40 - 4 - 3) + "\r\n\r\n", "200", false);
  raw("a body without Content-Length: 411, then close", "POST /echo" + H + "\r\nabc", "411", true, "Connection: close");
  raw("411 for /sha256 too", "POST /sha256" + H + "\r\n", "411", true);
  raw("PUT /: 405 with Allow", "PUT /" + H + "Content-Length: 0\r\n\r\n", "405", false, "Allow: GET, HEAD\r\n");
  raw("HTTP/1.0 closes unless it asks", "GET / HTTP/1.0\r\n\r\n", "200", true, "Connection: close");
  raw("HTTP/1.0 with keep-alive stays, until a request without", "GET /bytes/2 HTTP/1.0\r\nConnection: keep-alive\r\n\r\nGET /bytes/2 HTTP/1.0\r\n\r\n", "200 200", true, "Connection: keep-alive\r\n");
  raw("HEAD sends the head alone: the next answer follows at once", "HEAD /bytes/1000" + H + "\r\nGET /bytes/2" + H + "\r\n", "200 200", false, "Content-Length: 1000\r\n\r\nHTTP/1.1 200", 1);
  raw("a chunked upload to /echo, with extensions and trailers", "POST /echo" + H + "Transfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n6;x=y\r\n world\r\n0\r\nT: 1\r\n\r\n", "200", false, "Content-Length: 11\r\n\r\nhello world");
  raw("a chunked upload to /sha256", "POST /sha256" + H + "Transfer-Encoding: chunked\r\n\r\n1\r\na\r\n2\r\nbc\r\n0\r\n\r\n", "200", false, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad\n");
  raw("broken chunk framing: 400, then close", "POST /sha256" + H + "Transfer-Encoding: chunked\r\n\r\nzz\r\n", "400", true);
  raw("a coding other than chunked: 501, then close", "POST /echo" + H + "Transfer-Encoding: gzip, chunked\r\n\r\n", "501", true);
  raw("Transfer-Encoding with Content-Length: chunked wins, then close", "POST /echo" + H + "Content-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nok\r\n0\r\n\r\n", "200", true, "\r\n\r\nok");
  raw("Expect: 100-continue gets 100 first", "POST /echo" + H + "Expect: 100-continue\r\nContent-Length: 2\r\n\r\nhi", "100 200", false, "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK");
  raw("conflicting lengths: 400", "POST /echo" + H + "Content-Length: 2\r\nContent-Length: 3\r\n\r\nhi", "400", true);
  raw("a folded line: 400", "GET /" + H + "X: a\r\n b\r\n\r\n", "400", true);
  raw("a NUL in a value: 400", "GET /" + H + "X: a\x00b\r\n\r\n", "400", true);
  raw("empty lines before a request are skipped", "\r\n\r\nGET /bytes/1" + H + "\r\n", "200", false);
  raw("absolute-form", "GET http://10.0.0.2/bytes/1 HTTP/1.1\r\n\r\n", "200", false);
  raw("an unknown path with a body: 404, the body skipped, the next request served", "POST /x" + H + "Content-Length: 4\r\n\r\nbodyGET /bytes/1" + H + "\r\n", "404 200", false);
  raw("a request after Connection: close is not read", "GET /bytes/1" + H + "Connection: close\r\n\r\nGET /" + H + "\r\n", "200", true);
  raw("bare LF line ends", "GET /bytes/1 HTTP/1.1\nHost: s\n\n", "200", false);
  // A head arriving a byte at a time, 5 ms apart.
  const slow = new Raw(Uint8Array.wrap(String.UTF8.encode("GET /bytes/4" + H + "X-Slow: yes\r\n\r\n")), 1, 5);
  run(slow, 3 * SEC);
  report(slow.statuses() == "200", "a head sent a byte at a time");
  slow.socket.close();
  pass(10);
  const stats = http.stats;
  report(stats.rejected > 0 && stats.requests > 0, "the server counted it all: " + stats.toString());
}

// ---- Bulk ----------------------------------------------------------------------

function download(n: u64, loss: f64): void {
  setUp(loss);
  newClient();
  const r = recorder;
  if (get("/bytes/" + n.toString())) {
    report(r.status == 200 && r.received == n && r.patternOk && r.digest() == patternSha(n),
      "GET /bytes/" + n.toString() + " with " + (loss * 100).toString() + " % loss: every byte right, sha256 " + r.digest() + " in " + ((link.now - SEC) / MS).toString() + " ms simulated");
  }
}

function upload(n: i32, loss: f64): void {
  setUp(loss);
  newClient();
  const r = recorder;
  const body = pattern(n);
  if (post("/echo", body)) report(r.status == 200 && r.received == <u64>n && r.patternOk, "POST /echo of " + n.toString() + " bytes with loss");
  if (post("/sha256", body)) report(r.keptText() == patternSha(<u64>n) + "\n", "POST /sha256 of " + n.toString() + " bytes with loss");
  if (postStreamed("/echo", <u64>n, false)) report(r.received == <u64>n && r.patternOk, "streamed POST /echo of " + n.toString() + " bytes");
  if (postStreamed("/sha256", <u64>n, true)) report(r.keptText() == patternSha(<u64>n) + "\n", "chunked POST /sha256 of " + n.toString() + " bytes");
}

function pipeline(n: i32): void {
  const options = new TcpSocketOptions();
  options.rxBuffer = 4096;
  setUp(0, options);
  let request = "";
  let expected = "";
  for (let i = 0; i < n; i++) {
    const size = i % 37;
    request += "GET /bytes/" + size.toString() + H + "X-Pad: " + "p".repeat(i * 13 % 200) + "\r\n\r\n";
    for (let k = 0; k < size; k++) expected += String.fromCharCode(k % 251);
  }
  const r = new Raw(Uint8Array.wrap(String.UTF8.encode(request)));
  run(r, 60 * SEC);
  const statuses = r.statuses();
  const count = statuses.length == 0 ? 0 : statuses.split(" ").filter((x: string) => x == "200").length;
  report(count == n && r.bodies == expected, n.toString() + " pipelined requests through a 4 KiB receive buffer, answered in order (" + count.toString() + ")");
  r.socket.close();
}

function garbage(n: i32): void {
  setUp(0);
  let seed: u32 = 12345;
  for (let i = 0; i < n; i++) {
    const b = new Uint8Array(1 + <i32>(seed % 3000));
    for (let k = 0; k < b.length; k++) {
      seed ^= seed << 13;
      seed ^= seed >> 17;
      seed ^= seed << 5;
      b[k] = <u8>(k % 7 == 0 ? 10 : seed);
    }
    const r = new Raw(b);
    run(r, 12 * SEC);
    if (!r.closed) r.socket.close();
  }
  pass(100);
  newClient();
  if (get("/")) report(recorder.status == 200, n.toString() + " connections of random bytes, then a GET works (" + http.stats.toString() + ")");
}

/** Keeps the bare listener's connections, as the HTTP server keeps its own. */
const accepted: TcpSocket[] = [];
class Acceptor extends Driver {
  step(now: u64): void {
    for (;;) {
      const s = bare.accept();
      if (s === null) break;
      accepted.push(s);
    }
  }
  done(): bool {
    return false;
  }
}

/** Opens k connections to `port` and sends `request` on each, its answer read: the heap
 * grown per connection (client sockets included, the same for every port). */
function idleCost(k: i32, port: u32, request: string): i64 {
  const acceptor = new Acceptor();
  const sockets = new Array<TcpSocket>(k);
  const bytes = Uint8Array.wrap(String.UTF8.encode(request));
  __collect();
  const before = heap_in_use();
  for (let i = 0; i < k; i++) sockets[i] = client.tcp.connect(link.now, SERVER, port)!;
  run(acceptor, 3 * SEC); // SYNs past what waits for ARP go again after a second
  for (let i = 0; i < k; i++) sockets[i].send(bytes);
  run(acceptor, 300 * MS);
  for (let i = 0; i < k; i++) sockets[i].consume(sockets[i].recvAvailable);
  run(acceptor, 100 * MS);
  __collect();
  const grown = <i64>heap_in_use() - <i64>before;
  for (let i = 0; i < k; i++) sockets[i].close();
  return grown / k;
}

function idle(k: i32): void {
  // Each on new stacks, so both pay for the same sockets, pools and ARP entries.
  setUp(0);
  const tcpCost = idleCost(k, 81, "");
  accepted.length = 0;
  setUp(0);
  const httpCost = idleCost(k, 80, "GET /bytes/10 HTTP/1.1\r\nHost: s\r\n\r\n");
  const extra = httpCost - tcpCost;
  report(http.connections == k && extra < 8192, k.toString() + " idle kept connections: " + extra.toString() + " bytes each for HTTP beyond the TCP connections' " + tcpCost.toString());
}

/** Requests on one kept connection in rounds of 200 pipelined GET / (the heap measured
 * after the first round and after the last): no growth per request. */
function steady(rounds: i32): void {
  setUp(0);
  let batch = "";
  for (let i = 0; i < 200; i++) batch += "GET /" + H + "\r\n";
  const request = Uint8Array.wrap(String.UTF8.encode(batch));
  const r = new Raw(new Uint8Array(0));
  let before: usize = 0;
  for (let round = 0; round < rounds; round++) {
    r.socket.send(request);
    run(r, 500 * MS);
    if (round == 0) {
      __collect();
      before = heap_in_use();
    }
  }
  __collect();
  const grown = <i64>heap_in_use() - <i64>before;
  const answered = r.statuses().split(" ").filter((s: string) => s == "200").length;
  report(answered == rounds * 200 && grown <= 0, answered.toString() + " requests on one connection; the heap grew " + grown.toString() + " bytes after the first 200");
}

// ---- The client against other framings and broken servers ------------------------

/** Answers GET /chunked/N with N pattern bytes in chunks (to HTTP/1.0: to the close). */
class Chunky extends HttpHandler {
  private left: u64 = 0;

  onRequest(req: HttpRequest, res: HttpResponse): void {
    const n = req.pathStartsWith("/chunked/") ? parseDecimal(req.pathPtr + 9, req.pathLength - 9) : -1;
    if (n < 0) return res.sendStatus(404);
    this.left = <u64>n;
    res.beginChunked(200, "application/octet-stream");
  }

  onWritable(req: HttpRequest, res: HttpResponse): void {
    while (this.left > 0) {
      const off = <i32>(res.bodySent % 251);
      const n = <u32>min(this.left, <u64>min(PATTERN_LENGTH - off, 1 + <i32>(res.bodySent % 3000)));
      const took = res.write(PATTERN.dataStart + <usize>off, n);
      if (took == 0) return;
      this.left -= took;
    }
    res.end();
  }
}

/** A server on port 83 that answers any request with `reply`, then closes. */
class Canned extends Driver {
  private socket: TcpSocket | null = null;
  reply: Uint8Array = new Uint8Array(0);

  constructor(readonly listener: TcpListener, readonly c: HttpClient) {
    super();
  }

  step(now: u64): void {
    if (this.socket === null) this.socket = this.listener.accept();
    const s = this.socket;
    if (s !== null && s.recvAvailable > 0) {
      s.consume(s.recvAvailable);
      s.send(this.reply);
      s.close();
      this.socket = null;
    }
    this.c.poll(now);
  }

  done(): bool {
    return this.c.done;
  }
}

function canned(d: Canned, reply: string): HttpClientError {
  recorder.clear();
  d.reply = Uint8Array.wrap(String.UTF8.encode(reply));
  httpClient.get(link.now, SERVER, 83, "s", "/");
  run(d, 60 * SEC);
  return httpClient.error;
}

function clientCases(): void {
  setUp(0);
  server.addService(new HttpServer<Chunky>(server.tcp.listen(82)!));
  newClient();
  const r = recorder;
  recorder.clear();
  httpClient.get(link.now, SERVER, 82, "s", "/chunked/100000");
  if (exchange("GET /chunked/100000")) report(r.status == 200 && r.received == 100000 && r.patternOk, "a chunked answer of 100000 bytes in chunks of every size");
  recorder.clear();
  httpClient.get(link.now, SERVER, 82, "s", "/chunked/0");
  if (exchange("GET /chunked/0")) report(r.status == 200 && r.received == 0 && httpClient.connects == 1, "an empty chunked answer, on the same connection");
  const old = new Raw(Uint8Array.wrap(String.UTF8.encode("GET /chunked/5 HTTP/1.0\r\n\r\n")), 1 << 30, 0, 82);
  run(old, 5 * SEC);
  report(old.closed && old.text().endsWith("\r\n\r\n\x00\x01\x02\x03\x04") && !old.text().includes("chunked"), "to HTTP/1.0 a chunked body goes unchunked, to the close");
  const d = new Canned(server.tcp.listen(83)!, httpClient);
  let e = canned(d, "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\n\r\n\x00\x01\x02");
  report(e == HttpClientError.None && r.status == 200 && r.received == 3 && r.patternOk && r.ended, "100 Continue skipped; a body without framing runs to the close");
  e = canned(d, "HTTP/1.1 204 No Content\r\nContent-Length: 5\r\n\r\n");
  report(e == HttpClientError.None && r.status == 204 && r.received == 0, "204 has no body whatever it says");
  report(canned(d, "SSH-2.0-OpenSSH\r\n\r\n") == HttpClientError.BadResponse, "not HTTP: BadResponse");
  report(canned(d, "HTTP/1.1 200 OK\r\nX: " + "x".repeat(9000) + "\r\n\r\n") == HttpClientError.BadResponse, "a head past 8 KiB: BadResponse");
  report(canned(d, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n") == HttpClientError.BadResponse, "broken chunks: BadResponse");
  report(canned(d, "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc") == HttpClientError.Truncated, "a body cut short: Truncated");
  report(canned(d, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nab") == HttpClientError.Truncated, "chunks cut short: Truncated");
  report(canned(d, "") == HttpClientError.Truncated, "closed without an answer: Truncated");
  recorder.clear();
  httpClient.get(link.now, SERVER, 84, "s", "/");
  run(new Exchange(httpClient), 10 * SEC);
  report(httpClient.error == HttpClientError.Connect && r.error == HttpClientError.Connect, "a closed port: Connect");
  report(!httpClient.get(link.now, SERVER, 80, "s", "/a b") && !httpClient.get(link.now, SERVER, 80, "s\r\nX: y", "/"), "a path or host that would break the head is refused");
}

function timeout(): void {
  setUp(0);
  const r = new Raw(Uint8Array.wrap(String.UTF8.encode("GET / HTTP/1.1\r\nHost:")));
  const ok = run(r, 30 * SEC);
  report(ok && r.closed && r.length == 0 && link.now - SEC >= 10 * SEC && http.stats.timedOut == 1, "a head stopped half-way is closed after the idle timeout (" + ((link.now - SEC) / MS).toString() + " ms)");
}

function option(words: string[], name: string, fallback: f64): f64 {
  for (let i = 0; i < words.length; i++) {
    if (words[i].startsWith(name + "=")) return parseFloat(words[i].slice(name.length + 1).replace("%", ""));
  }
  return fallback;
}

export function solo5_app_main(_si: usize): i32 {
  const words = cmdline().split(" ");
  const what = words[0];
  const n = words.length > 1 ? <i32>parseInt(words[1]) : 0;
  const loss = option(words, "loss", 0) / 100;
  if (what == "routes") routes();
  else if (what == "raw") rawCases();
  else if (what == "download") download(<u64>parseInt(words[1]), loss);
  else if (what == "upload") upload(n, loss);
  else if (what == "pipeline") pipeline(n);
  else if (what == "garbage") garbage(n);
  else if (what == "idle") idle(n);
  else if (what == "timeout") timeout();
  else if (what == "steady") steady(n);
  else if (what == "client") clientCases();
  else {
    puts("FAIL unknown scenario '" + what + "'\n");
    return 1;
  }
  return failures == 0 ? 0 : 1;
}
