// The asc transform that gives an AssemblyScript module the ABI v1 shape asc cannot
// give by flags alone: the `__heap_base` export, and the `solo5.manifest` section
// made from the manifest.json beside the entry file (checked as the tender checks it;
// no manifest.json means no devices).
//   asc ... --transform ./node_modules/solo5-wasm/dist/build/transform.js
import path from "node:path";
import { Transform } from "assemblyscript/transform";
import { MANIFEST_SECTION } from "../core/abi.js";
import { parseManifest, type Manifest } from "../core/manifest.js";
import { undeclaredWarnings, WARNING } from "./acquired.js";

const USER = 0; // SourceKind.User
const USER_ENTRY = 1; // SourceKind.UserEntry

// The parts of asc's Transform and binaryen's Module used here (their typings do not
// resolve under NodeNext).
interface TransformHost {
  program: { sources: { sourceKind: number; normalizedPath: string; text: string }[] };
  baseDir: string;
  stderr: { write(s: string): unknown };
  readFile(file: string, dir: string): string | null | Promise<string | null>;
}
type Module = {
  addGlobalExport(internalName: string, externalName: string): void;
  addCustomSection(name: string, contents: Uint8Array): void;
};

export default class Solo5Transform extends Transform {
  async afterCompile(module: Module): Promise<void> {
    module.addGlobalExport("~lib/memory/__heap_base", "__heap_base");
    const host = this as unknown as TransformHost;
    // asc parses a custom --runtime as a user entry too, before the entry files: the
    // guest's own entry is the last one.
    const entry = host.program.sources.filter((s) => s.sourceKind === USER_ENTRY).pop();
    if (!entry) return;
    const dir = path.dirname(entry.normalizedPath);
    const json = await host.readFile("manifest.json", path.join(host.baseDir, dir));
    const manifestFile = path.resolve(host.baseDir, dir, "manifest.json");
    const own = host.program.sources.filter((s) => s.sourceKind === USER || s.sourceKind === USER_ENTRY).map((s) => s.text);
    const warn = (manifest: Manifest | undefined) => {
      for (const w of undeclaredWarnings(path.resolve(host.baseDir, entry.normalizedPath), manifestFile, manifest, own)) host.stderr.write(`${WARNING}${w}\n`);
    };
    if (json === null) return warn(undefined);
    let manifest;
    try {
      manifest = parseManifest(json);
    } catch (e) {
      // asc prints what a transform throws as FAILURE and its stack. Run by hand, the
      // message names the file as seen from the folder asc runs in; compileGuest (and
      // so `solo5-wasm build`) reads `manifestError` and reports the one line itself.
      const reason = (e as Error).message;
      const error = new Error(`${path.relative(process.cwd(), manifestFile) || manifestFile}: ${reason}`);
      error.stack = error.message;
      throw Object.assign(error, { manifestError: reason });
    }
    warn(manifest);
    module.addCustomSection(MANIFEST_SECTION, new TextEncoder().encode(JSON.stringify(manifest)));
  }
}
