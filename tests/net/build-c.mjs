// Builds the small C programs of the network tests and benchmarks (an impairment
// program, TAP responders, an lwIP server) with the system compiler ($CC, else cc),
// on first use: each is cached under tests/.cache/c by a hash of its source, flags
// and compiler, so a changed source is rebuilt and an unchanged one never is.
//
//   node tests/net/build-c.mjs SOURCE.c [-lLIB...]      (prints the program's path)
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync } from "node:fs";
import { basename, join } from "node:path";
import { fileURLToPath } from "node:url";
import { ROOT } from "../helpers/paths.mjs";

const CACHE = join(ROOT, "tests/.cache/c");
const FLAGS = ["-O2", "-Wall", "-Wextra", "-Werror"];

/** The path of `source` compiled with `flags` (include paths, libraries) after FLAGS; throws with the compiler's complaint. */
export function buildC(source, flags = []) {
  const cc = process.env.CC || "cc";
  const hash = createHash("sha256").update(readFileSync(source)).update(JSON.stringify([cc, FLAGS, flags])).digest("hex").slice(0, 16);
  const program = join(CACHE, `${basename(source, ".c")}-${hash}`);
  if (existsSync(program)) return program;
  mkdirSync(CACHE, { recursive: true });
  // Built aside and renamed: another test process may be building the same program.
  const partial = `${program}.${process.pid}`;
  const r = spawnSync(cc, [...FLAGS, "-o", partial, source, ...flags], { encoding: "utf8" });
  if (r.error) throw new Error(`cannot run ${cc}: ${r.error.message}`);
  if (r.status !== 0) throw new Error(`${cc} failed to build ${source}:\n${r.stderr}`);
  renameSync(partial, program);
  return program;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  console.log(buildC(process.argv[2], process.argv.slice(3)));
}
