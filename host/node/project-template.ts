// The files of a new unikernel project (solo5-wasm init): a guest that greets its
// command line, counts its runs in a block device and says hello to the other guests
// on its network segment when it has those devices, with the scripts that build, run
// and test it. Each file's text is made here; commands/init.ts writes them.

/** What the project is made of: its folder's name and the devices it declares. */
export interface ProjectSpec {
  /** The npm package name. */
  readonly name: string;
  /** The dependency on solo5-wasm, as package.json gives it (e.g. "file:../solo5-wasm"). */
  readonly dependency: string;
  readonly block?: string;
  readonly net?: string;
}

/** The kernel the scripts build and run. */
export const KERNEL = "main.wasm";
/** The file the start script gives the block device, which init creates. */
export const DISK = "disk.img";
/** Its size: enough for the counter, small enough to commit by mistake without harm. */
export const DISK_BYTES = 64 * 1024;
/** The hub the start script puts the net device on. */
const HUB = "hub:lan";

/** The arguments of `solo5-wasm run` in the start script (the test uses the same devices). */
function runArgs(p: ProjectSpec): string {
  return [
    "--mem=16",
    ...(p.block === undefined ? [] : [`--block:${p.block}=${DISK}`]),
    ...(p.net === undefined ? [] : [`--net:${p.net}=${HUB}`]),
    KERNEL,
    "world",
  ].join(" ");
}

/** Every file of the project, by its name in the folder. */
export function projectFiles(p: ProjectSpec): Record<string, string> {
  return {
    "package.json": packageJson(p),
    "main.ts": mainTs(p),
    "manifest.json": manifestJson(p),
    "main.test.mjs": mainTest(p),
    "tsconfig.json": tsconfigJson(),
    ".gitignore": [KERNEL, ...(p.block === undefined ? [] : [DISK]), "node_modules/", ""].join("\n"),
  };
}

const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;

function packageJson(p: ProjectSpec): string {
  return json({
    name: p.name,
    version: "0.1.0",
    private: true,
    type: "module",
    scripts: {
      build: `solo5-wasm build main.ts -o ${KERNEL}`,
      start: `solo5-wasm run ${runArgs(p)}`,
      test: "npm run build && node --test main.test.mjs",
    },
    dependencies: { "solo5-wasm": p.dependency },
  });
}

function manifestJson(p: ProjectSpec): string {
  const devices = [
    ...(p.block === undefined ? [] : [{ name: p.block, type: "BLOCK_BASIC" }]),
    ...(p.net === undefined ? [] : [{ name: p.net, type: "NET_BASIC" }]),
  ];
  return json({ type: "solo5.manifest", version: 1, devices });
}

/**
 * For editors: the AssemblyScript types (i32, usize, load, ...) and solo5-wasm/assembly,
 * from the package's own tsconfig, which finds asc's types wherever npm put them.
 */
function tsconfigJson(): string {
  return json({ extends: "./node_modules/solo5-wasm/assembly/tsconfig.json", include: ["main.ts"] });
}

function mainTs(p: ProjectSpec): string {
  const does = [
    "greets its command line",
    ...(p.block === undefined ? [] : [`counts its runs in the block device "${p.block}"`]),
    ...(p.net === undefined ? [] : [`says hello to the other guests on the network of "${p.net}"`]),
  ];
  const imports = [
    ...(p.block === undefined ? [] : ["Block"]),
    ...(p.net === undefined ? [] : ["NET_HLEN", "NSEC_PER_SEC", "Net"]),
    ...(p.block === undefined && p.net === undefined ? [] : ["SOLO5_R_OK"]),
    "cmdline",
    ...(p.net === undefined ? [] : ["monotonic"]),
    "puts",
    ...(p.net === undefined ? [] : ["waitFor"]),
  ];
  const calls = [
    ...(p.block === undefined ? [] : ["  if (countRun() != SOLO5_R_OK) return 1;"]),
    ...(p.net === undefined ? [] : ["  if (sayHello() != SOLO5_R_OK) return 1;"]),
  ];
  return [
    `// A Solo5 unikernel (made by solo5-wasm init): it ${does.join(", ").replace(/, ([^,]*)$/, " and $1")}.`,
    "// The API: node_modules/solo5-wasm/docs/api.md.",
    `import { ${imports.join(", ")} } from "solo5-wasm/assembly";`,
    "",
    "export function solo5_app_main(_si: usize): i32 {",
    '  puts("Hello from " + cmdline() + "\\n");',
    ...calls,
    "  return 0;",
    "}",
    ...(p.block === undefined ? [] : ["", blockPart(p.block)]),
    ...(p.net === undefined ? [] : ["", netPart(p.net)]),
    "",
  ].join("\n");
}

const blockPart = (name: string) => `/** Adds one to the run counter in the first sector of "${name}" and says it. */
function countRun(): i32 {
  const disk = Block.acquire("${name}");
  if (disk == null) {
    puts("no block device ${name}: run with --block:${name}=FILE\\n");
    return 1;
  }
  const sector = new Uint8Array(<i32>disk.blockSize);
  if (disk.read(0, sector) != SOLO5_R_OK) return 1;
  const runs = load<u32>(sector.dataStart) + 1;
  store<u32>(sector.dataStart, runs);
  if (disk.write(0, sector) != SOLO5_R_OK) return 1;
  puts("${name}: run " + runs.toString() + "\\n");
  return SOLO5_R_OK;
}`;

const netPart = (name: string) => `/** This guest's frames: EtherType 0x88B5 is IEEE 802's for local experiments. */
const ETHERTYPE: u16 = 0x88b5;
const HELLO: u8 = 1;
const WELCOME: u8 = 2;
/** How long it listens for the others. */
const LISTEN_NS: u64 = NSEC_PER_SEC;

/** Broadcasts a hello on "${name}", welcomes the hellos of others, and listens for a second. */
function sayHello(): i32 {
  const net = Net.acquire("${name}");
  if (net == null) {
    puts("no net device ${name}: run with --net:${name}=hub:lan (or a TAP)\\n");
    return 1;
  }
  const broadcast = new Uint8Array(6).fill(0xff);
  if (send(net, broadcast, HELLO) != SOLO5_R_OK) return 1;
  puts("${name}: " + macText(net.mac) + " says hello\\n");
  const frame = net.frameBuffer();
  let heard = 0;
  const deadline = monotonic() + LISTEN_NS;
  while (monotonic() < deadline) {
    if (!net.readyIn(waitFor([net], deadline))) continue;
    for (let n = net.read(frame); n > 0; n = net.read(frame)) {
      if (n <= <i32>NET_HLEN || bswap(load<u16>(frame.dataStart + 12)) != ETHERTYPE) continue;
      const from = frame.slice(6, 12);
      const kind = frame[NET_HLEN];
      puts("${name}: " + (kind == HELLO ? "hello" : "welcome") + " from " + macText(from) + "\\n");
      heard++;
      if (kind == HELLO && send(net, from, WELCOME) != SOLO5_R_OK) return 1;
    }
  }
  puts("${name}: heard " + heard.toString() + (heard == 1 ? " guest" : " guests") + "\\n");
  return SOLO5_R_OK;
}

/** Sends a minimum-size Ethernet frame of this guest's type to \`to\`, saying \`kind\`. */
function send(net: Net, to: Uint8Array, kind: u8): i32 {
  const frame = new Uint8Array(60);
  frame.set(to, 0);
  frame.set(net.mac, 6);
  store<u16>(frame.dataStart + 12, bswap(ETHERTYPE));
  frame[NET_HLEN] = kind;
  return net.write(frame);
}

/** A MAC address as 52:54:00:12:34:56. */
function macText(mac: Uint8Array): string {
  const parts = new Array<string>(0);
  for (let i = 0; i < mac.length; i++) parts.push(mac[i].toString(16).padStart(2, "0"));
  return parts.join(":");
}`;

/** npm test: the kernel run through the solo5-wasm library, its output checked. */
function mainTest(p: ProjectSpec): string {
  const block = p.block !== undefined;
  const lines = [
    "// npm test: runs the unikernel through the solo5-wasm library and checks what it says.",
    'import assert from "node:assert/strict";',
    'import fs from "node:fs";',
    ...(block ? ['import os from "node:os";', 'import path from "node:path";'] : []),
    `import { ${block ? "after, " : ""}test } from "node:test";`,
    'import { start } from "solo5-wasm";',
    "",
    `const kernel = fs.readFileSync(new URL("${KERNEL}", import.meta.url));`,
    ...(block
      ? [
          'const dir = fs.mkdtempSync(path.join(os.tmpdir(), "unikernel-test-"));',
          "after(() => fs.rmSync(dir, { recursive: true, force: true }));",
          "let disks = 0;",
          "/** A new zeroed disk file. */",
          "function newDisk() {",
          "  const file = path.join(dir, `disk${disks++}.img`);",
          `  fs.writeFileSync(file, Buffer.alloc(${DISK_BYTES}));`,
          "  return file;",
          "}",
        ]
      : []),
    "",
    "/** Starts the kernel with `devices`: its ending, and its output so far. */",
    "async function launch(devices) {",
    '  let text = "";',
    "  const decoder = new TextDecoder();",
    '  const guest = await start(kernel, { mem: 16, args: ["--solo5:quiet", "the", "test"], devices, stdout: (bytes) => (text += decoder.decode(bytes, { stream: true })) });',
    "  return { exited: guest.exited, output: () => text };",
    "}",
    "",
    "async function runToEnd(devices) {",
    "  const guest = await launch(devices);",
    "  const { status } = await guest.exited;",
    "  return { status, output: guest.output() };",
    "}",
    "",
    'test("it greets its command line", async () => {',
    `  const { status, output } = await runToEnd(${devicesFor(p, "newDisk()")});`,
    "  assert.equal(status, 0);",
    "  assert.match(output, /^Hello from the test\\n/);",
    "});",
  ];
  if (block) {
    lines.push(
      "",
      `test("it counts its runs in ${p.block}", async () => {`,
      "  const disk = newDisk();",
      "  for (const n of [1, 2, 3]) {",
      `    const { status, output } = await runToEnd(${devicesFor(p, "disk")});`,
      "    assert.equal(status, 0);",
      `    assert.match(output, new RegExp(\`^${p.block}: run \${n}$\`, "m"));`,
      "  }",
      "});",
    );
  }
  if (p.net !== undefined) {
    const mac = "([0-9a-f]{2}:){5}[0-9a-f]{2}";
    lines.push(
      "",
      `test("two guests on one hub hear each other on ${p.net}", async () => {`,
      `  const first = await launch(${devicesFor(p, "newDisk()")});`,
      "  // The second starts once the first has said hello and listens, so the first hears it.",
      '  while (!first.output().includes(" says hello")) await new Promise((resolve) => setTimeout(resolve, 10));',
      `  const second = await launch(${devicesFor(p, "newDisk()")});`,
      "  const [a, b] = await Promise.all([first.exited, second.exited]);",
      "  assert.equal(a.status, 0);",
      "  assert.equal(b.status, 0);",
      `  assert.match(first.output(), /^${p.net}: hello from ${mac}$/m);`,
      `  assert.match(second.output(), /^${p.net}: welcome from ${mac}$/m);`,
      `  assert.match(first.output(), /^${p.net}: heard 1 guest$/m);`,
      "});",
    );
  }
  return `${lines.join("\n")}\n`;
}

/** The library's devices option for the test, the block device on the file `disk` (a JavaScript expression). */
function devicesFor(p: ProjectSpec, disk: string): string {
  const entries = [
    ...(p.block === undefined ? [] : [`${p.block}: { type: "BLOCK_BASIC", path: ${disk} }`]),
    ...(p.net === undefined ? [] : [`${p.net}: { type: "NET_BASIC", spec: "${HUB}" }`]),
  ];
  return entries.length === 0 ? "{}" : `{ ${entries.join(", ")} }`;
}
