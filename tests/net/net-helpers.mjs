// Running network guests for tests and benchmarks: started either way users start
// them (a CLI process, the library API in this process), watched while they run,
// stopped from outside. Plus a ping -f through a TAP and free UDP ports.
import { spawn, spawnSync } from "node:child_process";
import dgram from "node:dgram";
import fs from "node:fs";
import { start } from "../../dist/node/index.js";
import { CLI } from "../helpers/paths.mjs";

/** `devices`: { NAME: { spec, mac? } }, as --net:NAME=SPEC and --net-mac:NAME=MAC. */
function cliArgs(wasm, { args = [], devices = {}, mem = 32, trace = false }) {
  const options = Object.entries(devices).flatMap(([name, d]) => [
    `--net:${name}=${d.spec}`,
    ...(d.mac ? [`--net-mac:${name}=${d.mac}`] : []),
  ]);
  return ["run", `--mem=${mem}`, ...(trace ? ["--trace"] : []), ...options, wasm, ...args];
}

/** Output so far, a way to wait for a piece of it, and the end. */
class Watched {
  stdout = "";
  stderr = "";
  #waiters = [];

  add(stream, text) {
    this[stream] += text;
    this.#waiters = this.#waiters.filter((w) => !w());
  }

  /** Resolves once stdout contains `text`; rejects after `timeoutMs` or if the guest ends first. */
  waitFor(text, timeoutMs = 20000) {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no "${text}" within ${timeoutMs} ms; stdout: ${this.stdout}; stderr: ${this.stderr}`)), timeoutMs);
      const check = () => {
        if (!this.stdout.includes(text)) return false;
        clearTimeout(timer);
        resolve();
        return true;
      };
      if (!check()) this.#waiters.push(check);
      this.exited.then((r) => {
        if (!this.stdout.includes(text)) {
          clearTimeout(timer);
          reject(new Error(`the guest ended (status ${r.status}) without "${text}"; stdout: ${this.stdout}; stderr: ${this.stderr}`));
        }
      });
    });
  }
}

/**
 * Starts `wasm` through the CLI ("cli") or the library ("library"). The result has
 * stdout, stderr, waitFor(text), exited (resolving to { status, stdout, stderr }),
 * stop(), and the CLI's pid.
 */
export async function startGuest(way, wasm, options = {}) {
  const w = new Watched();
  if (way === "cli") {
    const child = spawn(process.execPath, [CLI, ...cliArgs(wasm, options)]);
    child.stdout.setEncoding("utf8").on("data", (d) => w.add("stdout", d));
    child.stderr.setEncoding("utf8").on("data", (d) => w.add("stderr", d));
    w.pid = child.pid;
    w.exited = new Promise((resolve) => child.on("close", (status) => resolve({ status, stdout: w.stdout, stderr: w.stderr })));
    w.stop = async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
      await w.exited;
    };
    return w;
  }
  const decoder = new TextDecoder();
  const devices = Object.fromEntries(
    Object.entries(options.devices ?? {}).map(([name, d]) => [name, { type: "NET_BASIC", spec: d.spec, mac: d.mac }]),
  );
  const guest = await start(fs.readFileSync(wasm), {
    mem: options.mem ?? 32,
    args: options.args ?? [],
    trace: options.trace ?? false,
    devices,
    stdout: (b) => w.add("stdout", decoder.decode(b, { stream: true })),
    stderr: (line) => w.add("stderr", `${line}\n`),
  });
  w.exited = guest.exited.then((r) => ({ ...r, stdout: w.stdout, stderr: w.stderr }));
  w.stop = async () => {
    await guest.stop();
    await w.exited;
  };
  return w;
}

/** Both ways, for describe.each. */
export const WAYS = [["cli"], ["library"]];

/**
 * CPU seconds a process's live threads have used so far, to the nanosecond (the
 * scheduler's own count, /proc/PID/task/TID/schedstat), where /proc/PID/stat counts
 * in clock ticks of 10 ms.
 */
export function cpuSeconds(pid) {
  let ns = 0;
  for (const tid of fs.readdirSync(`/proc/${pid}/task`)) {
    try {
      ns += Number(fs.readFileSync(`/proc/${pid}/task/${tid}/schedstat`, "utf8").split(" ")[0]);
    } catch {
      // the thread ended meanwhile
    }
  }
  return ns / 1e9;
}

/** CPU seconds a started guest uses over `ms`: its CLI process's, or this process's for a library guest. */
export async function cpuOver(guest, ms) {
  const before = guest.pid ? cpuSeconds(guest.pid) : process.cpuUsage();
  await new Promise((r) => setTimeout(r, ms));
  if (guest.pid) return cpuSeconds(guest.pid) - before;
  const used = process.cpuUsage(before);
  return (used.user + used.system) / 1e6;
}

/** `n` UDP ports on 127.0.0.1 that were free a moment ago. */
export async function freeUdpPorts(n) {
  const sockets = await Promise.all(
    Array.from({ length: n }, () => new Promise((resolve) => {
      const s = dgram.createSocket("udp4");
      s.bind(0, "127.0.0.1", () => resolve(s));
    })),
  );
  const ports = sockets.map((s) => s.address().port);
  await Promise.all(sockets.map((s) => new Promise((resolve) => s.close(resolve))));
  return ports;
}

/**
 * `ping -I ifname -fq -c count -w deadline target` (root), after making sure the
 * kernel sends to `target` through `ifname` and nowhere else. Resolves to ping's
 * { transmitted, received, timeMs } summary and output.
 */
export function pingFlood(ifname, target, count, deadlineS = 60) {
  const route = spawnSync("ip", ["-o", "route", "get", target, "oif", ifname], { encoding: "utf8" });
  if (route.status !== 0 || !new RegExp(`\\bdev ${ifname}\\b`).test(route.stdout) || /\bvia\b/.test(route.stdout)) {
    throw new Error(`refusing to flood ${target}: it is not on ${ifname}'s link (${route.stdout.trim()} ${route.stderr.trim()})`);
  }
  const child = spawn("ping", ["-I", ifname, "-f", "-q", "-c", String(count), "-w", String(deadlineS), target]);
  let out = "";
  child.stdout.setEncoding("utf8").on("data", (d) => (out += d));
  child.stderr.setEncoding("utf8").on("data", (d) => (out += d));
  return new Promise((resolve) =>
    child.on("close", (status) => {
      const m = /(\d+) packets transmitted, (\d+) received.*time (\d+)ms/.exec(out);
      const [transmitted, received, timeMs] = m ? m.slice(1).map(Number) : [0, 0, 0];
      resolve({ status, transmitted, received, timeMs, output: out });
    }),
  );
}
