// What a lent request (server) and a lent response (client) share: the numbers the head
// gave (version, framing), readable for the whole exchange, and its fields, readable
// only while the head is lent (onRequest(), onResponse()): its bytes are the socket's.
import { MessageHead } from "./head";

/** What a lent request (server) and a lent response (client) share: the version and framing, readable for the whole exchange, and the fields, readable only while the head is lent. */
export class HttpMessage {
  /** HTTP/1.minor. */
  minor: u32 = 1;
  /** Content-Length, or -1 (chunked, or none given). */
  contentLength: i64 = -1;
  /** Whether the body comes in the chunked coding. */
  chunked: bool = false;
  /** Body bytes handed on so far. */
  bodyReceived: u64 = 0;
  /** The head while it is lent, else null. */
  protected head: MessageHead | null = null;

  /** Called before and after the head is lent. */
  lend(head: MessageHead | null): void {
    this.head = head;
    if (head === null) return;
    this.minor = head.minor;
    this.contentLength = head.contentLength;
    this.chunked = head.chunked;
    this.bodyReceived = 0;
  }

  /** The value of the first field named `name` (any case), or null (allocates; null once the head is gone). */
  header(name: string): string | null {
    const h = this.head;
    if (h === null) return null;
    const i = h.find(name);
    return i < 0 ? null : String.UTF8.decodeUnsafe(h.valuePtr(i), h.valueLen(i));
  }

  /** Whether the head has a field named `name` (any case). */
  hasHeader(name: string): bool {
    const h = this.head;
    return h !== null && h.find(name) >= 0;
  }

  /** The number of field lines, then each one's name and value (allocates). */
  get headerCount(): i32 {
    const h = this.head;
    return h === null ? 0 : h.fieldCount;
  }

  /** Field line i's name ("" out of range or once the head is gone; allocates). */
  headerName(i: i32): string {
    const h = this.head;
    return h === null || i < 0 || i >= h.fieldCount ? "" : String.UTF8.decodeUnsafe(h.namePtr(i), h.nameLen(i));
  }

  /** Field line i's value ("" out of range or once the head is gone; allocates). */
  headerValue(i: i32): string {
    const h = this.head;
    return h === null || i < 0 || i >= h.fieldCount ? "" : String.UTF8.decodeUnsafe(h.valuePtr(i), h.valueLen(i));
  }
}
