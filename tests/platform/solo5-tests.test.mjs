// Solo5's own tests (tests.bats) that make sense on wasm, each run through the CLI
// and through the library API, asserting what tests.bats asserts.
import { BOTH, expectAbort, expectSuccess } from "../helpers/run.mjs";
import { example, guest } from "../helpers/paths.mjs";

describe.each(BOTH)("Solo5 tests via the %s", (_way, runGuest) => {
  test("hello: SUCCESS with Hello_Solo5, its command line echoed", async () => {
    const r = await runGuest(example("hello"), { args: ["Hello_Solo5"] });
    expectSuccess(r);
    expect(r.stdout).toContain("Hello, World\n");
    expect(r.stdout).toContain("Command line is: 'Hello_Solo5'\n");
    expect(r.stdout).toContain("Solo5: solo5_exit(0) called\n");
  });

  test("hello: no SUCCESS with another command line", async () => {
    const r = await runGuest(example("hello"), { args: ["Hello", "World"] });
    expect(r.status).toBe(0);
    expect(r.stdout).toContain("Command line is: 'Hello World'\n");
    expect(r.stdout).not.toContain("SUCCESS");
  });

  test("banner shows the memory layout", async () => {
    const r = await runGuest(example("hello"), { args: ["Hello_Solo5"], mem: 8 });
    expect(r.stdout).toMatch(/^Solo5: Bindings version v\d+\.\d+\.\d+ \(solo5-wasm, ABI v1\)$/m);
    expect(r.stdout).toContain("Solo5: Memory map: 8 MB addressable:\n");
    expect(r.stdout).toMatch(/Solo5: {5}static @ \(0x0 - 0x[0-9a-f]+\)/);
    expect(r.stdout).toMatch(/Solo5:       heap @ \(0x[0-9a-f]+ - 0x7fffff\)/);
  });

  test("quiet: --solo5:quiet removes every Solo5: line and is not passed on", async () => {
    const r = await runGuest(guest("quiet"), { args: ["--solo5:quiet"] });
    expectSuccess(r);
    expect(r.stdout).toBe("SUCCESS\n");
  });

  test("several leading --solo5: options are consumed, the last one wins", async () => {
    const r = await runGuest(example("hello"), { args: ["--solo5:debug", "--solo5:quiet", "Hello_Solo5"] });
    expectSuccess(r);
    expect(r.stdout).not.toContain("Solo5:");
    expect(r.stdout).toContain("Command line is: 'Hello_Solo5'");
  });

  test("a --solo5: option after another word stays in the command line", async () => {
    const r = await runGuest(example("hello"), { args: ["Hello", "--solo5:quiet"] });
    expect(r.stdout).toContain("Command line is: 'Hello --solo5:quiet'");
    expect(r.stdout).toContain("Solo5: solo5_exit(0) called");
  });

  test("output: every byte of every write arrives, in order", async () => {
    const r = await runGuest(guest("output"), { args: ["Output_Solo5"] });
    expectSuccess(r);
    const sizes = [0, 1, 15, 16, 17, 255, 4096, 65536];
    sizes.forEach((n, i) => expect(r.stdout).toContain(`\n${n}:${String.fromCharCode(0x61 + i).repeat(n)}\n`));
    expect(r.stdout).toContain("UTF-8: h\u00e9llo w\u00f6rld \u2713\n");
  });

  test("globals: static data and top-level code are ready before solo5_app_main", async () => {
    expectSuccess(await runGuest(guest("globals")));
  });

  test("fpu", async () => {
    expectSuccess(await runGuest(guest("fpu")));
  });

  test("time: yield sleeps to its deadline, clocks are sane", async () => {
    expectSuccess(await runGuest(guest("time")));
  });

  test("abort: AssemblyScript's abort ends in solo5_abort, status 255", async () => {
    const r = await runGuest(guest("abort"));
    expectAbort(r);
    expect(r.stdout).toContain("ABORT: deliberate assertion failure at tests/guests/abort.ts:");
    expect(r.stdout).toContain("Solo5: solo5_abort() called\n");
  });

  test("abort lines survive --solo5:quiet", async () => {
    const r = await runGuest(guest("abort"), { args: ["--solo5:quiet"] });
    expectAbort(r);
    expect(r.stdout).toContain("Solo5: solo5_abort() called\n");
  });

  test.each([
    ["unreachable", "unreachable"],
    ["oob", "memory access out of bounds"],
    ["divzero", "divide by zero"],
    ["stack", "stack overflow"],
  ])("trap (%s): status 255, reason and wasm stack with names", async (how, reason) => {
    const r = await runGuest(guest("trap"), { args: ["--solo5:quiet", how] });
    expectAbort(r, "trap");
    expect(r.stdout).toContain(`Solo5: trap: ${reason}\n`);
    expect(r.stdout).toMatch(/^Solo5: {3}at .*solo5_app_main \(wasm-function\[\d+\]:0x[0-9a-f]+\)$/m);
  });

  test.each([
    ["exit", 0, 0],
    ["exit", 7, 7],
    ["exit", 256, 0],
    ["exit", -1, 255],
    ["return", 3, 3],
    ["return", 511, 255],
    ["return", -2, 254],
  ])("%s %i: status %i, the exit line shows the signed value", async (how, n, status) => {
    const r = await runGuest(guest("exit"), { args: [how, String(n)] });
    expect(r.status).toBe(status);
    expect(r.stdout).toContain(`Solo5: solo5_exit(${n}) called\n`);
  });
});
