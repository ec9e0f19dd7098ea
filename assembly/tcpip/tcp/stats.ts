// What a TCP layer did, over all its connections: for tests, benchmarks and operators.

/** What a TCP layer did over all its connections, for tests, benchmarks and operators. */
export class TcpStats {
  /** Segments sent, retransmissions included. */
  segmentsSent: u64 = 0;
  /** Segments taken in (after the checks; drops are counted by reason in the interface). */
  segmentsReceived: u64 = 0;
  /** Segments sent again: by loss recovery (fast retransmit, SACK holes) and after timeouts. */
  retransmitted: u64 = 0;
  /** Zero-window and keep-alive probes, and persist sends into a window too small to use. */
  windowProbes: u64 = 0;
  /** Tail loss probes sent (RFC 8985 7). */
  tailProbes: u64 = 0;
  /** Retransmission timeouts. */
  timeouts: u64 = 0;
  /** Entries into fast recovery. */
  recoveries: u64 = 0;
  /** Connections accepted (handshake completed) and opened by connect(). */
  accepted: u64 = 0;
  /** Connections opened by connect() that completed their handshake. */
  connected: u64 = 0;
  /** SYN-ACKs answered with a cookie (the half-open table was full), and handshakes they completed. */
  cookiesSent: u64 = 0;
  /** Handshakes completed by a SYN cookie. */
  cookiesAccepted: u64 = 0;
  /** Connections reset by the peer, and given up after retransmissions or probes. */
  resets: u64 = 0;
  /** Connections given up after retransmissions or probes went unanswered. */
  timedOut: u64 = 0;

  /** All the counts on one line, as `sent=N received=N ...`. */
  toString(): string {
    return "sent=" + this.segmentsSent.toString() + " received=" + this.segmentsReceived.toString() +
      " retransmitted=" + this.retransmitted.toString() + " timeouts=" + this.timeouts.toString() + " tlp=" + this.tailProbes.toString() + " probes=" + this.windowProbes.toString() +
      " recoveries=" + this.recoveries.toString() + " accepted=" + this.accepted.toString() +
      " connected=" + this.connected.toString() + " cookies=" + this.cookiesSent.toString() + "/" + this.cookiesAccepted.toString() + " resets=" + this.resets.toString() + " timed-out=" + this.timedOut.toString();
  }
}
