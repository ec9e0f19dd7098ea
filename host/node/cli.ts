#!/usr/bin/env node
// solo5-wasm: the command line, thin over the library API (index.ts).
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import {
  MANIFEST_SECTION,
  STATUS_TENDER_ERROR,
  TenderError,
  VERSION,
  checkKernelRuns,
  formatManifest,
  parseManifest,
  replaceCustomSection,
} from "../core/index.js";
import { NODE_KERNELS, loadKernelFile, loadKernelFrom, prewarm, start, type Guest } from "./index.js";
import { parseRunArgs } from "./options.js";

const HELP = `solo5-wasm ${VERSION}: run WebAssembly unikernels on the Solo5 interface (ABI v1)

Usage:
  solo5-wasm run [OPTIONS] [--] KERNEL.wasm [ARGS...]
  solo5-wasm manifest KERNEL.wasm
  solo5-wasm embed-manifest MANIFEST.json KERNEL.wasm [-o OUT.wasm]
  solo5-wasm build ENTRY.ts -o KERNEL.wasm [-- ASC_OPTIONS...]
  solo5-wasm serve [--port=N] [--host=ADDR] [DIR]
  solo5-wasm bridge [--listen=HOST:PORT] [--to=hub:NAME|udp:...|tap:IFNAME] [--origin=ORIGIN]

run options (as solo5-hvt):
  --mem=MiB                     guest memory, 1 to 4095 (default 512)
  --net:NAME=SPEC               attach network device NAME: tap:IFNAME or IFNAME (a TAP
                                interface), udp:local=HOST:PORT,remote=HOST:PORT (one frame
                                per datagram), hub:NAME (a switch shared by the guests of
                                one process); see docs/net.md
  --net-mac:NAME=MAC            set the MAC of NAME (default: random, locally administered)
  --block:NAME=PATH             attach block device NAME to file PATH
  --block-sector-size:NAME=N    sector size of NAME: power of two, 512 to 32768 (default 512)
  --dumpcore=DIR                write guest memory to DIR after an abort or a trap
  --trace                       print every hypercall, its result and duration on stderr

ARGS become the guest's command line; leading --solo5:quiet|error|warn|info|debug
set the log level of the Solo5: lines.

manifest prints the kernel's solo5.manifest as JSON (as solo5-elftool query-manifest);
embed-manifest writes MANIFEST.json into KERNEL.wasm (or OUT.wasm) as that section.
build compiles an AssemblyScript unikernel with asc and this package's settings;
a manifest.json beside ENTRY.ts is embedded (docs/assemblyscript.md). ASC_OPTIONS go
to asc, e.g. -- --enable simd; those that would change what build makes are refused.
serve serves DIR (default .) over http on 127.0.0.1:8080, with the headers that make
a page cross-origin isolated, as guests in a page need (docs/browser.md).
bridge accepts WebSocket devices of guests in pages (default ws://127.0.0.1:8090/) and
connects them to each other and to --to: a UDP peer or a TAP (docs/browser.md).
`;

async function runCommand(argv: string[]): Promise<number> {
  const { kernelPath, options } = parseRunArgs(argv);
  // From here on a signal ends the run as the ABI says, whether the guest runs yet or
  // the kernel is still being read or compiled (reading a FIFO can take forever).
  let guest: Promise<Guest> | undefined;
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.once(signal, () => {
      process.stderr.write(`solo5-wasm: exiting on signal ${os.constants.signals[signal]}\n`);
      const stopped = guest ? guest.then((g) => g.stop(), () => undefined) : Promise.resolve();
      void stopped.then(() => process.exit(STATUS_TENDER_ERROR));
    });
  }
  prewarm();
  const kernel = await loadKernelFile(kernelPath);
  guest = start(kernel, options);
  return (await (await guest).exited).status;
}

async function manifestCommand([path, ...rest]: string[]): Promise<number> {
  if (path === undefined || rest.length > 0) throw new TenderError("usage: solo5-wasm manifest KERNEL.wasm");
  process.stdout.write(`${formatManifest((await loadKernelFile(path)).manifest)}\n`);
  return 0;
}

async function embedCommand(argv: string[]): Promise<number> {
  const [manifestPath, kernelPath, flag, out, ...rest] = argv;
  if (!manifestPath || !kernelPath || rest.length > 0 || (flag !== undefined && (flag !== "-o" || !out))) {
    throw new TenderError("usage: solo5-wasm embed-manifest MANIFEST.json KERNEL.wasm [-o OUT.wasm]");
  }
  const read = (p: string) => {
    try {
      return fs.readFileSync(p);
    } catch (e) {
      throw new TenderError(`cannot read ${p}: ${(e as Error).message}`);
    }
  };
  let manifest;
  try {
    manifest = parseManifest(read(manifestPath));
  } catch (e) {
    throw new TenderError(`${manifestPath}: ${(e as Error).message}`);
  }
  const original = read(kernelPath);
  if (!WebAssembly.validate(original)) await loadKernelFile(kernelPath); // says what is wrong with it
  // What is written is checked as a kernel, with the new manifest in place: so this
  // also mends a kernel whose old manifest is invalid.
  const payload = new TextEncoder().encode(JSON.stringify(manifest));
  const target = out ?? kernelPath;
  const bytes = replaceCustomSection(original, MANIFEST_SECTION, payload);
  await loadKernelFrom(kernelPath, bytes, NODE_KERNELS);
  try {
    fs.writeFileSync(target, bytes);
  } catch (e) {
    throw (await import("../build/compile.js")).writeFailure(target, e);
  }
  return 0;
}

async function buildCommand(argv: string[]): Promise<number> {
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
  const { checkAscOptions, compileGuest } = await import("../build/compile.js");
  try {
    await compileGuest(entry, out, await checkAscOptions(ascOptions, process.cwd()));
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
    throw new TenderError(`${entry} compiled, but not into a kernel (${out} removed): ${(e as Error).message}`);
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

const COMMANDS = ["run", "manifest", "embed-manifest", "build", "serve", "bridge"];
const isHelp = (arg: string | undefined) => arg === "--help" || arg === "-h";

// Commands other than run import their modules when chosen: a run should not load
// the WebSocket library, crypto or the compiler (they cost it 20-30 ms at start).
async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  // One help text for all: `solo5-wasm COMMAND --help` and `solo5-wasm help` print it too.
  if (command === "help" || (command !== undefined && COMMANDS.includes(command) && isHelp(rest[0]))) {
    process.stdout.write(HELP);
    return 0;
  }
  switch (command) {
    case "run":
      return runCommand(rest);
    case "manifest":
      return manifestCommand(rest);
    case "embed-manifest":
      return embedCommand(rest);
    case "build":
      return buildCommand(rest);
    case "serve":
      return (await import("./serve.js")).serveCommand(rest);
    case "bridge":
      return (await import("./bridge.js")).bridgeCommand(rest);
    case "--version":
      process.stdout.write(`${VERSION}\n`);
      return 0;
    case undefined:
    case "--help":
    case "-h":
      process.stdout.write(HELP);
      return command === undefined ? STATUS_TENDER_ERROR : 0;
    default:
      throw new TenderError(`unknown command ${command}: use ${COMMANDS.join(", ")} (see solo5-wasm --help)`);
  }
}

main(process.argv.slice(2)).then(
  (status) => (process.exitCode = status),
  (e: unknown) => {
    const known = e instanceof TenderError;
    process.stderr.write(`solo5-wasm: ${known ? e.message : `internal error: ${(e as Error)?.stack ?? e}`}\n`);
    process.exitCode = STATUS_TENDER_ERROR;
  },
);
