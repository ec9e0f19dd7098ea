// solo5-wasm init: a new unikernel project in an empty or new folder, depending on
// this very package (by its folder, so it works as installed from a tarball or linked),
// and the commands that build and run it.
import fs from "node:fs";
import path from "node:path";
import { PACKAGE_ROOT } from "../../build/compile.js";
import { didYouMean } from "../../core/nearest.js";
import { parseManifest } from "../../core/manifest.js";
import { TenderError } from "../../core/errors.js";
import { DISK, DISK_BYTES, projectFiles, type ProjectSpec } from "../project-template.js";

export const INIT_USAGE = "solo5-wasm init [DIR] [--block NAME] [--net NAME]";

export async function initCommand(argv: readonly string[]): Promise<number> {
  const { dir, block, net } = parseInitArgs(argv);
  const target = path.resolve(dir);
  const present = fs.statSync(target, { throwIfNoEntry: false });
  if (present && !present.isDirectory()) throw new TenderError(`init: ${dir} is a file, not a folder: give a new or empty folder`);
  if (present && fs.readdirSync(target).length > 0) throw new TenderError(`init: ${dir} is not empty: give a new or empty folder (init writes no file over another)`);
  const spec: ProjectSpec = {
    name: packageName(path.basename(target)),
    // npm links a folder given as file:; relative, so the two can move together.
    dependency: `file:${path.relative(target, fs.realpathSync(PACKAGE_ROOT)) || "."}`,
    block,
    net,
  };
  const files = projectFiles(spec);
  parseManifest(files["manifest.json"]!); // what init writes, the tender accepts
  fs.mkdirSync(target, { recursive: true });
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(target, name), text);
  if (block !== undefined) fs.writeFileSync(path.join(target, DISK), Buffer.alloc(DISK_BYTES));
  const cd = path.relative(process.cwd(), target);
  process.stdout.write(
    [
      `solo5-wasm: a unikernel project in ${cd || "."}: ${[...Object.keys(files), ...(block === undefined ? [] : [DISK])].join(", ")}`,
      "build and run it with:",
      `  ${cd === "" ? "" : `cd ${/^[\w./-]+$/.test(cd) ? cd : JSON.stringify(cd)} && `}npm install && npm run build`,
      "  npm start",
      "",
    ].join("\n"),
  );
  return 0;
}

interface InitArgs {
  dir: string;
  block?: string;
  net?: string;
}

/** init's command line: at most one folder, each device flag once with a name the manifest allows. */
export function parseInitArgs(argv: readonly string[]): InitArgs {
  const args: InitArgs = { dir: "." };
  const dirs: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const m = /^--(block|net)(?:=(.*))?$/.exec(arg);
    if (m) {
      const flag = m[1] as "block" | "net";
      const name = m[2] ?? argv[++i];
      if (name === undefined || name === "") throw new TenderError(`init: --${flag} needs a device name, e.g. --${flag} ${flag === "block" ? "storage" : "service0"} (usage: ${INIT_USAGE})`);
      if (args[flag] !== undefined) throw new TenderError(`init: --${flag} given twice: the project has one ${flag} device (add more to manifest.json later)`);
      checkDeviceName(flag, name);
      args[flag] = name;
    } else if (arg.startsWith("-")) {
      const option = arg.replace(/=.*/, "");
      throw new TenderError(`init: unknown option ${option}${didYouMean(option, ["--block", "--net"])} (usage: ${INIT_USAGE})`);
    } else {
      dirs.push(arg);
    }
  }
  if (dirs.length > 1) throw new TenderError(`init takes one folder, not ${dirs.length}: ${dirs.join(" ")} (usage: ${INIT_USAGE})`);
  if (args.block !== undefined && args.block === args.net) throw new TenderError(`init: --block and --net are both ${args.block}: a manifest's devices need names of their own`);
  args.dir = dirs[0] ?? ".";
  return args;
}

/** A device name as the manifest checks it, refused in init's words. */
function checkDeviceName(flag: string, name: string): void {
  try {
    parseManifest(JSON.stringify({ type: "solo5.manifest", version: 1, devices: [{ name, type: flag === "block" ? "BLOCK_BASIC" : "NET_BASIC" }] }));
  } catch (e) {
    throw new TenderError(`init: --${flag} ${name}: ${(e as Error).message.replace(/^invalid manifest: /, "")}`);
  }
}

/** The folder's name as an npm package name (lower case, no spaces). */
function packageName(folder: string): string {
  return folder.toLowerCase().replace(/[^a-z0-9._-]+/g, "-").replace(/^[._-]+/, "") || "unikernel";
}
