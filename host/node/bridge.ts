// solo5-wasm bridge: lets guests in browser tabs (the browser entry's `websocket`
// network device: one binary message per Ethernet frame) reach other guests and
// networks. Every WebSocket client gets a port on a hub; with --to the hub also has
// an uplink: a UDP peer (e.g. a Node tender's udp: device, in another process) or a
// TAP interface (the host's network). --to=hub:NAME puts the clients on that hub of
// this process instead, where guests started through the library API can be too.
import { Worker } from "node:worker_threads";
import { WebSocketServer, type WebSocket } from "ws";
import { DEFAULT_MTU, ETHERNET_HEADER } from "../core/abi.js";
import { newControl } from "../core/atomics-waiter.js";
import type { AttachedDevice } from "../core/backend.js";
import { TenderError } from "../core/errors.js";
import { wordedIn } from "../core/options.js";
import { randomMac } from "../core/net/mac.js";
import * as netHub from "../core/net/hub.js";
import { openRingNet } from "../core/net/ring-backend.js";
import { attachDevice, pollFds } from "./backends/registry.js";
import type { BridgeUplinkInput } from "./bridge-worker.js";
import { GuestWaker } from "./net-wait.js";
import { wordsWithDeviceFlag } from "./words.js";

/** The uplink is attached as a device of this name, and its refusals name --to instead. */
const UPLINK = "uplink";
const UPLINK_WORDS = wordsWithDeviceFlag(UPLINK, "--to");

export interface BridgeOptions {
  /** Listening address for WebSocket clients (default 127.0.0.1). */
  host?: string;
  /** Default 8090; 0 picks a free port. */
  port?: number;
  /** hub:NAME, udp:local=HOST:PORT,remote=HOST:PORT or tap:IFNAME; default: the clients' own hub. */
  to?: string;
  /** Page origins allowed to connect (default: pages served from localhost, 127.0.0.1 or [::1]). */
  origins?: readonly string[];
}

export interface Bridge {
  /** The port it listens on (useful with port 0). */
  readonly port: number;
  close(): Promise<void>;
}

// Any web page the user visits could open a WebSocket to the bridge and put frames
// on the host's network: by default only pages from this machine may.
const LOOPBACK_ORIGIN = /^https?:\/\/(localhost|127\.\d+\.\d+\.\d+|\[::1\])(:\d+)?$/;

let bridges = 0;

export async function startBridge({ host = "127.0.0.1", port = 8090, to, origins }: BridgeOptions = {}): Promise<Bridge> {
  const id = ++bridges;
  const hubName = to?.startsWith("hub:") ? to.slice(4) : `bridge${id}`;
  if (hubName === "") throw new TenderError("--to=hub:: name the hub, e.g. --to=hub:lan");
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new TenderError(`bridge: port ${port} is not in 0..65535 (0 picks a free port)`);
  }
  const uplink = to === undefined || to.startsWith("hub:") ? undefined : await startUplink(to, hubName);
  const allowed = (origin: string | undefined) => (origins ? origins.includes(origin ?? "") : LOOPBACK_ORIGIN.test(origin ?? ""));
  let server: WebSocketServer;
  // Whatever fails here, the uplink (a socket, a TAP, a thread) is closed again, or it
  // would keep the process alive after the refusal.
  try {
    server = new WebSocketServer({ host, port, maxPayload: 64 * 1024, verifyClient: (info: { origin?: string }) => allowed(info.origin) });
    await new Promise<void>((resolve, reject) => server.once("listening", resolve).once("error", reject));
  } catch (e) {
    await uplink?.close();
    throw new TenderError(`bridge: cannot listen on ${host}:${port}: ${(e as Error).message}`);
  }
  let clients = 0;
  server.on("connection", (ws) => connect(ws, `ws${++clients}`, hubName));
  return {
    port: (server.address() as { port: number }).port,
    async close() {
      for (const ws of server.clients) ws.terminate();
      await new Promise((resolve) => server.close(resolve));
      await uplink?.close();
    },
  };
}

/** A client's port on the hub: its frames go to the hub, the hub's frames for it to the socket. */
function connect(ws: WebSocket, name: string, hubName: string): void {
  const frame = new Uint8Array(DEFAULT_MTU + ETHERNET_HEADER);
  let net: ReturnType<typeof openRingNet> | undefined;
  // The hub wakes a port as it queues each frame; the socket takes them at once.
  const drain = () => {
    for (let n; net && (n = net.read(frame)) >= 0; ) ws.send(frame.slice(0, n));
  };
  const port = netHub.attach(name, hubName, randomMac(), drain);
  net = openRingNet(port.spec);
  // What a page sends is checked as net_write checks a guest's frame: an Ethernet
  // frame of 14 to mtu + 14 bytes; anything else is dropped.
  ws.on("message", (data: Buffer, isBinary: boolean) => {
    if (isBinary && data.length >= ETHERNET_HEADER && data.length <= frame.length) net.write(data);
  });
  ws.on("close", () => port.close());
  // A client's protocol error (a message over maxPayload, a malformed frame) ends
  // that client alone: unhandled, ws would throw it and end the bridge.
  ws.on("error", () => ws.terminate());
}

/** Attaches the uplink as a guest's device would be, and runs its thread (bridge-worker.ts). */
async function startUplink(to: string, hubName: string): Promise<{ close(): Promise<void> }> {
  const control = newControl();
  let device: AttachedDevice;
  let waker: GuestWaker | undefined;
  try {
    device = await attachDevice(UPLINK, { type: "NET_BASIC", spec: to }, { wake: () => waker?.wake() });
  } catch (e) {
    throw wordedIn(UPLINK_WORDS, e);
  }
  let hubPort: ReturnType<typeof netHub.attach> | undefined;
  let worker: Worker;
  try {
    waker = new GuestWaker(control, pollFds([device.spec]));
    hubPort = netHub.attach(UPLINK, hubName, randomMac(), () => waker?.wake());
    const input: BridgeUplinkInput = { uplink: device.spec, hub: hubPort.spec, control: control.buffer as SharedArrayBuffer, eventFd: waker.eventFd };
    worker = new Worker(new URL("./bridge-worker.js", import.meta.url), { workerData: input });
  } catch (e) {
    // What was opened so far would keep the process alive.
    waker?.close();
    hubPort?.close();
    device.close();
    throw e;
  }
  return {
    async close() {
      await waker!.terminate(worker);
      waker!.close();
      hubPort!.close();
      device.close();
    },
  };
}
