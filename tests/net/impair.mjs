// Impairing a link inside a test's namespace: loss, duplication, reordering and
// delay for the IPv4 packets crossing one interface, one way or both. This kernel
// has no sch_netem, so iptables hands the packets to a netfilter queue and impair.c
// (built on first use) decides each one's fate from a seeded PRNG; the same seed and
// traffic give the same fates.
//
//   const link = await impairLink(ns, "tap0", { drop: 0.05, seed: 7 });
//   ... traffic ...
//   const counts = await link.stop();   // { in: {...}, out: {...} }: what impair.c did each way
//
// Needs iptables (NFQUEUE, mark), ethtool and libnetfilter-queue-dev.
import { once } from "node:events";
import { fileURLToPath } from "node:url";
import { buildC } from "./build-c.mjs";
import { missingCommands, netnsSupport } from "./netns.mjs";

const SOURCE = fileURLToPath(new URL("./impair.c", import.meta.url));
/** The mark impair.c puts on the duplicates it sends, which the rules let pass. */
const MARK = "0x5e5";
/** The chain a direction's rule goes in: mangle's PREROUTING and POSTROUTING see local and forwarded packets alike. */
const CHAINS = { in: ["PREROUTING", "-i"], out: ["POSTROUTING", "-o"] };

const LIBS = ["-lnetfilter_queue", "-lnfnetlink"];

/** Whether links can be impaired here (what netnsSupport() needs, iptables, ethtool, impair.c built); `reason` says why not. */
export function impairSupport() {
  const netns = netnsSupport();
  if (!netns.ok) return netns;
  const missing = missingCommands({ iptables: "iptables", ethtool: "ethtool" });
  if (missing) return { ok: false, reason: missing };
  try {
    buildC(SOURCE, LIBS);
  } catch (error) {
    return { ok: false, reason: `${error.message.trim()} (apt-get install libnetfilter-queue-dev)` };
  }
  return { ok: true, reason: "" };
}

const queues = new WeakMap();
/** A netfilter queue number not yet used in `ns` (queues are per namespace). */
function nextQueue(ns) {
  const n = queues.get(ns) ?? 0;
  queues.set(ns, n + 1);
  return n;
}

/** impair.c's options from an impairment ({ drop, duplicate, reorder, reorderAfter, reorderHoldMs, delayMs }, fractions and ms). */
function programArgs(queue, seed, impairment) {
  const names = { drop: "drop", duplicate: "duplicate", reorder: "reorder", reorderAfter: "reorder-after", reorderHoldMs: "reorder-hold-ms", delayMs: "delay-ms" };
  return [
    `--queue=${queue}`,
    `--seed=${seed}`,
    `--mark=${MARK}`,
    ...Object.entries(impairment).map(([key, value]) => {
      if (!names[key]) throw new Error(`impairLink: unknown impairment ${key} (known: ${Object.keys(names).join(", ")})`);
      return `--${names[key]}=${value}`;
    }),
  ];
}

/**
 * Impairs the packets crossing `iface` in namespace `ns`: `direction` "in" (arriving
 * on it), "out" (leaving by it) or "both", each way with its own PRNG stream (from
 * `seed`). Offloads are turned off on `iface` so that one packet is one segment.
 * Resolves once the rules are in place with { stop() }, which removes them, lets
 * held packets go and resolves with impair.c's counts per direction. The namespace's
 * end stops it too.
 */
export async function impairLink(ns, iface, { direction = "both", seed = 1, ...impairment } = {}) {
  const program = buildC(SOURCE, LIBS);
  ns.offloadsOff(iface);
  const ways = direction === "both" ? ["in", "out"] : [direction];
  if (!ways.every((way) => CHAINS[way])) throw new Error(`impairLink: direction is in, out or both, not ${direction}`);
  const started = [];
  for (const [i, way] of ways.entries()) {
    const queue = nextQueue(ns);
    const child = ns.spawn([program, ...programArgs(queue, seed + i, impairment)], { stdio: ["ignore", "pipe", "inherit"] });
    let out = "";
    child.stdout.setEncoding("utf8").on("data", (d) => (out += d));
    const [chain, flag] = CHAINS[way];
    const rule = [chain, flag, iface, "-m", "mark", "!", "--mark", MARK, "-j", "NFQUEUE", "--queue-num", String(queue)];
    started.push({ way, child, rule, output: () => out });
    // Rules only once the queue is bound: a packet queued to no program is dropped.
    await new Promise((resolve, reject) => {
      child.stdout.on("data", () => out.includes("ready\n") && resolve());
      child.on("exit", (code) => reject(new Error(`impair exited (${code}) before it was ready: ${out}`)));
    });
    ns.exec("iptables", "-w", "-t", "mangle", "-A", ...rule);
  }
  let stopped;
  const stop = () =>
    (stopped ??= (async () => {
      const counts = {};
      for (const { way, child, rule, output } of started) {
        if (child.exitCode !== null) throw new Error(`impair (${way}) ended before it was stopped: ${output()}`);
        ns.exec("iptables", "-w", "-t", "mangle", "-D", ...rule);
        // "close", not "exit": the counts it prints on SIGTERM may still be in the pipe.
        const exited = once(child, "close");
        child.kill("SIGTERM");
        await exited;
        counts[way] = JSON.parse(output().split("\n").find((line) => line.startsWith("{")));
      }
      return counts;
    })());
  ns.onDestroy(() => stop().catch(() => {}));
  return { stop };
}
