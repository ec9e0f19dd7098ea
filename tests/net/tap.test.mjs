// Guests on real TAP interfaces against the real Linux ping: Solo5's network tests
// as tests.bats runs them (net, net_2if, net_mtu), the ABI's edges, refusals, a guest
// with a TAP and a hub device at once, idling and stopping. Needs root (or
// CAP_NET_ADMIN), /dev/net/tun, iproute2 and iputils-ping; skipped, saying why, where
// the machine lacks them.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { CLI, example, guest } from "../helpers/paths.mjs";
import { runCli } from "../helpers/run.mjs";
import { cpuOver, pingFlood, startGuest, WAYS } from "./net-helpers.mjs";
import { canUseTap, createTap, destroyTap, ip, tapName } from "./tap-helpers.mjs";

const SERVE = example("ping-serve");
const usable = canUseTap();
if (!usable.ok) console.warn(`skipping the TAP network tests: ${usable.reason}`);
const describeTap = usable.ok ? describe : describe.skip;

/** Runs `fn` with TAP interfaces made as `specs` ({ name, address?, mtu?, up? }), removed after. */
async function withTaps(specs, fn) {
  const made = [];
  try {
    for (const { name, ...options } of specs) {
      createTap(name, { address: null, ...options });
      made.push(name);
    }
    await fn();
  } finally {
    made.forEach(destroyTap);
  }
}

/** ping-serve built with Solo5's test_net_2if manifest (service0 and service1). */
let serve2if;
beforeAll(async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "net-2if-"));
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
    withTaps([{ name: "tap100", address: "10.0.0.1/24" }], async () => {
      // A bare IFNAME, as Solo5 takes it.
      const g = await startGuest(way, SERVE, { args: ["limit"], devices: { service0: { spec: "tap100" } } });
      try {
        await g.waitFor("Serving ping on 10.0.0.2, with MAC: ");
        const ping = await pingFlood("tap100", "10.0.0.2", 100000);
        const r = await g.exited;
        expect(r.stdout).toContain("Limit reached, exiting\nSUCCESS\n");
        expect(r.status).toBe(0);
        expect(ping.received).toBe(100000);
      } finally {
        await g.stop();
      }
    }), 120000);

  test("net_2if: two interfaces, 50000 pings each at once, then SUCCESS", () =>
    withTaps([{ name: "tap100", address: "10.0.0.1/24" }, { name: "tap101", address: "10.1.0.1/24" }], async () => {
      const g = await startGuest(way, serve2if, {
        args: ["limit"],
        devices: { service0: { spec: "tap:tap100" }, service1: { spec: "tap:tap101" } },
      });
      try {
        await g.waitFor("[service1] Serving ping on 10.1.0.2");
        const pings = await Promise.all([pingFlood("tap100", "10.0.0.2", 50000), pingFlood("tap101", "10.1.0.2", 50000)]);
        const r = await g.exited;
        expect(r.stdout).toContain("SUCCESS\n");
        expect(r.status).toBe(0);
        expect(pings.map((p) => p.received)).toEqual([50000, 50000]);
      } finally {
        await g.stop();
      }
    }), 120000);

  test("net_mtu: the MTU is the interface's", () =>
    withTaps([{ name: "tap102", mtu: 9000 }], async () => {
      const r = await (await startGuest(way, guest("net-mtu"), { devices: { service0: { spec: "tap102" } } })).exited;
      expect(r.stdout).toContain("MTU is 9000\nSUCCESS\n");
      expect(r.status).toBe(0);
    }));
});

describeTap.each(WAYS)("TAP devices via the %s", (way) => {
  test.each([1500, 9000])("the ABI's edges hold with MTU %i", (mtu) => {
    const name = tapName();
    return withTaps([{ name, mtu }], async () => {
      const r = await (await startGuest(way, guest("net-abi"), { args: [String(mtu)], devices: { service0: { spec: `tap:${name}` } } })).exited;
      expect(r.stdout).not.toContain("broken");
      expect(r.stdout).toContain("SUCCESS");
      expect(r.status).toBe(0);
    });
  });

  test("an idle guest sleeping in ppoll on its TAP uses no CPU, and stops when told", () => {
    const name = tapName();
    return withTaps([{ name }], async () => {
      const g = await startGuest(way, SERVE, { devices: { service0: { spec: name } } });
      await g.waitFor("Serving ping");
      await new Promise((r) => setTimeout(r, 200));
      expect(await cpuOver(g, 1000)).toBeLessThan(0.1); // spinning would take the whole second
      await g.stop();
      expect((await g.exited).status).toBe(1);
    });
  });
});

// Hub guests share a process: the library alone.
describeTap("TAP and hub in one guest", () => {
  test("a guest with a TAP and a hub device serves both", () => {
    const name = tapName();
    const hub = `hub:mixed${process.pid}`;
    // Not Solo5's 10.0.0.0/24, which the TAP addon's tests may be using meanwhile.
    return withTaps([{ name, address: "10.77.0.1/24" }], async () => {
      const server = await startGuest("library", serve2if, {
        args: ["10.77.0.2/24", "10.1.0.2/24"],
        devices: { service0: { spec: `tap:${name}` }, service1: { spec: hub } },
      });
      try {
        await server.waitFor("[service1] Serving ping on 10.1.0.2");
        // Frames from the hub wake the guest through its eventfd while it sleeps in
        // ppoll on the TAP; frames from the TAP wake it directly.
        const [pinger, kernelPing] = await Promise.all([
          startGuest("library", guest("net-pinger"), { args: ["10.1.0.3/24", "10.1.0.2", "2000", "1"], devices: { service0: { spec: hub } } }).then((p) => p.exited),
          pingFlood(name, "10.77.0.2", 2000),
        ]);
        expect(pinger.stdout).toMatch(/net-pinger: 2000 replies/);
        expect(pinger.status).toBe(0);
        expect(kernelPing.received).toBe(2000);
      } finally {
        await server.stop();
      }
    });
  });
});

describeTap("TAP refusals", () => {
  const refused = async (spec, options = {}) => {
    const r = await runCli(["run", "--mem=2", `--net:service0=${spec}`, guest("net-mtu")], options);
    expect(r.status).toBe(1);
    expect(r.stdout).not.toContain("MTU is");
    return r.stderr.trim();
  };

  test("a missing interface", async () => {
    const name = tapName();
    expect(await refused(`tap:${name}`)).toBe(
      `solo5-wasm: --net:service0=tap:${name}: TAP interface ${name} does not exist: create it with \`ip tuntap add ${name} mode tap\` and bring it up (\`ip link set dev ${name} up\`)`,
    );
    expect(fs.existsSync(`/sys/class/net/${name}`)).toBe(false);
  });

  test("a down interface, a TUN, and a TAP another guest has", async () => {
    const [down, tun, busy] = [tapName(), tapName(), tapName()];
    await withTaps([{ name: down, up: false }, { name: tun, mode: "tun" }, { name: busy }], async () => {
      expect(await refused(down)).toMatch(`--net:service0=tap:${down}: TAP interface ${down} is down: bring it up with \`ip link set dev ${down} up\``);
      expect(await refused(tun)).toMatch(`--net:service0=tap:${tun}: ${tun} is not a usable TAP interface`);
      const holder = await startGuest("cli", SERVE, { devices: { service0: { spec: busy } } });
      try {
        await holder.waitFor("Serving ping");
        expect(await refused(busy)).toMatch(`--net:service0=tap:${busy}: TAP interface ${busy} is busy: another process has it open`);
      } finally {
        await holder.stop();
      }
    });
  });

  test("no permission (an unprivileged user)", async () => {
    const nobody = { uid: 65534, gid: 65534 };
    if (spawnSync(process.execPath, [CLI, "--version"], nobody).status !== 0) {
      console.warn("skipping the permission refusal: user nobody cannot run the CLI from here");
      return;
    }
    // Owned by root: the kernel lets anyone attach a TAP that has no owner.
    const name = tapName();
    ip("tuntap", "add", name, "mode", "tap", "user", "0");
    try {
      ip("link", "set", "dev", name, "up");
      const r = spawnSync(process.execPath, [CLI, "run", "--mem=2", `--net:service0=${name}`, guest("net-mtu")], { ...nobody, encoding: "utf8" });
      expect(r.status).toBe(1);
      expect(r.stderr).toMatch(new RegExp(`--net:service0=tap:${name}: no permission to attach TAP interface ${name}: run as root or with CAP_NET_ADMIN`));
    } finally {
      destroyTap(name);
    }
  });
});
