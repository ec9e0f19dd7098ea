// What an HTTP server counts: connections taken and refused, requests, and what went wrong.

/** What an HTTP server counts: connections taken and refused, requests, and what went wrong. */
export class HttpServerStats {
  /** Connections taken into a slot. */
  accepted: u64 = 0;
  /** Connections closed at once because every slot was taken. */
  refused: u64 = 0;
  /** Requests whose head was read and handed to the handler. */
  requests: u64 = 0;
  /** Heads answered 400 or 501 (malformed, too large, not HTTP/1.x, a coding not known). */
  rejected: u64 = 0;
  /** Bodies whose chunked framing was broken, or that ended early. */
  badBodies: u64 = 0;
  /** Connections closed after idleTimeout without anything moving. */
  timedOut: u64 = 0;

  /** All the counts on one line, as `accepted=N refused=N ...`. */
  toString(): string {
    return "accepted=" + this.accepted.toString() + " refused=" + this.refused.toString() + " requests=" + this.requests.toString() +
      " rejected=" + this.rejected.toString() + " bad-bodies=" + this.badBodies.toString() + " timed-out=" + this.timedOut.toString();
  }
}
