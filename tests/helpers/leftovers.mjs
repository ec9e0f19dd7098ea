// What a test run must not leave behind, checked by jest's global teardown: files in
// the temp folder (the run gets one of its own, as TMPDIR, so that other runs on the
// machine do not count), processes started under jest, network namespaces of ours
// whose owner is gone, and interfaces added to the machine's own namespace.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

/** Interface names in the machine's own namespace. */
function links() {
  return execFileSync("ip", ["-o", "link", "show"], { encoding: "utf8" })
    .split("\n")
    .filter(Boolean)
    .map((line) => line.split(": ")[1].split("@")[0]);
}

const namespaces = () => execFileSync("ip", ["netns", "list"], { encoding: "utf8" }).split("\n").filter(Boolean).map((l) => l.split(" ")[0]);

/** Whether process `pid` started at kernel time `start` still runs (see tests/net/netns.mjs). */
function alive(pid, start) {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2).split(" ")[19] === start;
  } catch {
    return false;
  }
}

/**
 * Processes the run started that still run, as "pid command line": those whose
 * environment holds the run's TMPDIR (children of a worker that has ended are no
 * longer below jest, but keep that), jest and its workers left out.
 */
function startedBy(tmp) {
  const marker = `TMPDIR=${tmp}`;
  const out = [];
  for (const entry of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      if (!fs.readFileSync(`/proc/${entry}/environ`, "utf8").split("\0").includes(marker)) continue;
      const cmd = fs.readFileSync(`/proc/${entry}/cmdline`, "utf8").replaceAll("\0", " ").trim();
      if (!/jest-worker|processChild\.js/.test(cmd)) out.push(`${entry} ${cmd}`);
    } catch {
      // ended meanwhile, or not ours to read
    }
  }
  return out;
}

/** Before the run: its own temp folder (TMPDIR, which jest's workers inherit) and what the network has. */
export function beforeRun() {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "solo5-test-run-"));
  process.env.TMPDIR = tmp;
  return { tmp, links: links(), namespaces: namespaces() };
}

/** After the run: one line per thing left behind (empty when clean); the run's temp folder is removed. */
export function afterRun(before) {
  const left = [];
  for (const entry of fs.readdirSync(before.tmp)) left.push(`temp file or folder ${entry}`);
  for (const p of startedBy(before.tmp)) left.push(`process ${p}`);
  fs.rmSync(before.tmp, { recursive: true, force: true });
  for (const name of links()) if (!before.links.includes(name)) left.push(`interface ${name} in the machine's own namespace`);
  for (const name of namespaces()) {
    const m = /^s5w-(\d+)-(\d+)-\d+$/.exec(name);
    if (m && !before.namespaces.includes(name) && !alive(m[1], m[2])) left.push(`network namespace ${name}`);
  }
  return left;
}
