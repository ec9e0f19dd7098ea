// Guests in a page on the network: two pinging each other over the in-page hub, and
// a guest in the page pinging through `solo5-wasm bridge`: guests in Node (a tender
// in another process over UDP; a library guest on a hub of the same process) and the
// Linux host itself over a real TAP interface.
import { spawn } from "node:child_process";
import fs from "node:fs";
import { WebSocket } from "ws";
import { startBridge } from "../../dist/node/bridge.js";
import { start } from "../../dist/node/index.js";
import { CLI, example } from "../helpers/paths.mjs";
import { freeUdpPorts, libraryHost } from "../net/net-helpers.mjs";
import { netnsSupport, withNetns } from "../net/netns.mjs";
import { browserSession } from "./harness.mjs";

const PING = "/examples/ping/ping.wasm";
const PING_SERVE = "/examples/ping-serve/ping-serve.wasm";

const session = browserSession();
const tap = netnsSupport();
if (!tap.ok) console.warn(`skipping the bridge's TAP uplink test: ${tap.reason}`);

/** Runs examples/ping in the page on `device` until it ends: 3 pings from `from` to `to`, 100 ms apart. */
const pingFromPage = (device, from = "10.0.0.1", to = "10.0.0.2") =>
  session.page.evaluate(
    async ({ ping, device, args }) => runCollected(await fetchBytes(ping), { mem: 16, devices: { service0: device }, args }),
    { ping: PING, device, args: ["--solo5:quiet", `${from} ${to} 3 100`] },
  );

function expectAllReplies(r, from = "10.0.0.2") {
  const at = from.replaceAll(".", "\\.");
  expect(r.stdout).toMatch(new RegExp(`^ARP: ${at} is at [0-9a-f:]{17}$`, "m"));
  for (const seq of [1, 2, 3]) expect(r.stdout).toMatch(new RegExp(`^64 bytes from ${at}: icmp_seq=${seq} ttl=64 time=\\d+\\.\\d{3} ms$`, "m"));
  expect(r.stdout).toContain("3 packets transmitted, 3 received, 0% packet loss\nSUCCESS\n");
  expect(r.status).toBe(0);
}

test("two guests in the page ping each other over the in-page hub", async () => {
  const r = await session.page.evaluate(
    async ({ ping, serve }) => {
      const device = { type: "NET_BASIC", hub: "lan" };
      const server = await startCollected(await fetchBytes(serve), { mem: 16, devices: { service0: device }, args: ["--solo5:quiet"] });
      const pinger = await runCollected(await fetchBytes(ping), { mem: 16, devices: { service0: device }, args: ["--solo5:quiet", "10.0.0.1 10.0.0.2 3 100"] });
      await server.guest.stop();
      return pinger;
    },
    { ping: PING, serve: PING_SERVE },
  );
  expectAllReplies(r);
});

test("a guest in the page pings a tender in another process: WebSocket, bridge, UDP", async () => {
  const [tenderPort, bridgePort] = await freeUdpPorts(2);
  const udp = (local, remote) => `udp:local=127.0.0.1:${local},remote=127.0.0.1:${remote}`;
  const tender = spawnUntil([CLI, "run", "--mem=16", `--net:service0=${udp(tenderPort, bridgePort)}`, example("ping-serve"), "--solo5:quiet"], /Serving ping/);
  const bridge = spawnUntil([CLI, "bridge", "--listen=127.0.0.1:0", `--to=${udp(bridgePort, tenderPort)}`], /bridge at (ws:\S+)/);
  try {
    const [, url] = await bridge.ready;
    await tender.ready;
    expectAllReplies(await pingFromPage({ type: "NET_BASIC", websocket: url }));
  } finally {
    tender.child.kill();
    bridge.child.kill();
  }
});

test("a guest in the page pings a library guest on a hub of the bridge's process", async () => {
  const bridge = await startBridge({ port: 0, to: "hub:bridged" });
  const server = await start(fs.readFileSync(example("ping-serve")), {
    mem: 16,
    args: ["--solo5:quiet"],
    devices: { service0: { type: "NET_BASIC", spec: "hub:bridged" } },
    stdout: () => {},
  });
  try {
    expectAllReplies(await pingFromPage({ type: "NET_BASIC", websocket: `ws://127.0.0.1:${bridge.port}/` }));
  } finally {
    await server.stop();
    await bridge.close();
  }
});

// The uplink is a real TAP and the peer the Linux kernel: it answers the page guest's
// ARP request and pings, as it would a Solo5 guest's on that TAP. The TAP and the
// bridge (the library's, in the namespace's library host) are in a namespace of the
// test's own; the page reaches the bridge through netns.forward().
(tap.ok ? test : test.skip)("a guest in the page pings the Linux host through the bridge's TAP uplink", () =>
  withNetns(async (ns) => {
    ns.addTap("tap0", { address: "10.79.0.1/24" });
    const host = libraryHost(ns);
    const bridge = await host.call("startBridge", { port: 0, to: "tap:tap0" });
    const port = await ns.forward(bridge.port);
    const r = await pingFromPage({ type: "NET_BASIC", websocket: `ws://127.0.0.1:${port}/` }, "10.79.0.2", "10.79.0.1");
    expectAllReplies(r, "10.79.0.1");
    // The uplink's thread sleeps in ppoll on a TAP that may stay silent for good:
    // close() must wake it, not wait for the next frame (it did, for seconds).
    const closing = host.call("closeBridge", bridge.id).then(() => "closed");
    expect(await Promise.race([closing, new Promise((r) => setTimeout(r, 3000, "still open after 3 s"))])).toBe("closed");
  }));

test("a WebSocket device with nothing listening is refused before the guest starts, saying what to start", async () => {
  const [port] = await freeUdpPorts(1); // free as a UDP port; nothing listens on it over TCP either
  const error = await pingFromPage({ type: "NET_BASIC", websocket: `ws://127.0.0.1:${port}/` }).catch((e) => e.message);
  expect(error).toContain(`devices.service0 (websocket:ws://127.0.0.1:${port}/): cannot connect: is solo5-wasm bridge listening there?`);
});

test("the bridge turns away pages from other origins unless told to accept them", async () => {
  const bridge = await startBridge({ port: 0 });
  const trusting = await startBridge({ port: 0, origins: ["https://example.org"] });
  // What happens to a handshake: "open", or the HTTP status it was refused with.
  const handshake = (port, origin) =>
    new Promise((resolve) => {
      const ws = new WebSocket(`ws://127.0.0.1:${port}/`, { origin });
      ws.on("open", () => (ws.close(), resolve("open")));
      ws.on("unexpected-response", (_req, res) => resolve(res.statusCode));
    });
  try {
    expect(await handshake(bridge.port, "https://example.org")).toBe(401);
    expect(await handshake(bridge.port, "http://127.0.0.1:8080")).toBe("open");
    expect(await handshake(trusting.port, "https://example.org")).toBe("open");
    expect(await handshake(trusting.port, "http://127.0.0.1:8080")).toBe(401);
  } finally {
    await bridge.close();
    await trusting.close();
  }
});

/** A node process whose `ready` settles with the match once its stdout matches `pattern`. */
function spawnUntil(args, pattern) {
  const child = spawn(process.execPath, args);
  let out = "";
  const ready = new Promise((resolve, reject) => {
    child.stdout.on("data", (d) => {
      const m = pattern.exec((out += d));
      if (m) resolve(m);
    });
    child.stderr.on("data", (d) => (out += d));
    child.on("exit", (code) => reject(new Error(`${args[1]} exited with ${code} before it was ready:\n${out}`)));
  });
  ready.catch(() => {});
  return { child, ready };
}
