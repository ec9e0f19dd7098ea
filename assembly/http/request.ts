// The request a handler is lent (one per connection, reused for each of its requests):
// the method and the framing stay readable for the whole exchange; the path, query and
// fields only during onRequest() (see HttpMessage).
import { equalsExactly, startsWithExactly } from "./ascii";
import { MessageHead, Method } from "./head";
import { HttpMessage } from "./message";

/** The request a handler is lent, one per connection and reused: method and framing readable for the whole exchange, path, query and fields only during onRequest(). */
export class HttpRequest extends HttpMessage {
  /** The request's method (Method.Other for one this server does not name). */
  method: Method = Method.Other;
  /** Expect: 100-continue (the server has answered it with 100 Continue before onRequest()). */
  expectContinue: bool = false;
  /** The peer's address and port. */
  remoteAddress: u32 = 0;
  /** The peer's TCP port. */
  remotePort: u32 = 0;

  /** Called by the server before and after the head is lent (null after): keeps the method and Expect beside what HttpMessage keeps. */
  lend(head: MessageHead | null): void {
    super.lend(head);
    if (head === null) return;
    this.method = head.method;
    this.expectContinue = head.expectContinue;
  }

  /** Whether the request says how long its body is (Content-Length or chunked). A request
   * with neither has no body (RFC 9112 6.3), or sent one whose end cannot be found. */
  get framed(): bool {
    return this.chunked || this.contentLength >= 0;
  }

  /** Whether a body follows the head. */
  get hasBody(): bool {
    return this.chunked || this.contentLength > 0;
  }

  /** The method's name, as sent (allocates; "" after onRequest). */
  get methodName(): string {
    const h = this.head;
    return h === null ? "" : String.UTF8.decodeUnsafe(h.base + h.methodStart, h.methodLength);
  }

  /** The path of the request-target, undecoded, without the query (allocates; "" after onRequest). */
  get path(): string {
    const h = this.head;
    return h === null ? "" : String.UTF8.decodeUnsafe(h.base + h.pathStart, h.pathLength);
  }

  /** The query after "?", undecoded (allocates; "" after onRequest). */
  get query(): string {
    const h = this.head;
    return h === null ? "" : String.UTF8.decodeUnsafe(h.base + h.queryStart, h.queryLength);
  }

  /** Whether the path is exactly `path` (no allocation). */
  pathIs(path: string): bool {
    const h = this.head;
    return h !== null && equalsExactly(h.base + h.pathStart, h.pathLength, path);
  }

  /** Whether the path starts with `prefix` (no allocation). */
  pathStartsWith(prefix: string): bool {
    const h = this.head;
    return h !== null && startsWithExactly(h.base + h.pathStart, h.pathLength, prefix);
  }

  /** The path's bytes in place, to parse without allocating (0 and 0 after onRequest). */
  get pathPtr(): usize {
    const h = this.head;
    return h === null ? 0 : h.base + h.pathStart;
  }

  /** Bytes of the path at pathPtr (0 after onRequest). */
  get pathLength(): u32 {
    const h = this.head;
    return h === null ? 0 : h.pathLength;
  }
}
