// The libOS allocator's own tests run inside a guest (tests/guests/alloc-test.ts:
// random alloc/free/realloc/aligned sequences checking alignment, no overlap, bounds,
// contents, full coalescing, and AssemblyScript's collector on top), under both ways
// of running; and out of memory aborts with the heap size and the request.
import { BOTH, expectAbort, expectSuccess } from "../helpers/run.mjs";
import { guest } from "../helpers/paths.mjs";

describe.each(BOTH)("the libOS allocator via the %s", (_way, runGuest) => {
  test("passes its in-guest tests", async () => {
    const r = await runGuest(guest("alloc-test"), { mem: 32, args: ["--solo5:quiet"] });
    expectSuccess(r);
  });

  test("out of memory aborts, naming the request and the heap size", async () => {
    const r = await runGuest(guest("alloc-test"), { mem: 2, args: ["--solo5:quiet", "oom"] });
    expectAbort(r, "solo5_abort() called");
    expect(r.stdout).toMatch(/libos: out of memory: cannot allocate \d+ bytes \(alignment 16\) in a heap of \d+ bytes/);
  });

  test("a free block overwritten by the guest is caught, not followed", async () => {
    const r = await runGuest(guest("alloc-test"), { mem: 2, args: ["--solo5:quiet", "corrupt"] });
    expectAbort(r, "solo5_abort() called");
    expect(r.stdout).toMatch(/libos: heap corrupted: the free block at \d+ was overwritten/);
  });
});
