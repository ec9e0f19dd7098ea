// Builds every test guest once per run, in this one process (asc API, cached by
// content; WAT through wabt), before any test starts.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import wabtInit from "wabt";
import { compileGuestCached } from "../../dist/build/compile.js";
import { CLANG_FLAGS, GUESTS_DIR, GUEST_SOURCES, ROOT } from "./paths.mjs";

export default async function globalSetup() {
  fs.mkdirSync(path.join(GUESTS_DIR, "wat"), { recursive: true });
  for (const entry of fs.readdirSync(GUEST_SOURCES, { withFileTypes: true })) {
    if (entry.isFile() && entry.name.endsWith(".ts")) {
      await compileGuestCached(path.join(GUEST_SOURCES, entry.name), path.join(GUESTS_DIR, entry.name.replace(/\.ts$/, ".wasm")));
    } else if (entry.isDirectory() && fs.existsSync(path.join(GUEST_SOURCES, entry.name, "main.ts"))) {
      await compileGuestCached(path.join(GUEST_SOURCES, entry.name, "main.ts"), path.join(GUESTS_DIR, `${entry.name}.wasm`));
    }
  }
  const wabt = await wabtInit();
  const watDir = path.join(GUEST_SOURCES, "wat");
  for (const file of fs.readdirSync(watDir).filter((f) => f.endsWith(".wat"))) {
    const module = wabt.parseWat(file, fs.readFileSync(path.join(watDir, file), "utf8"), { annotations: true });
    fs.writeFileSync(path.join(GUESTS_DIR, "wat", file.replace(/\.wat$/, ".wasm")), module.toBinary({}).buffer);
    module.destroy();
  }
  // C guests: a second toolchain against include/solo5.h (tests skip them without clang).
  const cDir = path.join(GUEST_SOURCES, "c");
  fs.mkdirSync(path.join(GUESTS_DIR, "c"), { recursive: true });
  if (spawnSync("clang", ["--version"]).status !== 0) return;
  for (const file of fs.readdirSync(cDir).filter((f) => f.endsWith(".c"))) {
    const out = path.join(GUESTS_DIR, "c", file.replace(/\.c$/, ".wasm"));
    const cc = spawnSync("clang", [...CLANG_FLAGS, `-I${path.join(ROOT, "include")}`, "-o", out, path.join(cDir, file)], { encoding: "utf8" });
    if (cc.status !== 0) throw new Error(`clang could not build ${file}:\n${cc.stderr}`);
  }
}
