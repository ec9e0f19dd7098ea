// Why the stack dropped something the network sent it (or could not send): every drop
// is counted under one of these reasons, never trapped on (docs/tcpip.md, "Drops").

/** Why the stack dropped something the network sent it (or could not send it): every drop is counted under one of these, never trapped on. */
export enum Drop {
  None = 0,
  /** Shorter than its header, or than the length its header claims. */
  Truncated,
  /** A length field that disagrees with the frame or with another length. */
  BadLength,
  BadChecksum,
  /** Not addressed to this interface (MAC or IPv4 address). */
  NotForUs,
  /** An EtherType, ARP hardware/protocol or IP version the stack does not speak. */
  Unsupported,
  /** An IPv4 fragment: the stack sends with DF and does not reassemble. */
  Fragment,
  /** A TCP option whose length is zero, one, or runs past the header. */
  BadOption,
  /** A segment or datagram for a port nothing listens on (answered by RST or ICMP). */
  NoSocket,
  /** A segment outside the receive window, or an unacceptable ACK (RFC 9293, 3.10.7.4). */
  OutOfWindow,
  /** A TCP segment whose flags make no sense in its connection's state. */
  BadFlags,
  /** The listen backlog or the half-open table was full. */
  BacklogFull,
  /** Data beyond what the receive buffer or the reassembly table holds. */
  NoBufferSpace,
  /** A packet not sent: off the subnet with no gateway, or its next hop did not answer
   * ARP in time (or too many packets waited for answers at once). */
  NoRoute,
  /** A UDP socket's receive queue was full. */
  QueueFull,
  /** A DHCP or DNS message that does not parse, or does not answer what was asked. */
  BadMessage,
  COUNT,
}

const NAMES: string[] = [
  "none", "truncated", "bad-length", "bad-checksum", "not-for-us", "unsupported", "fragment",
  "bad-option", "no-socket", "out-of-window", "bad-flags", "backlog-full", "no-buffer-space",
  "no-route", "queue-full", "bad-message",
];

/** Drop counters, by reason. */
export class DropCounters {
  private readonly counts: StaticArray<u64> = new StaticArray<u64>(Drop.COUNT);

  /** Counts one drop. */
  count(reason: Drop): void {
    unchecked(this.counts[reason]++);
  }

  /** Drops counted for `reason`. */
  get(reason: Drop): u64 {
    return this.counts[reason];
  }

  /** Drops counted for every reason. */
  total(): u64 {
    let t: u64 = 0;
    for (let i = 1; i < Drop.COUNT; i++) t += unchecked(this.counts[i]);
    return t;
  }

  /** "truncated=3 bad-checksum=1", non-zero counters only ("" when there are none). */
  toString(): string {
    let s = "";
    for (let i = 1; i < Drop.COUNT; i++) {
      const c = unchecked(this.counts[i]);
      if (c == 0) continue;
      if (s.length) s += " ";
      s += NAMES[i] + "=" + c.toString();
    }
    return s;
  }
}
