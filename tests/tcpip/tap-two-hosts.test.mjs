// Two "hosts" on real IP networks (tests/net/topology.mjs): http-get on the left LAN
// fetches from http-serve on the right LAN through a Linux router namespace, by name
// through dnsmasq's DNS, with addresses, masks, gateways and the DNS server from
// dnsmasq's DHCP (the server's fixed lease, which its name points at), and again with
// everything given on the command lines instead. Each guest is on its side's TAP,
// run by the CLI.
import { example } from "../helpers/paths.mjs";
import { startGuest } from "../net/net-helpers.mjs";
import { LANS, missingDnsmasq, withTwoHosts } from "../net/topology.mjs";
import { patternSha256, tapSupport } from "./tap-helpers.mjs";

const reason = tapSupport() || missingDnsmasq();
if (reason) console.warn(`skipping the two-hosts HTTP tests: ${reason}`);
const testTap = reason ? test.skip : test;

const SERVER = { name: "server.test", mac: "02:00:00:00:02:02", address: "10.2.0.2" };
const CLIENT_MAC = "02:00:00:00:01:07";
const SIZE = 1000000;

/** http-serve with `args` on the right side's TAP; resolves once it serves. */
async function serve(right, args) {
  const guest = await startGuest("cli", example("http-serve"), {
    netns: right.ns,
    mem: 64,
    args,
    devices: { service0: { spec: `tap:${right.tap}`, mac: SERVER.mac } },
  });
  await guest.waitFor(`Serving HTTP on ${SERVER.address}/24 via ${LANS.right.gateway}`, 40000);
  return guest;
}

/** http-get `url` with `args` on the left side's TAP: its result. */
async function fetch(left, url, args) {
  const guest = await startGuest("cli", example("http-get"), {
    netns: left.ns,
    args: [url, ...args],
    devices: { service0: { spec: `tap:${left.tap}`, mac: CLIENT_MAC } },
  });
  return guest.exited;
}

const expectFetched = (r) =>
  expect({ status: r.status, stdout: r.stdout }).toEqual({
    status: 0,
    stdout: expect.stringContaining(`status 200\nbytes ${SIZE}\nsha256 ${patternSha256(SIZE)}\n`),
  });

describe("http-get to http-serve across a Linux router, by name", () => {
  testTap("with addresses, gateways and the DNS server from dnsmasq's DHCP", () =>
    withTwoHosts({ hosts: [SERVER] }, async ({ left, right, dnsmasq }) => {
      await serve(right, ["dhcp"]);
      expectFetched(await fetch(left, `http://${SERVER.name}/bytes/${SIZE}`, ["dhcp"]));
      expect(dnsmasq.log()).toContain(`DHCPACK(lan1) ${SERVER.address} ${SERVER.mac}`);
      expect(dnsmasq.log()).toMatch(new RegExp(`DHCPACK\\(lan0\\) 10\\.1\\.0\\.1\\d\\d ${CLIENT_MAC}`));
    }), 60000);

  testTap("with addresses, gateways and the DNS server on the command lines", () =>
    withTwoHosts({ hosts: [SERVER] }, async ({ left, right }) => {
      await serve(right, [`${SERVER.address}/24`, LANS.right.gateway]);
      const { gateway } = LANS.left;
      expectFetched(await fetch(left, `http://${SERVER.name}/bytes/${SIZE}`, ["10.1.0.7/24", gateway, gateway]));
    }), 60000);
});
