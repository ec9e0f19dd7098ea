// The CLI's commands: each one's usage line, what the help says of it, and how it
// runs. A command other than run loads its module only when chosen: a run should not
// load the WebSocket library, crypto or the compiler (they cost it 20-30 ms at start).
import { runCommand } from "./run.js";

export interface Command {
  readonly name: string;
  /** Its line under "Usage:", after "solo5-wasm ". */
  readonly usage: string;
  /** What the help says of it, a line at a time. */
  readonly about: readonly string[];
  run(argv: string[]): Promise<number>;
}

export const COMMANDS: readonly Command[] = [
  {
    name: "run",
    usage: "run [OPTIONS] [--] KERNEL.wasm [ARGS...]",
    about: ["ARGS become the guest's command line; leading --solo5:quiet|error|warn|info|debug", "set the log level of the Solo5: lines."],
    run: runCommand,
  },
  {
    name: "replay",
    usage: "replay [--trace] [--dumpcore=DIR] [--until=N] [--any-kernel] FILE KERNEL.wasm",
    about: [
      "replay runs a run recorded with run --record=FILE again, with no devices: every hypercall",
      "returns what it returned then, every output is checked; it ends as the recorded run did,",
      "or at the first difference with one line saying where (docs/record.md).",
    ],
    run: async (argv) => (await import("./replay.js")).replayCommand(argv),
  },
  {
    name: "manifest",
    usage: "manifest KERNEL.wasm",
    about: ["manifest prints the kernel's solo5.manifest as JSON (as solo5-elftool query-manifest);"],
    run: async (argv) => (await import("./manifest.js")).manifestCommand(argv),
  },
  {
    name: "embed-manifest",
    usage: "embed-manifest MANIFEST.json KERNEL.wasm [-o OUT.wasm]",
    about: ["embed-manifest writes MANIFEST.json into KERNEL.wasm (or OUT.wasm) as that section."],
    run: async (argv) => (await import("./embed-manifest.js")).embedCommand(argv),
  },
  {
    name: "build",
    usage: "build ENTRY.ts -o KERNEL.wasm [-- ASC_OPTIONS...]",
    about: [
      "build compiles an AssemblyScript unikernel with asc and this package's settings;",
      "a manifest.json beside ENTRY.ts is embedded (docs/assemblyscript.md). ASC_OPTIONS go",
      "to asc, e.g. -- --enable simd; those that would change what build makes are refused.",
    ],
    run: async (argv) => (await import("./build.js")).buildCommand(argv),
  },
  {
    name: "init",
    usage: "init [DIR] [--block NAME] [--net NAME]",
    about: [
      "init writes a new unikernel project into DIR (default .; new or empty): main.ts, its",
      "manifest.json with the devices named, package.json (build, start, test) and a tsconfig.",
    ],
    run: async (argv) => (await import("./init.js")).initCommand(argv),
  },
  {
    name: "serve",
    usage: "serve [--port=N] [--host=ADDR] [DIR]",
    about: [
      "serve serves DIR (default .) over http on 127.0.0.1:8080, with the headers that make",
      "a page cross-origin isolated, as guests in a page need (docs/browser.md).",
    ],
    run: async (argv) => (await import("./serve.js")).serveCommand(argv),
  },
  {
    name: "bridge",
    usage: "bridge [--listen=HOST:PORT] [--to=hub:NAME|udp:...|tap:IFNAME] [--origin=ORIGIN]",
    about: [
      "bridge accepts WebSocket devices of guests in pages (default ws://127.0.0.1:8090/) and",
      "connects them to each other and to --to: a UDP peer or a TAP (docs/browser.md).",
    ],
    run: async (argv) => (await import("./bridge.js")).bridgeCommand(argv),
  },
];
