// The response a handler is lent (one per connection, reused for each request). A
// response is begun once, with its status and how its body is framed; its head goes
// straight into the socket's send buffer (the server only starts a request when there
// is room for a whole head), then its body is written as the send buffer takes it:
// write() takes what fits now, onWritable() says when more fits. HEAD requests get the
// head alone: the response is finished once begun, and write() takes nothing.
import { TcpSocket } from "../tcpip";
import { isTokenByte, storeAscii, storeDecimal } from "./ascii";
import { CHUNK_PREFIX_MAX, CHUNK_SUFFIX_LEN, LAST_CHUNK, storeChunkPrefix } from "./chunked";
import { reasonPhrase, statusHasNoBody } from "./status";

/** The largest response head: header() refuses fields that would pass it. */
export const RESPONSE_HEAD_MAX: u32 = 1024;
/** Room for the fields header() adds, and for the Content-Type (a longer one is left out). */
const EXTRA_FIELDS_MAX: u32 = 640;
const CONTENT_TYPE_MAX: u32 = 128;
const EXTRA_FIELD_COUNT: i32 = 8;
const CONTINUE = "HTTP/1.1 100 Continue\r\n\r\n";

/** Statuses whose answer ends the connection: the request's framing cannot be trusted. */
function statusCloses(status: u32): bool {
  return status == 400 || status == 411 || status == 413 || status == 431 || status == 501;
}

enum Framing { None, Length, Chunked, UntilClose }

/** The response a handler is lent, one per connection and reused: begun once with its status and framing, its head written straight into the socket's send buffer, its body written as the buffer takes it (write() takes what fits now, onWritable() says when more fits). HEAD requests get the head alone. */
export class HttpResponse {
  /** 0 until begun; then the status sent. */
  status: u32 = 0;
  /** Whether the connection stays open after this exchange; set it false to close it. */
  keepAlive: bool = true;
  /** Body bytes taken so far. */
  bodySent: u64 = 0;
  private socket: TcpSocket | null = null;
  private headOnly: bool = false;
  /** HTTP/1.minor of the request (1.0 gets no chunked coding). */
  private minor: u32 = 1;
  private framing: Framing = Framing.None;
  private length: u64 = 0;
  private ended: bool = false;
  /** The last chunk is due but did not fit yet. */
  private lastChunkDue: bool = false;
  /** A lent body still being sent (send()). */
  private lent: Uint8Array | null = null;
  private lentEnd: u32 = 0;
  private readonly names: StaticArray<string> = new StaticArray<string>(EXTRA_FIELD_COUNT);
  private readonly values: StaticArray<string> = new StaticArray<string>(EXTRA_FIELD_COUNT);
  private fieldCount: i32 = 0;
  private fieldBytes: u32 = 0;

  /** `scratch`: RESPONSE_HEAD_MAX bytes the server's responses build their heads in, one at a time. */
  constructor(private readonly scratch: usize) {}

  /** Called by the server for each request. */
  prepare(socket: TcpSocket, headOnly: bool, minor: u32, keepAlive: bool): void {
    this.socket = socket;
    this.headOnly = headOnly;
    this.minor = minor;
    this.keepAlive = keepAlive;
    this.status = 0;
    this.bodySent = 0;
    this.framing = Framing.None;
    this.length = 0;
    this.ended = this.lastChunkDue = false;
    this.lent = null;
    this.fieldCount = 0;
    this.fieldBytes = 0;
  }

  /** Called by the server when the connection ends. */
  release(): void {
    this.socket = null;
    this.lent = null;
    for (let i = 0; i < this.fieldCount; i++) {
      unchecked((this.names[i] = ""));
      unchecked((this.values[i] = ""));
    }
    this.fieldCount = 0;
  }

  /** Whether the response has been begun (its status chosen). */
  get started(): bool {
    return this.status != 0;
  }

  /** The whole response has been handed to the socket. */
  get finished(): bool {
    return this.ended;
  }

  /** A field for the head, before begin() or send(): false when it would not fit (8
   * fields, 640 bytes) or holds a byte no field may (CR, LF, other controls, non-ASCII). */
  header(name: string, value: string): bool {
    if (this.status != 0 || this.fieldCount == EXTRA_FIELD_COUNT || !validName(name) || !validValue(value)) return false;
    const bytes = <u32>(name.length + value.length + 4);
    if (this.fieldBytes + bytes > EXTRA_FIELDS_MAX) return false;
    unchecked((this.names[this.fieldCount] = name));
    unchecked((this.values[this.fieldCount] = value));
    this.fieldCount++;
    this.fieldBytes += bytes;
    return true;
  }

  /** Begins a response whose body is `length` bytes (Content-Length), written with write(). */
  begin(status: u32, contentType: string, length: u64): void {
    this.start(status, contentType, statusHasNoBody(status) ? Framing.None : Framing.Length, length);
  }

  /** Begins a response whose body is written with write() in chunks and ended by end()
   * (to an HTTP/1.0 client: without chunks, and the connection closes after it). */
  beginChunked(status: u32, contentType: string): void {
    const framing = statusHasNoBody(status) ? Framing.None : this.minor == 0 ? Framing.UntilClose : Framing.Chunked;
    if (framing == Framing.UntilClose) this.keepAlive = false;
    this.start(status, contentType, framing, 0);
  }

  /** A whole response: `body` (its first `length` bytes; all of it by default) is lent
   * until sent, so leave it unchanged until `finished`. */
  send(status: u32, contentType: string, body: Uint8Array, length: i32 = -1): void {
    const n = length < 0 ? body.byteLength : min(length, body.byteLength);
    this.begin(status, contentType, <u64>n);
    if (this.ended) return;
    this.lent = body;
    this.lentEnd = <u32>n;
    this.pumpLent();
  }

  /** A whole response with `text` as its UTF-8 body (allocates the encoding). */
  sendText(status: u32, contentType: string, text: string): void {
    this.send(status, contentType, Uint8Array.wrap(String.UTF8.encode(text)));
  }

  /** A whole response with a short plain-text body naming the status ("404 Not Found").
   * 400, 411, 413, 431 and 501 close the connection afterwards. */
  sendStatus(status: u32): void {
    if (statusCloses(status)) this.keepAlive = false;
    this.sendText(status, "text/plain", status.toString() + " " + reasonPhrase(status) + "\n");
  }

  /** Body bytes write() takes now. */
  get room(): u32 {
    if (this.ended || this.status == 0) return 0;
    const capacity = this.socket!.sendCapacity;
    if (this.framing == Framing.Chunked) return capacity > CHUNK_PREFIX_MAX + CHUNK_SUFFIX_LEN ? capacity - CHUNK_PREFIX_MAX - CHUNK_SUFFIX_LEN : 0;
    if (this.framing == Framing.Length) return <u32>min(<u64>capacity, this.length - this.bodySent);
    return capacity;
  }

  /** Queues up to n body bytes from p: how many it took (fewer when the send buffer is
   * full, or past the Content-Length). A Content-Length body ends by itself when all its
   * bytes are written. */
  write(p: usize, n: u32): u32 {
    const take = min(n, this.room);
    if (take == 0) return 0;
    const socket = this.socket!;
    if (this.framing == Framing.Chunked) {
      const prefix = storeChunkPrefix(this.scratch, take);
      socket.sendFrom(this.scratch, prefix);
      socket.sendFrom(p, take);
      store<u16>(this.scratch, 0x0a0d);
      socket.sendFrom(this.scratch, CHUNK_SUFFIX_LEN);
    } else {
      socket.sendFrom(p, take);
    }
    this.bodySent += take;
    if (this.framing == Framing.Length && this.bodySent == this.length) this.ended = true;
    return take;
  }

  /** write() from `bytes` (from `offset`, `length` bytes, to its end by default). */
  writeBytes(bytes: Uint8Array, offset: i32 = 0, length: i32 = -1): i32 {
    if (offset < 0 || offset > bytes.byteLength) return 0;
    const n = length < 0 ? bytes.byteLength - offset : min(length, bytes.byteLength - offset);
    return <i32>this.write(bytes.dataStart + <usize>offset, <u32>n);
  }

  /** Ends a chunked body (a Content-Length body ends by itself; ending one early closes the connection). */
  end(): void {
    if (this.ended || this.status == 0) return;
    if (this.framing == Framing.Chunked) {
      this.lastChunkDue = true;
      this.pump();
      return;
    }
    if (this.framing == Framing.Length && this.bodySent < this.length) this.keepAlive = false;
    this.ended = true;
  }

  /** Called by the server when the send buffer may have room: sends what is pending
   * (a lent body, the last chunk); whether the body still wants onWritable(). */
  pump(): bool {
    if (this.lent !== null) {
      this.pumpLent();
      return false;
    }
    if (this.lastChunkDue) {
      const n = <u32>LAST_CHUNK.length;
      if (this.socket!.sendCapacity >= n) {
        this.socket!.sendFrom(this.scratch, storeAscii(this.scratch, LAST_CHUNK));
        this.lastChunkDue = false;
        this.ended = true;
      }
      return false;
    }
    return this.status != 0 && !this.ended;
  }

  /** The interim 100 (Continue) answer to Expect: 100-continue. */
  sendContinue(): void {
    this.socket!.sendFrom(this.scratch, storeAscii(this.scratch, CONTINUE));
  }

  private pumpLent(): void {
    const body = this.lent!;
    const at = <u32>this.bodySent;
    this.write(body.dataStart + at, this.lentEnd - at);
    if (this.ended) this.lent = null;
  }

  /** Writes the head; the framing says what follows. */
  private start(status: u32, contentType: string, framing: Framing, length: u64): void {
    if (this.status != 0 || this.socket === null) return;
    if (status < 100 || status > 999) status = 500;
    this.status = status;
    this.framing = framing;
    this.length = length;
    const q = this.scratch;
    let n = storeAscii(q, "HTTP/1.1 ");
    n += storeDecimal(q + n, status);
    store<u8>(q + n++, 0x20);
    const reason = reasonPhrase(status);
    n += storeAscii(q + n, reason);
    n += storeAscii(q + n, "\r\n");
    if (contentType.length > 0 && <u32>contentType.length <= CONTENT_TYPE_MAX && validValue(contentType)) {
      n += storeAscii(q + n, "Content-Type: ");
      n += storeAscii(q + n, contentType);
      n += storeAscii(q + n, "\r\n");
    }
    for (let i = 0; i < this.fieldCount; i++) {
      n += storeAscii(q + n, unchecked(this.names[i]));
      n += storeAscii(q + n, ": ");
      n += storeAscii(q + n, unchecked(this.values[i]));
      n += storeAscii(q + n, "\r\n");
    }
    if (framing == Framing.Length) {
      n += storeAscii(q + n, "Content-Length: ");
      n += storeDecimal(q + n, length);
      n += storeAscii(q + n, "\r\n");
    } else if (framing == Framing.Chunked) {
      n += storeAscii(q + n, "Transfer-Encoding: chunked\r\n");
    }
    if (!this.keepAlive) n += storeAscii(q + n, "Connection: close\r\n");
    else if (this.minor == 0) n += storeAscii(q + n, "Connection: keep-alive\r\n");
    n += storeAscii(q + n, "\r\n");
    const socket = this.socket!;
    if (socket.sendFrom(q, n) < n) this.keepAlive = false; // the connection is failing: do not reuse it
    if (this.headOnly || framing == Framing.None || (framing == Framing.Length && length == 0)) this.ended = true;
  }
}

function validName(name: string): bool {
  if (name.length == 0) return false;
  for (let i = 0; i < name.length; i++) if (!isTokenByte(<u32>name.charCodeAt(i))) return false;
  return true;
}

function validValue(value: string): bool {
  for (let i = 0; i < value.length; i++) {
    const c = <u32>value.charCodeAt(i);
    if (c > 0x7e || (c < 0x20 && c != 9)) return false;
  }
  return true;
}
