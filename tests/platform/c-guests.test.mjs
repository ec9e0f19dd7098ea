// Guests from a second toolchain (clang + include/solo5.h) on the same contract.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import { BOTH, expectSuccess } from "../helpers/run.mjs";
import { cGuest } from "../helpers/paths.mjs";

const haveClang = spawnSync("clang", ["--version"]).status === 0 && fs.existsSync(cGuest("hello"));
if (!haveClang) console.warn("skipping C guests: clang (Debian packages clang and lld) is not installed");

(haveClang ? describe.each(BOTH) : describe.skip.each(BOTH))("C guests via the %s", (_way, runGuest) => {
  test("hello: start info, command line and heap as ABI section 2 lays them out", async () => {
    const r = await runGuest(cGuest("hello"), { args: ["Hello_Solo5"], mem: 3 });
    expectSuccess(r);
    expect(r.stdout).toContain("Command line is: 'Hello_Solo5'\n");
  });

  test("yield with an unsigned deadline and a ready set", async () => {
    expectSuccess(await runGuest(cGuest("yield")));
  });
});
