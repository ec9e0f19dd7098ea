// ABI v1.1's entropy call in a page (crypto.getRandomValues, in pieces of at most
// 65536 bytes): the same guests and checks as tests/platform/entropy.test.mjs.
import fs from "node:fs";
import path from "node:path";
import { GUEST_SOURCES, ROOT, guest } from "../helpers/paths.mjs";
import { wat } from "../helpers/wat.mjs";
import { browserSession } from "./harness.mjs";

const session = browserSession();
const EDGES = Array.from(wat(fs.readFileSync(`${GUEST_SOURCES}/entropy-edges.wat`, "utf8")));
const ENTROPY = `/${path.relative(ROOT, guest("entropy"))}`;

test("the AssemblyScript API fills buffers of any size; the guest says ABI v1.1", async () => {
  const r = await session.page.evaluate(async (url) => runCollected(await fetchBytes(url), { mem: 2 }), ENTROPY);
  expect(r.stdout).toContain("SUCCESS\n");
  expect(r.stdout).toMatch(/^Solo5: Bindings version v\d+\.\d+\.\d+ \(solo5-wasm, ABI v1\.1\)$/m);
  expect(r.status).toBe(0);
});

test("65536 bytes fill, 65537 are EINVAL with nothing written, 0 anywhere, up to the end of memory; one byte past stops the guest", async () => {
  const r = await session.page.evaluate((bytes) => runCollected(new Uint8Array(bytes), { mem: 2, args: ["--solo5:quiet"] }), EDGES);
  expect(r).toEqual(expect.objectContaining({ status: 1, stdout: "edge cases OK\n", stderr: "solo5-wasm: invalid guest access in entropy: ptr=0x1ffff0 len=17\n" }));
});
