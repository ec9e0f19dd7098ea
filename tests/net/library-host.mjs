// The library API (dist/node/index.js) run inside a network namespace for a test in
// another process (rpc.mjs): guests started with start(), frames put on their hubs,
// bridges. Guests started here share this process, so they share its hubs, as
// library guests of one test process do. Started by net-helpers.mjs's startGuest.
import fs from "node:fs";
import { attach as attachToHub } from "../../dist/core/net/hub.js";
import { openRingNet } from "../../dist/core/net/ring-backend.js";
import { startBridge } from "../../dist/node/bridge.js";
import { start } from "../../dist/node/index.js";
import { rpcServe } from "./rpc.mjs";

const guests = new Map();
const bridges = new Map();
/** A port of this process's own on each hub frames were sent to, by hub name. */
const probes = new Map();
let nextBridge = 0;

const emit = rpcServe({
  /** Starts `wasm` as guest `id` with `options` as start() takes them (output excepted); resolves once started. */
  async start(id, wasm, options) {
    const decoder = new TextDecoder();
    const guest = await start(fs.readFileSync(wasm), {
      ...options,
      stdout: (b) => emit({ id, stream: "stdout", text: decoder.decode(b, { stream: true }) }),
      stderr: (line) => emit({ id, stream: "stderr", text: `${line}\n` }),
    });
    guests.set(id, guest);
    guest.exited.then((result) => emit({ id, exited: result }));
  },

  stop: (id) => guests.get(id).stop(),

  /** Puts `frame` on hub `hub` from a port with MAC `mac` (attached on first use). */
  hubSend(hub, mac, frame) {
    if (!probes.has(hub)) probes.set(hub, openRingNet(attachToHub("probe", hub, mac, () => {}).spec));
    probes.get(hub).write(frame);
  },

  /** startBridge(options); resolves with { id, port }. */
  async startBridge(options) {
    const id = nextBridge++;
    const bridge = await startBridge(options);
    bridges.set(id, bridge);
    return { id, port: bridge.port };
  },

  closeBridge: (id) => bridges.get(id).close(),
});
