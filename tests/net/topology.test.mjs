// The two-hosts topology (topology.mjs) with plain Linux, before any guest speaks
// DHCP or DNS: Linux on each side pings the other across the router and resolves a
// name through dnsmasq, and dnsmasq hands out leases on the TAP side of each LAN
// (dhcp-client.py attaches the TAP as a guest's tender would). Needs what
// netnsSupport() checks, dnsmasq and python3-scapy; skipped, saying why, without.
import { spawnSync } from "node:child_process";
import { once } from "node:events";
import { fileURLToPath } from "node:url";
import { impairLink, impairSupport } from "./impair.mjs";
import { netnsSupport } from "./netns.mjs";
import { LANS, missingDnsmasq, withTwoHosts } from "./topology.mjs";

const DHCP_CLIENT = fileURLToPath(new URL("./dhcp-client.py", import.meta.url));
const PYTHON = "/usr/bin/python3"; // Debian's, which python3-scapy is for

function support() {
  const netns = netnsSupport();
  if (!netns.ok) return netns.reason;
  if (spawnSync(PYTHON, ["-c", "import scapy"]).status !== 0) return `${PYTHON} cannot import scapy (apt-get install python3-scapy)`;
  return missingDnsmasq();
}
const reason = support();
if (reason) console.warn(`skipping the two-hosts topology tests: ${reason}`);
const describeTopology = reason ? describe.skip : describe;

const SERVER = { name: "server.test", mac: "02:00:00:00:02:02", address: "10.2.0.2" };

/** Gives Linux on each side an address (the server's on the right) and the router as its gateway. */
function linuxHosts({ left, right }) {
  left.ns.configure("br0", { address: "10.1.0.50/24" });
  left.ns.ip("route", "add", "default", "via", LANS.left.gateway);
  right.ns.configure("br0", { address: `${SERVER.address}/24` });
  right.ns.ip("route", "add", "default", "via", LANS.right.gateway);
}

/** The lease dnsmasq gives `mac` on `side`'s TAP: { address, mask, router, dns, server }. */
async function lease(side, mac) {
  const client = side.ns.spawn([PYTHON, DHCP_CLIENT, side.tap, mac, "10"], { stdio: ["ignore", "pipe", "inherit"] });
  let out = "";
  client.stdout.on("data", (d) => (out += d));
  const [status] = await once(client, "close");
  expect(status).toBe(0);
  return JSON.parse(out);
}

describeTopology("two hosts through a Linux router, with dnsmasq", () => {
  test("Linux on one side pings the other across the router and resolves its name", () =>
    withTwoHosts({ hosts: [SERVER] }, (topology) => {
      const { left } = topology;
      linuxHosts(topology);
      left.ns.useNameserver(LANS.left.gateway);

      const ping = left.ns.exec("ping", "-c", "3", "-i", "0.2", "-W", "2", SERVER.address);
      expect(ping).toContain("3 packets transmitted, 3 received");
      expect(ping).toContain("ttl=63"); // one router on the way
      const resolved = left.ns.exec(PYTHON, "-c", `import socket; print(socket.gethostbyname("${SERVER.name}"))`);
      expect(resolved.trim()).toBe(SERVER.address);
    }), 30000);

  test("dnsmasq hands out leases on the TAP side of each LAN: address, mask, gateway, DNS", () =>
    withTwoHosts({ hosts: [SERVER] }, async ({ left, right, dnsmasq }) => {
      const dynamic = await lease(left, "02:00:00:00:01:01");
      expect(dynamic).toEqual({ address: expect.stringMatching(/^10\.1\.0\.1\d\d$/), mask: "255.255.255.0", router: "10.1.0.1", dns: "10.1.0.1", server: "10.1.0.1" });
      // The serving host's fixed lease, which its DNS name points at.
      expect(await lease(right, SERVER.mac)).toEqual({ address: SERVER.address, mask: "255.255.255.0", router: "10.2.0.1", dns: "10.2.0.1", server: "10.2.0.1" });
      expect(dnsmasq.log()).toMatch(/DHCPACK\(lan0\) 10\.1\.0\.1\d\d 02:00:00:00:01:01/);
    }), 30000);

  (impairSupport().ok ? test : test.skip)("an impaired router interface impairs the packets it forwards", () =>
    withTwoHosts({}, async (topology) => {
      linuxHosts(topology);
      const link = await impairLink(topology.router, "lan1", { direction: "out", duplicate: 1 });
      const ping = topology.left.ns.exec("ping", "-c", "3", "-i", "0.2", "-W", "2", SERVER.address);
      expect((await link.stop()).out.duplicated).toBe(3);
      // ping ends at its third reply, which may come before the third copy.
      expect(ping).toMatch(/3 packets transmitted, 3 received, \+[23] duplicates/);
    }), 30000);
});
