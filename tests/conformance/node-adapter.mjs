// Runs a conformance case (solo5-cases.mjs) the two ways Node users do, through the
// CLI and through the library API, giving every block device a fresh zeroed file.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { example, guest } from "../helpers/paths.mjs";
import { BOTH } from "../helpers/run.mjs";
import { watFile } from "../helpers/wat.mjs";

const kernelPath = (k) => (k.example ? example(k.example) : k.guest ? guest(k.guest) : watFile(k.wat));

async function runCase(runGuest, c) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "solo5-conformance-"));
  try {
    const files = Object.entries(c.blocks ?? {}).map(([name, size]) => {
      const file = path.join(dir, `${name}.img`);
      fs.writeFileSync(file, Buffer.alloc(size));
      return [name, file];
    });
    const r = await runGuest(kernelPath(c.kernel), {
      args: c.args,
      mem: c.mem,
      cliOptions: files.map(([name, file]) => `--block:${name}=${file}`),
      libOptions: { devices: Object.fromEntries(files.map(([name, file]) => [name, { type: "BLOCK_BASIC", path: file }])) },
    });
    const disks = Object.fromEntries(files.map(([name, file]) => [name, new Uint8Array(fs.readFileSync(file))]));
    return { ...r, disks };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** [["cli", runCase], ["library", runCase]], for describe.each. */
export const NODE_WAYS = BOTH.map(([way, runGuest]) => [way, (c) => runCase(runGuest, c)]);
