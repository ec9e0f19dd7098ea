// Builds the allocator benchmark's guests into a scratch folder: the workload and the
// code-size probe with the libOS allocator, AssemblyScript's stock runtime (TLSF) and
// an empty bump allocator (AssemblyScript guests are built as the project builds every
// guest: asconfig.json and the transform, through dist/build/compile.js), and the C
// workload and probe with wasi-libc's dlmalloc or a bump allocator.
import { execFileSync } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../../", import.meta.url));
const here = (f) => path.join(root, "bench/alloc", f);

async function asc(out, entry, extra = []) {
  let compileGuest;
  try {
    ({ compileGuest } = await import("../../dist/build/compile.js"));
  } catch (e) {
    throw new Error(`the allocator benchmark builds guests with dist/build/compile.js: run \`npm run build\` first (${e.message})`);
  }
  await compileGuest(entry, out, extra);
  return out;
}

// -nodefaultlibs: Debian's wasi-libc comes without compiler-rt's wasm32 builtins, which
// these files do not need.
// clang's wasm driver runs any `wasm-opt` it finds on PATH over what it links, and npm
// puts binaryen's (node_modules/.bin) there: under `npm run bench` dlmalloc's code came
// out at 10,836 bytes, run directly at 12,146. The baseline is Debian's toolchain as
// it is, so those folders are left off PATH, whoever runs the bench.
const toolchainEnv = {
  ...process.env,
  PATH: (process.env.PATH ?? "").split(path.delimiter).filter((d) => !d.includes(`node_modules${path.sep}.bin`)).join(path.delimiter),
};
function clang(out, source, extra = []) {
  try {
    execFileSync("clang", ["--target=wasm32-wasi", "-O2", "-nostartfiles", "-nodefaultlibs",
      "-Wl,--no-entry", "-Wl,--import-memory", "-Wl,--export=__heap_base", ...extra,
      source, "-lc", "-o", out], { stdio: ["ignore", "ignore", "inherit"], env: toolchainEnv });
  } catch (e) {
    throw new Error(`the dlmalloc baseline needs clang, lld and wasi-libc (Debian packages): ${e.message}`);
  }
  return out;
}

export async function build(dir) {
  const o = (f) => path.join(dir, f);
  const stock = ["--runtime", "incremental"];
  // The workload's zero-filled static table would be a 1 MiB data segment without this.
  const workload = here("workload.ts");
  const zero = "--zeroFilledMemory";
  // The size probes without assertions: stock TLSF's would pull in the abort handler.
  const probe = ["--noAssert"];
  return {
    libos: await asc(o("libos.wasm"), workload, [zero, "--use", "LIBOS=1"]),
    stock: await asc(o("stock.wasm"), workload, [zero, ...stock]),
    dlmalloc: clang(o("dlmalloc.wasm"), here("workload.c")),
    sizeLibos: await asc(o("size-libos.wasm"), here("size-probe-libos.ts"), probe),
    sizeStock: await asc(o("size-stock.wasm"), here("size-probe.ts"), [...probe, ...stock]),
    sizeBump: await asc(o("size-bump.wasm"), here("size-probe.ts"), [...probe, "--runtime", "./bench/alloc/bump"]),
    sizeDlmalloc: clang(o("size-dlmalloc.wasm"), here("size-probe.c")),
    sizeCBump: clang(o("size-cbump.wasm"), here("size-probe.c"), ["-DBUMP"]),
  };
}
