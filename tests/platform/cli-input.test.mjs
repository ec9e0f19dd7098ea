// Bad input to the CLI: each gets one line `solo5-wasm: ...` on stderr and status 1,
// never a stack trace, never a hang (bridge ports, write errors, build mistakes,
// signals before the guest starts, option names where none belong).
import { spawn } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import { startBridge } from "../../dist/node/bridge.js";
import { TenderError } from "../../dist/node/index.js";
import { CLI, GUEST_SOURCES, ROOT } from "../helpers/paths.mjs";
import { runCli } from "../helpers/run.mjs";
import { freeUdpPorts } from "../net/net-helpers.mjs";
import { tempDir } from "../helpers/temp.mjs";
import { guestWat, manifestOf, watFile } from "../helpers/wat.mjs";

const tmp = tempDir("solo5-cli-input");

/** Exactly one line, this message, status 1. */
function expectRefusal(r, message) {
  expect(r.stderr).toMatch(/^solo5-wasm: [^\n]*\n$/);
  if (message instanceof RegExp) expect(r.stderr.slice("solo5-wasm: ".length, -1)).toMatch(message);
  else expect(r.stderr).toBe(`solo5-wasm: ${message}\n`);
  expect(r.signal).toBeNull();
  expect(r.status).toBe(1);
}

/** `solo5-wasm ARGS...` from the folder `cwd`. */
const runIn = (cwd, args) => runCli(args, { cwd, timeoutMs: 60000 });

describe("bridge --listen port", () => {
  test.each(["99999", "70000", "65536", "123456789012345678901"])("port %s is refused by name", async (port) => {
    const r = await runCli(["bridge", `--listen=127.0.0.1:${port}`], { timeoutMs: 10000 });
    expectRefusal(r, `--listen=127.0.0.1:${port}: port ${port} is not in 0..65535 (0 picks a free port)`);
  });

  test("with a udp uplink, a bad port ends the process at once", async () => {
    const [local, remote] = await freeUdpPorts(2);
    const started = Date.now();
    const r = await runCli(["bridge", `--to=udp:local=127.0.0.1:${local},remote=127.0.0.1:${remote}`, "--listen=127.0.0.1:70000"], { timeoutMs: 10000 });
    expectRefusal(r, "--listen=127.0.0.1:70000: port 70000 is not in 0..65535 (0 picks a free port)");
    expect(Date.now() - started).toBeLessThan(5000);
  });

  test("a listen failure after the uplink opened closes the uplink: the process exits", async () => {
    const [local, remote] = await freeUdpPorts(2);
    const busy = net.createServer();
    await new Promise((resolve) => busy.listen(0, "127.0.0.1", resolve));
    const { port } = busy.address();
    try {
      const started = Date.now();
      const r = await runCli(["bridge", `--to=udp:local=127.0.0.1:${local},remote=127.0.0.1:${remote}`, `--listen=127.0.0.1:${port}`], { timeoutMs: 10000 });
      expectRefusal(r, new RegExp(`^bridge: cannot listen on 127\\.0\\.0\\.1:${port}: .*EADDRINUSE`));
      expect(Date.now() - started).toBeLessThan(5000);
    } finally {
      busy.close();
    }
  });

  test("the library refuses a port out of range with a TenderError", async () => {
    await expect(startBridge({ port: 70000 })).rejects.toThrow(TenderError);
    await expect(startBridge({ port: 70000 })).rejects.toThrow("bridge: port 70000 is not in 0..65535 (0 picks a free port)");
  });
});

describe("embed-manifest -o where it cannot write", () => {
  const json = path.join(tmp, "manifest.json");
  fs.writeFileSync(json, JSON.stringify(manifestOf([])));
  const kernel = watFile(guestWat());

  test("a folder that does not exist", async () => {
    const out = path.join(tmp, "no-such-folder", "out.wasm");
    const r = await runCli(["embed-manifest", json, kernel, "-o", out]);
    const dir = path.dirname(out);
    expectRefusal(r, `cannot write ${out}: its folder ${dir} does not exist: create it first (mkdir -p ${dir})`);
  });

  test("a folder as the output", async () => {
    const r = await runCli(["embed-manifest", json, kernel, "-o", tmp]);
    expectRefusal(r, `cannot write ${tmp}: it is a folder: give a file name, e.g. ${path.join(tmp, "kernel.wasm")}`);
  });
});

describe("build", () => {
  const ENTRY = "export function solo5_app_main(_si: usize): i32 { return 0 }\n";

  test("an invalid manifest.json: one line naming it as the user gave the entry", async () => {
    const dir = fs.mkdtempSync(path.join(tmp, "build-"));
    fs.mkdirSync(path.join(dir, "guest"));
    fs.writeFileSync(path.join(dir, "guest", "main.ts"), ENTRY);
    fs.writeFileSync(path.join(dir, "guest", "manifest.json"), "{bad");
    const r = await runIn(dir, ["build", "guest/main.ts", "-o", "guest/main.wasm"]);
    expectRefusal(r, /^guest\/manifest\.json: invalid manifest: not valid JSON \(.*\)$/);
    expect(fs.existsSync(path.join(dir, "guest", "main.wasm"))).toBe(false);

    // A manifest with a bad device, the entry given by its absolute path.
    const manifest = path.join(dir, "guest", "manifest.json");
    fs.writeFileSync(manifest, JSON.stringify(manifestOf([{ name: "a b", type: "NET_BASIC" }])));
    const abs = await runIn(tmp, ["build", path.join(dir, "guest", "main.ts"), "-o", path.join(dir, "main.wasm")]);
    expectRefusal(abs, `${manifest}: invalid manifest: device name "a b" may only contain A-Z, a-z and 0-9`);
  });

  test("-o naming the entry file is refused and the source left alone", async () => {
    const dir = fs.mkdtempSync(path.join(tmp, "build-"));
    const entry = path.join(dir, "e.ts");
    fs.writeFileSync(entry, ENTRY);
    const r = await runIn(dir, ["build", "e.ts", "-o", "./e.ts"]);
    expectRefusal(r, "build: -o ./e.ts is the entry file itself and would be overwritten: give another output, e.g. -o e.wasm");
    expect(fs.readFileSync(entry, "utf8")).toBe(ENTRY);

    // Through a link to it as well.
    fs.symlinkSync(entry, path.join(dir, "link.ts"));
    const linked = await runIn(dir, ["build", "link.ts", "-o", "e.ts"]);
    expectRefusal(linked, "build: -o e.ts is the entry file itself and would be overwritten: give another output, e.g. -o link.wasm");
    expect(fs.readFileSync(entry, "utf8")).toBe(ENTRY);
  });

  test("a compile error names its source lines as seen from the user's folder", async () => {
    const dir = fs.mkdtempSync(path.join(tmp, "build "));
    fs.mkdirSync(path.join(dir, "guest"));
    fs.writeFileSync(path.join(dir, "guest", "main.ts"), 'export function solo5_app_main(_si: usize): i32 {\n  return "no";\n}\n');
    const r = await runIn(dir, ["build", "guest/main.ts", "-o", "guest/main.wasm"]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^solo5-wasm: asc could not build guest\/main\.ts: 1 compile error\(s\)\n/);
    expect(r.stderr).toMatch(/TS2322/);
    expect(r.stderr).toContain("└─ in guest/main.ts(2,10)");
    expect(fs.existsSync(path.join(dir, "guest", "main.wasm"))).toBe(false);
  });

  test("options after -- go to asc; a feature left off is named with the way to enable it", async () => {
    const dir = fs.mkdtempSync(path.join(tmp, "build-"));
    fs.copyFileSync(path.join(GUEST_SOURCES, "simd", "v128-global.ts"), path.join(dir, "simd.ts"));
    const off = await runIn(dir, ["build", "simd.ts", "-o", "simd.wasm"]);
    expect(off.status).toBe(1);
    expect(off.stderr).toMatch(/AS103: Feature 'simd' is not enabled/);
    expect(off.stderr.trimEnd().split("\n").at(-1)).toBe("to enable simd: solo5-wasm build simd.ts -o simd.wasm -- --enable simd");

    const on = await runIn(dir, ["build", "simd.ts", "-o", "simd.wasm", "--", "--enable", "simd"]);
    expect(on.stderr).toBe("");
    expect(on.status).toBe(0);
    expect((await runIn(dir, ["run", "simd.wasm", "--solo5:quiet"])).status).toBe(7);
  });

  test.each([["--outFile=x.wasm"], ["-o"], ["--config"], ["--target"], ["--transform"]])("asc option %s is build's own: refused", async (option) => {
    const r = await runIn(tmp, ["build", "e.ts", "-o", "e.wasm", "--", option, "x"]);
    expectRefusal(r, `build: ${option} is set by build itself (-o names the output): leave it out of the asc options`);
  });

  // Each would undo what build guarantees: a kernel at -o that the tender runs (the
  // libOS runtime, _initialize), and no file written but that one (asc ran from the
  // package root, so --textFile x.wat wrote x.wat there).
  const SECOND_FILE = "writes a file besides the kernel, and build writes -o's file alone: leave it out of the asc options";
  const NO_BUILD = "stops asc before it writes a kernel";
  test.each([
    [["--runtime", "stub"], "--runtime is set by build itself (the libOS runtime, which allocates only in the heap the tender gives): leave it out of the asc options"],
    [["--exportStart", "start"], "--exportStart is set by build itself (_initialize, which the tender calls before solo5_app_main): leave it out of the asc options"],
    [["--baseDir", "/tmp"], "--baseDir is set by build itself (paths are taken from the folder build runs in): leave it out of the asc options"],
    [["--wasm", "compiler.js"], "--wasm would swap the compiler build runs: leave it out of the asc options"],
    [["--textFile", "x.wat"], `--textFile ${SECOND_FILE}`],
    [["-t", "x.wat"], `-t ${SECOND_FILE}`],
    [["--bindings", "esm"], `--bindings ${SECOND_FILE}`],
    [["--sourceMap"], `--sourceMap ${SECOND_FILE}`],
    [["--noEmit"], `--noEmit ${NO_BUILD}: leave it out of the asc options`],
    [["--showConfig"], `--showConfig ${NO_BUILD}: leave it out of the asc options`],
    [["--help"], `--help ${NO_BUILD}: npx asc --help prints asc's options`],
    [["-v"], `-v ${NO_BUILD}: npx asc --version prints asc's version`],
    [["--noWarn"], "asc has no option --noWarn: leave it out (npx asc --help lists asc's options)"],
    [["--debug", "other.ts"], "other.ts after -- is neither an asc option nor an option's value: build compiles ENTRY.ts alone (import other files from it)"],
    [["--", "--debug"], "-- is given twice: everything after the first goes to asc as it is; leave out the second"],
  ])("asc options %j: refused in one line, nothing written", async (options, message) => {
    const dir = fs.mkdtempSync(path.join(tmp, "build-"));
    fs.writeFileSync(path.join(dir, "main.ts"), ENTRY);
    const r = await runIn(dir, ["build", "main.ts", "-o", "main.wasm", "--", ...options]);
    expectRefusal(r, `build: ${message}`);
    expect(fs.readdirSync(dir)).toEqual(["main.ts"]);
    expect(fs.existsSync(path.join(ROOT, "x.wat"))).toBe(false);
  });

  // asc logs such failures with their stack, and ends the process with a crash report
  // when Binaryen cannot run a pass.
  const NO_PASS = "Binaryen cannot run this pass (unknown, or not one to run alone): leave it out of the asc options";
  test.each([
    [["--enable", "all"], "asc could not build main.ts: Feature 'all' is unknown."],
    [["--trapMode", "fast"], "asc could not build main.ts: Unsupported trap mode"],
    [["--runPasses", "no-such-pass"], `build: --runPasses no-such-pass: ${NO_PASS}`],
    [["--runPasses=vacuum,generate-stack-ir"], `build: --runPasses generate-stack-ir: ${NO_PASS}`],
  ])("asc options %j that asc cannot use: one line, no stack", async (options, message) => {
    const dir = fs.mkdtempSync(path.join(tmp, "build-"));
    fs.writeFileSync(path.join(dir, "main.ts"), ENTRY);
    expectRefusal(await runIn(dir, ["build", "main.ts", "-o", "main.wasm", "--", ...options]), message);
    expect(fs.readdirSync(dir)).toEqual(["main.ts"]);
  });

  test("--runPasses with passes Binaryen runs: a kernel", async () => {
    const dir = fs.mkdtempSync(path.join(tmp, "build-"));
    fs.writeFileSync(path.join(dir, "main.ts"), ENTRY);
    const r = await runIn(dir, ["build", "main.ts", "-o", "main.wasm", "--", "--runPasses", "strip-debug,vacuum"]);
    expect({ status: r.status, stderr: r.stderr }).toEqual({ status: 0, stderr: "" });
    expect((await runIn(dir, ["run", "--mem=2", "main.wasm", "--solo5:quiet"])).status).toBe(0);
  });

  // run refuses such a kernel at every --mem, so build does not keep it.
  test.each([
    [["--maximumMemory", "1"], "limited to 1 pages (0.0625 MiB), below --mem=1: build without a maximum memory (--mem is at least 1 MiB)"],
    [["--initialMemory", "17", "--maximumMemory", "31"], "limited to 31 pages (1.9375 MiB), below --mem=2: no --mem fits both its minimum and its maximum, so build without a maximum memory"],
  ])("asc options %j that leave no --mem to run the kernel at: refused, the output removed", async (options, why) => {
    const dir = fs.mkdtempSync(path.join(tmp, "build-"));
    fs.writeFileSync(path.join(dir, "main.ts"), ENTRY);
    const r = await runIn(dir, ["build", "main.ts", "-o", "main.wasm", "--", ...options]);
    expectRefusal(r, `main.ts compiled, but not into a kernel (main.wasm removed): guest's env.memory is ${why}`);
    expect(fs.readdirSync(dir)).toEqual(["main.ts"]);
  });

  test("--lib and --path take folders from the user's folder, as asc would", async () => {
    const dir = fs.mkdtempSync(path.join(tmp, "build-"));
    fs.mkdirSync(path.join(dir, "globals"));
    fs.writeFileSync(path.join(dir, "globals", "answer.ts"), "export function libAnswer(): i32 { return 42; }\n");
    fs.mkdirSync(path.join(dir, "deps", "answers"), { recursive: true });
    fs.writeFileSync(path.join(dir, "deps", "answers", "index.ts"), "export const other: i32 = 7;\n");
    fs.writeFileSync(path.join(dir, "main.ts"), 'import { other } from "answers";\nexport function solo5_app_main(_si: usize): i32 { return libAnswer() + other; }\n');
    const r = await runIn(dir, ["build", "main.ts", "-o", "main.wasm", "--", "--lib", "globals", "--path=deps"]);
    expect({ status: r.status, stderr: r.stderr }).toEqual({ status: 0, stderr: "" });
    expect((await runIn(dir, ["run", "--mem=2", "main.wasm", "--solo5:quiet"])).status).toBe(49);
  });

  test("anything but -- after -o OUT: the usage", async () => {
    const r = await runIn(tmp, ["build", "e.ts", "-o", "e.wasm", "--enable", "simd"]);
    expectRefusal(r, "usage: solo5-wasm build ENTRY.ts -o KERNEL.wasm [-- ASC_OPTIONS...]");
  });

  test("-o a folder: one line, the folder left alone", async () => {
    const dir = fs.mkdtempSync(path.join(tmp, "build-"));
    fs.writeFileSync(path.join(dir, "main.ts"), ENTRY);
    fs.mkdirSync(path.join(dir, "out"));
    const r = await runIn(dir, ["build", "main.ts", "-o", "out"]);
    expectRefusal(r, `cannot write out: it is a folder: give a file name, e.g. ${path.join("out", "kernel.wasm")}`);
    expect(fs.statSync(path.join(dir, "out")).isDirectory()).toBe(true);
  });
});

describe("a signal before the guest starts", () => {
  const mkfifo = (file) =>
    new Promise((resolve, reject) => spawn("mkfifo", [file]).on("close", (c) => (c === 0 ? resolve() : reject(new Error("mkfifo failed")))));

  /** Opens the FIFO for writing once the CLI has opened it for reading (ENXIO before). */
  async function writerOnceRead(fifo, child) {
    for (let i = 0; i < 500 && child.exitCode === null; i++) {
      try {
        return fs.openSync(fifo, fs.constants.O_WRONLY | fs.constants.O_NONBLOCK);
      } catch (e) {
        if (e.code !== "ENXIO") throw e;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    }
    throw new Error("the CLI never opened the kernel FIFO");
  }

  test.each([
    ["SIGINT", 2],
    ["SIGTERM", 15],
  ])("%s while the kernel is read: message, status 1, prompt exit", async (signal, number) => {
    const fifo = path.join(fs.mkdtempSync(path.join(tmp, "fifo-")), "kernel.wasm");
    await mkfifo(fifo);
    const child = spawn(process.execPath, [CLI, "run", "--mem=2", fifo]);
    let stderr = "";
    child.stderr.on("data", (d) => (stderr += d));
    const closed = new Promise((resolve) => child.on("close", (status, sig) => resolve({ status, signal: sig })));
    const writer = await writerOnceRead(fifo, child);
    try {
      const sent = Date.now();
      child.kill(signal);
      const timer = setTimeout(() => child.kill("SIGKILL"), 10000);
      const { status, signal: killedBy } = await closed;
      clearTimeout(timer);
      expect(Date.now() - sent).toBeLessThan(5000);
      expect(killedBy).toBeNull();
      expect(stderr).toBe(`solo5-wasm: exiting on signal ${number}\n`);
      expect(status).toBe(1);
    } finally {
      fs.closeSync(writer);
    }
  });

  test("a kernel from a FIFO still runs once written", async () => {
    const fifo = path.join(fs.mkdtempSync(path.join(tmp, "fifo-")), "kernel.wasm");
    await mkfifo(fifo);
    const kernel = watFile(guestWat());
    const running = runCli(["run", "--mem=2", fifo, "--solo5:quiet"]);
    // cat waits for the reader, as a user's producer would.
    await new Promise((resolve) => spawn("sh", ["-c", `cat "${kernel}" > "${fifo}"`]).on("close", resolve));
    const r = await running;
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
  });
});

describe("options that name no device take no :NAME", () => {
  test.each([
    ["--mem:bogus=16", "--mem takes no :NAME, as in --mem=MiB"],
    ["--trace:bogus", "--trace takes no :NAME, as in --trace"],
    ["--dumpcore:bogus=/tmp", "--dumpcore takes no :NAME, as in --dumpcore=DIR"],
    ["--mem:=16", "--mem takes no :NAME, as in --mem=MiB"],
  ])("%s is an unknown option", async (option, why) => {
    const r = await runCli(["run", "--mem=2", option, watFile(guestWat())]);
    expectRefusal(r, `unknown option ${option}: ${why} (see solo5-wasm run --help)`);
  });
});
