// The ARP cache: IPv4 address -> MAC, each entry for `lifetime` ns after it was last
// confirmed (by ARP, or by traffic from the same MAC), at most one request a second per
// address (RFC 1122 2.3.2.1), a fixed number of entries with the least recently
// confirmed one replaced when it is full.
import { NSEC_PER_SEC } from "../../time";

export const NEIGHBOR_LIFETIME: u64 = 60 * NSEC_PER_SEC;
/** Requests for one address are at least this far apart. */
export const ARP_REQUEST_INTERVAL: u64 = NSEC_PER_SEC;

/** What lookup() found. */
export enum Lookup {
  Found,
  /** Not known: send a request now (and note it with requested()). */
  Request,
  /** Not known, and a request went out less than a second ago: wait. */
  Wait,
}

export class NeighborCache {
  private readonly ips: StaticArray<u32>;
  private readonly macs: StaticArray<u64>;
  /** When the entry was last confirmed (0: free). */
  private readonly confirmed: StaticArray<u64>;
  /** Addresses asked for and not yet answered, with when they were asked. */
  private readonly askedIps: StaticArray<u32>;
  private readonly askedAt: StaticArray<u64>;
  /** The MAC lookup() found. */
  mac: u64 = 0;

  constructor(readonly size: i32 = 128, readonly lifetime: u64 = NEIGHBOR_LIFETIME) {
    this.ips = new StaticArray<u32>(size);
    this.macs = new StaticArray<u64>(size);
    this.confirmed = new StaticArray<u64>(size);
    this.askedIps = new StaticArray<u32>(size);
    this.askedAt = new StaticArray<u64>(size);
  }

  /** Records that `ip` is at `mac`, as of `now`. */
  fill(now: u64, ip: u32, mac: u64): void {
    let slot = -1;
    let oldest = 0;
    for (let i = 0; i < this.size; i++) {
      const at = unchecked(this.confirmed[i]);
      if (at != 0 && unchecked(this.ips[i]) == ip) {
        slot = i;
        break;
      }
      if (at < unchecked(this.confirmed[oldest])) oldest = i;
    }
    if (slot < 0) slot = oldest;
    unchecked((this.ips[slot] = ip));
    unchecked((this.macs[slot] = mac));
    unchecked((this.confirmed[slot] = max(now, 1)));
    for (let i = 0; i < this.size; i++) if (unchecked(this.askedIps[i]) == ip) unchecked((this.askedAt[i] = 0));
  }

  /** Finds `ip` (its MAC in `mac`), or says whether to ask for it. */
  lookup(now: u64, ip: u32): Lookup {
    for (let i = 0; i < this.size; i++) {
      const at = unchecked(this.confirmed[i]);
      if (at != 0 && unchecked(this.ips[i]) == ip) {
        if (now - at < this.lifetime) {
          this.mac = unchecked(this.macs[i]);
          return Lookup.Found;
        }
        unchecked((this.confirmed[i] = 0));
        break;
      }
    }
    let slot = 0;
    for (let i = 0; i < this.size; i++) {
      const at = unchecked(this.askedAt[i]);
      if (at != 0 && unchecked(this.askedIps[i]) == ip) {
        if (now - at < ARP_REQUEST_INTERVAL) return Lookup.Wait;
        slot = i;
        break;
      }
      if (at < unchecked(this.askedAt[slot])) slot = i;
    }
    unchecked((this.askedIps[slot] = ip));
    unchecked((this.askedAt[slot] = max(now, 1)));
    return Lookup.Request;
  }

  /** Confirms a known entry (same MAC) as of `now`: traffic from a peer keeps it fresh,
   * but never adds or changes an entry (a spoofed source could evict real ones). */
  refresh(now: u64, ip: u32, mac: u64): void {
    for (let i = 0; i < this.size; i++) {
      if (unchecked(this.ips[i]) == ip && unchecked(this.confirmed[i]) != 0) {
        if (unchecked(this.macs[i]) == mac) unchecked((this.confirmed[i] = max(now, 1)));
        return;
      }
    }
  }

  /** Whether `ip` is known (and fresh) as of `now`. */
  has(now: u64, ip: u32): bool {
    for (let i = 0; i < this.size; i++) {
      const at = unchecked(this.confirmed[i]);
      if (at != 0 && unchecked(this.ips[i]) == ip) return now - at < this.lifetime;
    }
    return false;
  }
}
