// Building AssemblyScript unikernels in-process with asc: the project's asconfig.json
// (runtime, memory import, _initialize, abort/seed routing) plus the transform.
// One compiler load serves many guests, which keeps test and example builds fast.
import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { TenderError } from "../core/errors.js";

/** The package root (dist/build/compile.js is two levels down). */
export const PACKAGE_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

type Asc = typeof import("assemblyscript/asc");
let asc: Promise<Asc> | undefined;
/** Compiles run one at a time: each changes the current folder while it runs. */
let queue: Promise<unknown> = Promise.resolve();

/**
 * Compiles `entry` (a .ts file whose folder may hold a manifest.json) to `outFile`.
 * asc resolves asconfig's runtime and `--use` targets against the current folder, so
 * the compile runs from the package root; `entry` and `outFile` may be anywhere.
 */
export function compileGuest(entry: string, outFile: string, extraArgs: readonly string[] = []): Promise<void> {
  const run = queue.then(() => compileNow(entry, outFile, extraArgs));
  queue = run.catch(() => undefined);
  return run;
}

async function compileNow(entry: string, outFile: string, extraArgs: readonly string[]): Promise<void> {
  asc ??= import("assemblyscript/asc");
  const { main } = await asc;
  const absEntry = path.resolve(entry);
  const absOut = path.resolve(outFile);
  const cwd = process.cwd();
  let log = "";
  const stream = { write: (s: string | Uint8Array) => ((log += String(s)), true) };
  process.chdir(PACKAGE_ROOT);
  try {
    const { error } = await main(
      [
        path.relative(PACKAGE_ROOT, absEntry),
        "--config", "asconfig.json",
        "--target", "release",
        "--transform", "./dist/build/transform.js",
        "--outFile", absOut,
        // The entry's own node_modules (nearest first), so `import ... from "solo5-wasm"`
        // and the user's other AssemblyScript packages resolve from the entry, not from here.
        ...nodeModulesAbove(path.dirname(absEntry)).flatMap((dir) => ["--path", dir]),
        ...extraArgs,
      ],
      { stdout: stream, stderr: stream },
    );
    if (error) throw new TenderError(`asc could not build ${entry}: ${error.message}\n${log.trim()}`);
  } finally {
    process.chdir(cwd);
  }
}

/** The node_modules folders from `dir` up to the root. */
function nodeModulesAbove(dir: string): string[] {
  const found: string[] = [];
  for (let d = dir; ; d = path.dirname(d)) {
    const candidate = path.join(d, "node_modules");
    if (fs.existsSync(candidate)) found.push(candidate);
    if (path.dirname(d) === d) return found;
  }
}

/** Every file a guest build reads: the libOS, the build settings, the entry's folder. */
function inputs(entry: string): string[] {
  const walk = (dir: string): string[] =>
    fs.readdirSync(dir, { withFileTypes: true }).flatMap((d) =>
      d.isDirectory() ? walk(path.join(dir, d.name)) : /\.(ts|json)$/.test(d.name) ? [path.join(dir, d.name)] : [],
    );
  return [
    ...walk(path.join(PACKAGE_ROOT, "assembly")),
    path.join(PACKAGE_ROOT, "asconfig.json"),
    path.join(PACKAGE_ROOT, "dist/build/transform.js"),
    path.join(PACKAGE_ROOT, "dist/core/manifest.js"),
    ...walk(path.dirname(path.resolve(entry))),
  ].sort();
}

/** Like compileGuest, but skipped when no input changed since `outFile` was built. */
export async function compileGuestCached(entry: string, outFile: string, extraArgs: readonly string[] = []): Promise<void> {
  const hash = createHash("sha256").update(JSON.stringify(extraArgs));
  for (const file of inputs(entry)) hash.update(file).update(fs.readFileSync(file));
  const digest = hash.digest("hex");
  const stamp = `${outFile}.sha256`;
  if (fs.existsSync(outFile) && fs.existsSync(stamp) && fs.readFileSync(stamp, "utf8") === digest) return;
  fs.mkdirSync(path.dirname(path.resolve(outFile)), { recursive: true });
  await compileGuest(entry, outFile, extraArgs);
  fs.writeFileSync(stamp, digest);
}
