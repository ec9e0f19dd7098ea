// Network namespaces for tests and benchmarks: every TAP, veth, bridge, address,
// route, iptables rule and process a network test needs lives in a namespace it
// made (`ip netns add`), never in the machine's own, so a test cannot clash with a
// user's tap100 or with a second run, and deleting the namespace takes it all away.
//
// A namespace is named s5w-PID-START-N (PID and START, its kernel start time, say
// which process owns it): one whose owner is gone, left by a run that crashed or was
// killed, is removed by the next createNetns(). Each has a temp folder of the same
// name (for sockets, leases, ...) and may have /etc/netns/NAME (for resolv.conf);
// both go with it. Under jest, namespaces still alive after a test (one that failed
// or timed out before its own clean-up) are destroyed after it, so a namespace lives
// within one test; elsewhere, whatever is left at exit.
//
// Linux only; needs root (or CAP_NET_ADMIN and CAP_SYS_ADMIN), iproute2 and
// /dev/net/tun for TAPs.
import { spawn, spawnSync } from "node:child_process";
import { once } from "node:events";
import net from "node:net";
import { accessSync, constants, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import { delimiter, join } from "node:path";
import { fileURLToPath } from "node:url";
import { splice } from "./relay.mjs";

const PREFIX = "s5w-";
const RELAY = fileURLToPath(new URL("./relay.mjs", import.meta.url));
const CAP_NET_ADMIN = 12n;
const CAP_SYS_ADMIN = 21n;

/** Runs `argv` synchronously, returning stdout; throws with the command's own complaint. */
function run(argv) {
  const r = spawnSync(argv[0], argv.slice(1), { encoding: "utf8" });
  if (r.error) throw r.error;
  if (r.status !== 0) throw new Error(`${argv.join(" ")}: ${(r.stderr || r.stdout).trim()}`);
  return r.stdout;
}

/** The kernel's start time of process `pid` (field 22 of /proc/PID/stat), or null if there is none. */
function startTime(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2).split(" ")[19];
  } catch {
    return null;
  }
}

const OWNER = `${process.pid}-${startTime(process.pid)}`;
let made = 0;
/** Live namespaces of this process, by name. */
const live = new Map();

/** Whether the process that made namespace (or folder) `name` is still running. */
function ownerAlive(name) {
  const m = /^s5w-(\d+)-(\d+)-\d+$/.exec(name);
  return m !== null && startTime(m[1]) === m[2];
}

/**
 * Removes namespace `name` at once: kills what still runs in it, deletes it (which
 * deletes its interfaces with it) and its folders. Safe on one half gone already.
 */
function removeNow(name) {
  const pids = spawnSync("ip", ["netns", "pids", name], { encoding: "utf8" }).stdout ?? "";
  for (const pid of pids.split(/\s+/).filter(Boolean).map(Number)) {
    try {
      process.kill(pid, "SIGKILL");
    } catch {
      // ended meanwhile
    }
  }
  spawnSync("ip", ["netns", "del", name]);
  rmSync(join(os.tmpdir(), name), { recursive: true, force: true });
  rmSync(join("/etc/netns", name), { recursive: true, force: true });
}

/** Removes what crashed runs left behind: namespaces and folders of ours whose owner is gone. */
function removeStale() {
  const namespaces = run(["ip", "netns", "list"]).split("\n").map((line) => line.split(" ")[0]);
  const folders = [os.tmpdir(), "/etc/netns"].flatMap((dir) => (existsSync(dir) ? readdirSync(dir) : []));
  for (const name of new Set([...namespaces, ...folders])) {
    if (name.startsWith(PREFIX) && !ownerAlive(name)) removeNow(name);
  }
}

class Netns {
  #children = new Set();
  #closers = [];

  constructor(name) {
    this.name = name;
    /** A folder of this namespace's own, removed with it. */
    this.dir = join(os.tmpdir(), name);
  }

  /** `ip ARGS` in this namespace (`ip -n NAME ARGS`), returning stdout. */
  ip(...args) {
    return run(["ip", "-n", this.name, ...args]);
  }

  /** Runs `argv` in this namespace and waits for it, returning stdout; throws if it fails. */
  exec(...argv) {
    return run(["ip", "netns", "exec", this.name, ...argv]);
  }

  /**
   * Starts `argv` in this namespace (`ip netns exec` execs it, so the child's pid is
   * the program's own). It is killed when the namespace is destroyed.
   */
  spawn(argv, options = {}) {
    const child = spawn("ip", ["netns", "exec", this.name, ...argv], options);
    this.#children.add(child);
    child.on("exit", () => this.#children.delete(child));
    return child;
  }

  /** Has `close()` called (awaited) when this namespace is destroyed, before its processes are stopped. */
  onDestroy(close) {
    this.#closers.push(close);
  }

  /** Whether interface `name` exists here. */
  hasLink(name) {
    return spawnSync("ip", ["-n", this.name, "link", "show", "dev", name]).status === 0;
  }

  /**
   * Creates TAP (or, to test refusals, TUN) interface `name` owned by `user` if given,
   * with `address` and `mtu`, and brings it up unless `up` is false.
   */
  addTap(name, { address, mtu, up = true, mode = "tap", user } = {}) {
    this.ip("tuntap", "add", name, "mode", mode, ...(user === undefined ? [] : ["user", String(user)]));
    this.configure(name, { address, mtu, up });
  }

  /**
   * Creates a veth pair: `name` here, `peerName` in namespace `peer` (another
   * Netns), each end with its address and the same MTU, both up.
   */
  addVeth(name, peer, peerName, { address, peerAddress, mtu } = {}) {
    this.ip("link", "add", name, "type", "veth", "peer", "name", peerName, "netns", peer.name);
    this.configure(name, { address, mtu });
    peer.configure(peerName, { address: peerAddress, mtu });
  }

  /** Gives interface `name` `address` and `mtu`, and brings it up unless `up` is false. */
  configure(name, { address, mtu, up = true } = {}) {
    if (address) this.ip("addr", "add", address, "dev", name);
    const settings = [...(mtu ? ["mtu", String(mtu)] : []), ...(up ? ["up"] : [])];
    if (settings.length) this.ip("link", "set", "dev", name, ...settings);
  }

  /**
   * Turns segmentation and receive offloads off on `name`, so that one packet the
   * kernel handles is one frame on the wire, as a guest or an impaired link sees it.
   */
  offloadsOff(name) {
    this.exec("ethtool", "-K", name, "tso", "off", "gso", "off", "gro", "off");
  }

  /** Makes programs run here (through `ip netns exec`) resolve names with `nameserver`. */
  useNameserver(nameserver) {
    const dir = join("/etc/netns", this.name);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, "resolv.conf"), `nameserver ${nameserver}\n`);
  }

  /**
   * Makes TCP `host`:`port` of this namespace reachable from this process's network
   * (for a browser, say) through a Unix socket in this namespace's folder; resolves
   * with the port on 127.0.0.1 that leads there. Closed with the namespace.
   */
  async forward(port, host = "127.0.0.1") {
    const socketPath = join(this.dir, `forward-${port}.sock`);
    const relay = this.spawn([process.execPath, RELAY, socketPath, host, String(port)], { stdio: ["ignore", "pipe", "inherit"] });
    await once(relay.stdout, "data");
    const sockets = new Set();
    const server = net.createServer((outside) => {
      sockets.add(outside.on("close", () => sockets.delete(outside)));
      splice(outside, net.connect(socketPath));
    });
    await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
    this.onDestroy(async () => {
      sockets.forEach((s) => s.destroy());
      await new Promise((resolve) => server.close(resolve));
    });
    return server.address().port;
  }

  /** Stops what runs here (SIGTERM, then SIGKILL after 2 s) and deletes the namespace and its folders. */
  async destroy() {
    if (!live.delete(this.name)) return;
    for (const close of this.#closers.splice(0)) await close().catch(() => {});
    await Promise.all(
      [...this.#children].map(async (child) => {
        if (child.exitCode !== null || child.signalCode !== null) return;
        const exited = once(child, "exit");
        child.kill("SIGTERM");
        const timer = setTimeout(() => child.kill("SIGKILL"), 2000);
        await exited;
        clearTimeout(timer);
      }),
    );
    removeNow(this.name);
  }
}

/** A new namespace with its loopback up and IPv6 off (so the kernel does not chatter on its links). */
export function createNetns() {
  removeStale();
  const name = `${PREFIX}${OWNER}-${++made}`;
  run(["ip", "netns", "add", name]);
  const ns = new Netns(name);
  live.set(name, ns);
  try {
    mkdirSync(ns.dir);
    ns.ip("link", "set", "dev", "lo", "up");
    ns.exec("sysctl", "-qw", "net.ipv6.conf.all.disable_ipv6=1", "net.ipv6.conf.default.disable_ipv6=1");
  } catch (error) {
    live.delete(name);
    removeNow(name);
    throw error;
  }
  return ns;
}

/** Runs `fn(ns)` in a new namespace, destroyed afterwards however `fn` ends. */
export async function withNetns(fn) {
  const ns = createNetns();
  try {
    return await fn(ns);
  } finally {
    await ns.destroy();
  }
}

/** Names of namespaces made by createSuiteNetns(), which outlive the test that made them. */
const suite = new Set();

/**
 * A new namespace, as createNetns(), that lives until the end of the test file (or
 * its own destroy()), not just of one test: for a server that several tests share,
 * made in beforeAll. Under jest it is destroyed after the file's last test.
 */
export function createSuiteNetns() {
  const ns = createNetns();
  suite.add(ns.name);
  return ns;
}

async function destroyAll({ keepSuite = false } = {}) {
  await Promise.all([...live.values()].filter((ns) => !(keepSuite && suite.has(ns.name))).map((ns) => ns.destroy()));
}

// A test that timed out never reaches its own finally: clean up after every test
// (but for createSuiteNetns()'s, after the file's tests). Elsewhere (benchmarks,
// scripts), at exit; a killed process leaves its namespaces to the next createNetns().
if (typeof afterEach === "function") {
  afterEach(() => destroyAll({ keepSuite: true }));
  afterAll(() => destroyAll());
} else process.on("exit", () => [...live.keys()].forEach(removeNow));

function onPath(command) {
  return (process.env.PATH ?? "").split(delimiter).some((dir) => {
    try {
      accessSync(join(dir, command), constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

/** Of `commands` ({ command: Debian package }), says which is not installed and how to install it; "" if none is missing. */
export function missingCommands(commands) {
  const missing = Object.entries(commands).find(([command]) => !onPath(command));
  return missing ? `${missing[0]} is not installed (apt-get install ${missing[1]})` : "";
}

function hasCapability(bit) {
  const capEff = /^CapEff:\s*([0-9a-f]+)$/m.exec(readFileSync("/proc/self/status", "utf8"));
  return capEff !== null && ((BigInt(`0x${capEff[1]}`) >> bit) & 1n) === 1n;
}

let support;
/** Whether namespaced TAP tests can run here; `reason` says why not. Tried once per process. */
export function netnsSupport() {
  support ??= (() => {
    if (process.platform !== "linux") return "network namespaces and TAP interfaces are Linux-only";
    if (!hasCapability(CAP_NET_ADMIN) || !hasCapability(CAP_SYS_ADMIN)) return "needs root (CAP_NET_ADMIN and CAP_SYS_ADMIN)";
    if (!existsSync("/dev/net/tun")) return "/dev/net/tun is missing (`modprobe tun`)";
    const missing = missingCommands({ ip: "iproute2", ping: "iputils-ping" });
    if (missing) return missing;
    // A sandbox may still refuse namespaces or interfaces: try once for real.
    let ns;
    try {
      ns = createNetns();
      ns.addTap("probe0");
      return "";
    } catch (error) {
      return `cannot make a network namespace with a TAP interface: ${error.message}`;
    } finally {
      if (ns) {
        live.delete(ns.name);
        removeNow(ns.name);
      }
    }
  })();
  return { ok: support === "", reason: support };
}
