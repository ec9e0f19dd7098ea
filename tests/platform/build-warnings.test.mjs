// solo5-wasm build warns when the guest acquires a device its manifest.json does not
// declare (or there is none), saying where the declaration goes; a guest whose
// manifest declares what it acquires, or that acquires in a comment only, builds quietly.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { compileGuest } from "../../dist/build/compile.js";
import { runCli } from "../helpers/run.mjs";
import { ROOT } from "../helpers/paths.mjs";

const project = fs.mkdtempSync(path.join(os.tmpdir(), "solo5-build-warnings-"));
const MAIN = `import { Block, Net } from "solo5-wasm/assembly";
// Block.acquire("old") is gone
export function solo5_app_main(_si: usize): i32 {
  const net = Net.acquire("service0");
  const disk = Block.acquire( "storage" );
  return net === null || disk === null ? 1 : 0;
}
`;
const manifest = (devices) => JSON.stringify({ type: "solo5.manifest", version: 1, devices });

beforeAll(() => {
  fs.mkdirSync(path.join(project, "node_modules"));
  fs.symlinkSync(ROOT, path.join(project, "node_modules", "solo5-wasm"));
});
afterAll(() => fs.rmSync(project, { recursive: true, force: true }));

/** A guest folder with MAIN and, unless undefined, a manifest of `devices`. */
function guestDir(devices) {
  const dir = fs.mkdtempSync(path.join(project, "guest-"));
  fs.writeFileSync(path.join(dir, "main.ts"), MAIN);
  if (devices !== undefined) fs.writeFileSync(path.join(dir, "manifest.json"), manifest(devices));
  return dir;
}

test("no manifest.json: one warning naming where it goes and what to put in it", async () => {
  const dir = guestDir(undefined);
  const warnings = await compileGuest(path.join(dir, "main.ts"), path.join(dir, "k.wasm"));
  const file = path.relative(process.cwd(), path.join(dir, "manifest.json"));
  expect(warnings).toEqual([
    `${path.relative(process.cwd(), path.join(dir, "main.ts"))} acquires NET_BASIC device service0 and BLOCK_BASIC device storage, but there is no ${file} beside it: create it with ` +
      `{ "type": "solo5.manifest", "version": 1, "devices": [ { "name": "service0", "type": "NET_BASIC" }, { "name": "storage", "type": "BLOCK_BASIC" } ] }`,
  ]);
});

test("a manifest without one of the devices: a warning for that one", async () => {
  const dir = guestDir([{ name: "storage", type: "BLOCK_BASIC" }]);
  const warnings = await compileGuest(path.join(dir, "main.ts"), path.join(dir, "k.wasm"));
  expect(warnings).toEqual([expect.stringMatching(/acquires NET_BASIC device service0, which .*manifest\.json does not declare: add \{ "name": "service0", "type": "NET_BASIC" \} to its devices$/)]);
});

test("a manifest declaring both: no warning; solo5-wasm build prints its warnings on stderr", async () => {
  const dir = guestDir([{ name: "service0", type: "NET_BASIC" }, { name: "storage", type: "BLOCK_BASIC" }]);
  expect(await compileGuest(path.join(dir, "main.ts"), path.join(dir, "k.wasm"))).toEqual([]);
  fs.rmSync(path.join(dir, "manifest.json"));
  const r = await runCli(["build", "main.ts", "-o", "k.wasm"], { cwd: dir });
  expect(r.status).toBe(0);
  expect(r.stderr).toMatch(/^solo5-wasm: warning: main\.ts acquires NET_BASIC device service0 and BLOCK_BASIC device storage, but there is no manifest\.json beside it: create it with /);
});
