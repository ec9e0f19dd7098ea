// The real Linux ping (iputils) inside a test's namespace, and what its summary says.
// A namespace holds only the links a test made, so these pings cannot leave the
// machine whatever the target.

/** Resolves to { status, stdout, stderr } of `ping -I ifname ARGS target` run in `ns`. */
export function ping(ns, ifname, target, args) {
  const child = ns.spawn(["ping", "-I", ifname, ...args, target], { stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout.setEncoding("utf8").on("data", (chunk) => (stdout += chunk));
  child.stderr.setEncoding("utf8").on("data", (chunk) => (stderr += chunk));
  return new Promise((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (status) => resolve({ status, stdout, stderr }));
  });
}

/**
 * ping's summary: { transmitted, received, duplicates, timeMs, rttMs: { min, avg, max } }
 * (rttMs null when nothing came back); throws with ping's output if there is none.
 */
export function pingSummary(output) {
  const m = /(\d+) packets transmitted, (\d+) received(?:, \+(\d+) duplicates)?.*time (\d+)ms/.exec(output);
  if (!m) throw new Error(`ping gave no summary: ${output.trim()}`);
  const rtt = /rtt min\/avg\/max\/mdev = ([\d.]+)\/([\d.]+)\/([\d.]+)/.exec(output);
  const [transmitted, received, duplicates, timeMs] = m.slice(1).map((x) => Number(x ?? 0));
  return { transmitted, received, duplicates, timeMs, rttMs: rtt ? { min: Number(rtt[1]), avg: Number(rtt[2]), max: Number(rtt[3]) } : null };
}

/** `ping -I ifname -fq -c count -w deadlineS target` in `ns` (root): its status, summary and output. */
export async function pingFlood(ns, ifname, target, count, deadlineS = 60) {
  const r = await ping(ns, ifname, target, ["-f", "-q", "-c", String(count), "-w", String(deadlineS)]);
  const output = r.stdout + r.stderr;
  return { status: r.status, ...pingSummary(output), output };
}
