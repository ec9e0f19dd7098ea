// When asc itself crashes (Binaryen throws inside it), asc prints its crash box and
// calls process.exit: compileGuest turns that into a rejection saying what failed, so a
// library user's process, or a test run, survives one guest's build.
import path from "node:path";
import { compileGuest } from "../../dist/build/compile.js";
import { GUEST_SOURCES } from "../helpers/paths.mjs";
import { tempDir } from "../helpers/temp.mjs";

test("a crash inside asc is a rejected build, not the end of the process", async () => {
  const out = path.join(tempDir("solo5-crash"), "crash.wasm");
  // compileGuest passes its options on unchecked (build's own --runPasses check is not here).
  await expect(compileGuest(path.join(GUEST_SOURCES, "exit.ts"), out, ["--runPasses", "no-such-pass"])).rejects.toThrow(
    /^asc crashed building .*exit\.ts: in runPasses/,
  );
});
