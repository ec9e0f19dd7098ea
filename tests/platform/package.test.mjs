// solo5-wasm as users get it, two ways: packed (`npm pack`: the package.json "files"
// list) and installed into a fresh project (the install script builds the TAP addon),
// and this folder linked into another project (`npm install PATH`, a symlink). From
// each: `solo5-wasm build` of a unikernel that imports solo5-wasm/assembly (its heap
// API included), `solo5-wasm run` of it, the library API, and a project made by
// `solo5-wasm init` whose own build, start and test scripts pass. Dependencies come
// from npm's cache, which `npm ci` filled.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { ROOT } from "../helpers/paths.mjs";
import { tempDir } from "../helpers/temp.mjs";

const npm = (args, cwd) => execFileSync("npm", args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], timeout: 120000 });
const newProject = () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "solo5-package-"));
  fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name: "my-unikernel", private: true, type: "module" }));
  return dir;
};

const packed = newProject();
const linked = newProject();
let tarball;

beforeAll(() => {
  // dist/ is built already (npm test builds first): pack it without building again.
  tarball = path.join(packed, npm(["pack", "--ignore-scripts", "--silent", "--pack-destination", packed], ROOT).trim());
  npm(["install", "--prefer-offline", "--no-audit", "--no-fund", tarball], packed);
  // A linked folder's install script would rebuild this checkout's addon under the
  // tests that use it: the checkout has built it already.
  npm(["install", "--prefer-offline", "--no-audit", "--no-fund", "--ignore-scripts", ROOT], linked);
}, 240000);

afterAll(() => {
  for (const dir of [packed, linked]) fs.rmSync(dir, { recursive: true, force: true });
});

test("the install script builds the TAP addon", () => {
  expect(fs.existsSync(path.join(packed, "node_modules/solo5-wasm/native/tap/build/Release/solo5_tap.node"))).toBe(true);
});

test("a linked folder is a symlink to this checkout", () => {
  expect(fs.realpathSync(path.join(linked, "node_modules/solo5-wasm"))).toBe(fs.realpathSync(ROOT));
});

// A heap-hungry guest: malloc/free from the package, the heap statistics moving with
// them, and the collector's allocations counted by the same allocator.
const HEAP_GUEST = `import { free, heap_free, heap_in_use, heap_peak, heap_size, malloc, puts } from "solo5-wasm/assembly";

export function solo5_app_main(_si: usize): i32 {
  const before = heap_in_use();
  const blocks = new Array<usize>(0);
  for (let i = 0; i < 1000; i++) blocks.push(malloc(4096));
  const during = heap_in_use();
  for (let i = 0; i < blocks.length; i++) free(blocks[i]);
  const after = heap_in_use();
  const strings = new Array<string>(0);
  for (let i = 0; i < 100; i++) strings.push("entry " + i.toString());
  puts("grew " + (during - before >= 4096000 ? "yes" : "no") +
    " freed " + (after < during - 4000000 ? "yes" : "no") +
    " peak " + (heap_peak() >= during ? "yes" : "no") +
    " collector " + (heap_in_use() > after ? "yes" : "no") +
    " accounted " + (heap_in_use() + heap_free() < heap_size() ? "yes" : "no") + "\\n");
  return 0;
}
`;

describe.each([
  // After init, a user with the tarball installs it over the folder init depends on.
  ["installed from the tarball", packed, () => [tarball]],
  ["linked as a folder", linked, () => []],
])("a project with solo5-wasm %s", (_how, project, installs) => {
  const cli = path.join(project, "node_modules", "solo5-wasm", "dist", "node", "cli.js");
  const inProject = (file, args) => execFileSync(process.execPath, [file, ...args], { cwd: project, encoding: "utf8", timeout: 30000 });

  test("the installed CLI builds and runs a unikernel of the project", () => {
    fs.writeFileSync(
      path.join(project, "main.ts"),
      'import { cmdline, puts } from "solo5-wasm/assembly";\n' +
        'export function solo5_app_main(_si: usize): i32 { puts("Hello from " + cmdline() + "\\n"); return 0; }\n',
    );
    inProject(cli, ["build", "main.ts", "-o", "hello.wasm"]);
    expect(inProject(cli, ["run", "--mem=2", "hello.wasm", "--solo5:quiet", "a", "project"])).toBe("Hello from a project\n");
  });

  test("the project imports the library API by the package's name", () => {
    fs.writeFileSync(
      path.join(project, "run.js"),
      'import fs from "node:fs";\nimport { run } from "solo5-wasm";\n' +
        'const r = await run(fs.readFileSync("hello.wasm"), { mem: 2, args: ["--solo5:quiet", "the", "library"] });\n' +
        "process.exitCode = r.status;\n",
    );
    expect(inProject("run.js", [])).toBe("Hello from the library\n");
  });

  test("malloc, free and the heap statistics of solo5-wasm/assembly are the runtime's own", () => {
    fs.mkdirSync(path.join(project, "heap"), { recursive: true });
    fs.writeFileSync(path.join(project, "heap", "main.ts"), HEAP_GUEST);
    inProject(cli, ["build", "heap/main.ts", "-o", "heap.wasm"]);
    expect(inProject(cli, ["run", "--mem=16", "heap.wasm", "--solo5:quiet"])).toBe(
      "grew yes freed yes peak yes collector yes accounted yes\n",
    );
  });

  test("solo5-wasm init makes a project whose build, start and test scripts pass", () => {
    const kernel = path.join(tempDir("solo5-init-project"), "kernel");
    inProject(cli, ["init", kernel, "--block", "storage", "--net", "service0"]);
    // Without the install script, so without the TAP addon: the project uses a hub, not a TAP.
    npm(["install", "--prefer-offline", "--no-audit", "--no-fund", "--ignore-scripts", ...installs()], kernel);
    expect(fs.existsSync(path.join(kernel, "node_modules/solo5-wasm/native/tap/build/Release/solo5_tap.node"))).toBe(installs().length === 0);
    npm(["run", "build"], kernel);
    const started = npm(["start"], kernel);
    expect(started).toMatch(/^Hello from world\nstorage: run 1\nservice0: ([0-9a-f]{2}:){5}[0-9a-f]{2} says hello\nservice0: heard 0 guests\n/m);
    expect(npm(["start"], kernel)).toMatch(/^storage: run 2$/m);
    expect(npm(["test"], kernel)).toMatch(/^# pass 3\n# fail 0$/m);
  }, 180000);
});
