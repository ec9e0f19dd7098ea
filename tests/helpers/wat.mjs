// Guests written in WAT inside the tests (wabt turns them into wasm), for shapes no
// toolchain would emit: bad imports, bad pointers, broken manifests.
import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import wabtInit from "wabt";

const wabt = await wabtInit();
// Files are named by their content in the suite's cache (git-ignored), not in a temp
// folder per import: jest imports this afresh in every test file and no exit hook
// of its sandbox removes such folders.
const dir = path.join(path.dirname(fileURLToPath(import.meta.url)), "../.cache/wat");

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
  const bytes = wat(text);
  const file = path.join(dir, `${createHash("sha256").update(bytes).digest("hex").slice(0, 24)}.wasm`);
  if (!fs.existsSync(file)) {
    fs.mkdirSync(dir, { recursive: true });
    // Written whole under another name first: test files in parallel may make the same one.
    const part = `${file}.${process.pid}`;
    fs.writeFileSync(part, bytes);
    fs.renameSync(part, file);
  }
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
