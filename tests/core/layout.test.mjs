// The start-up layout (ABI section 2) and its refusals, worded by each host.
import { computeLayout, FIELD_WORDS, MIB, OptionRefusal } from "../../dist/core/index.js";
import { CLI_WORDS } from "../../dist/node/words.js";

test("start info at align16(__heap_base), the command line after it, the heap to the end of memory", () => {
  const l = computeLayout(1001, "hello", MIB);
  expect(l).toEqual(expect.objectContaining({ startInfo: 1008, cmdline: 1024, heapStart: 1040, heapSize: MIB - 1040 }));
  expect(computeLayout(1024, "", MIB).heapStart).toBe(1056);
});

test("a command line of 8191 bytes fits, 8192 do not", () => {
  expect(computeLayout(0, "x".repeat(8191), MIB).cmdlineBytes.length).toBe(8191);
  expect(() => computeLayout(0, "x".repeat(8192), MIB)).toThrow("command line is 8192 bytes, at most 8191 are allowed: shorten the guest's arguments");
});

test("less than 64 KiB of heap is refused, naming the memory option in each host's terms", () => {
  const refusal = (() => {
    try {
      computeLayout(MIB - 60 * 1024, "", MIB);
    } catch (e) {
      return e;
    }
  })();
  expect(refusal).toBeInstanceOf(OptionRefusal);
  expect(refusal.key).toEqual({ option: "mem" });
  expect(refusal.wordedIn(CLI_WORDS).message).toMatch(/^--mem=1 is too small: .* at least 65536 are needed: raise --mem$/);
  expect(refusal.wordedIn(FIELD_WORDS).message).toMatch(/^mem = 1 is too small: .* at least 65536 are needed: raise mem$/);
});
