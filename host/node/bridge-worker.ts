// The bridge's uplink thread: moves frames between the uplink device (udp:, tap:)
// and the bridge's hub port, sleeping as a guest would between them (in ppoll on a
// TAP and the eventfd the main thread writes; else in Atomics.wait on the control
// words), so an idle bridge uses no CPU and a TAP is read without the main thread.
import { workerData } from "node:worker_threads";
import { ETHERNET_HEADER, UINT64_MAX } from "../core/abi.js";
import type { DeviceSpec, NetBackend } from "../core/backend.js";
import { openDevice, pollFds } from "./backends/registry.js";
import { PollWaiter } from "./net-wait.js";
import { atomicsWaiter } from "./platform.js";

export interface BridgeUplinkInput {
  uplink: DeviceSpec;
  /** The uplink's port on the bridge's hub (a ring spec). */
  hub: DeviceSpec;
  control: SharedArrayBuffer;
  /** Set when the uplink is a TAP: the thread then sleeps in ppoll. */
  eventFd: number | undefined;
}

const input = workerData as BridgeUplinkInput;
const control = new Int32Array(input.control);
const waiter = input.eventFd === undefined ? atomicsWaiter(control) : new PollWaiter(pollFds([input.uplink]), input.eventFd);
const net = (spec: DeviceSpec): NetBackend => {
  const { backend } = openDevice(spec, {});
  if (backend.type !== "NET_BASIC") throw new Error("bridge: the uplink is not a network device");
  return backend.net;
};
const uplink = net(input.uplink);
const hub = net(input.hub);
const frame = new Uint8Array(Math.max(uplink.mtu, hub.mtu) + ETHERNET_HEADER);

/** Moves every waiting frame from `from` to `to` (dropping those too long for it); whether there was any. */
function move(from: NetBackend, to: NetBackend): boolean {
  let moved = false;
  for (let n; (n = from.read(frame)) >= 0; moved = true) {
    if (n <= to.mtu + ETHERNET_HEADER) to.write(frame.subarray(0, n));
  }
  return moved;
}

for (;;) {
  waiter.arm();
  const up = move(uplink, hub);
  const down = move(hub, uplink);
  if (!up && !down) waiter.wait(UINT64_MAX);
}
