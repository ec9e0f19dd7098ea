// Running network guests for tests and benchmarks: started either way users start
// them (a CLI process, the library API), in this process's network or inside a
// test's namespace (netns.mjs), watched while they run, stopped from outside. Plus
// CPU time of a process and free UDP ports.
import { spawn } from "node:child_process";
import dgram from "node:dgram";
import fs from "node:fs";
import { fileURLToPath } from "node:url";
import { start } from "../../dist/node/index.js";
import { CLI } from "../helpers/paths.mjs";
import { rpcClient } from "./rpc.mjs";

const LIBRARY_HOST = fileURLToPath(new URL("./library-host.mjs", import.meta.url));

/** `devices`: { NAME: { spec, mac? } }, as --net:NAME=SPEC and --net-mac:NAME=MAC; `cliOptions`: more of run's options. */
function cliArgs(wasm, { args = [], devices = {}, mem = 32, trace = false, cliOptions = [] }) {
  const options = Object.entries(devices).flatMap(([name, d]) => [
    `--net:${name}=${d.spec}`,
    ...(d.mac ? [`--net-mac:${name}=${d.mac}`] : []),
  ]);
  return ["run", `--mem=${mem}`, ...(trace ? ["--trace"] : []), ...cliOptions, ...options, wasm, ...args];
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
 * Starts `wasm` through the CLI ("cli") or the library ("library"), in namespace
 * `options.netns` if given. The result has stdout, stderr, waitFor(text), exited
 * (resolving to { status, stdout, stderr }), stop(), and the pid of the process the
 * guest runs in (the CLI's, or the library host's in a namespace).
 */
export async function startGuest(way, wasm, options = {}) {
  const w = new Watched();
  if (way === "cli") {
    const argv = [process.execPath, CLI, ...cliArgs(wasm, options)];
    const child = options.netns ? options.netns.spawn(argv) : spawn(argv[0], argv.slice(1));
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
  const devices = Object.fromEntries(
    Object.entries(options.devices ?? {}).map(([name, d]) => [name, { type: "NET_BASIC", spec: d.spec, mac: d.mac }]),
  );
  const startOptions = { mem: options.mem ?? 32, args: options.args ?? [], trace: options.trace ?? false, devices };
  const guest = options.netns ? await startInNetns(options.netns, wasm, startOptions, w) : await startHere(wasm, startOptions, w);
  w.exited = guest.exited.then((r) => ({ ...r, stdout: w.stdout, stderr: w.stderr }));
  w.stop = async () => {
    await guest.stop();
    await w.exited;
  };
  return w;
}

/** A library guest in this process. */
function startHere(wasm, options, w) {
  const decoder = new TextDecoder();
  return start(fs.readFileSync(wasm), {
    ...options,
    stdout: (b) => w.add("stdout", decoder.decode(b, { stream: true })),
    stderr: (line) => w.add("stderr", `${line}\n`),
  });
}

const hosts = new WeakMap();
/**
 * The library host of namespace `ns` (library-host.mjs, started on first use): one
 * process per namespace, so that a test's library guests share hubs as they would
 * in one process. Its `guests` map (by the id the test gives each) routes each
 * guest's output and end.
 */
export function libraryHost(ns) {
  if (!hosts.has(ns)) {
    const guests = new Map();
    const child = ns.spawn([process.execPath, LIBRARY_HOST], { stdio: ["ignore", "inherit", "inherit", "ipc"], serialization: "advanced" });
    const rpc = rpcClient(child, ({ id, stream, text, exited }) => {
      const g = guests.get(id);
      if (stream) g.watched.add(stream, text);
      else g.end(exited);
    });
    hosts.set(ns, { ...rpc, guests, nextId: 0 });
  }
  return hosts.get(ns);
}

/** A library guest in namespace `ns`, run by its library host: { exited, stop() } as start() gives. */
async function startInNetns(ns, wasm, options, w) {
  const host = libraryHost(ns);
  let end;
  const exited = new Promise((resolve) => (end = resolve));
  // Named here, before it starts: its first output may come before start's answer.
  const id = host.nextId++;
  host.guests.set(id, { watched: w, end });
  await host.call("start", id, wasm, options);
  w.pid = host.pid;
  return { exited, stop: () => host.call("stop", id) };
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
