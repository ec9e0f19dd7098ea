// Solo5's mft_maxdevices: 63 devices, the most a manifest may declare, all attached;
// the guest reaches the first and the last. One more device is refused before the
// guest runs (the module is the same guest with a 64-device manifest put in).
import fs from "node:fs";
import path from "node:path";
import { replaceCustomSection } from "../../dist/core/index.js";
import { guest } from "../helpers/paths.mjs";
import { BOTH, expectSuccess, runCli, runLib } from "../helpers/run.mjs";
import { blockOptions, disk, scratchDir } from "./helpers.mjs";

const names = (n) => Array.from({ length: n }, (_, i) => `storage${i}`);

/** Fresh 4 KiB disks, as tests.bats makes them. */
function disks(n) {
  const dir = scratchDir();
  return Object.fromEntries(names(n).map((name) => [name, disk(dir, `${name}.img`, 4096)]));
}

describe.each(BOTH)("via the %s", (_way, runGuest) => {
  test("63 devices: storage0 and storage62 acquired, each writes to its own file", async () => {
    const files = disks(63);
    const r = await runGuest(guest("mft_maxdevices"), blockOptions(files));
    expectSuccess(r);
    const head = (name) => fs.readFileSync(files[name]).subarray(0, 16).toString("latin1").replace(/\0+$/, "");
    expect(head("storage0")).toBe("storage0");
    expect(head("storage62")).toBe("storage62");
    for (const name of names(62).slice(1)) expect(fs.readFileSync(files[name]).equals(Buffer.alloc(4096))).toBe(true);
  });
});

describe("64 devices", () => {
  const manifest = { type: "solo5.manifest", version: 1, devices: names(64).map((name) => ({ name, type: "BLOCK_BASIC" })) };
  const module = replaceCustomSection(fs.readFileSync(guest("mft_maxdevices")), "solo5.manifest", Buffer.from(JSON.stringify(manifest)));
  const file = path.join(scratchDir(), "mft64.wasm");
  fs.writeFileSync(file, module);
  const message = /invalid manifest: 64 devices declared, at most 63 are allowed/;

  test("the CLI refuses the module, even with all 64 attached", async () => {
    const { cliOptions } = blockOptions(disks(64));
    const r = await runCli(["run", "--mem=2", ...cliOptions, file]);
    expect(r.stderr).toMatch(new RegExp(`^solo5-wasm: ${file}: ${message.source}\\n$`));
    expect(r.stdout).toBe("");
    expect(r.status).toBe(1);
  });

  test("the library refuses it", async () => {
    await expect(runLib(file, blockOptions(disks(64)).libOptions)).rejects.toThrow(message);
  });

  test("embed-manifest will not write such a manifest", async () => {
    const json = path.join(scratchDir(), "manifest.json");
    fs.writeFileSync(json, JSON.stringify(manifest));
    const r = await runCli(["embed-manifest", json, guest("mft_maxdevices"), "-o", path.join(path.dirname(json), "out.wasm")]);
    expect(r.stderr).toMatch(message);
    expect(r.status).toBe(1);
  });
});
