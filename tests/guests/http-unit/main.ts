// Unit tests of the HTTP layer's parts, in the guest: SHA-256 against FIPS 180-4's and
// NIST's vectors, the head parser (good heads of every form, malformed ones of every
// kind, the size limit), the head-end search, the chunked decoder (whole, a byte at a
// time, broken, limits), and seeded random and mutated input through all of them,
// which must never trap. One line per failure; the last line is "ok N checks" or
// "FAIL N of M checks", and the exit status says the same.
import { puts } from "../../../assembly";
import { ChunkedDecoder, findHeadEnd, HEAD_MAX, MessageHead, Method, Sha256, SHA256_HEX_LEN } from "../../../assembly/http";

let checks = 0;
let failures = 0;

function check(ok: bool, what: string): void {
  checks++;
  if (!ok) {
    failures++;
    puts("FAIL " + what + "\n");
  }
}

function bytes(s: string): Uint8Array {
  return Uint8Array.wrap(String.UTF8.encode(s));
}

function hexOf(h: Sha256): string {
  const out = new Uint8Array(SHA256_HEX_LEN);
  h.finishHexInto(out.dataStart);
  return String.UTF8.decode(out.buffer);
}

function sha(s: string): string {
  const h = new Sha256();
  h.updateBytes(bytes(s));
  return hexOf(h);
}

function testSha256(): void {
  check(sha("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", "sha256 of nothing");
  check(sha("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", "sha256 abc");
  check(sha("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq") == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1", "sha256 448 bits");
  check(sha("abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu") ==
    "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1", "sha256 896 bits");
  // A million 'a's, fed in pieces of every size from 1 to 999 (blocks split everywhere).
  const a = new Uint8Array(1000);
  a.fill(0x61);
  const h = new Sha256();
  let left = 1000000;
  for (let piece = 1; left > 0; piece = piece % 999 + 1) {
    const n = min(piece, left);
    h.update(a.dataStart, <u32>n);
    left -= n;
  }
  check(hexOf(h) == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0", "sha256 of a million a");
  // Lengths around the padding boundary: one piece and byte by byte agree.
  for (let n = 50; n < 70; n++) {
    const one = new Sha256();
    one.update(a.dataStart, <u32>n);
    const split = new Sha256();
    for (let i = 0; i < n; i++) split.update(a.dataStart + <usize>i, 1);
    check(hexOf(one) == hexOf(split), "sha256 of " + n.toString() + " bytes, split");
  }
}

const head = new MessageHead();

/** Parses `text` as a request head: ok, or the error status. */
function parse(text: string): u32 {
  const b = bytes(text);
  const end = findHeadEnd(b.dataStart, <u32>b.length, 0);
  if (end == 0) return 999;
  return head.parseRequest(b.dataStart, end) ? 0 : head.error;
}

function field(name: string): string {
  const i = head.find(name);
  return i < 0 ? "<none>" : String.UTF8.decodeUnsafe(head.valuePtr(i), head.valueLen(i));
}

function span(start: u32, length: u32): string {
  return String.UTF8.decodeUnsafe(head.base + start, length);
}

function testGoodHeads(): void {
  check(parse("GET / HTTP/1.1\r\nHost: a\r\n\r\n") == 0, "simple GET");
  check(head.method == Method.GET && head.minor == 1 && span(head.pathStart, head.pathLength) == "/", "GET's method, version, path");
  check(field("host") == "a" && field("HOST") == "a", "field names ignore case");
  check(parse("POST /x?a=1&b=2#frag HTTP/1.0\r\nContent-Length:   42  \r\nConnection: Keep-Alive\r\n\r\n") == 0, "POST 1.0");
  check(head.method == Method.POST && head.minor == 0 && head.contentLength == 42 && head.keepAlive && !head.close, "POST's framing");
  check(span(head.pathStart, head.pathLength) == "/x" && span(head.queryStart, head.queryLength) == "a=1&b=2", "path and query");
  check(parse("GET http://example.com:8080/p/q?z HTTP/1.1\r\n\r\n") == 0 && span(head.pathStart, head.pathLength) == "/p/q", "absolute-form");
  check(parse("OPTIONS * HTTP/1.1\r\n\r\n") == 0 && head.method == Method.OPTIONS && head.pathLength == 0, "asterisk-form");
  check(parse("CONNECT example.com:443 HTTP/1.1\r\n\r\n") == 0 && head.method == Method.CONNECT, "authority-form");
  check(parse("BREW /pot HTTP/1.1\r\n\r\n") == 0 && head.method == Method.Other && head.methodLength == 4, "unknown method");
  check(parse("get / HTTP/1.1\r\n\r\n") == 0 && head.method == Method.Other, "methods are case-sensitive");
  check(parse("GET / HTTP/1.1\n\n") == 0, "bare LF line ends");
  check(parse("GET / HTTP/1.1\r\nA: 1\n\r\n") == 0 && field("a") == "1", "mixed line ends");
  check(parse("GET / HTTP/1.1\r\nConnection: foo, close , bar\r\n\r\n") == 0 && head.close, "Connection list with close");
  check(parse("GET / HTTP/1.1\r\nExpect: 100-Continue\r\n\r\n") == 0 && head.expectContinue, "Expect");
  check(parse("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n") == 0 && head.chunked && head.contentLength == -1, "chunked");
  check(parse("POST / HTTP/1.1\r\nTransfer-Encoding: CHUNKED\r\n\r\n") == 0 && head.chunked, "chunked in capitals");
  check(parse("POST / HTTP/1.1\r\nTransfer-Encoding: chunked,\r\n\r\n") == 0 && head.chunked, "a list's empty last element");
  check(parse("POST / HTTP/1.1\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n") == 0 && head.chunked && head.contentLength == -1 && head.close,
    "chunked overrides Content-Length and closes");
  check(parse("POST / HTTP/1.1\r\nContent-Length: 7, 7\r\nContent-Length: 7\r\n\r\n") == 0 && head.contentLength == 7, "repeated equal lengths");
  check(parse("POST / HTTP/1.1\r\nContent-Length: 0\r\n\r\n") == 0 && head.contentLength == 0, "zero length");
  check(parse("POST / HTTP/1.1\r\nContent-Length: 9223372036854775807\r\n\r\n") == 0 && head.contentLength == i64.MAX_VALUE, "largest length");
  check(parse("GET / HTTP/1.9\r\n\r\n") == 0 && head.minor == 9, "HTTP/1.9 is 1.x");
  check(parse("GET / HTTP/1.1\r\nX-Empty:\r\nY:  \t \r\n\r\n") == 0 && field("x-empty") == "" && field("y") == "", "empty values");
  check(parse("GET / HTTP/1.1\r\nX: caf\xc3\xa9 \x80\xff\r\n\r\n") == 0, "obs-text in a value");
  let many = "GET / HTTP/1.1\r\n";
  for (let i = 0; i < 100; i++) many += "F" + i.toString() + ": v\r\n";
  check(parse(many + "\r\n") == 0 && head.fieldCount == 100, "100 fields");
}

function testBadHeads(): void {
  const bad: string[] = [
    "GET / HTTP/2.0\r\n\r\n",
    "GET / HTTP/1.x\r\n\r\n",
    "GET / HTTP/1.1 \r\n\r\n",
    "GET /\r\n\r\n",
    "GET / http/1.1\r\n\r\n",
    "GET  / HTTP/1.1\r\n\r\n",
    " GET / HTTP/1.1\r\n\r\n",
    "GET / HTTP/1.1\r\r\n\r\n",
    "G(T / HTTP/1.1\r\n\r\n",
    "GET /a b HTTP/1.1\r\n\r\n",
    "GET /\x01 HTTP/1.1\r\n\r\n",
    "GET x HTTP/1.1\r\n\r\n",
    "GET http:/x HTTP/1.1\r\n\r\n",
    "GET / HTTP/1.1\r\nHost : a\r\n\r\n",
    "GET / HTTP/1.1\r\nHost\r\n\r\n",
    "GET / HTTP/1.1\r\n: a\r\n\r\n",
    "GET / HTTP/1.1\r\nA: 1\r\n  folded\r\n\r\n",
    "GET / HTTP/1.1\r\nA: 1\x00\r\n\r\n",
    "GET / HTTP/1.1\r\nA: 1\r2\r\n\r\n",
    "GET / HTTP/1.1\r\nA: \x7f\r\n\r\n",
    "GET / HTTP/1.1\r\nA\x80: 1\r\n\r\n",
    "POST / HTTP/1.1\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\n",
    "POST / HTTP/1.1\r\nContent-Length: 5, 6\r\n\r\n",
    "POST / HTTP/1.1\r\nContent-Length: -1\r\n\r\n",
    "POST / HTTP/1.1\r\nContent-Length: 1e3\r\n\r\n",
    "POST / HTTP/1.1\r\nContent-Length: \r\n\r\n",
    "POST / HTTP/1.1\r\nContent-Length: 9223372036854775808\r\n\r\n",
    "POST / HTTP/1.1\r\nContent-Length: 99999999999999999999999\r\n\r\n",
    "POST / HTTP/1.1\r\nContent-Length: +5\r\n\r\n",
    "POST / HTTP/1.1\r\nTransfer-Encoding: chunked, gzip\r\n\r\n",
    "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n",
    "POST / HTTP/1.1\r\nTransfer-Encoding: gzip\r\n\r\n",
    "POST / HTTP/1.1\r\nTransfer-Encoding: \r\n\r\n",
    "POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n",
  ];
  for (let i = 0; i < bad.length; i++) check(parse(bad[i]) == 400, "bad head " + i.toString() + " answered 400: " + JSON_ish(bad[i]));
  check(parse("POST / HTTP/1.1\r\nTransfer-Encoding: gzip, chunked\r\n\r\n") == 501, "a coding under chunked: 501");
  let many = "GET / HTTP/1.1\r\n";
  for (let i = 0; i < 101; i++) many += "F" + i.toString() + ": v\r\n";
  check(parse(many + "\r\n") == 400, "101 fields: 400");
  // The size limit: a head of exactly HEAD_MAX bytes is taken; one byte more is not.
  const fill = "GET / HTTP/1.1\r\nX: ";
  const exact = fill + "a".repeat(<i32>HEAD_MAX - fill.length - 4) + "\r\n\r\n";
  check(exact.length == <i32>HEAD_MAX && parse(exact) == 0, "a head of HEAD_MAX bytes");
  const over = fill + "a".repeat(<i32>HEAD_MAX - fill.length - 3) + "\r\n\r\n";
  const b = bytes(over);
  check(!head.parseRequest(b.dataStart, <u32>b.length) && head.error == 400, "a head of HEAD_MAX + 1 bytes: 400");
}

function JSON_ish(s: string): string {
  return s.replaceAll("\r", "\\r").replaceAll("\n", "\\n");
}

function testResponses(): void {
  const ok = bytes("HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\n");
  check(head.parseResponse(ok.dataStart, <u32>ok.length) && head.status == 200 && head.contentLength == 3, "a response head");
  const bare = bytes("HTTP/1.0 204\r\n\r\n");
  check(head.parseResponse(bare.dataStart, <u32>bare.length) && head.status == 204 && head.minor == 0, "a status line without reason");
  const bad = ["HTTP/1.1 20 OK\r\n\r\n", "HTTP/2 200 OK\r\n\r\n", "HTTP/1.1 2000 OK\r\n\r\n", "HTTP/1.1 099 X\r\n\r\n", "HTTP/1.1 200 O\x01K\r\n\r\n"];
  for (let i = 0; i < bad.length; i++) {
    const b = bytes(bad[i]);
    check(!head.parseResponse(b.dataStart, <u32>b.length), "bad status line " + i.toString());
  }
}

function testHeadEnd(): void {
  const b = bytes("GET / HTTP/1.1\r\nA: b\r\n\r\nNEXT");
  const full = findHeadEnd(b.dataStart, <u32>b.length, 0);
  check(full == <u32>b.length - 4, "head end");
  // Searched as the bytes come, one at a time, resuming as the server does.
  let from: u32 = 0;
  let found: u32 = 0;
  for (let n: u32 = 1; n <= <u32>b.length && found == 0; n++) {
    found = findHeadEnd(b.dataStart, n, from);
    from = n > 2 ? n - 2 : 0;
  }
  check(found == full, "head end found a byte at a time");
  check(findHeadEnd(b.dataStart, 10, 0) == 0, "no end yet");
}

/** Decodes `text` in pieces of `piece` bytes (0: all at once): the data, or "<failed>"/"<unfinished>". */
function dechunk(text: string, piece: i32): string {
  const b = bytes(text);
  const d = new ChunkedDecoder();
  let out = "";
  let at = 0;
  let avail = piece == 0 ? b.length : min(piece, b.length);
  while (!d.done && !d.failed) {
    if (d.inData) {
      const n = <i32>min(<u64>(avail - at), d.dataLeft);
      if (n == 0) {
        if (avail == b.length) break;
        avail = min(avail + max(piece, 1), b.length);
        continue;
      }
      out += String.UTF8.decodeUnsafe(b.dataStart + at, n);
      d.tookData(<u32>n);
      at += n;
      continue;
    }
    const took = d.advance(b.dataStart + at, <u32>(avail - at));
    at += <i32>took;
    if (took == 0 && !d.inData && !d.done && !d.failed) {
      if (avail == b.length) break;
      avail = min(avail + max(piece, 1), b.length);
    }
  }
  if (d.failed) return "<failed>";
  if (!d.done) return "<unfinished>";
  return out + "|" + String.UTF8.decodeUnsafe(b.dataStart + at, b.length - at);
}

function testChunked(): void {
  const good = "5\r\nhello\r\n6;name=value;x\r\n world\r\nA \r\n0123456789\r\n0\r\nTrailer: yes\r\nMore: 1\r\n\r\nNEXT";
  for (let piece = 0; piece < 8; piece++) {
    check(dechunk(good, piece) == "hello world0123456789|NEXT", "chunked body in pieces of " + piece.toString());
  }
  check(dechunk("0\r\n\r\n", 0) == "|", "empty chunked body");
  check(dechunk("3\nabc\n0\n\n", 1) == "abc|", "bare LFs");
  check(dechunk("000000000000003\r\nabc\r\n0\r\n\r\n", 0) == "abc|", "leading zeros");
  check(dechunk("fF\r\n" + "x".repeat(255) + "\r\n0\r\n\r\n", 3) == "x".repeat(255) + "|", "hex digits of both cases");
  const bad = [
    "\r\n", "x\r\n", "5\r\nhello0\r\n\r\n", "5\r\nhelloXX", "5\rX", "1000000000000000\r\n", "-1\r\n", "5;\x01\r\n",
    "0\r\nbad\x00trailer\r\n\r\n", "0\r\n\rX", "5 \x7f\r\n",
  ];
  for (let i = 0; i < bad.length; i++) check(dechunk(bad[i], 0) == "<failed>", "bad chunked " + i.toString() + ": " + JSON_ish(bad[i]));
  check(dechunk("1;" + "e".repeat(5000) + "\r\nx\r\n0\r\n\r\n", 0) == "<failed>", "an endless chunk extension");
  let trailers = "0\r\n";
  for (let i = 0; i < 1000; i++) trailers += "T" + i.toString() + ": vvvvvvvv\r\n";
  check(dechunk(trailers + "\r\n", 0) == "<failed>", "endless trailers");
  check(dechunk("5\r\nhel", 0) == "<unfinished>", "a body cut short");
}

/** xorshift32, seeded: the same bytes on every run. */
let rng: u32 = 0x9e3779b9;
function random(): u32 {
  rng ^= rng << 13;
  rng ^= rng >> 17;
  rng ^= rng << 5;
  return rng;
}

/** Random bytes, and valid heads and chunked bodies with bytes changed, through every
 * parser: none may trap (a trap ends this guest with status 255), and a head that
 * parses must have its spans inside it. */
function testNoTraps(): void {
  const buf = new Uint8Array(<i32>HEAD_MAX + 64);
  const seeds = [
    "GET /bytes/100?x=1 HTTP/1.1\r\nHost: a\r\nContent-Length: 10\r\nConnection: keep-alive\r\n\r\n",
    "POST http://h/x HTTP/1.1\r\nTransfer-Encoding: chunked\r\nExpect: 100-continue\r\n\r\n",
    "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nTransfer-Encoding: gzip, chunked\r\n\r\n",
    "a;b=c\r\n0123456789\r\n0\r\nX: y\r\n\r\n",
  ];
  const d = new ChunkedDecoder();
  let parsed = 0;
  let spansOk = true;
  for (let round = 0; round < 40000; round++) {
    let n: u32;
    if ((round & 3) == 0) {
      n = random() % <u32>buf.length;
      for (let i: u32 = 0; i < n; i++) buf[i] = <u8>(random() % 5 == 0 ? [13, 10, 32, 58, 59][random() % 5] : random());
    } else {
      const seed = bytes(seeds[round % seeds.length]);
      n = <u32>seed.length;
      memory.copy(buf.dataStart, seed.dataStart, n);
      const edits: u32 = 1 + random() % 4;
      for (let e: u32 = 0; e < edits; e++) {
        const at = random() % n;
        const kind = random() % 3;
        if (kind == 0) buf[at] = <u8>random();
        else if (kind == 1) buf[at] = <u8>[13, 10, 32, 58, 0, 0x2c, 0x30][random() % 7];
        else n = at + 1; // cut
      }
    }
    const p = buf.dataStart;
    const end = findHeadEnd(p, n, 0);
    const len = end > 0 ? end : n;
    if (head.parseRequest(p, len)) {
      parsed++;
      if (head.pathStart + head.pathLength > len || head.queryStart + head.queryLength > len) spansOk = false;
      for (let i = 0; i < head.fieldCount; i++) {
        if (head.valuePtr(i) + head.valueLen(i) > p + len || head.namePtr(i) + head.nameLen(i) > p + len) spansOk = false;
      }
    }
    head.parseResponse(p, len);
    d.reset();
    let at: u32 = 0;
    for (let steps = 0; steps < 10000 && at < n && !d.done && !d.failed; steps++) {
      if (d.inData) {
        const k = <u32>min(<u64>(n - at), d.dataLeft);
        d.tookData(k);
        at += k;
      } else {
        const took = d.advance(p + at, n - at);
        if (took == 0 && !d.inData) break;
        at += took;
      }
    }
  }
  check(parsed > 0, "some mutated heads still parse");
  check(spansOk, "spans of parsed heads stay inside them");
}

export function solo5_app_main(_si: usize): i32 {
  testSha256();
  testGoodHeads();
  testBadHeads();
  testResponses();
  testHeadEnd();
  testChunked();
  testNoTraps();
  if (failures > 0) {
    puts("FAIL " + failures.toString() + " of " + checks.toString() + " checks\n");
    return 1;
  }
  puts("ok " + checks.toString() + " checks\n");
  return 0;
}
