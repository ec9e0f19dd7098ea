// A name being resolved: the handle Resolver.query() returns. The application polls the
// stack and checks `done`; then `address` holds the answer, or `error` says why none.
import { UdpSocket } from "../udp/socket";
import { DnsName } from "../wire/dns";

/** Why a query got no address (None when it did). */
export enum DnsError {
  None,
  /** Not a name: an empty label, one over 63 bytes, over 255 in all, not ASCII. */
  InvalidName,
  /** No server: neither the resolver's own nor the stack's (DHCP's or configure()'s). */
  NoServer,
  /** No UDP port to send from. */
  NoSocket,
  /** The name does not exist (NXDOMAIN). */
  NameError,
  /** The name exists but has no A record, even through its CNAMEs. */
  NoAddress,
  /** The server answered with another error code (SERVFAIL, REFUSED, ...). */
  ServerFailure,
  /** The answer did not fit a UDP message, and the resolver does not ask over TCP. */
  Truncated,
  /** No answer after every retransmission. */
  Timeout,
}

const ERROR_NAMES: string[] = [
  "none", "invalid-name", "no-server", "no-socket", "name-error", "no-address", "server-failure", "truncated", "timeout",
];

/** A DnsError as a short name ("name-error"), for messages. */
export function dnsErrorName(error: DnsError): string {
  return ERROR_NAMES[error];
}

/** A name being resolved, as Resolver.query() returns it: poll the stack until `done`, then `address` holds the answer or `error` says why none. */
export class DnsQuery {
  /** Whether the query has ended, with an address or an error. */
  done: bool = false;
  /** The A record's address (with `done` and no error). */
  address: u32 = 0;
  /** Why there is no address, or None. */
  error: DnsError = DnsError.None;
  /** Seconds the answer may be kept: the shortest TTL along its CNAME chain (0 for a numeric name or a cached answer). */
  ttl: u32 = 0;
  /** @internal The question in wire form, its id, the server and the socket it went from. */
  readonly question: DnsName = new DnsName();
  /** @internal */
  id: u32 = 0;
  /** @internal */
  server: u32 = 0;
  /** @internal */
  socket: UdpSocket | null = null;
  /** @internal When to retransmit or give up, the current wait, and transmissions so far. */
  timerAt: u64 = 0;
  /** @internal */
  timeout: u64 = 0;
  /** @internal */
  tries: u32 = 0;

  constructor(
    /** The name asked for, lower-cased and without its trailing dot (the cache's key). */
    readonly name: string,
  ) {}

  /** @internal Ends the query: called by the resolver. */
  finish(address: u32, ttl: u32, error: DnsError): void {
    this.done = true;
    this.address = address;
    this.ttl = ttl;
    this.error = error;
  }
}
