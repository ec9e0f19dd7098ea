// Node backs env.memory with a shared memory (core/shared-memory.ts): the module is
// compiled with its memory import marked shared. The guest must not notice: its
// limits, other imports, data and custom sections come through as they were.
import { loadKernel, run } from "../../dist/node/index.js";
import { shareMemoryImport } from "../../dist/core/shared-memory.js";
import { guestWat, wat } from "../helpers/wat.mjs";

const quiet = { mem: 2, args: ["--solo5:quiet"], stdout: () => {}, stderr: () => {} };
const sharedMemory = (pages) => new WebAssembly.Memory({ initial: pages, maximum: pages, shared: true });

test.each([
  ["no maximum", "(memory 1)", 2, 65536],
  ["a maximum", "(memory 1 4)", 2, 4],
])("a memory import with %s links to a shared memory within its limits", (_what, limits, fits, max) => {
  const bytes = wat(`(module
    (import "solo5" "clock_monotonic" (func (result i64)))
    (import "other" "table" (table 1 2 funcref))
    (import "other" "global" (global i32))
    (import "env" "memory" ${limits})
    (data (i32.const 8) "kept"))`);
  const module = new WebAssembly.Module(shareMemoryImport(bytes));
  const imports = (memory) => ({
    solo5: { clock_monotonic: () => 0n },
    other: { table: new WebAssembly.Table({ initial: 1, maximum: 2, element: "anyfunc" }), global: 0 },
    env: { memory },
  });
  const memory = sharedMemory(fits);
  new WebAssembly.Instance(module, imports(memory));
  expect(new TextDecoder().decode(new Uint8Array(memory.buffer, 8, 4).slice())).toBe("kept");
  // The minimum still holds, and a maximum the guest gave still bounds the memory.
  expect(() => new WebAssembly.Instance(module, imports(sharedMemory(0)))).toThrow(WebAssembly.LinkError);
  if (max < 65536) expect(() => new WebAssembly.Instance(module, imports(sharedMemory(max + 1)))).toThrow(WebAssembly.LinkError);
});

test("a kernel loaded for Node runs on a shared memory, its manifest read as before", async () => {
  const bytes = wat(guestWat({ body: "" }));
  const kernel = await loadKernel(bytes, { sharedMemory: true });
  expect(kernel.sharedMemory).toBe(true);
  expect(await run(kernel, quiet)).toEqual({ status: 0, reason: "exit", code: 0 });
  expect(await run(bytes, quiet)).toEqual({ status: 0, reason: "exit", code: 0 });
});

test("a module that is not one is refused with the engine's message about its own bytes", async () => {
  await expect(loadKernel(new Uint8Array([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0, 2, 9, 9]), { sharedMemory: true })).rejects.toThrow(
    /^not a valid WebAssembly module: /,
  );
});
