// tap:IFNAME (or a bare IFNAME) — a Linux TAP interface, as solo5-hvt attaches it.
// The main thread opens it (so refusals come before the guest starts); the guest's
// worker then reads and writes the descriptor itself and sleeps in ppoll on it: no
// thread between the TAP and the guest (see net-wait.ts). An interface deleted under
// a running guest is said once on stderr; the guest goes on, its frames are counted
// as dropped and nothing arrives (its ppoll no longer watches the dead descriptor).
// One set down takes no frames (EIO, counted) and brings none: nothing to do.
import fs from "node:fs";
import { ETHERNET_HEADER } from "../../core/abi.js";
import type { NetBackend, OpenContext } from "../../core/backend.js";
import { TenderError } from "../../core/errors.js";
import { deviceOption, refuseOption } from "../../core/options.js";
import { formatMac } from "../../core/net/mac.js";
import { pollSleeps, stopPolling } from "../net-wait.js";
import { closeFd, openTap, readFrame, READ_AGAIN, READ_TOO_LONG, writeFrame } from "../tap.js";
import type { NetChoice, NetSettings } from "./device-type.js";

/**
 * How long a TAP found empty counts as empty without another read(2), unless the
 * guest slept since: a guest that polls (yield(0)) in a loop makes a read(2) at most
 * this often, and still sees a new frame within this time (the ABI allows 1 ms).
 */
const EMPTY_FOR_MS = 0.05;

export interface Spec {
  kind: "tap";
  name: string;
  ifname: string;
  fd: number;
  mtu: number;
  mac: Uint8Array;
}

const refuse = (name: string, ifname: string, why: string) => refuseOption(deviceOption(name, "NET_BASIC"), `tap:${ifname}`, why);

function parse(name: string, ifname: string): { ifname: string } {
  // Linux's rule for interface names (dev_valid_name), checked here so that the
  // refusal does not suggest creating an interface that cannot exist.
  if (ifname.length === 0 || Buffer.byteLength(ifname) > 15 || ifname === "." || ifname === ".." || /[/:\s]/.test(ifname)) {
    throw refuse(name, ifname, `not a valid interface name (1 to 15 bytes, no "/", ":" or spaces, not "." or "..")`);
  }
  return { ifname };
}

function attach(name: string, { ifname, mac }: { ifname: string } & NetSettings) {
  let tap;
  try {
    tap = openTap(ifname);
  } catch (e) {
    throw refuse(name, ifname, (e as Error).message);
  }
  const spec: Spec = { kind: "tap", name, ifname, fd: tap.fd, mtu: tap.mtu, mac };
  return { spec, close: () => closeFd(tap.fd) };
}

/**
 * Frames the kernel dropped because the TAP's queue was full: the guest's bounded
 * receive queue is that queue (txqueuelen frames), and the kernel counts its drops
 * as the interface's tx_dropped. NaN once the interface is gone.
 */
function kernelDrops(ifname: string): number {
  try {
    return Number(fs.readFileSync(`/sys/class/net/${ifname}/statistics/tx_dropped`, "utf8"));
  } catch {
    return NaN;
  }
}

/**
 * The worker's half. A frame is read ahead into `next` when yield asks whether one
 * is waiting, so that "ready" always means net_read will return it. That costs one
 * read(2) per frame, and one that finds none before each sleep (solo5-hvt asks ppoll
 * instead; the core's yield asks the device first).
 */
function open(spec: Spec, { trace, warn }: OpenContext): NetBackend {
  const next = new Uint8Array(spec.mtu + ETHERNET_HEADER);
  let nextLength = -1;
  let received = 0;
  let sent = 0;
  let tooLong = 0;
  let unsent = 0;
  const kernelDropsBefore = kernelDrops(spec.ifname);
  let gone = false;
  /** A failed read or write: the interface deleted (EBADFD) is the device gone; anything else ends the guest. */
  const failed = (op: string, e: unknown): void => {
    if ((e as NodeJS.ErrnoException).code !== "EBADFD") {
      throw new TenderError(`host I/O error on net device ${spec.name} (tap:${spec.ifname}) during ${op}: ${(e as Error).message}`);
    }
    gone = true;
    stopPolling(spec.fd);
    warn?.(`TAP interface ${spec.ifname} of net device ${spec.name} was deleted: the guest goes on, its frames are dropped and none arrive`);
  };
  let emptyAt = -Infinity;
  let emptySleeps = -1;
  const readAhead = () => {
    if (gone) return;
    if (nextLength < 0 && emptySleeps === pollSleeps.count && performance.now() - emptyAt < EMPTY_FOR_MS) return;
    while (nextLength < 0) {
      let n;
      try {
        n = readFrame(spec.fd, next);
      } catch (e) {
        failed("read", e);
        return;
      }
      if (n === READ_AGAIN) {
        emptyAt = performance.now();
        emptySleeps = pollSleeps.count;
        return;
      }
      if (n === READ_TOO_LONG) {
        tooLong++;
        trace?.(`tap:${spec.ifname}: incoming frame longer than mtu + 14 dropped, ${tooLong} in all`);
      } else nextLength = n;
    }
  };
  return {
    mac: spec.mac,
    mtu: spec.mtu,
    write(frame) {
      let taken = false;
      try {
        if (!gone) taken = writeFrame(spec.fd, frame, frame.length);
      } catch (e) {
        failed("write", e);
      }
      if (taken) sent++;
      else {
        unsent++;
        trace?.(`tap:${spec.ifname}: outgoing frame dropped (queue full, link down, refused or deleted), ${unsent} in all`);
      }
    },
    read(buf) {
      readAhead();
      const n = nextLength;
      if (n < 0) return -1;
      buf.set(next.subarray(0, n));
      nextLength = -1;
      received++;
      return n;
    },
    hasInput() {
      readAhead();
      return nextLength >= 0;
    },
    describe: () => `tap:${spec.ifname} mac ${formatMac(spec.mac)}, mtu ${spec.mtu}`,
    stats: () =>
      `rx ${received} tx ${sent} dropped rx ${tooLong} tx ${unsent}, by the kernel ${kernelDrops(spec.ifname) - kernelDropsBefore}`,
  };
}

export const netTap: NetChoice<{ ifname: string }, Spec> = {
  type: "NET_BASIC",
  kind: "tap",
  prefix: "tap",
  syntax: "tap:IFNAME",
  bare: "IFNAME",
  usage: "a TAP interface",
  parse,
  attach,
  open: (spec, ctx) => ({ backend: { type: "NET_BASIC", net: open(spec, ctx) } }),
  pollFd: (spec) => spec.fd,
};
