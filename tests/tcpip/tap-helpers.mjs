// Shared by the TAP tests (tests/tcpip/tap-*.test.mjs): examples/http-serve run by the
// CLI on tap0 of a test's namespace (tap0 10.0.0.1/24, the guest 10.0.0.2/24), Linux's
// clients run in that namespace, the /bytes pattern's hash, and a parser for raw HTTP
// answers. Clients of our own (raw sockets, hundreds of connections) must run in the
// namespace too, since jest's process stays in the machine's network: this file is
// also a script, `node tap-helpers.mjs CLIENT ARGS-JSON`, which inNetns() starts there.
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import net from "node:net";
import { fileURLToPath } from "node:url";
import { example } from "../helpers/paths.mjs";
import { startGuest } from "../net/net-helpers.mjs";
import { createSuiteNetns, missingCommands, netnsSupport } from "../net/netns.mjs";

export const SERVER = "10.0.0.2";
export const CLIENT_ADDRESS = "10.0.0.1/24";
/** Debian's python3, which python3-scapy is for (the pyenv one on PATH lacks it). */
export const PYTHON = "/usr/bin/python3";
const SELF = fileURLToPath(import.meta.url);

/** The Linux tools the TAP tests use, by Debian package. */
const TOOLS = { curl: "curl", wrk: "wrk", nc: "netcat-openbsd", tcpdump: "tcpdump" };

/** Why the TAP tests cannot run here ("" if they can): what netnsSupport() checks, the tools, scapy. */
export function tapSupport({ scapy = false } = {}) {
  const netns = netnsSupport();
  if (!netns.ok) return netns.reason;
  const missing = missingCommands(TOOLS);
  if (missing) return missing;
  if (scapy && spawnSync(PYTHON, ["-c", "import scapy"]).status !== 0) return `${PYTHON} cannot import scapy (apt-get install python3-scapy)`;
  return "";
}

/**
 * Makes tap0 (10.0.0.1/24) in `ns` and starts http-serve on it through the CLI with
 * `args` after its address; resolves once it serves, with the guest (startGuest's)
 * and its MAC.
 */
export async function startHttpServe(ns, { address = `${SERVER}/24`, args = [], mtu, cliOptions } = {}) {
  ns.addTap("tap0", { address: CLIENT_ADDRESS, mtu });
  // 512 MB, the CLI's default: 500 connections hold 64 MB of socket buffers.
  const guest = await startGuest("cli", example("http-serve"), {
    netns: ns,
    mem: 512,
    devices: { service0: { spec: "tap:tap0" } },
    args: [address, ...args],
    cliOptions,
  });
  await guest.waitFor("Serving HTTP on");
  guest.mac = /with MAC: (\S+)/.exec(guest.stdout)[1];
  return guest;
}

/**
 * One http-serve for a whole describe: in beforeAll, a namespace that outlives each
 * test (createSuiteNetns) with http-serve on its tap0. Returns an object whose `ns`
 * and `guest` are set once beforeAll has run.
 */
export function httpServeForSuite(options) {
  const suite = {};
  beforeAll(async () => {
    suite.ns = createSuiteNetns();
    suite.guest = await startHttpServe(suite.ns, options);
  }, 30000);
  afterAll(() => suite.ns?.destroy());
  return suite;
}

/**
 * Runs `argv` in `ns`, `input` (a Buffer or string) on its stdin; resolves with
 * { status, stdout (a Buffer), stderr, ms }, whatever the status. Killed after `timeoutMs`.
 */
export function run(ns, argv, { input, timeoutMs = 30000 } = {}) {
  const started = performance.now();
  const child = ns.spawn(argv, { stdio: [input === undefined ? "ignore" : "pipe", "pipe", "pipe"] });
  const out = [];
  let stderr = "";
  child.stdout.on("data", (d) => out.push(d));
  child.stderr.setEncoding("utf8").on("data", (d) => (stderr += d));
  if (input !== undefined) child.stdin.on("error", () => {}).end(input);
  const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
  return new Promise((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (status, signal) => {
      clearTimeout(timer);
      resolve({ status, signal, stdout: Buffer.concat(out), stderr, ms: performance.now() - started });
    });
  });
}

/** `bash -c script` in `ns` (for pipes), as run(). */
export const sh = (ns, script, options) => run(ns, ["bash", "-c", script], options);

/** curl in `ns` with `args`; resolves with its stdout as text, throwing (with curl's complaint) if it fails. */
export async function curl(ns, ...args) {
  const r = await run(ns, ["curl", "-sS", "--max-time", "60", ...args]);
  if (r.status !== 0) throw new Error(`curl ${args.join(" ")} failed (${r.status}): ${r.stderr.trim()}`);
  return r.stdout.toString();
}

/**
 * tcpdump on tap0 of `ns` with `filter`; resolves once it listens with { stop() },
 * which ends it and resolves with the packets it printed, one a line (-n -tt: numbers
 * and absolute times).
 */
export async function capture(ns, filter) {
  const dump = ns.spawn(["tcpdump", "-i", "tap0", "-n", "-tt", "-l", filter], { stdio: ["ignore", "pipe", "pipe"] });
  let lines = "";
  let log = "";
  dump.stdout.setEncoding("utf8").on("data", (d) => (lines += d));
  await new Promise((resolve, reject) => {
    dump.stderr.setEncoding("utf8").on("data", (d) => (log += d).includes("listening on") && resolve());
    dump.on("exit", (code) => reject(new Error(`tcpdump exited (${code}): ${log}`)));
  });
  return {
    stop: async () => {
      const closed = new Promise((resolve) => dump.on("close", resolve));
      dump.kill("SIGINT");
      await closed;
      return lines.split("\n").filter(Boolean);
    },
  };
}

export const sha256 = (data) => createHash("sha256").update(data).digest("hex");

/** Byte i of /bytes/N: i % 251. */
export function pattern(n) {
  const bytes = Buffer.alloc(n);
  for (let i = 0; i < n; i++) bytes[i] = i % 251;
  return bytes;
}

const patternHashes = new Map();
/** The SHA-256 of /bytes/`n`'s body, computed here a period-aligned block at a time. */
export function patternSha256(n) {
  if (!patternHashes.has(n)) {
    const block = pattern(251 * 4096);
    const hash = createHash("sha256");
    for (let left = n; left > 0; left -= block.length) hash.update(left >= block.length ? block : block.subarray(0, left));
    patternHashes.set(n, hash.digest("hex"));
  }
  return patternHashes.get(n);
}

/** `n` bytes of seeded noise (xorshift32), the same for the same seed. */
export function noise(n, seed = 1) {
  const bytes = Buffer.alloc(n);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < n; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    bytes[i] = x & 0xff;
  }
  return bytes;
}

/**
 * The HTTP responses in `data`, in order: [{ status, headers (lower-case names), body }],
 * a HEAD answer (by `methods[i]`) without a body; stops at the first incomplete one.
 */
export function parseResponses(data, methods = []) {
  const responses = [];
  let at = 0;
  while (at < data.length) {
    const end = data.indexOf("\r\n\r\n", at);
    if (end < 0) break;
    const [statusLine, ...fields] = data.subarray(at, end).toString("latin1").split("\r\n");
    const headers = Object.fromEntries(fields.map((f) => [f.slice(0, f.indexOf(":")).toLowerCase(), f.slice(f.indexOf(":") + 1).trim()]));
    const length = methods[responses.length] === "HEAD" ? 0 : Number(headers["content-length"] ?? 0);
    if (end + 4 + length > data.length) break;
    responses.push({ status: Number(statusLine.split(" ")[1]), statusLine, headers, body: data.subarray(end + 4, end + 4 + length) });
    at = end + 4 + length;
  }
  return responses;
}

/** Runs `client` (one of CLIENTS below) in `ns` with `args`; resolves with what it returns. */
export async function inNetns(ns, client, ...args) {
  const r = await run(ns, [process.execPath, SELF, client, JSON.stringify(args)], { timeoutMs: 60000 });
  if (r.status !== 0) throw new Error(`client ${client} failed (${r.status ?? r.signal}): ${r.stderr}`);
  return JSON.parse(r.stdout.toString());
}

// --- Clients run in the namespace -----------------------------------------------

const GET = (path, extra = "") => `GET ${path} HTTP/1.1\r\nHost: ${SERVER}\r\n${extra}\r\n`;

/**
 * Connects to `port`, writes `request` (base64) at once, and reads until the peer
 * closes or `quietMs` pass with nothing new: { response (base64), closed, error }.
 */
function exchange(port, request, quietMs = 600) {
  return new Promise((resolve) => {
    const chunks = [];
    let error = null;
    let timer;
    const done = (closed) => {
      clearTimeout(timer);
      socket.destroy();
      resolve({ response: Buffer.concat(chunks).toString("base64"), closed, error });
    };
    const quiet = () => {
      clearTimeout(timer);
      timer = setTimeout(() => done(false), quietMs);
    };
    const socket = net.connect(port, SERVER, () => {
      socket.write(Buffer.from(request, "base64"));
      quiet();
    });
    socket.on("data", (d) => {
      chunks.push(d);
      quiet();
    });
    socket.on("error", (e) => (error = e.code));
    socket.on("close", () => done(true));
  });
}

/** One GET of `path` on `socket`, read to the end of its body; resolves with the response, or rejects. */
function getOn(socket, path, extra) {
  return new Promise((resolve, reject) => {
    let data = Buffer.alloc(0);
    const onData = (d) => {
      data = Buffer.concat([data, d]);
      const [response] = parseResponses(data);
      if (response) {
        socket.off("data", onData);
        resolve(response);
      }
    };
    socket.on("data", onData);
    socket.once("error", reject);
    socket.once("close", () => reject(new Error(`closed after ${data.length} bytes`)));
    socket.write(GET(path, extra));
  });
}

const connect = () =>
  new Promise((resolve, reject) => {
    const socket = net.connect(80, SERVER, () => resolve(socket));
    socket.once("error", reject);
  });

const tally = (results) => ({
  ok: results.filter((r) => r.status === "fulfilled" && r.value).length,
  errors: [...new Set(results.filter((r) => r.status === "rejected").map((r) => r.reason.code ?? r.reason.message))],
});

/** `n` connections opened at once, all open before a GET / goes on each, all still open at the last answer. */
async function manyAtOnce(n) {
  const opened = await Promise.allSettled(Array.from({ length: n }, connect));
  const sockets = opened.filter((r) => r.status === "fulfilled").map((r) => r.value);
  const answers = await Promise.allSettled(sockets.map((s) => getOn(s, "/").then((r) => r.status === 200 && r.body.length === 612)));
  sockets.forEach((s) => s.destroy());
  return { connected: sockets.length, ...tally(answers) };
}

/** `n` connections one after another (`parallel` at a time), each a GET / with Connection: close, read until the server closes. */
async function inARow(n, parallel) {
  let next = 0;
  const results = [];
  const one = async () => {
    const socket = await connect();
    const closed = new Promise((resolve) => socket.once("close", resolve));
    const response = await getOn(socket, "/", "Connection: close\r\n").finally(() => socket.on("error", () => {}));
    await closed;
    return response.status === 200 && response.body.length === 612;
  };
  const lane = async () => {
    while (next++ < n) results.push(...(await Promise.allSettled([one()])));
  };
  await Promise.all(Array.from({ length: parallel }, lane));
  return tally(results);
}

/**
 * GET `path`, reading its answer except for `stallMs` after the first `stallAfter`
 * bytes, when it reads nothing (so the kernel's receive buffer fills and its window
 * closes): { status, length, sha256 } of the body.
 */
async function stalledReader(path, stallAfter, stallMs) {
  const socket = await connect();
  const hash = createHash("sha256");
  let head = Buffer.alloc(0);
  let response = null;
  let read = 0;
  let stalled = false;
  socket.write(GET(path, "Connection: close\r\n"));
  socket.on("data", (d) => {
    read += d.length;
    if (response === null) {
      head = Buffer.concat([head, d]);
      const end = head.indexOf("\r\n\r\n");
      if (end < 0) return;
      response = { status: Number(head.subarray(0, end).toString().split(" ")[1]), length: head.length - end - 4 };
      hash.update(head.subarray(end + 4));
    } else {
      response.length += d.length;
      hash.update(d);
    }
    if (!stalled && read >= stallAfter) {
      stalled = true;
      socket.pause();
      setTimeout(() => socket.resume(), stallMs);
    }
  });
  await new Promise((resolve, reject) => socket.on("end", resolve).on("error", reject));
  return { ...response, sha256: hash.digest("hex") };
}

const CLIENTS = { exchange, manyAtOnce, inARow, stalledReader };

if (process.argv[1] === SELF) {
  const [client, args] = process.argv.slice(2);
  process.stdout.write(JSON.stringify(await CLIENTS[client](...JSON.parse(args))));
}
