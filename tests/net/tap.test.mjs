// Guests on real TAP interfaces against the real Linux ping: Solo5's network tests
// as tests.bats runs them (net, net_2if, net_mtu), the ABI's edges, refusals, a guest
// with a TAP and a hub device at once, idling and stopping. Each test makes its TAPs
// in a network namespace of its own (netns.mjs), so Solo5's names (tap100, ...) and
// addresses are used as they are. Needs root, /dev/net/tun, iproute2, iputils-ping
// and ethtool; skipped, saying why, where the machine lacks them.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { CLI, example, guest } from "../helpers/paths.mjs";
import { runCli } from "../helpers/run.mjs";
import { cpuOver, startGuest, WAYS } from "./net-helpers.mjs";
import { netnsSupport, withNetns } from "./netns.mjs";
import { pingFlood } from "./ping.mjs";

const SERVE = example("ping-serve");
const usable = netnsSupport();
if (!usable.ok) console.warn(`skipping the TAP network tests: ${usable.reason}`);
const describeTap = usable.ok ? describe : describe.skip;

/** Runs `fn(ns)` in a new namespace with TAP interfaces made as `specs` ({ name, address?, mtu?, up?, mode? }). */
function withTaps(specs, fn) {
  return withNetns((ns) => {
    for (const { name, ...options } of specs) ns.addTap(name, options);
    return fn(ns);
  });
}

/** ping-serve built with Solo5's test_net_2if manifest (service0 and service1). */
let serve2if;
let dir;
afterAll(() => dir && fs.rmSync(dir, { recursive: true, force: true }));
beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "net-2if-"));
  fs.writeFileSync(
    path.join(dir, "manifest.json"),
    JSON.stringify({ type: "solo5.manifest", version: 1, devices: [{ name: "service0", type: "NET_BASIC" }, { name: "service1", type: "NET_BASIC" }] }),
  );
  serve2if = path.join(dir, "ping-serve-2if.wasm");
  const r = await runCli(["embed-manifest", path.join(dir, "manifest.json"), SERVE, "-o", serve2if]);
  expect(r.status).toBe(0);
});

describeTap.each(WAYS)("Solo5's network tests via the %s", (way) => {
  test("net: ping -f answered 100000 times, then SUCCESS", () =>
    withTaps([{ name: "tap100", address: "10.0.0.1/24" }], async (netns) => {
      // A bare IFNAME, as Solo5 takes it.
      const g = await startGuest(way, SERVE, { netns, args: ["limit"], devices: { service0: { spec: "tap100" } } });
      try {
        await g.waitFor("Serving ping on 10.0.0.2, with MAC: ");
        const ping = await pingFlood(netns, "tap100", "10.0.0.2", 100000);
        const r = await g.exited;
        expect(r.stdout).toContain("Limit reached, exiting\nSUCCESS\n");
        expect(r.status).toBe(0);
        expect(ping.received).toBe(100000);
      } finally {
        await g.stop();
      }
    }), 120000);

  test("net_2if: two interfaces, 50000 pings each at once, then SUCCESS", () =>
    withTaps([{ name: "tap100", address: "10.0.0.1/24" }, { name: "tap101", address: "10.1.0.1/24" }], async (netns) => {
      const g = await startGuest(way, serve2if, {
        netns,
        args: ["limit"],
        devices: { service0: { spec: "tap:tap100" }, service1: { spec: "tap:tap101" } },
      });
      try {
        await g.waitFor("[service1] Serving ping on 10.1.0.2");
        const pings = await Promise.all([pingFlood(netns, "tap100", "10.0.0.2", 50000), pingFlood(netns, "tap101", "10.1.0.2", 50000)]);
        const r = await g.exited;
        expect(r.stdout).toContain("SUCCESS\n");
        expect(r.status).toBe(0);
        expect(pings.map((p) => p.received)).toEqual([50000, 50000]);
      } finally {
        await g.stop();
      }
    }), 120000);

  test("net_mtu: the MTU is the interface's", () =>
    withTaps([{ name: "tap102", mtu: 9000 }], async (netns) => {
      const r = await (await startGuest(way, guest("net-mtu"), { netns, devices: { service0: { spec: "tap102" } } })).exited;
      expect(r.stdout).toContain("MTU is 9000\nSUCCESS\n");
      expect(r.status).toBe(0);
    }));
});

describeTap.each(WAYS)("TAP devices via the %s", (way) => {
  test.each([1500, 9000])("the ABI's edges hold with MTU %i", (mtu) =>
    withTaps([{ name: "tap0", mtu }], async (netns) => {
      const r = await (await startGuest(way, guest("net-abi"), { netns, args: [String(mtu)], devices: { service0: { spec: "tap:tap0" } } })).exited;
      expect(r.stdout).not.toContain("broken");
      expect(r.stdout).toContain("SUCCESS");
      expect(r.status).toBe(0);
    }));

  test("an idle guest sleeping in ppoll on its TAP uses no CPU, and stops when told", () =>
    withTaps([{ name: "tap0" }], async (netns) => {
      const g = await startGuest(way, SERVE, { netns, devices: { service0: { spec: "tap0" } } });
      await g.waitFor("Serving ping");
      await new Promise((r) => setTimeout(r, 200));
      expect(await cpuOver(g, 1000)).toBeLessThan(0.1); // spinning would take the whole second
      await g.stop();
      expect((await g.exited).status).toBe(1);
    }));
});

// Hub guests share a process: the library alone (both guests in the namespace's library host).
describeTap("TAP and hub in one guest", () => {
  test("a guest with a TAP and a hub device serves both", () =>
    withTaps([{ name: "tap0", address: "10.77.0.1/24" }], async (netns) => {
      const hub = "hub:mixed";
      const server = await startGuest("library", serve2if, {
        netns,
        args: ["10.77.0.2/24", "10.1.0.2/24"],
        devices: { service0: { spec: "tap:tap0" }, service1: { spec: hub } },
      });
      try {
        await server.waitFor("[service1] Serving ping on 10.1.0.2");
        // Frames from the hub wake the guest through its eventfd while it sleeps in
        // ppoll on the TAP; frames from the TAP wake it directly.
        const [pinger, kernelPing] = await Promise.all([
          startGuest("library", guest("net-pinger"), { netns, args: ["10.1.0.3/24", "10.1.0.2", "2000", "1"], devices: { service0: { spec: hub } } }).then((p) => p.exited),
          pingFlood(netns, "tap0", "10.77.0.2", 2000),
        ]);
        expect(pinger.stdout).toMatch(/net-pinger: 2000 replies/);
        expect(pinger.status).toBe(0);
        expect(kernelPing.received).toBe(2000);
      } finally {
        await server.stop();
      }
    }));
});

describeTap("TAP refusals", () => {
  const refused = async (netns, spec) => {
    const r = await (await startGuest("cli", guest("net-mtu"), { netns, mem: 2, devices: { service0: { spec } } })).exited;
    expect(r.status).toBe(1);
    expect(r.stdout).not.toContain("MTU is");
    return r.stderr.trim();
  };

  test("a missing interface", () =>
    withTaps([], async (netns) => {
      expect(await refused(netns, "tap:tap100")).toBe(
        "solo5-wasm: --net:service0=tap:tap100: TAP interface tap100 does not exist: create it with `ip tuntap add tap100 mode tap` and bring it up (`ip link set dev tap100 up`)",
      );
      expect(netns.hasLink("tap100")).toBe(false);
    }));

  test("a down interface, a TUN, and a TAP another guest has", () =>
    withTaps([{ name: "down0", up: false }, { name: "tun0", mode: "tun" }, { name: "busy0" }], async (netns) => {
      expect(await refused(netns, "down0")).toMatch("--net:service0=tap:down0: TAP interface down0 is down: bring it up with `ip link set dev down0 up`");
      expect(await refused(netns, "tun0")).toMatch("--net:service0=tap:tun0: tun0 is not a usable TAP interface");
      const holder = await startGuest("cli", SERVE, { netns, devices: { service0: { spec: "busy0" } } });
      try {
        await holder.waitFor("Serving ping");
        expect(await refused(netns, "busy0")).toMatch("--net:service0=tap:busy0: TAP interface busy0 is busy: another process has it open");
      } finally {
        await holder.stop();
      }
    }));

  test("no permission (an unprivileged user)", async () => {
    const nobody = { uid: 65534, gid: 65534 };
    if (spawnSync(process.execPath, [CLI, "--version"], nobody).status !== 0) {
      console.warn("skipping the permission refusal: user nobody cannot run the CLI from here");
      return;
    }
    // Owned by root: the kernel lets anyone attach a TAP that has no owner.
    await withTaps([{ name: "tap0", user: 0 }], (netns) => {
      // Entering the namespace takes root; the tender then runs as nobody.
      const asNobody = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"];
      const r = spawnSync("ip", ["netns", "exec", netns.name, ...asNobody, process.execPath, CLI, "run", "--mem=2", "--net:service0=tap0", guest("net-mtu")], { encoding: "utf8" });
      expect(r.status).toBe(1);
      expect(r.stderr).toMatch(/--net:service0=tap:tap0: no permission to attach TAP interface tap0: run as root or with CAP_NET_ADMIN/);
    });
  });
});
