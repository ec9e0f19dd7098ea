// The link impairment of impair.mjs, checked with what answers today: the real ping
// through a TAP to examples/ping-serve (CLI), in a namespace of the test's own. Each
// impairment shows in ping's own figures and agrees with impair.c's counts; with
// none, not one packet of a flood is lost (the program must not lose packets itself).
// Needs what impairSupport() checks; skipped, saying why, without it.
import { example } from "../helpers/paths.mjs";
import { impairLink, impairSupport } from "./impair.mjs";
import { startGuest } from "./net-helpers.mjs";
import { withNetns } from "./netns.mjs";
import { ping, pingFlood, pingSummary } from "./ping.mjs";

const usable = impairSupport();
if (!usable.ok) console.warn(`skipping the link impairment tests: ${usable.reason}`);
const describeNetns = usable.ok ? describe : describe.skip;

/** Runs `fn(ns)` with ping-serve answering for 10.0.0.2 on tap0 (10.0.0.1/24) in a new namespace. */
function withPingServe(fn) {
  return withNetns(async (netns) => {
    netns.addTap("tap0", { address: "10.0.0.1/24" });
    const serve = await startGuest("cli", example("ping-serve"), { netns, devices: { service0: { spec: "tap0" } } });
    await serve.waitFor("Serving ping");
    // Once ARP is settled, every frame the test counts is an IPv4 one, which iptables sees.
    expect((await ping(netns, "tap0", "10.0.0.2", ["-c", "1", "-W", "2"])).status).toBe(0);
    await fn(netns);
  });
}

/** `ping -c count -i intervalS` with one line per reply: its summary and the icmp_seq of each reply, in the order they came. */
async function pingLines(ns, count, intervalS) {
  const r = await ping(ns, "tap0", "10.0.0.2", ["-c", String(count), "-i", String(intervalS), "-W", "1"]);
  const seqs = [...r.stdout.matchAll(/icmp_seq=(\d+)/g)].map((m) => Number(m[1]));
  return { ...pingSummary(r.stdout), seqs, stdout: r.stdout };
}

const noKernelDrops = { queueFull: 0, unread: 0, enobufs: 0, lineFull: 0 };

describeNetns("an impaired link (NFQUEUE and impair.c)", () => {
  test("with no impairment, a flood of 20000 pings both ways loses nothing", () =>
    withPingServe(async (ns) => {
      const link = await impairLink(ns, "tap0");
      const flood = await pingFlood(ns, "tap0", "10.0.0.2", 20000);
      const counts = await link.stop();
      expect({ received: flood.received, duplicates: flood.duplicates }).toEqual({ received: 20000, duplicates: 0 });
      for (const way of ["in", "out"]) {
        expect(counts[way]).toEqual(expect.objectContaining({ ...noKernelDrops, dropped: 0, duplicated: 0, reordered: 0 }));
        expect(counts[way].seen).toBeGreaterThanOrEqual(20000);
      }
    }), 60000);

  test("30 % loss one way loses about 30 % of the pings, each drop counted", () =>
    withPingServe(async (ns) => {
      const link = await impairLink(ns, "tap0", { direction: "out", drop: 0.3, seed: 3 });
      const r = await pingLines(ns, 1000, 0.002);
      const { out } = await link.stop();
      const lost = r.transmitted - r.received;
      expect(lost / r.transmitted).toBeGreaterThan(0.25);
      expect(lost / r.transmitted).toBeLessThan(0.35);
      expect(out).toEqual(expect.objectContaining({ ...noKernelDrops, dropped: lost }));
    }), 60000);

  test("duplication shows as ping's DUP! replies", () =>
    withPingServe(async (ns) => {
      const link = await impairLink(ns, "tap0", { direction: "in", duplicate: 0.2, seed: 5 });
      const r = await pingLines(ns, 200, 0.01);
      const counts = await link.stop();
      expect(r.stdout).toContain("DUP!");
      expect(r.received).toBe(200);
      expect(r.duplicates).toBe(counts.in.duplicated);
      expect(r.duplicates).toBeGreaterThan(20);
      expect(r.duplicates).toBeLessThan(60);
    }), 30000);

  test("reordering brings replies out of order, and loses none", () =>
    withPingServe(async (ns) => {
      const link = await impairLink(ns, "tap0", { direction: "in", reorder: 0.2, reorderAfter: 2, seed: 9 });
      const r = await pingLines(ns, 200, 0.005);
      const counts = await link.stop();
      const late = r.seqs.filter((seq, i) => i > 0 && seq < r.seqs[i - 1]).length;
      expect(r.received).toBe(200);
      expect(counts.in.reordered).toBeGreaterThan(20);
      expect(late).toBeGreaterThan(10);
      expect(r.seqs.toSorted((a, b) => a - b)).toEqual(Array.from({ length: 200 }, (_, i) => i + 1));
    }), 30000);

  test("a delay adds to every round trip", () =>
    withPingServe(async (ns) => {
      const link = await impairLink(ns, "tap0", { direction: "out", delayMs: 50 });
      const r = await pingLines(ns, 20, 0.02);
      const { out } = await link.stop();
      expect(r.received).toBe(20);
      expect(r.rttMs.min).toBeGreaterThanOrEqual(50);
      expect(r.rttMs.max).toBeLessThan(150);
      expect(out.delayed).toBe(out.seen);
    }), 30000);
});
