// CLI behaviour beyond running: signals, --trace, --dumpcore, manifest commands, help, build.
import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { CLI, example, guest } from "../helpers/paths.mjs";
import { runCli } from "../helpers/run.mjs";
import { tempDir } from "../helpers/temp.mjs";
import { guestWat, manifestOf, watFile } from "../helpers/wat.mjs";

const tmp = tempDir("solo5-cli");

test.each([
  ["SIGINT", 2],
  ["SIGTERM", 15],
])("%s ends a sleeping guest: message and status 1", async (signal, number) => {
  const wasm = watFile(guestWat({
    imports: `(import "solo5" "yield" (func $yield (param i64 i32)))`,
    body: "(call $yield (i64.const -1) (i32.const 0))",
  }));
  const child = spawn(process.execPath, [CLI, "run", "--mem=2", wasm]);
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d) => (stdout += d));
  child.stderr.on("data", (d) => (stderr += d));
  // Signal once the guest is running (its banner is out).
  await new Promise((resolve) => child.stdout.on("data", () => stdout.includes("heap @") && resolve()));
  child.kill(signal);
  const status = await new Promise((resolve) => child.on("close", resolve));
  expect(stderr).toBe(`solo5-wasm: exiting on signal ${number}\n`);
  expect(status).toBe(1);
});

test("--trace prints each hypercall with arguments, result and duration", async () => {
  const r = await runCli(["run", "--mem=2", "--trace", guest("exit"), "exit", "3"]);
  expect(r.status).toBe(3);
  expect(r.stderr).toMatch(/^solo5-wasm: trace: console_write\(buf=0x[0-9a-f]+, size=\d+\) \(\d+\.\d us\)$/m);
  expect(r.stderr).toMatch(/^solo5-wasm: trace: exit\(status=3\) ends the guest$/m);
});

test("--trace shows results by name and deadlines as numbers", async () => {
  const wasm = watFile(guestWat({
    imports: `(import "solo5" "yield" (func $yield (param i64 i32)))
      (import "solo5" "block_read" (func $br (param i32 i64 i32 i32) (result i32)))`,
    main: `(func (export "solo5_app_main") (param i32) (result i32)
      (call $yield (i64.const 0) (i32.const 64)) (drop (call $br (i32.const 9) (i64.const 512) (i32.const 0) (i32.const 512))) (i32.const 0))`,
  }));
  const r = await runCli(["run", "--mem=2", "--trace", wasm]);
  expect(r.stderr).toMatch(/trace: yield\(deadline=0, ready_set=0x40\) \(/);
  expect(r.stderr).toMatch(/trace: block_read\(handle=9, offset=512, buf=0x0, size=512\) = EINVAL \(/);
});

test("--trace names devices: an acquire's name as a string, a read's handle with its device", async () => {
  const disk = path.join(fs.mkdtempSync(path.join(tmp, "trace-")), "disk.img");
  fs.writeFileSync(disk, Buffer.alloc(1 << 20));
  const r = await runCli(["run", "--mem=16", "--trace", `--block:storage=${disk}`, example("kv"), "get colour"]);
  expect(r.stderr).toMatch(/^solo5-wasm: trace: block_acquire\(name="storage", handle=0x[0-9a-f]+, info=0x[0-9a-f]+\) = OK \(/m);
  expect(r.stderr).toMatch(/^solo5-wasm: trace: block_read\(handle=1 \(storage\), offset=0, buf=0x[0-9a-f]+, size=512\) = OK \(/m);
});

test("--dumpcore writes guest memory after an abort", async () => {
  const dir = fs.mkdtempSync(path.join(tmp, "core-"));
  const r = await runCli(["run", "--mem=2", `--dumpcore=${dir}`, guest("abort")]);
  expect(r.status).toBe(255);
  const core = /solo5-wasm: core dumped to (.*)$/m.exec(r.stderr)?.[1];
  expect(core).toBeDefined();
  expect(fs.statSync(core).size).toBe(2 * 1024 * 1024);
  expect(fs.readFileSync(`${core}.txt`, "utf8")).toContain("reason: solo5_abort() called");
});

test("--dumpcore refuses a directory that does not exist", async () => {
  const r = await runCli(["run", "--mem=2", "--dumpcore=/nonexistent/dir", guest("abort")]);
  expect(r.stderr).toBe("solo5-wasm: --dumpcore=/nonexistent/dir: no such directory: create it first (mkdir -p /nonexistent/dir)\n");
  expect(r.status).toBe(1);
});

test("manifest prints a kernel's manifest; embed-manifest writes one", async () => {
  const plain = watFile(guestWat());
  const empty = await runCli(["manifest", plain]);
  expect(JSON.parse(empty.stdout)).toEqual(manifestOf([]));

  const manifest = manifestOf([{ name: "service0", type: "NET_BASIC" }, { name: "storage", type: "BLOCK_BASIC" }]);
  const json = path.join(tmp, "manifest.json");
  fs.writeFileSync(json, JSON.stringify(manifest));
  const out = path.join(tmp, "with-manifest.wasm");
  expect((await runCli(["embed-manifest", json, plain, "-o", out])).status).toBe(0);
  expect(JSON.parse((await runCli(["manifest", out])).stdout)).toEqual(manifest);

  // Embedding again replaces the section rather than adding a second one.
  fs.writeFileSync(json, JSON.stringify(manifestOf([])));
  expect((await runCli(["embed-manifest", json, out])).status).toBe(0);
  expect(JSON.parse((await runCli(["manifest", out])).stdout)).toEqual(manifestOf([]));
});

test("embed-manifest refuses a bad manifest with its reason", async () => {
  const json = path.join(tmp, "bad.json");
  fs.writeFileSync(json, JSON.stringify(manifestOf([{ name: "a b", type: "NET_BASIC" }])));
  const r = await runCli(["embed-manifest", json, watFile(guestWat())]);
  expect(r.stderr).toMatch(/^solo5-wasm: .*bad\.json: invalid manifest: device name "a b" may only contain A-Z, a-z and 0-9\n$/);
  expect(r.status).toBe(1);
});

test("embed-manifest mends a kernel whose own manifest is invalid, and refuses what is no kernel", async () => {
  const broken = watFile(guestWat({ manifest: "{not json" }));
  expect((await runCli(["manifest", broken])).stderr).toMatch(/invalid manifest: not valid JSON/);
  const json = path.join(tmp, "good.json");
  fs.writeFileSync(json, JSON.stringify(manifestOf([])));
  const mended = path.join(tmp, "mended.wasm");
  expect((await runCli(["embed-manifest", json, broken, "-o", mended])).status).toBe(0);
  expect(JSON.parse((await runCli(["manifest", mended])).stdout)).toEqual(manifestOf([]));

  const text = path.join(tmp, "text.wasm");
  fs.writeFileSync(text, "not a module\n");
  const r = await runCli(["embed-manifest", json, text, "-o", path.join(tmp, "never.wasm")]);
  expect(r.stderr).toMatch(/^solo5-wasm: .*text\.wasm: not a valid WebAssembly module/);
  expect(r.status).toBe(1);
  expect(fs.existsSync(path.join(tmp, "never.wasm"))).toBe(false);
});

test("the asc transform embeds manifest.json beside the entry, or none", async () => {
  const declared = JSON.parse(fs.readFileSync(new URL("../guests/manifested/manifest.json", import.meta.url), "utf8"));
  expect(JSON.parse((await runCli(["manifest", guest("manifested")])).stdout)).toEqual(declared);
  expect(JSON.parse((await runCli(["manifest", example("hello")])).stdout)).toEqual(manifestOf([]));
});

test("--version and --help", async () => {
  const pkg = JSON.parse(fs.readFileSync(new URL("../../package.json", import.meta.url), "utf8"));
  expect((await runCli(["--version"])).stdout).toBe(`${pkg.version}\n`);
  const help = await runCli(["run", "--help"]);
  expect(help.status).toBe(0);
  expect(help.stdout).toContain("--block-sector-size:NAME=N");
});

test.each(["run", "manifest", "embed-manifest", "build", "serve", "bridge"])("%s --help prints the help, status 0", async (command) => {
  const r = await runCli([command, "--help"]);
  expect(r.stdout).toMatch(/^solo5-wasm .*\n\nUsage:\n/);
  expect(r.stderr).toBe("");
  expect(r.status).toBe(0);
});

test("help, --help and -h print the help; no command prints it and fails", async () => {
  for (const args of [["help"], ["--help"], ["-h"]]) {
    const r = await runCli(args);
    expect(r.stdout).toContain("Usage:");
    expect(r.status).toBe(0);
  }
  const none = await runCli([]);
  expect(none.stdout).toContain("Usage:");
  expect(none.status).toBe(1);
});

test("build refuses an entry that compiles but is not a kernel, and leaves no output", async () => {
  const dir = fs.mkdtempSync(path.join(tmp, "build-"));
  fs.writeFileSync(path.join(dir, "main.ts"), "export function not_main(): i32 { return 0; }\n");
  const out = path.join(dir, "main.wasm");
  const r = await runCli(["build", path.join(dir, "main.ts"), "-o", out]);
  expect(r.stderr).toMatch(/^solo5-wasm: .*main\.ts compiled, but not into a kernel \(.*main\.wasm removed\): .*does not export solo5_app_main/);
  expect(r.status).toBe(1);
  expect(fs.existsSync(out)).toBe(false);
});
