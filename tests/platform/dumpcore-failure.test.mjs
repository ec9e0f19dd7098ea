// --dumpcore=DIR is checked at start, but DIR may go (or become unwritable) while the
// guest runs. A core that cannot be written then must not change the guest's ending:
// its trap or abort is reported as usual, status 255, with one line saying no core
// was written, and no crash of the tender.
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { CLI } from "../helpers/paths.mjs";
import { guestWat, watFile } from "../helpers/wat.mjs";

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "solo5-dumpcore-"));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** Sleeps ~300 ms in yield (time for the test to remove DIR), then ends with `end`. */
const sleepThen = (end) =>
  watFile(guestWat({
    imports: `
      (import "solo5" "clock_monotonic" (func $mono (result i64)))
      (import "solo5" "yield" (func $yield (param i64 i32)))
      (import "solo5" "abort" (func $abort))`,
    body: `(call $yield (i64.add (call $mono) (i64.const 300000000)) (i32.const 0)) ${end}`,
  }));

test.each([
  ["a trap", "unreachable", "Solo5: trap: unreachable\n"],
  ["an abort", "(call $abort)", "Solo5: solo5_abort() called\n"],
])("DIR removed before %s: the ending stands, status 255, one line saying no core", async (_, end, line) => {
  const dir = fs.mkdtempSync(path.join(tmp, "core-"));
  const child = spawn(process.execPath, [CLI, "run", "--mem=2", `--dumpcore=${dir}`, sleepThen(end)]);
  let stdout = "";
  let stderr = "";
  child.stderr.on("data", (d) => (stderr += d));
  // Remove DIR once the guest is running (its banner is out), while it sleeps.
  let removed = false;
  child.stdout.on("data", (d) => {
    stdout += d;
    if (!removed && stdout.includes("heap @")) {
      fs.rmdirSync(dir);
      removed = true;
    }
  });
  const status = await new Promise((resolve) => child.on("close", resolve));
  expect(removed).toBe(true);
  expect(status).toBe(255);
  expect(stdout).toContain(line);
  const escaped = dir.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  expect(stderr).toMatch(new RegExp(`^solo5-wasm: cannot dump core: ENOENT: no such file or directory, open '${escaped}/core[^\\n]*: check the --dumpcore directory\\n$`));
  expect(fs.existsSync(dir)).toBe(false);
});
