// solo5-wasm build: an AssemblyScript unikernel compiled with asc and this package's
// settings, then checked as run would check it.
import fs from "node:fs";
import path from "node:path";
import { TenderError } from "../../core/errors.js";
import { checkKernelRuns } from "../../core/kernel.js";
import { wordedIn } from "../../core/options.js";
import { loadKernelFile } from "../kernels.js";
import { CLI_WORDS } from "../words.js";

export async function buildCommand(argv: string[]): Promise<number> {
  const [entry, flag, out, ...rest] = argv;
  const ascOptions = rest.slice(1);
  if (!entry || flag !== "-o" || !out || (rest.length > 0 && rest[0] !== "--")) {
    throw new TenderError("usage: solo5-wasm build ENTRY.ts -o KERNEL.wasm [-- ASC_OPTIONS...]");
  }
  if (sameFile(entry, out)) {
    throw new TenderError(`build: -o ${out} is the entry file itself and would be overwritten: give another output, e.g. -o ${entry.replace(/\.ts$/, "") || "kernel"}.wasm`);
  }
  // asc reads process.argv when it is imported, as its own command line: "--wasm FILE"
  // there would load FILE as the compiler. build's command line is not asc's.
  process.argv.splice(2);
  const { checkAscOptions, compileGuest } = await import("../../build/compile.js");
  try {
    const warnings = await compileGuest(entry, out, await checkAscOptions(ascOptions, process.cwd()));
    for (const w of warnings) process.stderr.write(`solo5-wasm: warning: ${w}\n`);
  } catch (e) {
    // asc says a feature is off, not how to turn it on through build.
    const feature = /AS103: Feature '([\w-]+)' is not enabled/.exec((e as Error).message)?.[1];
    if (feature === undefined) throw e;
    throw new TenderError(`${(e as Error).message}\nto enable ${feature}: solo5-wasm build ${entry} -o ${out} -- --enable ${feature}`);
  }
  // What run would refuse (no solo5_app_main export, a bad manifest) fails the build,
  // as a missing solo5_app_main fails Solo5's link.
  try {
    checkKernelRuns(await loadKernelFile(out));
  } catch (e) {
    fs.rmSync(out, { force: true });
    throw new TenderError(`${entry} compiled, but not into a kernel (${out} removed): ${wordedIn(CLI_WORDS, e as Error).message}`);
  }
  return 0;
}

/** Whether two paths name one file (also through links, when the second exists). */
function sameFile(a: string, b: string): boolean {
  if (path.resolve(a) === path.resolve(b)) return true;
  try {
    const [sa, sb] = [fs.statSync(a), fs.statSync(b)];
    return sa.dev === sb.dev && sa.ino === sb.ino;
  } catch {
    return false;
  }
}
