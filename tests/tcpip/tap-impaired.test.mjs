// http-serve through a TAP whose path is impaired both ways (tests/net/impair.mjs:
// NFQUEUE and a seeded verdict program, since this kernel has no netem): downloads
// and uploads under 5 % loss, and under reordering and duplication, hash-checked;
// a reader slower than the link (curl --limit-rate); and one that stops reading for a
// while, so that its receive buffer fills and the guest must fill and probe a window
// shut to zero (tcpdump in the namespace sees it). One
// http-serve serves every test; each impairs the link for itself and lifts it.
import fs from "node:fs";
import path from "node:path";
import { impairLink, impairSupport } from "../net/impair.mjs";
import { capture, curl, httpServeForSuite, inNetns, noise, patternSha256, run, SERVER, sh, sha256, tapSupport } from "./tap-helpers.mjs";

const reason = tapSupport() || impairSupport().reason;
if (reason) console.warn(`skipping the impaired TAP tests: ${reason}`);
const describeTap = reason ? describe.skip : describe;

const URL = `http://${SERVER}`;

/** Downloads /bytes/`size` and uploads `size` bytes to /echo and /sha256, checking every byte by hash. */
async function transfers(ns, size, seed) {
  const download = await sh(ns, `curl -sS --max-time 60 ${URL}/bytes/${size} | sha256sum`, { timeoutMs: 70000 });
  expect(download.stdout.toString().split(" ")[0]).toBe(patternSha256(size));
  const body = noise(size, seed);
  const file = path.join(ns.dir, `upload-${seed}`);
  fs.writeFileSync(file, body);
  const echoed = await run(ns, ["curl", "-sS", "--max-time", "60", "--data-binary", `@${file}`, `${URL}/echo`], { timeoutMs: 70000 });
  expect({ length: echoed.stdout.length, sha256: sha256(echoed.stdout) }).toEqual({ length: size, sha256: sha256(body) });
  expect(await curl(ns, "--data-binary", `@${file}`, `${URL}/sha256`)).toBe(`${sha256(body)}\n`);
  fs.rmSync(file);
}

/** Runs `fn` with tap0 impaired by `impairment` both ways; resolves with the program's counts. */
async function impaired(ns, impairment, fn) {
  const link = await impairLink(ns, "tap0", { direction: "both", ...impairment });
  try {
    await fn();
  } catch (error) {
    await link.stop().catch(() => {});
    throw error;
  }
  return link.stop();
}

describeTap("http-serve through TAP on an impaired path", () => {
  const suite = httpServeForSuite();

  test("5 % loss both ways: 2 MB down and up, byte-exact", async () => {
    const counts = await impaired(suite.ns, { drop: 0.05, seed: 11 }, () => transfers(suite.ns, 2000000, 1));
    expect(counts.in.dropped).toBeGreaterThan(0);
    expect(counts.out.dropped).toBeGreaterThan(0);
  }, 60000);

  test("reordering and duplication both ways: 10 MB down and up, byte-exact", async () => {
    const impairment = { duplicate: 0.02, reorder: 0.05, reorderAfter: 3, reorderHoldMs: 20, seed: 21 };
    const counts = await impaired(suite.ns, impairment, () => transfers(suite.ns, 10000000, 2));
    for (const way of ["in", "out"]) {
      expect(counts[way].duplicated).toBeGreaterThan(0);
      expect(counts[way].reordered).toBeGreaterThan(0);
    }
  }, 60000);

  test("a slow reader (curl --limit-rate 400k): the guest keeps to Linux's narrowing window, every byte arrives", async () => {
    const size = 2000000;
    const r = await sh(suite.ns, `curl -sS --max-time 60 --limit-rate 400k ${URL}/bytes/${size} | sha256sum`, { timeoutMs: 70000 });
    expect(r.stdout.toString().split(" ")[0]).toBe(patternSha256(size));
  }, 60000);

  test("a reader that stops: the guest fills the window, probes it while it is zero, every byte arrives", async () => {
    const dump = await capture(suite.ns, "tcp port 80");
    const r = await inNetns(suite.ns, "stalledReader", "/bytes/8000000", 100000, 3000);
    const lines = await dump.stop();
    expect(r).toEqual({ status: 200, length: 8000000, sha256: patternSha256(8000000) });
    // Linux advertises a zero window once the guest has sent all the window allowed
    // (a last piece smaller than a segment goes at the latest on the override timer,
    // RFC 9293 3.8.6.2.1); until it reopens, the guest's persist timer probes it.
    const fromClient = /10\.0\.0\.1\.\d+ > 10\.0\.0\.2\.80: .* win (\d+),/;
    const zero = lines.findIndex((l) => fromClient.exec(l)?.[1] === "0");
    expect({ zeroWindow: zero >= 0 }).toEqual({ zeroWindow: true });
    const reopened = lines.findIndex((l, i) => i > zero && Number(fromClient.exec(l)?.[1] ?? 0) > 0);
    const probes = lines.slice(zero + 1, reopened).filter((l) => l.includes(" 10.0.0.2.80 > "));
    expect(probes.length).toBeGreaterThan(0);
  }, 60000);
});
