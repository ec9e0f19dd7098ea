// Two "hosts" on real IP networks, as the two-hosts test needs: two
// namespaces, each a LAN with a TAP for a guest, joined through a Linux router
// namespace that runs Debian's dnsmasq as DHCP and DNS server.
//
//   left (a namespace)             router (a namespace)               right (a namespace)
//   tap0 --+                       lan0 10.1.0.1/24                          +-- tap0
//          br0 -- uplink0 ======== (veth) forwarding (veth) ======== uplink0 -- br0
//                                  lan1 10.2.0.1/24, dnsmasq
//
// Each side's br0 is a plain switch (no address of its own unless a test gives it
// one): a guest on its tap0 is on the router's LAN, so its DHCP broadcasts reach
// dnsmasq, which hands out an address from .100-.199 of that LAN (or the fixed
// one of a host listed in `hosts`, by MAC), the mask, the gateway (the router's
// address on that LAN) and the DNS server (the same address), and answers DNS for
// the listed names. All of it goes with the three namespaces.
import { once } from "node:events";
import { join } from "node:path";
import { createNetns, missingCommands } from "./netns.mjs";

/** The two LANs: the router's address on each (the gateway and DNS server) and the dynamic DHCP range. */
export const LANS = {
  left: { gateway: "10.1.0.1", prefix: 24, range: ["10.1.0.100", "10.1.0.199"] },
  right: { gateway: "10.2.0.1", prefix: 24, range: ["10.2.0.100", "10.2.0.199"] },
};

/** Whether dnsmasq is here; "" if it is, else how to get it. */
export const missingDnsmasq = () => missingCommands({ dnsmasq: "dnsmasq-base" });

/** A side: its namespace, with br0 joining tap0 and uplink0, whose other end is `lan` in `router`. */
function makeSide(router, lan, { gateway, prefix }, mtu) {
  const ns = createNetns();
  ns.ip("link", "add", "br0", "type", "bridge", "stp_state", "0", "forward_delay", "0");
  ns.addTap("tap0", { mtu });
  ns.addVeth("uplink0", router, lan, { peerAddress: `${gateway}/${prefix}`, mtu });
  for (const port of ["tap0", "uplink0"]) ns.ip("link", "set", "dev", port, "master", "br0");
  ns.configure("br0", { mtu });
  return { ns, tap: "tap0" };
}

/** Starts dnsmasq in `router` for both LANs and `hosts`; resolves once it says it has started. */
async function startDnsmasq(router, hosts) {
  const args = [
    "--keep-in-foreground",
    "--conf-file=/dev/null", // none of the machine's configuration
    "--no-resolv",
    "--no-hosts",
    "--no-poll",
    "--bind-interfaces",
    "--interface=lan0",
    "--interface=lan1",
    "--user=root", // the lease file is in the router's own folder
    `--dhcp-leasefile=${join(router.dir, "leases")}`,
    "--pid-file=",
    "--log-facility=-",
    "--log-dhcp",
    "--dhcp-authoritative",
    "--no-ping", // no pinging an address for seconds before offering it: nothing else is on these LANs
    ...Object.values(LANS).map(({ range: [first, last] }) => `--dhcp-range=${first},${last},255.255.255.0,1h`),
    ...hosts.flatMap(({ name, mac, address }) => [...(mac ? [`--dhcp-host=${mac},${address}`] : []), `--host-record=${name},${address}`]),
  ];
  const child = router.spawn(["dnsmasq", ...args], { stdio: ["ignore", "ignore", "pipe"] });
  let log = "";
  child.stderr.setEncoding("utf8").on("data", (d) => (log += d));
  await new Promise((resolve, reject) => {
    child.stderr.on("data", () => /started, version/.test(log) && resolve());
    child.on("exit", (code) => reject(new Error(`dnsmasq exited (${code}) before it started: ${log}`)));
  });
  return { log: () => log, exited: once(child, "exit") };
}

/**
 * Makes the two hosts and the router, with dnsmasq serving `hosts` ([{ name,
 * address, mac? }]: a DNS name for `address`, and with `mac` a fixed DHCP lease of
 * it) and every link at `mtu` if given. Resolves to { router, left, right, dnsmasq,
 * destroy() }; `left` and `right` are { ns, tap }, `dnsmasq.log()` what it logged.
 */
export async function twoHosts({ hosts = [], mtu } = {}) {
  const router = createNetns();
  const made = [router];
  try {
    const left = makeSide(router, "lan0", LANS.left, mtu);
    made.push(left.ns);
    const right = makeSide(router, "lan1", LANS.right, mtu);
    made.push(right.ns);
    router.exec("sysctl", "-qw", "net.ipv4.ip_forward=1");
    const dnsmasq = await startDnsmasq(router, hosts);
    return { router, left, right, dnsmasq, destroy: () => Promise.all(made.map((ns) => ns.destroy())) };
  } catch (error) {
    await Promise.all(made.map((ns) => ns.destroy()));
    throw error;
  }
}

/** Runs `fn(topology)` with twoHosts(options), destroyed afterwards however `fn` ends. */
export async function withTwoHosts(options, fn) {
  const topology = await twoHosts(options);
  try {
    return await fn(topology);
  } finally {
    await topology.destroy();
  }
}
