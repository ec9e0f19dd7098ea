// Valid modules that use WebAssembly features beyond the ABI's baseline (docs/abi.md,
// section 1) pass the module checks like any other module and run. Each case was
// refused or misread by the tender's former reader of imports, exports and globals
// (@webassemblyjs/wasm-parser); host/core/wasm-reader.ts reads them.
import path from "node:path";
import { compileGuestCached } from "../../dist/build/compile.js";
import { GUESTS_DIR, GUEST_SOURCES } from "../helpers/paths.mjs";
import { BOTH, runCli } from "../helpers/run.mjs";
import { guestWat, manifestOf, wat, watFile } from "../helpers/wat.mjs";

/** Returns `status` from solo5_app_main after `body`. */
const returning = (body) => `(func (export "solo5_app_main") (param i32) (result i32) ${body})`;

const simdGlobals = {
  extra: `(global $base v128 (v128.const i32x4 5 0 0 0)) (global $sum (mut v128) (v128.const i64x2 0 0))`,
  main: returning(`(global.set $sum (i32x4.add (global.get $base) (i32x4.splat (i32.const 2)))) (i32x4.extract_lane 0 (global.get $sum))`),
};
// An exported exception tag ahead of the ABI's exports: the old reader stopped reading
// exports at it (and warned on stderr), then missed solo5_app_main.
const exportedTag = {
  imports: `(tag $oops (export "oops") (param i32))`,
  main: returning(`(try (result i32) (do (throw $oops (i32.const 5))) (catch $oops))`),
};
// Custom sections do not make a module invalid, whatever they hold; the old reader
// parsed "producers" and lost its place in the module when that failed.
const junkProducers = { extra: `(@custom "producers" "\\01\\ff")` };

const asSimdGuest = path.join(GUESTS_DIR, "simd-v128-global.wasm");
beforeAll(() => compileGuestCached(path.join(GUEST_SOURCES, "simd/v128-global.ts"), asSimdGuest, ["--enable", "simd"]));

const cases = [
  ["v128 globals, one mutable (SIMD)", () => watFile(guestWat(simdGlobals)), 7],
  ["an AssemblyScript guest with a v128 global (asc --enable simd)", () => asSimdGuest, 7],
  ["an exception tag exported before solo5_app_main", () => watFile(guestWat(exportedTag)), 5],
  ["a malformed producers custom section", () => watFile(guestWat(junkProducers)), 0],
];

describe.each(BOTH)("via the %s", (_way, runGuest) => {
  test.each(cases)("%s: checked and run to its exit status", async (_what, file, status) => {
    const r = await runGuest(file(), { mem: 2 });
    expect({ status: r.status, stderr: r.stderr }).toEqual({ status, stderr: "" });
    expect(r.stdout).toContain(`Solo5: solo5_exit(${status}) called`);
  });
});

test("`manifest` reads a kernel with v128 globals and an exported tag", async () => {
  const devices = [{ name: "storage", type: "BLOCK_BASIC" }];
  const file = watFile(guestWat({ ...simdGlobals, imports: exportedTag.imports, manifest: manifestOf(devices) }));
  const r = await runCli(["manifest", file]);
  expect({ status: r.status, stderr: r.stderr }).toEqual({ status: 0, stderr: "" });
  expect(JSON.parse(r.stdout).devices).toEqual(devices);
});

// Node 22 and later accept extended constant expressions; Node 20 does with this flag.
test("an extended-const __heap_base is evaluated, not read as its first operand", async () => {
  const text = guestWat({
    heapBase: `(global (export "__heap_base") i32 (i32.add (i32.const 0x1000) (i32.const 0x1000)))`,
    main: returning(`(i32.shr_u (local.get 0) (i32.const 8))`), // start info at align16(0x2000): exits with 0x20
  });
  const nodeArgs = WebAssembly.validate(wat(text)) ? [] : ["--experimental-wasm-extended-const"];
  const r = await runCli(["run", "--mem=2", watFile(text)], { nodeArgs });
  expect({ status: r.status, stderr: r.stderr }).toEqual({ status: 0x20, stderr: "" });
});
