// http-serve's routes (the contract in docs/http.md): one Site per connection slot, its
// fields holding the state of the request under way.
import {
  HttpHandler, HttpRequest, HttpResponse, Method, parseDecimal, Sha256, SHA256_HEX_LEN,
} from "../../assembly/http";
import { PAGE } from "./page";

/** /bytes/N serves byte i as i % 251: this many whole periods, so any offset is a slice. */
const PATTERN_LENGTH: i32 = 251 * 64;
const PATTERN = new Uint8Array(PATTERN_LENGTH);
for (let i = 0; i < PATTERN_LENGTH; i++) PATTERN[i] = <u8>(i % 251);

const BYTES_PREFIX = "/bytes/";
const BYTES_MAX: i64 = 0xffff_ffff;
/** A chunked /echo body has no length to answer with up front: it is held, up to this. */
const ECHO_HELD_MAX: i32 = 1 << 20;
const OCTETS = "application/octet-stream";

enum Route { None, Bytes, Echo, EchoHeld, Sha256 }

export class Site extends HttpHandler {
  private route: Route = Route.None;
  private readonly hash: Sha256 = new Sha256();
  /** The digest in hex and a newline: /sha256's answer. */
  private readonly digest: Uint8Array = new Uint8Array(SHA256_HEX_LEN + 1);
  private held: Uint8Array | null = null;
  private heldLength: i32 = 0;

  onRequest(req: HttpRequest, res: HttpResponse): void {
    this.route = Route.None;
    this.held = null;
    if (req.pathIs("/")) {
      if (isGet(req)) res.send(200, "text/html", PAGE);
      else notAllowed(res, "GET, HEAD");
    } else if (req.pathStartsWith(BYTES_PREFIX)) {
      const prefix = <u32>BYTES_PREFIX.length;
      const n = parseDecimal(req.pathPtr + prefix, req.pathLength - prefix);
      if (n < 0 || n > BYTES_MAX) {
        res.sendStatus(404);
      } else if (!isGet(req)) {
        notAllowed(res, "GET, HEAD");
      } else {
        this.route = Route.Bytes;
        res.begin(200, OCTETS, <u64>n);
      }
    } else if (req.pathIs("/echo")) {
      if (!this.expectBody(req, res)) return;
      if (req.chunked) {
        this.route = Route.EchoHeld;
        this.held = new Uint8Array(4096);
        this.heldLength = 0;
      } else {
        this.route = Route.Echo;
        res.begin(200, OCTETS, <u64>req.contentLength);
      }
    } else if (req.pathIs("/sha256")) {
      if (!this.expectBody(req, res)) return;
      this.route = Route.Sha256;
      this.hash.reset();
    } else {
      res.sendStatus(404);
    }
  }

  onBody(req: HttpRequest, res: HttpResponse, p: usize, n: u32): u32 {
    if (this.route == Route.Echo) return res.write(p, n);
    if (this.route == Route.Sha256) this.hash.update(p, n);
    else if (this.route == Route.EchoHeld) this.hold(res, p, n);
    return n;
  }

  onBodyEnd(req: HttpRequest, res: HttpResponse): void {
    if (this.route == Route.Sha256) {
      const d = this.digest;
      this.hash.finishHexInto(d.dataStart);
      d[SHA256_HEX_LEN] = 0x0a;
      res.send(200, "text/plain", d);
    } else if (this.route == Route.EchoHeld) {
      res.send(200, OCTETS, this.held!, this.heldLength);
    }
  }

  onWritable(req: HttpRequest, res: HttpResponse): void {
    if (this.route != Route.Bytes) return;
    for (;;) {
      const offset = <i32>(res.bodySent % 251);
      if (res.writeBytes(PATTERN, offset) == 0) break;
    }
  }

  /** A POST with a body whose length can be known; else a 405 or 411 answer. */
  private expectBody(req: HttpRequest, res: HttpResponse): bool {
    if (req.method != Method.POST) {
      notAllowed(res, "POST");
      return false;
    }
    if (!req.framed) {
      res.sendStatus(411);
      return false;
    }
    return true;
  }

  /** Appends to the held /echo body, growing it up to ECHO_HELD_MAX (past it: 413). */
  private hold(res: HttpResponse, p: usize, n: u32): void {
    let held = this.held!;
    const need = this.heldLength + <i32>n;
    if (need > ECHO_HELD_MAX) {
      this.route = Route.None;
      this.held = null;
      res.sendStatus(413);
      return;
    }
    if (need > held.length) {
      const bigger = new Uint8Array(min(max(need, held.length * 2), ECHO_HELD_MAX));
      bigger.set(held.subarray(0, this.heldLength));
      this.held = held = bigger;
    }
    memory.copy(held.dataStart + <usize>this.heldLength, p, n);
    this.heldLength = need;
  }
}

function isGet(req: HttpRequest): bool {
  return req.method == Method.GET || req.method == Method.HEAD;
}

function notAllowed(res: HttpResponse, allow: string): void {
  res.header("Allow", allow);
  res.sendStatus(405);
}
