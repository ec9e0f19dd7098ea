// Building AssemblyScript unikernels in-process with asc: the project's asconfig.json
// (runtime, memory import, _initialize, abort/seed routing) plus the transform.
// One compiler load serves many guests, which keeps test and example builds fast.
import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { TenderError } from "../core/errors.js";
import { WARNING } from "./acquired.js";

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
export async function compileGuest(entry: string, outFile: string, extraArgs: readonly string[] = []): Promise<string[]> {
  return (await compileReading(entry, outFile, extraArgs)).warnings;
}

/**
 * compileGuest, resolving to every source file asc read (absolute paths) and the
 * build's warnings (a device acquired that manifest.json lacks), paths in them as seen
 * from the caller's folder.
 */
function compileReading(entry: string, outFile: string, extraArgs: readonly string[]): Promise<{ read: string[]; warnings: string[] }> {
  const run = queue.then(() => compileNow(entry, outFile, extraArgs));
  queue = run.catch(() => undefined);
  return run;
}

async function compileNow(entry: string, outFile: string, extraArgs: readonly string[]): Promise<{ read: string[]; warnings: string[] }> {
  asc ??= import("assemblyscript/asc");
  const { main } = await asc;
  const absEntry = path.resolve(entry);
  const absOut = path.resolve(outFile);
  const cwd = process.cwd();
  let log = "";
  const stream = { write: (s: string | Uint8Array) => ((log += String(s)), true) };
  // asc's own writeFile drops write errors (the build would "succeed" without output)
  // and makes folders with mkdir -p, which never returns for some paths (/proc/x/y).
  let writeError: TenderError | undefined;
  const writeFile = async (name: string, contents: string | Uint8Array, baseDir: string): Promise<void> => {
    const file = path.resolve(baseDir, name);
    const shown = file === absOut ? outFile : file;
    try {
      makeFolders(path.dirname(file));
    } catch (e) {
      writeError ??= new TenderError(`cannot write ${shown}: cannot create its folder ${path.dirname(shown)}: ${reasonOf(e)}`);
      return;
    }
    try {
      await fs.promises.writeFile(file, contents);
    } catch (e) {
      writeError ??= writeFailure(shown, e);
    }
  };
  // asc reads through here (sources, packages, asconfig.json, and the transform's
  // manifest.json): what it read is what a cached build depends on.
  // Paths asc looked for and did not find count too: a file that appears there later
  // can change how an import resolves.
  const read = new Set<string>();
  const readFile = async (name: string, baseDir: string): Promise<string | null> => {
    const file = path.resolve(baseDir, name);
    read.add(file);
    try {
      return await fs.promises.readFile(file, "utf8");
    } catch {
      return null;
    }
  };
  process.chdir(PACKAGE_ROOT);
  const crash = catchAscCrash();
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
      { stdout: stream, stderr: stream, writeFile, readFile },
    );
    // The transform's refusal of manifest.json is the user's mistake, not asc's: one
    // line, naming the file as the user knows it (beside the entry they gave).
    const manifest = (error as { manifestError?: string } | null)?.manifestError;
    if (manifest !== undefined) throw new TenderError(`${path.join(path.dirname(entry), "manifest.json")}: ${manifest}`);
    if (error) {
      // Compile errors are listed in the log (asc makes such an error's stack its
      // message); any other failure is its message alone, without the stack asc logs.
      const listed = error.stack === error.message ? `\n${fromUserFolder(log.trim(), cwd)}` : "";
      throw new TenderError(`asc could not build ${entry}: ${error.message}${listed}`);
    }
    if (writeError) throw writeError;
  } catch (e) {
    if (e instanceof AscCrash) throw new TenderError(`asc crashed building ${entry}: ${e.message}`);
    throw e;
  } finally {
    crash.restore();
    process.chdir(cwd);
  }
  const warnings = log.split("\n").filter((l) => l.startsWith(WARNING)).map((l) => fromUserPaths(l.slice(WARNING.length), cwd));
  return { read: [...read].sort(), warnings };
}

/** The absolute paths in a warning of the transform, as seen from `userCwd`. */
const fromUserPaths = (line: string, userCwd: string): string => line.replace(/\/\S+?\.(?:ts|json)\b/g, (file) => path.relative(userCwd, file) || file);

/** asc's crash report ends the process (process.exit(1) after console.error): that
 * would end a library user's process, or a test run, for one guest's build. */
class AscCrash extends Error {}

/**
 * While asc runs: process.exit throws an AscCrash carrying what asc wrote on
 * console.error (its crash box, reduced to the lines that say what failed), and
 * console.error is held back, then passed on if nothing crashed.
 */
function catchAscCrash(): { restore(): void } {
  const exit = process.exit;
  const consoleError = console.error;
  const held: unknown[][] = [];
  let crashed = false;
  console.error = (...args: unknown[]) => void held.push(args);
  process.exit = ((code?: number) => {
    crashed = true;
    // The box names the step ("crashed during optimize") and, when there is one, the
    // error's message first in its stack trace ("▌ Error: ...") or after "▌ > ".
    const report = held.map((a) => a.join(" ")).join("\n");
    const step = /crashed during (\S+)/.exec(report)?.[1] ?? `exit(${code ?? 0})`;
    const detail = /\u258C (?:> )?((?:[A-Za-z]*Error|Fatal|abort)\b.*)/.exec(report)?.[1];
    throw new AscCrash(`in ${step}${detail ? `: ${detail.trim()}` : ""}`);
  }) as typeof process.exit;
  return {
    restore() {
      process.exit = exit;
      console.error = consoleError;
      if (!crashed) for (const args of held) consoleError(...args);
    },
  };
}

const OWN = "is set by build itself (-o names the output): leave it out of the asc options";
const SECOND_FILE = "writes a file besides the kernel, and build writes -o's file alone: leave it out of the asc options";
const NO_BUILD = "stops asc before it writes a kernel: leave it out of the asc options";

/**
 * asc options that build does not pass on (by asc's name for them, whatever alias was
 * given), and why: each would undo what build guarantees, one kernel at -o that the
 * tender runs, and no other file written.
 */
const REFUSED: Record<string, string> = {
  outFile: OWN,
  config: OWN,
  target: OWN,
  transform: OWN,
  runtime: "is set by build itself (the libOS runtime, which allocates only in the heap the tender gives): leave it out of the asc options",
  exportStart: "is set by build itself (_initialize, which the tender calls before solo5_app_main): leave it out of the asc options",
  baseDir: "is set by build itself (paths are taken from the folder build runs in): leave it out of the asc options",
  wasm: "would swap the compiler build runs: leave it out of the asc options",
  textFile: SECOND_FILE,
  bindings: SECOND_FILE,
  sourceMap: SECOND_FILE,
  noEmit: NO_BUILD,
  showConfig: NO_BUILD,
  help: "stops asc before it writes a kernel: npx asc --help prints asc's options",
  version: "stops asc before it writes a kernel: npx asc --version prints asc's version",
};

/** asc options whose values are folders or files: relative ones are the user's. */
const PATH_OPTIONS = new Set(["lib", "path"]);

/**
 * A user's asc options (`build ... -- ASC_OPTIONS`), as compileGuest must get them:
 * refused in one line if asc does not know one, if it is build's own or would write
 * elsewhere, or if something else than an option or its value is given; --lib and
 * --path values made relative to the folder asc runs in (asc takes them from its own
 * folder, the package root). compileGuest itself passes its options on unchecked: the
 * project's own builds choose theirs (the allocator bench swaps the runtime).
 */
export async function checkAscOptions(args: readonly string[], userCwd: string): Promise<string[]> {
  asc ??= import("assemblyscript/asc");
  const { options } = await asc;
  const { parse } = await import("assemblyscript/util/options.js");
  if (args.includes("--")) {
    throw new TenderError("build: -- is given twice: everything after the first goes to asc as it is; leave out the second");
  }
  const keysOf = (arg: string) => (arg.startsWith("-") ? Object.keys(parse([arg], options, false).options) : []);
  for (const arg of args) {
    const why = keysOf(arg).map((key) => REFUSED[key]).find((w) => w !== undefined);
    if (why !== undefined) throw new TenderError(`build: ${arg} ${why}`);
  }
  const { options: given, unknown, arguments: stray } = parse([...args], options, false);
  if (unknown[0] !== undefined) throw new TenderError(`build: asc has no option ${unknown[0]}: leave it out (npx asc --help lists asc's options)`);
  if (stray[0] !== undefined) {
    throw new TenderError(`build: ${stray[0]} after -- is neither an asc option nor an option's value: build compiles ENTRY.ts alone (import other files from it)`);
  }
  if (typeof given.runPasses === "string") await checkPasses(given.runPasses);
  const fromPackageRoot = (list: string) =>
    list.split(",").map((p) => path.relative(PACKAGE_ROOT, path.resolve(userCwd, p.trim())) || ".").join(",");
  const out = [...args];
  for (let i = 0; i < out.length; i++) {
    if (!keysOf(out[i]!).some((key) => PATH_OPTIONS.has(key))) continue;
    const eq = out[i]!.indexOf("=");
    if (eq >= 0) out[i] = `${out[i]!.slice(0, eq + 1)}${fromPackageRoot(out[i]!.slice(eq + 1))}`;
    else if (i + 1 < out.length && !out[i + 1]!.startsWith("-")) {
      i++;
      out[i] = fromPackageRoot(out[i]!);
    }
  }
  return out;
}

/**
 * --runPasses: Binaryen throws on a pass it cannot run (an unknown name; the Stack IR
 * passes, which are not run alone), and asc answers by printing a crash report and
 * ending the process. Each pass is tried on an empty module first.
 */
async function checkPasses(list: string): Promise<void> {
  const { default: binaryen } = await import("binaryen");
  for (const pass of new Set(list.split(",").map((p) => p.trim()))) {
    if (pass === "") continue;
    const module = new binaryen.Module();
    try {
      module.runPasses([pass]);
    } catch {
      throw new TenderError(`build: --runPasses ${pass}: Binaryen cannot run this pass (unknown, or not one to run alone): leave it out of the asc options`);
    } finally {
      module.dispose();
    }
  }
}

/**
 * asc names source locations relative to the folder it ran in, the package root
 * ("in ../../home/me/guest/main.ts(2,16)"); the user needs them relative to their own.
 * Library locations ("~lib/...") are left as they are.
 */
function fromUserFolder(log: string, userCwd: string): string {
  return log.replace(
    /(└─ in )([^~].*?)(\(\d+,\d+\))$/gm,
    (_, lead: string, file: string, at: string) => lead + path.relative(userCwd, path.resolve(PACKAGE_ROOT, file)) + at,
  );
}

/** mkdir -p, one level at a time (fs.mkdir's recursive mode loops forever on some paths). */
function makeFolders(dir: string): void {
  if (fs.existsSync(dir)) return;
  const parent = path.dirname(dir);
  if (parent !== dir) makeFolders(parent);
  try {
    fs.mkdirSync(dir);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
  }
}

/** Why `file` could not be written, as one line (build -o, embed-manifest -o). */
export function writeFailure(file: string, e: unknown): TenderError {
  const code = (e as NodeJS.ErrnoException | null)?.code;
  const dir = path.dirname(file);
  const why =
    code === "ENOENT" ? `its folder ${dir} does not exist: create it first (mkdir -p ${dir})`
    : code === "EISDIR" ? `it is a folder: give a file name, e.g. ${path.join(file, "kernel.wasm")}`
    : code === "ENOTDIR" ? "a part of its path is a file, not a folder"
    : code === "EACCES" || code === "EPERM" ? "no permission to write there: choose another path"
    : code === "EROFS" ? "the file system is read-only: choose another path"
    : code === "ENOSPC" ? "no space left on the device"
    : reasonOf(e);
  return new TenderError(`cannot write ${file}: ${why}`);
}

/** A system error's message without its code and the call and path Node adds. */
const reasonOf = (e: unknown): string =>
  String((e as Error | null)?.message ?? e).replace(/^[A-Z]+: /, "").replace(/, \w+( '.*')?$/s, "");

/** The node_modules folders from `dir` up to the root. */
function nodeModulesAbove(dir: string): string[] {
  const found: string[] = [];
  for (let d = dir; ; d = path.dirname(d)) {
    const candidate = path.join(d, "node_modules");
    if (fs.existsSync(candidate)) found.push(candidate);
    if (path.dirname(d) === d) return found;
  }
}

/** What a build depends on besides the files asc reads: the transform, which asc imports. */
const BUILD_CODE = ["dist/build/transform.js", "dist/core/manifest.js"].map((f) => path.join(PACKAGE_ROOT, f));

/** A digest of `files` (a missing one counts as missing) and the build's options. */
function digestOf(files: readonly string[], extraArgs: readonly string[]): string {
  const hash = createHash("sha256").update(JSON.stringify(extraArgs));
  for (const file of [...BUILD_CODE, ...files]) {
    hash.update(file).update("\0");
    try {
      hash.update(fs.readFileSync(file));
    } catch {
      hash.update("(missing)");
    }
  }
  return hash.digest("hex");
}

/**
 * Like compileGuest, but skipped when none of the files the last build read (or looked
 * for) changed: the stamp beside `outFile` lists them with their digest.
 */
export async function compileGuestCached(entry: string, outFile: string, extraArgs: readonly string[] = []): Promise<void> {
  const stamp = `${outFile}.sha256`;
  try {
    const last = JSON.parse(fs.readFileSync(stamp, "utf8")) as { digest: string; files: string[] };
    if (fs.existsSync(outFile) && last.files.includes(path.resolve(entry)) && digestOf(last.files, extraArgs) === last.digest) return;
  } catch {
    // No stamp, or one of another form: build.
  }
  makeFolders(path.dirname(path.resolve(outFile)));
  const { read: files } = await compileReading(entry, outFile, extraArgs);
  fs.writeFileSync(stamp, JSON.stringify({ digest: digestOf(files, extraArgs), files }));
}
