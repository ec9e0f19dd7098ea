// Builds every test guest (asc API, cached by content; C through clang) in this one
// process: run by global-setup.mjs before any test starts. WAT guests are made inside
// the tests themselves (tests/helpers/wat.mjs).
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { compileGuestCached } from "../../dist/build/compile.js";
import { CLANG_FLAGS, GUESTS_DIR, GUEST_SOURCES, ROOT } from "./paths.mjs";

async function buildGuests() {
  fs.mkdirSync(GUESTS_DIR, { recursive: true });
  for (const entry of fs.readdirSync(GUEST_SOURCES, { withFileTypes: true })) {
    if (entry.isFile() && entry.name.endsWith(".ts")) {
      await compileGuestCached(path.join(GUEST_SOURCES, entry.name), path.join(GUESTS_DIR, entry.name.replace(/\.ts$/, ".wasm")));
    } else if (entry.isDirectory() && fs.existsSync(path.join(GUEST_SOURCES, entry.name, "main.ts"))) {
      await compileGuestCached(path.join(GUEST_SOURCES, entry.name, "main.ts"), path.join(GUESTS_DIR, `${entry.name}.wasm`));
    }
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

await buildGuests();
