// Bad input of every kind gets one clear `solo5-wasm:` line on stderr naming what is
// wrong (and how to mend it) and exit status 1, before any guest code runs.
import fs from "node:fs";
import path from "node:path";
import { runCli } from "../helpers/run.mjs";
import { example } from "../helpers/paths.mjs";
import { tempDir } from "../helpers/temp.mjs";
import { guestWat, manifestOf, wat, watFile } from "../helpers/wat.mjs";

const tmp = tempDir("solo5-refusals");

/** Runs the CLI and checks the refusal: status 1, one stderr line matching `message`, no guest output. */
async function expectRefusal(args, message, options) {
  const r = await runCli(args, options);
  expect(r.stderr).toMatch(message);
  expect(r.stderr.trim().split("\n")).toHaveLength(1);
  expect(r.stderr).toMatch(/^solo5-wasm: /);
  expect(r.stdout).not.toContain("Solo5: solo5_exit");
  expect(r.status).toBe(1);
}

const run = (wasm, ...options) => ["run", "--mem=2", ...options, wasm];

describe("the module", () => {
  test("not a wasm file", async () => {
    const file = path.join(tmp, "not-a-module.wasm");
    fs.writeFileSync(file, "hello, I am text\n");
    await expectRefusal(run(file), /not-a-module\.wasm: not a valid WebAssembly module/);
  });

  test("a file that does not exist", async () => {
    await expectRefusal(run("/nonexistent/kernel.wasm"), /cannot read \/nonexistent\/kernel\.wasm/);
  });

  test("no solo5_app_main", async () => {
    await expectRefusal(run(watFile(guestWat({ main: "(func (export \"main\"))" }))), /does not export solo5_app_main, a function \(i32\) -> \(i32\)/);
  });

  test("solo5_app_main of the wrong type", async () => {
    await expectRefusal(run(watFile(guestWat({ main: `(func (export "solo5_app_main"))` }))), /exports solo5_app_main as \(\) -> \(\), ABI v1 needs a function \(i32\) -> \(i32\)/);
  });

  test("no __heap_base", async () => {
    await expectRefusal(run(watFile(guestWat({ heapBase: "" }))), /does not export __heap_base/);
  });

  test("a mutable __heap_base", async () => {
    await expectRefusal(run(watFile(guestWat({ heapBase: `(global (export "__heap_base") (mut i32) (i32.const 1024))` }))), /__heap_base as a mutable global/);
  });

  test("__heap_base beyond --mem", async () => {
    await expectRefusal(run(watFile(guestWat({ heapBase: `(global (export "__heap_base") i32 (i32.const 0x300000))` }))), /__heap_base \(0x300000\) lies beyond --mem=2 .*: use --mem=3 or more$/m);
  });

  test("__heap_base beyond any --mem", async () => {
    await expectRefusal(run(watFile(guestWat({ heapBase: `(global (export "__heap_base") i32 (i32.const -16))` }))), /__heap_base \(0xfffffff0\) lies beyond .*: no --mem reaches it, so the guest's build is wrong/);
  });

  test("an import outside the ABI is named as module.field", async () => {
    await expectRefusal(run(watFile(guestWat({ imports: `(import "env" "seed" (func (result f64)))` }))), /guest imports env\.seed, which this tender does not provide/);
  });

  test("env.abort of a plain asc build points at solo5-wasm build", async () => {
    await expectRefusal(
      run(watFile(guestWat({ imports: `(import "env" "abort" (func (param i32 i32 i32 i32)))` }))),
      /guest imports env\.abort, which this tender does not provide: a plain asc build imports env\.abort; build with solo5-wasm build ENTRY\.ts -o KERNEL\.wasm/,
    );
  });

  test("a WASI import says WASI is not this platform and points at docs/abi.md", async () => {
    await expectRefusal(
      run(watFile(guestWat({ imports: `(import "wasi_snapshot_preview1" "fd_write" (func (param i32 i32 i32 i32) (result i32)))` }))),
      /guest imports wasi_snapshot_preview1\.fd_write, which this tender does not provide: WASI is not this platform: .*\(docs\/abi\.md\)/,
    );
  });

  test("an unknown solo5 call", async () => {
    await expectRefusal(run(watFile(guestWat({ imports: `(import "solo5" "mmap" (func (param i32)))` }))), /guest imports solo5\.mmap, which this tender does not provide/);
  });

  test("a hypercall of the wrong type", async () => {
    await expectRefusal(
      run(watFile(guestWat({ imports: `(import "solo5" "console_write" (func (param i32)))` }))),
      /guest imports solo5\.console_write with type \(i32\) -> \(\), ABI v1 gives it \(i32 i32\) -> \(\)/,
    );
  });

  test("a hypercall imported as a global", async () => {
    await expectRefusal(run(watFile(guestWat({ imports: `(import "solo5" "exit" (global i32))` }))), /guest imports solo5\.exit as a GlobalType/);
  });

  test("a start function", async () => {
    await expectRefusal(run(watFile(guestWat({ extra: "(func $s) (start $s)" }))), /wasm start function.*_initialize/);
  });

  test("a memory the module defines itself", async () => {
    await expectRefusal(run(watFile(guestWat({ memory: "(memory 1)" }))), /defines its own memory/);
  });

  test("no memory at all", async () => {
    await expectRefusal(run(watFile(guestWat({ memory: "" }))), /does not import env\.memory/);
  });

  test("a shared memory", async () => {
    await expectRefusal(run(watFile(guestWat({ memory: `(import "env" "memory" (memory 1 64 shared))` }))), /env\.memory as shared memory/);
  });

  test("a memory minimum above --mem", async () => {
    await expectRefusal(run(watFile(guestWat({ memory: `(import "env" "memory" (memory 64))` }))), /needs at least 64 pages \(4 MiB\), more than --mem=2: use --mem=4 or more$/m);
  });

  test("a memory minimum no --mem reaches", async () => {
    await expectRefusal(run(watFile(guestWat({ memory: `(import "env" "memory" (memory 65536))` }))), /\(4096 MiB\), more than --mem=2: ABI v1 allows at most 4095 MiB, so build the guest with a smaller initial memory$/m);
  });

  test("a memory maximum below the least --mem", async () => {
    await expectRefusal(["run", "--mem=1", watFile(guestWat({ memory: `(import "env" "memory" (memory 1 1))` }))], /limited to 1 pages \(0.0625 MiB\), below --mem=1: build without a maximum memory \(--mem is at least 1 MiB\)$/m);
  });

  test.each(["toString", "__proto__", "constructor", "hasOwnProperty"])("an import solo5.%s (an Object property, no hypercall)", async (name) => {
    const file = watFile(guestWat({ imports: `(import "solo5" "${name}" (func))` }));
    await expectRefusal(run(file), new RegExp(`guest imports solo5\\.${name}, which this tender does not provide`));
  });

  // Node versions whose V8 ships memory64 accept such a module, Node 20 with this flag.
  // (A v128 global, refused here before, is valid and runs: module-features.test.mjs.)
  test("a 64-bit memory", async () => {
    const text = guestWat({ memory: `(import "env" "memory" (memory i64 1))` });
    const nodeArgs = WebAssembly.validate(wat(text)) ? [] : ["--experimental-wasm-memory64"];
    await expectRefusal(run(watFile(text)), /guest imports env\.memory as a 64-bit memory: ABI v1 memory is wasm32/, { nodeArgs });
  });

  test("a memory maximum below --mem", async () => {
    await expectRefusal(run(watFile(guestWat({ memory: `(import "env" "memory" (memory 1 16))` }))), /limited to 16 pages \(1 MiB\), below --mem=2: use --mem=1 or less, or build without a maximum memory$/m);
  });

  // 17 pages need --mem=2 (whole MiB), 31 pages allow at most --mem=1: neither advice
  // may send the user to the other refusal.
  test.each(["1", "2"])("a memory minimum and maximum no --mem fits between, at --mem=%s", async (mem) => {
    const file = watFile(guestWat({ memory: `(import "env" "memory" (memory 17 31))` }));
    await expectRefusal(["run", `--mem=${mem}`, file], /--mem=\d: no --mem fits both its minimum and its maximum, so build without a maximum memory$/m);
  });

  // Names are UTF-8 of any code points: a refusal quoting one stays one line.
  test("an import named with a line break and a terminal escape", async () => {
    const file = watFile(guestWat({ imports: `(import "sol\\0ao5" "a\\1b[31mb\\0d" (func))` }));
    await expectRefusal(run(file), /guest imports sol\\u000ao5\.a\\u001b\[31mb\\u000d, which this tender does not provide/);
  });

  test("an engine message quoting such a name", async () => {
    // Two exports of one name, "a\nb" (wabt would refuse to write it).
    const name = [3, 0x61, 0x0a, 0x62];
    const bytes = Uint8Array.from([
      0, 0x61, 0x73, 0x6d, 1, 0, 0, 0,
      1, 4, 1, 0x60, 0, 0, // type: () -> ()
      3, 2, 1, 0, // one function
      7, 13, 2, ...name, 0, 0, ...name, 0, 0, // exports a\nb twice
      10, 4, 1, 2, 0, 0x0b, // its body
    ]);
    const file = path.join(tmp, "dup.wasm");
    fs.writeFileSync(file, bytes);
    await expectRefusal(run(file), /not a valid WebAssembly module: Duplicate export name 'a\\u000ab'/);
  });

  test("_initialize of the wrong type", async () => {
    await expectRefusal(run(watFile(guestWat({ extra: `(func (export "_initialize") (param i32))` }))), /exports _initialize as \(i32\) -> \(\)/);
  });
});

describe("the manifest (ABI section 3)", () => {
  const dev = (name, type = "NET_BASIC") => ({ name, type });
  const cases = [
    ["invalid JSON", "{not json", /invalid manifest: not valid JSON/],
    ["not an object", "[]", /invalid manifest: the top level must be a JSON object/],
    ["an unknown top-level key", { ...manifestOf([]), extra: 1 }, /unknown key "extra" in the manifest/],
    ["an unknown device key", manifestOf([{ ...dev("a"), mtu: 9000 }]), /unknown key "mtu" in devices\[0\]/],
    ["no type", { version: 1, devices: [] }, /the manifest has no "type"/],
    ["no version", { type: "solo5.manifest", devices: [] }, /the manifest has no "version"/],
    ["no devices", { type: "solo5.manifest", version: 1 }, /the manifest has no "devices"/],
    ["a wrong type", { ...manifestOf([]), type: "solo5.manifesto" }, /"type" must be "solo5.manifest"/],
    ["a wrong version", { ...manifestOf([]), version: 2 }, /"version" must be 1, not 2/],
    ["a device without a type", manifestOf([{ name: "a" }]), /devices\[0\] has no "type"/],
    ["an empty name", manifestOf([dev("")]), /devices\[0\] has an empty or non-string name/],
    ["a 68-byte name", manifestOf([dev("a".repeat(68))]), /is longer than 67 bytes/],
    ["a 10 MB name, quoted in part", manifestOf([dev("a".repeat(10_000_000))]), /device name "a{64}\.\.\. \(10000000 characters\)" is longer than 67 bytes/],
    ["a name with a dash", manifestOf([dev("net-0")]), /"net-0" may only contain A-Z, a-z and 0-9/],
    ["a repeated name", manifestOf([dev("a"), dev("a", "BLOCK_BASIC")]), /"a" is declared twice/],
    ["an unknown device type", manifestOf([dev("a", "NET_FANCY")]), /device "a" has unknown type "NET_FANCY"/],
    ["64 devices", manifestOf(Array.from({ length: 64 }, (_, i) => dev(`d${i}`))), /64 devices declared, at most 63/],
    // Text from the manifest stays on the one line, its control characters escaped.
    ["invalid JSON over lines, as a manifest.json is written", '{\n  "type": solo5\n}\n', /not valid JSON \(.*"\{\\u000a  "type": solo5\\u000a\}\\u000a" is not valid JSON\)$/m],
    ["a name with a line break and a terminal escape", manifestOf([dev("a\nb\u001b[31m")]), /device name "a\\u000ab\\u001b\[31m" may only contain/],
    ["an unknown key with a line break", { ...manifestOf([]), "x\ny": 1 }, /unknown key "x\\u000ay" in the manifest/],
  ];
  test.each(cases)("refuses %s", async (_what, manifest, message) => {
    await expectRefusal(run(watFile(guestWat({ manifest }))), message);
  });

  test("refuses two manifest sections", async () => {
    const file = watFile(guestWat({ manifest: manifestOf([]), extra: `(@custom "solo5.manifest" "{}")` }));
    await expectRefusal(run(file), /2 solo5\.manifest sections, at most one/);
  });

  test("a 67-byte name and 63 devices are accepted", async () => {
    const devices = [dev("n".repeat(67)), ...Array.from({ length: 62 }, (_, i) => dev(`d${i}`, "BLOCK_BASIC"))];
    const r = await runCli(["manifest", watFile(guestWat({ manifest: manifestOf(devices) }))]);
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout).devices).toHaveLength(63);
  });
});

describe("devices against the manifest", () => {
  const netGuest = () => watFile(guestWat({ manifest: manifestOf([{ name: "service0", type: "NET_BASIC" }]) }));

  test("a device option the manifest does not declare", async () => {
    const disk = path.join(tmp, "refusal-disk.img");
    fs.writeFileSync(disk, Buffer.alloc(4096));
    await expectRefusal(run(watFile(guestWat()), `--block:storage=${disk}`), /--block:storage names a device the guest's manifest does not declare \(declared: none\)/);
  });

  test("a declared device left unattached", async () => {
    await expectRefusal(run(netGuest()), /declares NET_BASIC device service0, which is not attached: add --net:service0=/);
  });

  test("a device attached with the wrong option", async () => {
    const disk = path.join(tmp, "refusal-disk.img");
    fs.writeFileSync(disk, Buffer.alloc(4096));
    await expectRefusal(run(netGuest(), `--block:service0=${disk}`), /device service0 is NET_BASIC in the guest's manifest, attach it with --net:service0=/);
  });
});

describe("options and sizes", () => {
  test("--mem too small for image, start info, command line and 64 KiB of heap", async () => {
    const file = watFile(guestWat({ heapBase: `(global (export "__heap_base") i32 (i32.const 0xf8000))` }));
    await expectRefusal(["run", "--mem=1", file], /--mem=1 is too small: .* leave \d+ bytes of heap, at least 65536 are needed: raise --mem/);
  });

  test("a 9000-byte command line", async () => {
    await expectRefusal([...run(example("hello")), "x".repeat(9000)], /command line is 9000 bytes, at most 8191/);
  });

  test("8191 bytes of command line are fine", async () => {
    const r = await runCli([...run(example("hello")), "x".repeat(8191)]);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain(`'${"x".repeat(8191)}'`);
  });

  test.each([
    [["--mem=0"], /--mem=0: memory is a whole number of MiB from 1 to 4095/],
    [["--mem=4096"], /--mem=4096: memory is a whole number of MiB from 1 to 4095/],
    [["--mem=1.5"], /--mem=1.5: expected a whole number/],
    [["--mem"], /--mem: expected --mem=MiB/],
    [["--frobnicate"], /unknown option --frobnicate \(see solo5-wasm run --help\)/],
    [["--memory=4"], /unknown option --memory=4: did you mean --mem\? \(see solo5-wasm run --help\)/],
    [["--trac"], /unknown option --trac: did you mean --trace\?/],
    [["--net-mca:service0=02:00:00:00:00:01"], /unknown option --net-mca:service0=02:00:00:00:00:01: did you mean --net-mac\?/],
    [["--net:service0"], /--net:service0: expected --net:NAME=VALUE/],
    [["--net-mac:service0=02:00:00:00:00:01"], /--net-mac:service0 given without --net:service0/],
    [["--block-sector-size:disk=4096"], /--block-sector-size:disk given without --block:disk/],
    [["--trace=yes"], /--trace takes no value/],
  ])("refuses %j", async (options, message) => {
    await expectRefusal(["run", ...options, example("hello")], message);
  });

  test("no kernel", async () => {
    await expectRefusal(["run", "--mem=2"], /no KERNEL\.wasm given/);
  });

  test("an unknown command", async () => {
    await expectRefusal(["launch", example("hello")], /unknown command launch: use run, /);
    await expectRefusal(["rnu", example("hello")], /unknown command rnu: did you mean run\? use run, /);
  });

  test("--net:NAME=hub is the hub: backend without its NAME, not a TAP called hub", async () => {
    await expectRefusal(["run", "--net:service0=hub", example("ping-serve")], /^solo5-wasm: --net:service0=hub: the hub: backend needs its colon and what follows it: use hub:NAME$/m);
  });
});
