// yield's deadline on each way a guest with network devices sleeps (docs/abi.md,
// section 4): Atomics.wait (a udp: device), ppoll on a TAP, and ppoll on a TAP and
// an eventfd (a TAP and a hub device). tests/guests/yield-deadline checks that yield
// returns at or after its deadline without input, and at once for a deadline
// already passed; this test sends the frames its waits without a deadline (and with
// one a year away) must wake for, and checks that they waited for them.
import dgram from "node:dgram";
import fs from "node:fs";
import path from "node:path";
import { guest } from "../helpers/paths.mjs";
import { runCli } from "../helpers/run.mjs";
import { freeUdpPorts, libraryHost, startGuest, WAYS } from "./net-helpers.mjs";
import { netnsSupport, withNetns } from "./netns.mjs";
import { ping } from "./ping.mjs";

const GUEST = guest("yield-deadline");
const WAITS = ["no deadline", "a deadline a year away"];
/** How long the test lets a waiting guest wait before it sends the frame. */
const HOLD_MS = 300;

/**
 * Runs the guest's two waits: for each, lets it wait HOLD_MS, then `send()`s a frame,
 * and checks that it woke for that frame (not before), with `bit` in its ready set.
 */
async function expectWaitsForInput(g, send, bit) {
  for (const [i, what] of WAITS.entries()) {
    await g.waitFor(`waiting for a frame (${what})`);
    await new Promise((r) => setTimeout(r, HOLD_MS));
    expect(wokeLines(g.stdout)).toHaveLength(i); // still waiting
    await send();
    for (let tries = 0; wokeLines(g.stdout).length === i; tries++) {
      if (tries === 500) throw new Error(`the guest did not wake for a frame (${what}); stdout: ${g.stdout}; stderr: ${g.stderr}`);
      await new Promise((r) => setTimeout(r, 10));
    }
    const [, ms, set] = wokeLines(g.stdout)[i];
    expect(Number(ms)).toBeGreaterThanOrEqual(HOLD_MS - 50);
    expect(BigInt(set) & bit).toBe(bit);
  }
  const r = await g.exited;
  expect(r.stdout).not.toContain("broken");
  expect(r.stdout).toContain("deadlines kept");
  expect(r.stdout).toContain("SUCCESS\n");
  expect(r.status).toBe(0);
}

const wokeLines = (stdout) => [...stdout.matchAll(/^woke after (\d+) ms, ready set (\d+)$/gm)];

const SERVICE0 = 1n << 1n; // handle 1: the manifest's first device
const SERVICE1 = 1n << 2n;

describe.each(WAYS)("via the %s", (way) => {
  test("a udp: device (Atomics.wait): deadlines kept, no deadline waits for a frame", async () => {
    const [a, b] = await freeUdpPorts(2);
    const peer = dgram.createSocket("udp4");
    await new Promise((resolve) => peer.bind(b, "127.0.0.1", resolve));
    const g = await startGuest(way, GUEST, { args: ["service0"], devices: { service0: { spec: `udp:local=127.0.0.1:${a},remote=127.0.0.1:${b}` } } });
    try {
      const frame = Buffer.alloc(60, 0xff);
      await expectWaitsForInput(g, () => new Promise((resolve) => peer.send(frame, a, "127.0.0.1", resolve)), SERVICE0);
    } finally {
      peer.close();
      await g.stop();
    }
  });
});

const usable = netnsSupport();
const describeTap = usable.ok ? describe : describe.skip;

/** Runs `fn(ns)` in a new namespace with TAP tap0 (10.78.0.1/24). */
function withTap(fn) {
  return withNetns((ns) => {
    ns.addTap("tap0", { address: "10.78.0.1/24" });
    return fn(ns);
  });
}

/** A frame from the TAP's side: ping's ARP request for the guest's (unanswered) address. */
function arpFrom(ns, pings) {
  return async () => void pings.push(ping(ns, "tap0", "10.78.0.2", ["-c", "1", "-W", "1"]));
}

describeTap.each(WAYS)("TAP via the %s", (way) => {
  test("a TAP device (ppoll): deadlines kept, no deadline waits for a frame", () =>
    withTap(async (netns) => {
      const pings = [];
      const g = await startGuest(way, GUEST, { netns, args: ["service0"], devices: { service0: { spec: "tap:tap0" } } });
      try {
        await expectWaitsForInput(g, arpFrom(netns, pings), SERVICE0);
      } finally {
        await g.stop();
        await Promise.all(pings);
      }
    }));
});

describeTap("a TAP and a hub device (ppoll on the TAP and an eventfd)", () => {
  test("deadlines kept; no deadline waits for a hub frame, and for a TAP frame", () =>
    withTap(async (netns) => {
      // The kernel goes into the namespace's own folder, removed with it.
      const manifest = path.join(netns.dir, "manifest.json");
      fs.writeFileSync(manifest, JSON.stringify({ type: "solo5.manifest", version: 1, devices: [{ name: "service0", type: "NET_BASIC" }, { name: "service1", type: "NET_BASIC" }] }));
      const kernel = path.join(netns.dir, "yield-2if.wasm");
      expect((await runCli(["embed-manifest", manifest, GUEST, "-o", kernel])).status).toBe(0);

      // The hub is the library host's (where both guests run), so its frames are sent from there.
      const hub = "hub:yield";
      const probeMac = [2, 0, 0, 0, 0, 0x42];
      const frame = Uint8Array.from({ length: 60 }, (_, i) => (i < 6 ? 0xff : i < 12 ? probeMac[i - 6] : 0));
      const devices = { service0: { spec: "tap:tap0" }, service1: { spec: hub } };
      const g = await startGuest("library", kernel, { netns, args: ["service0", "service1"], devices });
      try {
        await expectWaitsForInput(g, () => libraryHost(netns).call("hubSend", hub.slice(4), Uint8Array.from(probeMac), frame), SERVICE1);
      } finally {
        await g.stop();
      }

      const pings = [];
      const again = await startGuest("library", kernel, { netns, args: ["service0", "service1"], devices });
      try {
        await expectWaitsForInput(again, arpFrom(netns, pings), SERVICE0);
      } finally {
        await again.stop();
        await Promise.all(pings);
      }
    }));
});
