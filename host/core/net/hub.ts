// hub:NAME — an Ethernet switch inside this process (Node's library API) or page
// (the browser entry): every guest started there with a device on hub:NAME is on the
// same segment. It learns which port each source MAC is behind and sends unicast
// frames only there; broadcast, multicast and unknown destinations go to every other
// port.
import { formatMac } from "./mac.js";
import { RingPort } from "./ring-port.js";

/** Learned MACs per hub; past this the table starts over, so spoofed sources cannot grow it. */
const MAX_LEARNED = 4096;

class Hub {
  readonly ports = new Set<RingPort>();
  private readonly learned = new Map<number, RingPort>();

  forward(from: RingPort, frame: Uint8Array): void {
    const source = macKey(frame, 6);
    if ((frame[6]! & 1) === 0 && this.learned.get(source) !== from) {
      if (this.learned.size >= MAX_LEARNED) this.learned.clear();
      this.learned.set(source, from);
    }
    const to = frame[0]! & 1 ? undefined : this.learned.get(macKey(frame, 0));
    if (to) {
      if (to !== from) to.deliver(frame);
      return;
    }
    for (const port of this.ports) if (port !== from) port.deliver(frame);
  }

  remove(port: RingPort): void {
    this.ports.delete(port);
    for (const [mac, p] of this.learned) if (p === port) this.learned.delete(mac);
  }
}

const hubs = new Map<string, Hub>();

/** The 48-bit MAC at `at` as a number (exact: below 2^53). */
const macKey = (f: Uint8Array, at: number): number =>
  ((f[at]! << 8) | f[at + 1]!) * 2 ** 32 + (((f[at + 2]! << 24) | (f[at + 3]! << 16) | (f[at + 4]! << 8) | f[at + 5]!) >>> 0);

/** Attaches device `name` to hub `hubName` (made on first use); the hosts check the name is not empty. */
export function attach(name: string, hubName: string, mac: Uint8Array, wake: () => void) {
  const hub = hubs.get(hubName) ?? new Hub();
  hubs.set(hubName, hub);
  const port = new RingPort(name, mac, `hub:${hubName} mac ${formatMac(mac)}`, wake, (frame) => hub.forward(port, frame));
  hub.ports.add(port);
  return {
    spec: port.spec,
    close() {
      port.close();
      hub.remove(port);
      if (hub.ports.size === 0) hubs.delete(hubName);
    },
  };
}
