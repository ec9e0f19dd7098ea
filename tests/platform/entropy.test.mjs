// ABI v1.1's entropy call in every Node tender (the CLI and the library on a worker
// of its own, a pool's shared thread): the AssemblyScript API over it, the call's
// edges (tests/guests/entropy-edges.wat), --trace, and v1 guests left as they were.
import fs from "node:fs";
import { createGuestPool } from "../../dist/node/index.js";
import { GUEST_SOURCES, example, guest } from "../helpers/paths.mjs";
import { BOTH, runCli } from "../helpers/run.mjs";
import { guestWat, watFile } from "../helpers/wat.mjs";

const EDGES = fs.readFileSync(`${GUEST_SOURCES}/entropy-edges.wat`, "utf8");
const INVALID = "solo5-wasm: invalid guest access in entropy: ptr=0x1ffff0 len=17\n";
const decoder = new TextDecoder();

/** A pool run with output collected, as runLib collects it. */
async function runPooled(bytes, options) {
  const pool = createGuestPool();
  let stdout = "";
  let stderr = "";
  try {
    const r = await pool.run(bytes, { ...options, stdout: (b) => (stdout += decoder.decode(b)), stderr: (l) => (stderr += `${l}\n`) });
    return { ...r, stdout, stderr };
  } finally {
    await pool.close();
  }
}

const WAYS = [
  ...BOTH.map(([way, run]) => [way, (file, args) => run(file, { mem: 2, args })]),
  ["pool", (file, args) => runPooled(fs.readFileSync(file), { mem: 2, args })],
];

describe.each(WAYS)("via the %s", (_way, run) => {
  test("the AssemblyScript API fills buffers of any size, and a guest that imports entropy says ABI v1.1", async () => {
    const r = await run(guest("entropy"), []);
    expect(r.stdout).toContain("SUCCESS\n");
    expect(r.stdout).toMatch(/^Solo5: Bindings version v\d+\.\d+\.\d+ \(solo5-wasm, ABI v1\.1\)$/m);
    expect(r.status).toBe(0);
  });

  test("65536 bytes fill, 65537 are EINVAL with nothing written, 0 anywhere, up to the end of memory; one byte past stops the guest", async () => {
    const r = await run(watFile(EDGES), ["--solo5:quiet"]);
    expect({ status: r.status, stdout: r.stdout, stderr: r.stderr }).toEqual({ status: 1, stdout: "edge cases OK\n", stderr: INVALID });
  });
});

test("--trace shows each entropy call with its buffer, size and result", async () => {
  const r = await runCli(["run", "--mem=2", "--trace", watFile(EDGES), "--solo5:quiet"]);
  const calls = r.stderr.split("\n").filter((l) => l.includes("trace: entropy("));
  expect(calls.map((l) => l.replace(/ \(\d+\.\d us\)$/, ""))).toEqual([
    "solo5-wasm: trace: entropy(buf=0x1000, size=65536) = OK",
    "solo5-wasm: trace: entropy(buf=0x20000, size=65537) = EINVAL",
    "solo5-wasm: trace: entropy(buf=0x493e0, size=0) = OK",
    "solo5-wasm: trace: entropy(buf=0x200000, size=0) = OK",
    "solo5-wasm: trace: entropy(buf=0x1ffff0, size=16) = OK",
    "solo5-wasm: trace: entropy(buf=0x1ffff0, size=17) failed: invalid guest access in entropy: ptr=0x1ffff0 len=17",
  ]);
  expect(r.stderr.endsWith(INVALID)).toBe(true);
});

test("a guest that does not import entropy stays a v1 guest", async () => {
  const r = await runCli(["run", "--mem=16", example("hello"), "Hi"]);
  expect(r.stdout).toMatch(/^Solo5: Bindings version v\d+\.\d+\.\d+ \(solo5-wasm, ABI v1\)$/m);
});

test("solo5.entropy of another type is refused, naming the type v1.1 gives it", async () => {
  const bad = watFile(guestWat({ imports: `(import "solo5" "entropy" (func (param i32) (result i32)))` }));
  const r = await runCli(["run", "--mem=2", bad]);
  expect(r.status).toBe(1);
  expect(r.stderr).toMatch(/guest imports solo5\.entropy with type \(i32\) -> \(i32\), ABI v1\.1 gives it \(i32 i32\) -> \(i32\)\n$/);
});
