// A TAP interface deleted or set down under a running guest, in a namespace of the
// test's own: the guest goes on, its frames are counted as dropped, and its yield
// sleeps (no CPU spent spinning on the dead descriptor). net-pinger asks for a MAC
// nobody has every 100 ms for 10 s (a write, then a yield with a deadline), then
// fails; --solo5:debug prints the device's counters at its end.
import { guest } from "../helpers/paths.mjs";
import { cpuOver, startGuest, WAYS } from "../net/net-helpers.mjs";
import { netnsSupport, withNetns } from "../net/netns.mjs";

const usable = netnsSupport();
if (!usable.ok) console.warn(`skipping the TAP fault tests: ${usable.reason}`);
const describeTap = usable.ok ? describe : describe.skip;

const FAULTS = [
  ["deleted", (ns) => ns.ip("link", "del", "tap0"), /^solo5-wasm: TAP interface tap0 of net device service0 was deleted: the guest goes on, its frames are dropped and none arrive\n$/],
  ["set down", (ns) => ns.ip("link", "set", "dev", "tap0", "down"), /^$/],
];

describeTap.each(WAYS)("via the %s", (way) => {
  test.each(FAULTS)("the TAP interface %s while the guest runs: it goes on, frames dropped, yield sleeps", (_what, fault, stderr) =>
    withNetns(async (ns) => {
      ns.addTap("tap0", { address: "10.0.0.1/24" });
      const g = await startGuest(way, guest("net-pinger"), {
        netns: ns,
        args: ["--solo5:debug", "10.0.0.2/24", "10.0.0.9", "1"],
        devices: { service0: { spec: "tap:tap0" } },
      });
      try {
        await g.waitFor("heap @");
        await new Promise((r) => setTimeout(r, 500)); // a few ARP requests go out
        fault(ns);
        // Asleep between its writes, the guest uses a few ms of CPU a second; a yield
        // woken at once by the dead descriptor would use all of one.
        expect(await cpuOver(g, 1000)).toBeLessThan(0.3);
        const r = await g.exited;
        expect(r.stdout).toContain("net-pinger: no ARP reply from 10.0.0.9\nFAILURE\n");
        const [, tx, dropped] = /device service0: rx \d+ tx (\d+) dropped rx \d+ tx (\d+)/.exec(r.stdout) ?? [];
        expect(Number(tx)).toBeGreaterThan(0);
        expect(Number(dropped)).toBeGreaterThan(50); // ~95 of the 100 requests came after the fault
        expect(r.stderr).toMatch(stderr);
        expect(r.status).toBe(1);
      } finally {
        await g.stop();
      }
    }), 60000);
});
