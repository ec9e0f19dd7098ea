// Guests written in WAT inside the tests (wabt turns them into wasm), for shapes no
// toolchain would emit: bad imports, bad pointers, broken manifests.
import fs from "node:fs";
import path from "node:path";
import wabtInit from "wabt";
import { tempDir } from "./temp.mjs";

const wabt = await wabtInit();
let dir; // made on the first watFile()
let count = 0;

/** WAT text -> wasm bytes. */
export function wat(text) {
  const module = wabt.parseWat("guest.wat", text, { annotations: true, threads: true, exceptions: true, extended_const: true, memory64: true });
  try {
    return new Uint8Array(module.toBinary({}).buffer);
  } finally {
    module.destroy();
  }
}

/** WAT text -> a .wasm file path. */
export function watFile(text) {
  dir ??= tempDir("solo5-wasm-wat");
  const file = path.join(dir, `guest${count++}.wasm`);
  fs.writeFileSync(file, wat(text));
  return file;
}

/** A WAT string literal holding `text` (for @custom sections). */
export const watString = (text) =>
  `"${[...new TextEncoder().encode(text)].map((b) => `\\${b.toString(16).padStart(2, "0")}`).join("")}"`;

/**
 * A minimal guest with the ABI's shape; every part can be replaced to break it.
 * `body` runs in solo5_app_main before it returns 0.
 */
export function guestWat({
  memory = `(import "env" "memory" (memory 1))`,
  imports = "",
  heapBase = `(global (export "__heap_base") i32 (i32.const 1024))`,
  main = null,
  body = "",
  extra = "",
  manifest = null,
} = {}) {
  return `(module
    ${memory}
    ${imports}
    ${heapBase}
    ${main ?? `(func (export "solo5_app_main") (param i32) (result i32) ${body} (i32.const 0))`}
    ${extra}
    ${manifest === null ? "" : `(@custom "solo5.manifest" ${watString(typeof manifest === "string" ? manifest : JSON.stringify(manifest))})`}
  )`;
}

/** A manifest document with these devices. */
export const manifestOf = (devices) => ({ type: "solo5.manifest", version: 1, devices });
