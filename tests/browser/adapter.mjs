// Runs a conformance case (tests/conformance/) in a page through the browser entry,
// giving every block device a zeroed in-memory disk, and returns what the Node adapter
// returns, so the same checks apply. The page is tests/browser/blank.html.
import path from "node:path";
import { ROOT, example, guest } from "../helpers/paths.mjs";
import { wat } from "../helpers/wat.mjs";

/** The URL path of a built guest: the server serves the repository root. */
const urlPath = (file) => `/${path.relative(ROOT, file).split(path.sep).join("/")}`;

function kernelSource(k) {
  if (k.example) return { url: urlPath(example(k.example)) };
  if (k.guest) return { url: urlPath(guest(k.guest)) };
  return { base64: Buffer.from(wat(k.wat)).toString("base64") };
}

export async function runInPage(page, c) {
  const r = await page.evaluate(runThere, { kernel: kernelSource(c.kernel), args: c.args ?? [], mem: c.mem ?? 32, blocks: c.blocks ?? {} });
  const disks = Object.fromEntries(Object.entries(r.disks).map(([name, b64]) => [name, new Uint8Array(Buffer.from(b64, "base64"))]));
  return { ...r, disks };
}

/** Runs in the page: everything it needs comes in `input`, and everything it returns is JSON. */
async function runThere({ kernel, args, mem, blocks }) {
  const fromBase64 = (s) => Uint8Array.from(atob(s), (ch) => ch.charCodeAt(0));
  const toBase64 = (bytes) => btoa(Array.from(bytes, (b) => String.fromCharCode(b)).join(""));
  const bytes = kernel.url ? await fetchBytes(kernel.url) : fromBase64(kernel.base64);
  const disks = Object.fromEntries(Object.entries(blocks).map(([name, size]) => [name, new ArrayBuffer(size)]));
  const devices = Object.fromEntries(Object.entries(disks).map(([name, memory]) => [name, { type: "BLOCK_BASIC", memory }]));
  const result = await runCollected(bytes, { mem, args, devices });
  return { ...result, disks: Object.fromEntries(Object.entries(disks).map(([name, buffer]) => [name, toBase64(new Uint8Array(buffer))])) };
}
