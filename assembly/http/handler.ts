// What an application gives the server: a class whose methods the server calls as a
// request goes through its connection. The server makes one handler per connection
// slot and reuses it for every request on every connection that slot serves, so a
// handler's fields are the natural place for one request's state (reset them in
// onRequest()). Request and response are lent for the call.
import { HttpRequest } from "./request";
import { HttpResponse } from "./response";

/** What an application gives the server: the methods it calls as a request goes through a connection. One per connection slot, reused for every request it serves, so its fields can hold one request's state (reset them in onRequest()). */
export abstract class HttpHandler {
  /** A request's head has come: answer it with `res`, now or from a later call. The
   * head's text (path, fields) is readable only during this call. */
  abstract onRequest(req: HttpRequest, res: HttpResponse): void;

  /** n bytes of the request's body at p, lent (in the socket's buffer): how many were
   * taken (the rest is offered again, so taking 0 holds the body back). Called until the
   * body ends or the response is finished (the rest of the body is then skipped). The
   * default skips them. */
  onBody(req: HttpRequest, res: HttpResponse, p: usize, n: u32): u32 {
    return n;
  }

  /** The whole body has come (right after onRequest() when there is none). */
  onBodyEnd(req: HttpRequest, res: HttpResponse): void {}

  /** The response has begun, is not finished, and res.room bytes fit now: write() some,
   * or end() a chunked body. */
  onWritable(req: HttpRequest, res: HttpResponse): void {}
}
