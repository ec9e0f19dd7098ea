// What a TCP layer and its sockets are allowed: every bound on memory and every timer,
// in one place, with the defaults a Linux peer and load tools get along with.
import { NSEC_PER_MSEC, NSEC_PER_SEC } from "../../time";

/** Per socket: its buffers and behaviour. */
export class TcpSocketOptions {
  /** Receive buffer bytes: the most window advertised (window scaling makes up to 1 GiB possible). */
  rxBuffer: u32 = 65536;
  /** Send buffer bytes: unacknowledged plus unsent data. */
  txBuffer: u32 = 65536;
  /** Out-of-order ranges held at once (more are dropped and retransmitted by the peer). */
  reassemblyRanges: i32 = 16;
  /** Off: Nagle's algorithm (Minshall's variant) holds back small segments. */
  noDelay: bool = false;
  /** 0: no keep-alive probes; else idle ns before the first. */
  keepAliveIdle: u64 = 0;
}

/** Per TCP layer. */
export class TcpConfig {
  /** Connections with buffers (established or closing) at once. */
  maxConnections: i32 = 1024;
  /** Half-open connections (SYN received, SYN-ACK sent) at once, over all listeners; when
   * they are all taken, SYN cookies answer, so a SYN flood cannot lock out clients. */
  maxHalfOpen: i32 = 256;
  /** TIME-WAIT records at once (the oldest gives way). */
  maxTimeWait: i32 = 4096;
  /** TIME-WAIT lasts 2 * MSL (RFC 9293); Linux holds it 60 s. */
  msl: u64 = 30 * NSEC_PER_SEC;
  /** The shortest retransmission timeout (RFC 6298 says 1 s; Linux uses 200 ms, as here). */
  minRto: u64 = 200 * NSEC_PER_MSEC;
  /** The longest retransmission timeout, however often it backs off. */
  maxRto: u64 = 60 * NSEC_PER_SEC;
  /** Delayed ACKs wait at most this long; every second full segment is ACKed at once. */
  delayedAck: u64 = 40 * NSEC_PER_MSEC;
  /** Retransmissions of one segment before the connection is given up. */
  maxRetransmits: u32 = 12;
  /** SYN (and SYN-ACK) retransmissions before giving up. */
  maxSynRetransmits: u32 = 5;
  /** Keep-alive: probes unanswered before the connection is given up, and their interval. */
  keepAliveProbes: u32 = 9;
  /** Keep-alive: the time between probes. */
  keepAliveInterval: u64 = 75 * NSEC_PER_SEC;
  /** Offer and accept SACK (RFC 2018); off, loss recovery is NewReno's. */
  sack: bool = true;
  /** Challenge ACKs (RFC 5961) a second, over all connections. */
  challengeAcksPerSec: u32 = 1000;
}
