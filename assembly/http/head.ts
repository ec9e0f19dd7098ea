// A message head (RFC 9112 2-5), parsed in place: the request or status line and the
// field lines are recorded as offsets into the bytes, nothing is copied. The fields
// that frame the body and manage the connection (Content-Length, Transfer-Encoding,
// Connection, Expect) are read as the head is parsed. Anything a peer can send either
// parses or sets `error` to the status to answer with: no input traps.
import {
  CR, equalsExactly, equalsIgnoreCase, HT, isFieldValueByte, isTargetByte, isTokenByte, LF, parseDecimal, SP,
} from "./ascii";

/** The longest head taken: a longer one is answered 400 (and the connection closed). */
export const HEAD_MAX: u32 = 8192;
/** The most field lines a head may have (a head with more is answered 400). */
export const FIELDS_MAX: i32 = 100;

/** The request methods a head is parsed into; Other for any other token. */
export enum Method { Other, GET, HEAD, POST, PUT, DELETE, OPTIONS, PATCH, CONNECT, TRACE }

const METHOD_NAMES: string[] = ["", "GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS", "PATCH", "CONNECT", "TRACE"];

/** A method's name as a Method (Other when it is none of them; methods are case-sensitive). */
function methodOf(p: usize, n: u32): Method {
  for (let m = 1; m < METHOD_NAMES.length; m++) {
    if (equalsExactly(p, n, unchecked(METHOD_NAMES[m]))) return <Method>m;
  }
  return Method.Other;
}

/** A message head (RFC 9112 sections 2-5) parsed in place: the start line and field lines recorded as offsets into the bytes, nothing copied. Anything a peer sends either parses or sets `error` to the status to answer with. */
export class MessageHead {
  /** Where the head's bytes are, and how many (the blank line included). */
  base: usize = 0;
  /** Bytes of the head, its blank line included. */
  length: u32 = 0;
  /** 0 when the head is good; else the status to answer it with (400, or 501 for a
   * transfer coding other than chunked). */
  error: u32 = 0;
  /** HTTP/1.minor. */
  minor: u32 = 1;

  // The request line (requests).
  /** The request line's method (requests). */
  method: Method = Method.Other;
  /** Where the method's bytes are, from base. */
  methodStart: u32 = 0;
  /** Bytes of the method. */
  methodLength: u32 = 0;
  /** Where the request target is, from base. */
  targetStart: u32 = 0;
  /** Bytes of the request target. */
  targetLength: u32 = 0;
  /** The path of the target (absolute-form: after the authority; "*": empty) and the query after "?". */
  pathStart: u32 = 0;
  /** Bytes of the path. */
  pathLength: u32 = 0;
  /** Where the query (after "?") is, from base. */
  queryStart: u32 = 0;
  /** Bytes of the query. */
  queryLength: u32 = 0;

  // The status line (responses).
  /** The status line's code (responses). */
  status: u32 = 0;

  // Field lines: name and value (without surrounding whitespace), offsets from base.
  /** Field lines in the head. */
  fieldCount: i32 = 0;
  /** Where field i's name is, from base. */
  readonly nameStart: StaticArray<u16> = new StaticArray<u16>(FIELDS_MAX);
  /** Bytes of field i's name. */
  readonly nameLength: StaticArray<u16> = new StaticArray<u16>(FIELDS_MAX);
  /** Where field i's value is (without surrounding whitespace), from base. */
  readonly valueStart: StaticArray<u16> = new StaticArray<u16>(FIELDS_MAX);
  /** Bytes of field i's value. */
  readonly valueLength: StaticArray<u16> = new StaticArray<u16>(FIELDS_MAX);

  // What the fields say.
  /** Content-Length, or -1 when there is none (or Transfer-Encoding overrides it). */
  contentLength: i64 = -1;
  /** Transfer-Encoding: chunked. */
  chunked: bool = false;
  /** Transfer-Encoding ends in something other than chunked (a response: read to the close). */
  unframed: bool = false;
  /** Connection: close, or framing that forbids reuse (both Content-Length and Transfer-Encoding). */
  close: bool = false;
  /** Connection: keep-alive (what an HTTP/1.0 peer must say to keep the connection). */
  keepAlive: bool = false;
  /** Expect: 100-continue. */
  expectContinue: bool = false;

  private reset(p: usize): void {
    this.base = p;
    this.length = 0;
    this.error = 0;
    this.minor = 1;
    this.method = Method.Other;
    this.methodStart = this.methodLength = this.targetStart = this.targetLength = 0;
    this.pathStart = this.pathLength = this.queryStart = this.queryLength = 0;
    this.status = 0;
    this.fieldCount = 0;
    this.contentLength = -1;
    this.chunked = this.unframed = this.close = this.keepAlive = this.expectContinue = false;
  }

  /** The index of the first field named `name` (any case), or -1. */
  find(name: string): i32 {
    for (let i = 0; i < this.fieldCount; i++) {
      if (equalsIgnoreCase(this.base + unchecked(this.nameStart[i]), unchecked(this.nameLength[i]), name)) return i;
    }
    return -1;
  }

  /** Where field i's value is in memory. */
  valuePtr(i: i32): usize {
    return this.base + unchecked(this.valueStart[i]);
  }

  /** Bytes of field i's value. */
  valueLen(i: i32): u32 {
    return unchecked(this.valueLength[i]);
  }

  /** Where field i's name is in memory. */
  namePtr(i: i32): usize {
    return this.base + unchecked(this.nameStart[i]);
  }

  /** Bytes of field i's name. */
  nameLen(i: i32): u32 {
    return unchecked(this.nameLength[i]);
  }

  /** Parses a request head: the n bytes at p, as findHeadEnd() measured them. False
   * (with `error` set) when it is not a good HTTP/1.x request. */
  parseRequest(p: usize, n: u32): bool {
    this.reset(p);
    this.length = n;
    if (n > HEAD_MAX) return this.fail(400);
    const end = lineEnd(p, 0, n);
    if (!this.parseRequestLine(p, contentEnd(p, end))) return this.fail(400);
    if (!this.parseFields(p, end + 1, n)) return false;
    // HTTP/1.0 knows no transfer codings: such a message's framing cannot be trusted (RFC 9112 6.1).
    if (this.minor == 0 && (this.chunked || this.unframed)) return this.fail(400);
    // A request's body is chunked or has a length; any other coding cannot be read (RFC 9112 6.3).
    if (this.unframed) return this.fail(400);
    return true;
  }

  /** Parses a response head, as parseRequest() a request's. */
  parseResponse(p: usize, n: u32): bool {
    this.reset(p);
    this.length = n;
    if (n > HEAD_MAX) return this.fail(400);
    const end = lineEnd(p, 0, n);
    if (!this.parseStatusLine(p, contentEnd(p, end))) return this.fail(400);
    return this.parseFields(p, end + 1, n);
  }

  private fail(status: u32): bool {
    this.error = status;
    return false;
  }

  /** method SP request-target SP HTTP-version (RFC 9112 3), in bytes [0, end). */
  private parseRequestLine(p: usize, end: u32): bool {
    let i: u32 = 0;
    while (i < end && isTokenByte(load<u8>(p + i))) i++;
    if (i == 0 || i >= end || load<u8>(p + i) != SP) return false;
    this.methodStart = 0;
    this.methodLength = i;
    this.method = methodOf(p, i);
    const target = ++i;
    while (i < end && isTargetByte(load<u8>(p + i))) i++;
    if (i == target || i >= end || load<u8>(p + i) != SP) return false;
    this.targetStart = target;
    this.targetLength = i - target;
    if (!this.parseVersion(p, i + 1, end) || i + 9 != end) return false;
    return this.parseTarget(p);
  }

  /** "HTTP/1.x" at p + at, x a digit. */
  private parseVersion(p: usize, at: u32, end: u32): bool {
    if (at + 8 > end || !equalsExactly(p + at, 7, "HTTP/1.")) return false;
    const minor = <u32>load<u8>(p + at + 7) - 0x30;
    if (minor > 9) return false;
    this.minor = minor;
    return true;
  }

  /** The path and query of the request-target (RFC 9112 3.2): origin-form, absolute-form,
   * "*" (asterisk-form) or, for CONNECT, an authority. */
  private parseTarget(p: usize): bool {
    const start = this.targetStart;
    const end = start + this.targetLength;
    let path = start;
    const first = load<u8>(p + start);
    if (first != 0x2f) {
      if (this.targetLength == 1 && first == 0x2a) {
        this.pathStart = start;
        return true; // "*": no path
      }
      if (this.method == Method.CONNECT) {
        this.pathStart = start;
        return true;
      }
      // absolute-form: scheme "://" authority, then the path (or none).
      let i = start;
      while (i < end && load<u8>(p + i) != 0x3a) i++;
      if (i == start || i + 3 > end || load<u8>(p + i + 1) != 0x2f || load<u8>(p + i + 2) != 0x2f) return false;
      i += 3;
      while (i < end && load<u8>(p + i) != 0x2f && load<u8>(p + i) != 0x3f) i++;
      path = i;
    }
    let q = path;
    while (q < end && load<u8>(p + q) != 0x3f && load<u8>(p + q) != 0x23) q++;
    this.pathStart = path;
    this.pathLength = q - path;
    if (q < end && load<u8>(p + q) == 0x3f) {
      let f = q + 1;
      while (f < end && load<u8>(p + f) != 0x23) f++;
      this.queryStart = q + 1;
      this.queryLength = f - q - 1;
    }
    return true;
  }

  /** HTTP-version SP 3DIGIT [SP reason-phrase] (RFC 9112 4). */
  private parseStatusLine(p: usize, end: u32): bool {
    if (!this.parseVersion(p, 0, end)) return false;
    if (end < 12 || load<u8>(p + 8) != SP) return false;
    let status: u32 = 0;
    for (let i: u32 = 9; i < 12; i++) {
      const d = <u32>load<u8>(p + i) - 0x30;
      if (d > 9) return false;
      status = status * 10 + d;
    }
    if (status < 100 || (end > 12 && load<u8>(p + 12) != SP)) return false;
    for (let i: u32 = 13; i < end; i++) if (!isFieldValueByte(load<u8>(p + i))) return false;
    this.status = status;
    return true;
  }

  /** The field lines from `at` to the blank line at the head's end (n). */
  private parseFields(p: usize, at: u32, n: u32): bool {
    for (;;) {
      if (at >= n) return this.fail(400); // no blank line: not a head findHeadEnd() measured
      const end = lineEnd(p, at, n);
      const content = contentEnd(p, end);
      if (content <= at) break; // the blank line
      if (this.fieldCount == FIELDS_MAX) return this.fail(400);
      let i = at;
      while (i < content && isTokenByte(load<u8>(p + i))) i++;
      // No name, whitespace before the colon, or a line folded onto the last (obs-fold): 400 (RFC 9112 5).
      if (i == at || i >= content || load<u8>(p + i) != 0x3a) return this.fail(400);
      const name = at;
      const nameLength = i - at;
      i++;
      while (i < content && isWhitespace(load<u8>(p + i))) i++;
      let valueEnd = content;
      while (valueEnd > i && isWhitespace(load<u8>(p + valueEnd - 1))) valueEnd--;
      for (let k = i; k < valueEnd; k++) if (!isFieldValueByte(load<u8>(p + k))) return this.fail(400);
      const f = this.fieldCount++;
      unchecked((this.nameStart[f] = <u16>name));
      unchecked((this.nameLength[f] = <u16>nameLength));
      unchecked((this.valueStart[f] = <u16>i));
      unchecked((this.valueLength[f] = <u16>(valueEnd - i)));
      if (!this.understand(f)) return false;
      at = end + 1;
    }
    // Transfer-Encoding overrides Content-Length; a message with both is a smuggling
    // attempt or a broken peer: read it as chunked, then close (RFC 9112 6.1).
    if (this.chunked || this.unframed) {
      if (this.contentLength >= 0) this.close = true;
      this.contentLength = -1;
    }
    return true;
  }

  /** Takes in what field f says, if it is one the framing or connection depends on. */
  private understand(f: i32): bool {
    const name = this.namePtr(f);
    const nameLength = this.nameLen(f);
    const v = this.valuePtr(f);
    const n = this.valueLen(f);
    if (nameLength == 14 && equalsIgnoreCase(name, 14, "content-length")) return this.takeContentLength(v, n);
    if (nameLength == 17 && equalsIgnoreCase(name, 17, "transfer-encoding")) return this.takeTransferEncoding(v, n);
    if (nameLength == 10 && equalsIgnoreCase(name, 10, "connection")) {
      for (let i: u32 = 0; i < n; ) {
        const t = nextElement(v, n, i);
        const tl = ELEMENT_END - ELEMENT_START;
        if (equalsIgnoreCase(v + ELEMENT_START, tl, "close")) this.close = true;
        else if (equalsIgnoreCase(v + ELEMENT_START, tl, "keep-alive")) this.keepAlive = true;
        i = t;
      }
    } else if (nameLength == 6 && equalsIgnoreCase(name, 6, "expect")) {
      if (equalsIgnoreCase(v, n, "100-continue")) this.expectContinue = true;
    }
    return true;
  }

  /** Content-Length: digits, or a list of the same digits ("5, 5"); lines that disagree: 400. */
  private takeContentLength(v: usize, n: u32): bool {
    if (n == 0) return this.fail(400);
    for (let i: u32 = 0; i < n; ) {
      const next = nextElement(v, n, i);
      const length = parseDecimal(v + ELEMENT_START, ELEMENT_END - ELEMENT_START);
      if (length < 0 || (this.contentLength >= 0 && this.contentLength != length)) return this.fail(400);
      this.contentLength = length;
      i = next;
    }
    return true;
  }

  /** Transfer-Encoding: codings applied in order; chunked must be last and appear once. */
  private takeTransferEncoding(v: usize, n: u32): bool {
    if (n == 0) return this.fail(400);
    for (let i: u32 = 0; i < n; ) {
      const next = nextElement(v, n, i);
      const length = ELEMENT_END - ELEMENT_START;
      if (length == 0) return this.fail(400);
      if (this.chunked) return this.fail(400); // something after chunked, or chunked twice
      if (equalsIgnoreCase(v + ELEMENT_START, length, "chunked")) {
        if (this.unframed) return this.fail(501); // chunked over another coding: it could not be decoded
        this.chunked = true;
      } else {
        this.unframed = true;
      }
      i = next;
    }
    return true;
  }
}

/** Where the head that starts at p ends, in the n bytes there: the offset past its blank
 * line (CRLF CRLF, or bare LFs, which RFC 9112 2.2 lets a recipient take), or 0 when the
 * blank line has not come. `from`: where to resume, the bytes before it searched already. */
export function findHeadEnd(p: usize, n: u32, from: u32): u32 {
  for (let i = from; i < n; i++) {
    if (load<u8>(p + i) != LF) continue;
    // An LF ends a line; the head ends when the next line is empty.
    if (i + 1 < n && load<u8>(p + i + 1) == LF) return i + 2;
    if (i + 2 < n && load<u8>(p + i + 1) == CR && load<u8>(p + i + 2) == LF) return i + 3;
  }
  return 0;
}

/** Where findHeadEnd() may resume after searching n bytes (a terminator may straddle the end). */
export function headSearchResume(n: u32): u32 {
  return n > 2 ? n - 2 : 0;
}

/** The offset of the LF that ends the line starting at `at` (the head always has one). */
function lineEnd(p: usize, at: u32, n: u32): u32 {
  let i = at;
  while (i < n && load<u8>(p + i) != LF) i++;
  return i;
}

/** The end of a line's content: before a CR that precedes its LF at `lf`. */
function contentEnd(p: usize, lf: u32): u32 {
  return lf > 0 && load<u8>(p + lf - 1) == CR ? lf - 1 : lf;
}

function isWhitespace(c: u32): bool {
  return c == SP || c == HT;
}

// The element nextElement() found last, as offsets into the value.
let ELEMENT_START: u32 = 0;
let ELEMENT_END: u32 = 0;

/** The comma-separated element of a field value starting at `at` (whitespace trimmed,
 * left in ELEMENT_START/ELEMENT_END): where the next one starts. */
function nextElement(v: usize, n: u32, at: u32): u32 {
  let i = at;
  while (i < n && isWhitespace(load<u8>(v + i))) i++;
  ELEMENT_START = i;
  while (i < n && load<u8>(v + i) != 0x2c) i++;
  let end = i;
  while (end > ELEMENT_START && isWhitespace(load<u8>(v + end - 1))) end--;
  ELEMENT_END = end;
  return i + 1;
}
