// The guest's side of a network device served by another thread (a hub or a UDP
// socket on Node's main thread, a page's WebSocket): a NetBackend over two frame
// rings, one each way. The serving side pushes into `rx` and wakes the guest; the
// guest pushes into `tx`, and the serving side waits on it with afterPush().
import type { NetBackend, OpenContext, OpenedDevice } from "../backend.js";
import { FrameRing } from "./ring.js";

/** What the serving thread hands the guest's thread; structured-cloneable. */
export interface RingNetSpec {
  mac: Uint8Array;
  mtu: number;
  /** Frames for the guest. */
  rx: SharedArrayBuffer;
  /** Frames from the guest. */
  tx: SharedArrayBuffer;
  /** For logs: "hub:lan", "udp:local=...,remote=...". */
  description: string;
}

/**
 * `trace`, when given, hears of every drop as the guest's thread notices it (frames
 * the guest sent that did not fit, frames for it that the serving side dropped).
 */
export function openRingNet(spec: RingNetSpec, trace?: (line: string) => void): NetBackend {
  const rx = new FrameRing(spec.rx);
  const tx = new FrameRing(spec.tx);
  let received = 0;
  let sent = 0;
  let rxDropsSeen = 0;
  const noticeRxDrops = () => {
    const dropped = rx.dropped;
    if (dropped === rxDropsSeen) return;
    trace!(`${spec.description}: ${dropped - rxDropsSeen} incoming frame(s) dropped (receive queue full or frame unfit), ${dropped} in all`);
    rxDropsSeen = dropped;
  };
  return {
    mac: spec.mac,
    mtu: spec.mtu,
    write(frame) {
      if (tx.push(frame)) sent++;
      else trace?.(`${spec.description}: outgoing frame dropped (send queue full), ${tx.dropped} in all`);
    },
    read(buf) {
      if (trace) noticeRxDrops();
      const n = rx.pop(buf);
      if (n >= 0) received++;
      return n;
    },
    hasInput() {
      if (trace) noticeRxDrops();
      return !rx.isEmpty();
    },
    describe: () => `${spec.description}, mtu ${spec.mtu}`,
    stats: () => `rx ${received} tx ${sent} dropped rx ${rx.dropped} tx ${tx.dropped}`,
  };
}

/** The open() of every backend whose device is a pair of rings (hub:, udp:, a page's WebSocket). */
export const openRingDevice = (spec: RingNetSpec, { trace }: OpenContext): OpenedDevice => ({ backend: { type: "NET_BASIC", net: openRingNet(spec, trace) } });
