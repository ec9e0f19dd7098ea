import path from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
export const GUEST_SOURCES = path.join(ROOT, "tests/guests");
/** Built test guests: NAME.wasm for tests/guests/NAME(.ts|/main.ts), c/NAME.wasm for tests/guests/c/NAME.c. */
export const GUESTS_DIR = path.join(ROOT, "tests/.cache/guests");
export const CLI = path.join(ROOT, "dist/node/cli.js");

export const guest = (name) => path.join(GUESTS_DIR, `${name}.wasm`);
export const example = (name) => path.join(ROOT, "examples", name, `${name}.wasm`);
export const cGuest = (name) => path.join(GUESTS_DIR, "c", `${name}.wasm`);

/** clang flags that give the ABI v1 module shape (docs/abi.md, "C guests"). */
export const CLANG_FLAGS = [
  "--target=wasm32", "-O2", "-nostdlib",
  "-Wl,--no-entry", "-Wl,--import-memory", "-Wl,--export=solo5_app_main", "-Wl,--export=__heap_base",
];
