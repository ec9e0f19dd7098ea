// --net:NAME=SPEC and --net-mac:NAME=MAC as the CLI and the library take them:
// malformed specs and MACs refused before the guest runs, saying what is wrong;
// MACs given or made up. TAP refusals are in tap.test.mjs.
import dgram from "node:dgram";
import fs from "node:fs";
import { start } from "../../dist/node/index.js";
import { guest } from "../helpers/paths.mjs";
import { runCli } from "../helpers/run.mjs";
import { freeUdpPorts, startGuest, WAYS } from "./net-helpers.mjs";

const MTU = guest("net-mtu");

/** The refusal of attaching service0 as `spec` (and `mac`): { status, message }. */
async function refusal(way, spec, mac) {
  if (way === "cli") {
    const r = await runCli(["run", "--mem=2", `--net:service0=${spec}`, ...(mac ? [`--net-mac:service0=${mac}`] : []), MTU]);
    return { status: r.status, message: r.stderr.trim() };
  }
  try {
    await start(fs.readFileSync(MTU), { mem: 2, devices: { service0: { type: "NET_BASIC", spec, mac } } });
  } catch (e) {
    return { status: 1, message: `solo5-wasm: ${e.message}` };
  }
  throw new Error(`${spec} was not refused`);
}

const UDP_FORM = /udp:local=HOST:PORT,remote=HOST:PORT/;

describe.each(WAYS)("via the %s", (way) => {
  test.each([
    ["foo:bar", /--net:service0=foo:bar: unknown network backend foo: use tap:IFNAME \(or a bare IFNAME\), udp:.*hub:NAME/],
    ["hub:", /--net:service0=hub:: name the hub, e.g. hub:lan/],
    ["tap:a/b", /--net:service0=tap:a\/b: not a valid interface name \(1 to 15 bytes, no "\/", ":" or spaces, not "\." or "\.\."\)/],
    ["tap:sixteen-bytes-xy", /tap:sixteen-bytes-xy: not a valid interface name/],
    ["udp:", UDP_FORM],
    ["udp:local=127.0.0.1:5000", /remote= is not an address/],
    ["udp:local=127.0.0.1:5000,remote=127.0.0.1:5001,local=127.0.0.1:5002", UDP_FORM],
    ["udp:local=127.0.0.1:5000;remote=127.0.0.1:5001", UDP_FORM],
    ["udp:local=localhost:5000,remote=127.0.0.1:5001", /local=localhost:5000 is not an address: give HOST:PORT with an IPv4 address or \[IPv6\]:PORT/],
    ["udp:local=127.0.0.1,remote=127.0.0.1:5001", /local=127.0.0.1 is not an address/],
    ["udp:local=::1:5000,remote=[::1]:5001", /local=::1:5000 is not an address/],
    ["udp:local=127.0.0.1:0,remote=127.0.0.1:5001", /local port 0 is not in 1..65535/],
    ["udp:local=127.0.0.1:5000,remote=127.0.0.1:65536", /remote port 65536 is not in 1..65535/],
    ["udp:local=[::1]:5000,remote=127.0.0.1:5001", /local and remote must both be IPv4 or both IPv6/],
    ["udp:local=192.0.2.77:5000,remote=127.0.0.1:5001", /192.0.2.77 is not an address of this machine/],
  ])("%s is refused", async (spec, why) => {
    const r = await refusal(way, spec);
    expect(r.status).toBe(1);
    expect(r.message).toMatch(why);
  });

  test("a local UDP port in use is refused", async () => {
    const socket = dgram.createSocket("udp4");
    await new Promise((resolve) => socket.bind(0, "127.0.0.1", resolve));
    try {
      const r = await refusal(way, `udp:local=127.0.0.1:${socket.address().port},remote=127.0.0.1:9`);
      expect(r.message).toMatch(/127.0.0.1:\d+ is in use: another tender or program has bound it/);
    } finally {
      socket.close();
    }
  });

  test.each([
    ["02:00:00:00:00", /a MAC is six hex bytes separated by colons/],
    ["02-00-00-00-00-01", /a MAC is six hex bytes separated by colons/],
    ["02:00:00:00:00:0g", /a MAC is six hex bytes separated by colons/],
    ["01:00:5e:00:00:01", /--net-mac:service0=01:00:5e:00:00:01: that is a multicast address/],
    ["00:00:00:00:00:00", /the all-zero MAC is not an address/],
  ])("--net-mac %s is refused", async (mac, why) => {
    const r = await refusal(way, "hub:opts", mac);
    expect(r.status).toBe(1);
    expect(r.message).toMatch(why);
  });

  test("--net-mac sets the MAC the guest sees; hub and udp devices have MTU 1500", async () => {
    const [a, b] = await freeUdpPorts(2);
    for (const spec of ["hub:mac", `udp:local=127.0.0.1:${a},remote=127.0.0.1:${b}`]) {
      const g = await startGuest(way, MTU, { args: ["verbose"], devices: { service0: { spec, mac: "02:0A:bc:de:f0:12" } } });
      const r = await g.exited;
      expect(r.status).toBe(0);
      expect(r.stdout).toContain("\n020abcdef012\nMTU is 1500\nSUCCESS\n");
    }
  });

  test("without --net-mac each device gets a random locally administered unicast MAC", async () => {
    const macs = [];
    for (let i = 0; i < 2; i++) {
      const g = await startGuest(way, MTU, { args: ["verbose"], devices: { service0: { spec: "hub:random" } } });
      const r = await g.exited;
      macs.push(/\n([0-9a-f]{12})\nMTU is/.exec(r.stdout)[1]);
    }
    for (const mac of macs) expect(parseInt(mac.slice(0, 2), 16) & 3).toBe(2);
    expect(macs[0]).not.toBe(macs[1]);
  });
});
