// The two HTTP panes: http-serve and http-get on a hub of their own inside this page
// (hub:web, so their addresses do not meet the ping pair's on hub:lan). A fetch starts
// http-serve first when it is not running, and waits for its banner. http-get's
// status, size and SHA-256 lines fill its counters; for /bytes/N the hash is checked
// here against the body the server promises (byte i is i % 251).
import { Counters } from "./counters.js";

const HUB = { type: "NET_BASIC", hub: "web" };
const BANNER = /Serving HTTP on (\S+), with MAC: (\S+)$/;
/** Bodies this large are not rebuilt in the page to check their hash. */
const CHECK_MAX = 64 * 1024 * 1024;

export function wireHttp(pane) {
  const serveCounters = new Counters(document.getElementById("http-serve"));
  const getCounters = new Counters(document.getElementById("http-get"));
  const options = () => ({ mem: 32, devices: { service0: HUB } });
  const args = (id) => document.querySelector(`#${id} input[name=args]`).value;

  // While http-serve runs: a promise of whether it came to serve (its banner, true)
  // or ended first (false). null while it does not run.
  let serving = null;
  let announce;
  const serve = pane("http-serve", {
    options,
    onRun() {
      serveCounters.reset();
      serving = new Promise((resolve) => (announce = resolve));
    },
    onLine(line) {
      const m = BANNER.exec(line);
      if (!m) return;
      serveCounters.set("address", m[1]);
      serveCounters.set("mac", m[2]);
      announce(true);
    },
    onEnd() {
      announce(false);
      serving = null;
    },
  });

  /** Starts http-serve unless it runs; resolves once it serves. */
  async function ensureServing() {
    if (serving === null) serve.run(args("http-serve")); // sets `serving` as it starts
    if (!(await serving)) throw new Error("http-serve did not start: see its pane");
  }

  let current; // the fetch under way: when it started, the URL's path
  pane("http-get", {
    options,
    prepare: ensureServing,
    onRun(commandLine) {
      getCounters.reset();
      current = { started: performance.now(), path: /^http:\/\/[^/\s]+(\/\S*)?/.exec(commandLine)?.[1] ?? "/" };
    },
    onLine(line) {
      const [word, value] = line.split(" ");
      if (word === "status") getCounters.set("status", value, { verdict: value.startsWith("2") ? "good" : "bad" });
      else if (word === "bytes") getCounters.set("bytes", Number(value).toLocaleString("en"));
      else if (word === "sha256") {
        getCounters.set("time", `${Math.round(performance.now() - current.started)} ms`);
        showHash(getCounters, value, current.path);
      }
    },
  });
}

/** Shows `hex`, checked against /bytes/N's pattern when `path` is one. */
async function showHash(counters, hex, path) {
  const n = /^\/bytes\/(\d+)$/.exec(path)?.[1];
  if (n === undefined || Number(n) > CHECK_MAX) return counters.set("sha256", hex, { title: hex });
  const expected = await patternSha256(Number(n));
  const matches = hex === expected;
  counters.set("sha256", `${hex} ${matches ? "✓ i % 251" : "✗ not i % 251"}`, { title: `expected ${expected}`, verdict: matches ? "good" : "bad" });
}

/** The SHA-256 of n bytes with byte i = i % 251, in hex. */
async function patternSha256(n) {
  const bytes = new Uint8Array(n);
  for (let i = 0; i < n; i++) bytes[i] = i % 251;
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
  return Array.from(digest, (b) => b.toString(16).padStart(2, "0")).join("");
}
