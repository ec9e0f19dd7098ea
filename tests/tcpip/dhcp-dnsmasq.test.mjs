// DHCP and DNS against Debian's dnsmasq: a unikernel (tests/tcpip/dhcp-dns-client) on a
// TAP of the two-hosts topology's left LAN (tests/net/topology.mjs) takes its lease from
// dnsmasq on the router, then resolves names through the DNS server the lease gave.
// The guest draws its randomness from the host (ABI v1.1's entropy call), so a tender
// without it refuses it, and this test fails saying so. The guest is built here, not
// with tests/guests, so that such a refusal fails this test alone. Needs what
// netnsSupport() checks and dnsmasq; skipped, saying why, without them.
import path from "node:path";
import { compileGuestCached } from "../../dist/build/compile.js";
import { startGuest } from "../net/net-helpers.mjs";
import { netnsSupport } from "../net/netns.mjs";
import { LANS, missingDnsmasq, withTwoHosts } from "../net/topology.mjs";
import { GUESTS_DIR, ROOT } from "../helpers/paths.mjs";

const netns = netnsSupport();
const reason = netns.ok ? missingDnsmasq() : netns.reason;
if (reason) console.warn(`skipping the dnsmasq DHCP and DNS test: ${reason}`);
const testDnsmasq = reason ? test.skip : test;

const CLIENT = { name: "client.test", mac: "02:00:00:00:01:05", address: "10.1.0.5" };
const SERVER = { name: "server.test", address: "10.2.0.2" };
const WASM = path.join(GUESTS_DIR, "dhcp-dns-client.wasm");

testDnsmasq("a lease from dnsmasq (address, mask, gateway, DNS server), then names resolved through it", async () => {
  await compileGuestCached(path.join(ROOT, "tests/tcpip/dhcp-dns-client/main.ts"), WASM);
  await withTwoHosts({ hosts: [CLIENT, SERVER] }, async ({ left, dnsmasq }) => {
    const g = await startGuest("cli", WASM, {
      netns: left.ns,
      args: ["--solo5:quiet", SERVER.name, CLIENT.name, "10.9.9.9", "missing.test"],
      devices: { service0: { spec: `tap:${left.tap}`, mac: CLIENT.mac } },
    });
    const r = await g.exited;
    const { gateway, prefix } = LANS.left;
    expect(r.stderr).toBe(""); // a tender without the entropy call refuses the guest here
    expect(r.stdout).toContain(`lease ${CLIENT.address}/${prefix} gateway ${gateway} dns ${gateway} server ${gateway} for 3600 s\n`);
    expect(r.stdout).toContain(`resolved ${SERVER.name} ${SERVER.address} ttl `);
    expect(r.stdout).toContain(`resolved ${CLIENT.name} ${CLIENT.address} ttl `);
    expect(r.stdout).toContain("resolved 10.9.9.9 10.9.9.9 ttl 0\n");
    expect(r.stdout).toMatch(/unresolved missing\.test (name-error|server-failure)\n/);
    expect(r.status).toBe(1); // missing.test
    expect(dnsmasq.log()).toContain(`DHCPACK(lan0) ${CLIENT.address} ${CLIENT.mac}`);
  });
}, 60000);
