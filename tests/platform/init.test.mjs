// solo5-wasm init: what it writes, and what it refuses (one line, status 1, nothing
// written). That the project it writes builds, runs and passes its own tests with the
// package installed from a tarball or linked is tests/platform/package.test.mjs.
import fs from "node:fs";
import path from "node:path";
import { tempDir } from "../helpers/temp.mjs";
import { runCli } from "../helpers/run.mjs";

const tmp = tempDir("solo5-init");
const USAGE = "(usage: solo5-wasm init [DIR] [--block NAME] [--net NAME])";

/** Exactly one line, this message, status 1. */
function expectRefusal(r, message) {
  expect(r.stderr).toBe(`solo5-wasm: ${message}\n`);
  expect(r.stdout).toBe("");
  expect(r.signal).toBeNull();
  expect(r.status).toBe(1);
}

test("init writes the project into a new folder and prints how to build and run it", async () => {
  const r = await runCli(["init", "kernel", "--block", "storage", "--net=service0"], { cwd: tmp });
  expect(r.stderr).toBe("");
  expect(r.status).toBe(0);
  expect(r.stdout).toBe(
    "solo5-wasm: a unikernel project in kernel: package.json, main.ts, manifest.json, main.test.mjs, tsconfig.json, .gitignore, disk.img\n" +
      "build and run it with:\n  cd kernel && npm install && npm run build\n  npm start\n",
  );
  const dir = path.join(tmp, "kernel");
  expect(fs.readdirSync(dir).sort()).toEqual([".gitignore", "disk.img", "main.test.mjs", "main.ts", "manifest.json", "package.json", "tsconfig.json"]);
  expect(JSON.parse(fs.readFileSync(path.join(dir, "manifest.json"), "utf8")).devices).toEqual([
    { name: "storage", type: "BLOCK_BASIC" },
    { name: "service0", type: "NET_BASIC" },
  ]);
  expect(JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8")).scripts.start).toBe(
    "solo5-wasm run --mem=16 --block:storage=disk.img --net:service0=hub:lan main.wasm world",
  );
});

test("an empty folder is fine, and the project is named after it", async () => {
  const dir = path.join(tmp, "My Kernel");
  fs.mkdirSync(dir);
  const r = await runCli(["init"], { cwd: dir });
  expect(r.status).toBe(0);
  expect(r.stdout).toMatch(/^solo5-wasm: a unikernel project in \.: package\.json, main\.ts, manifest\.json, main\.test\.mjs, tsconfig\.json, \.gitignore\n/);
  expect(JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8")).name).toBe("my-kernel");
  expect(JSON.parse(fs.readFileSync(path.join(dir, "manifest.json"), "utf8")).devices).toEqual([]);
});

describe("refusals", () => {
  const full = path.join(tmp, "full");
  const file = path.join(tmp, "a-file");
  beforeAll(() => {
    fs.mkdirSync(full);
    fs.writeFileSync(path.join(full, "notes.txt"), "mine\n");
    fs.writeFileSync(file, "not a folder\n");
  });

  test.each([
    [["full"], "init: full is not empty: give a new or empty folder (init writes no file over another)"],
    [["a-file"], "init: a-file is a file, not a folder: give a new or empty folder"],
    [["new", "--block", "a-b"], 'init: --block a-b: device name "a-b" may only contain A-Z, a-z and 0-9'],
    [["new", `--net=${"x".repeat(68)}`], /^init: --net x{68}: device name "x{64}\.\.\. \(68 characters\)" is longer than 67 bytes$/],
    [["new", "--net"], `init: --net needs a device name, e.g. --net service0 ${USAGE}`],
    [["new", "--block="], `init: --block needs a device name, e.g. --block storage ${USAGE}`],
    [["new", "--block", "a", "--block", "b"], "init: --block given twice: the project has one block device (add more to manifest.json later)"],
    [["new", "--block", "dev", "--net", "dev"], "init: --block and --net are both dev: a manifest's devices need names of their own"],
    [["new", "--blok", "storage"], `init: unknown option --blok: did you mean --block? ${USAGE}`],
    [["new", "--nte=service0"], `init: unknown option --nte: did you mean --net? ${USAGE}`],
    [["one", "two"], `init takes one folder, not 2: one two ${USAGE}`],
  ])("init %j", async (args, message) => {
    const before = fs.readdirSync(tmp).sort();
    const r = await runCli(["init", ...args], { cwd: tmp });
    if (message instanceof RegExp) {
      expect(r.stderr).toMatch(/^solo5-wasm: [^\n]*\n$/);
      expect(r.stderr.slice("solo5-wasm: ".length, -1)).toMatch(message);
      expect(r.status).toBe(1);
    } else expectRefusal(r, message);
    expect(fs.readdirSync(tmp).sort()).toEqual(before);
    expect(fs.readdirSync(full)).toEqual(["notes.txt"]);
  });
});
