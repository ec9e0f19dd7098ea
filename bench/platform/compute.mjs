// What asyncify costs a guest's own code: the same CPU-bound guest (guests/compute.ts)
// in a guest pool (asyncified) and run directly in this thread (as built), each
// timing itself with clock_monotonic; and what asyncify adds to its module.
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { compileGuestCached } from "../../dist/build/compile.js";
import { asyncifyYield } from "../../dist/core/pool/asyncify.js";
import { createGuestPool, loadKernel, loadPooledKernel, NODE_KERNELS, runGuest } from "../../dist/node/index.js";
import { AtomicsWaiter, newControl } from "../../dist/core/index.js";
import { monotonicNs } from "../../dist/node/clock.js";
import { nodePlatform } from "../../dist/node/platform.js";
import { median } from "./stats.mjs";

const HERE = path.dirname(fileURLToPath(import.meta.url));
const COMPUTE = path.join(HERE, "build/compute.wasm");
const MIB = 1 << 20;

const nsOf = (out) => Number(/compute ns (\d+)/.exec(out)?.[1] ?? NaN);

export async function computeFigures({ quick }) {
  await compileGuestCached(path.join(HERE, "guests/compute.ts"), COMPUTE);
  const bytes = fs.readFileSync(COMPUTE);
  const kernel = await loadKernel(bytes, NODE_KERNELS);
  const pooled = await loadPooledKernel(bytes);
  const pool = createGuestPool();
  const decoder = new TextDecoder();
  const direct = () => {
    let out = "";
    const platform = nodePlatform(new AtomicsWaiter(newControl(), monotonicNs), (b) => (out += decoder.decode(b)), console.error);
    runGuest(kernel, { memBytes: 16 * MIB, cmdline: "", logLevel: "error", trace: false, backends: new Map() }, platform);
    return nsOf(out);
  };
  const inPool = async () => {
    let out = "";
    await pool.run(pooled, { mem: 16, args: ["--solo5:quiet"], stdout: (b) => (out += decoder.decode(b)) });
    return nsOf(out);
  };
  try {
    const [tp, td] = [[], []];
    for (let i = 0; i < (quick ? 3 : 7); i++) tp.push(await inPool()), td.push(direct());
    return [
      { name: "guest CPU work (sort with comparator) in a pool, against the module as built", unit: "ms", value: median(tp) / 1e6, baseline: median(td) / 1e6 },
      { name: "size of that guest's module asyncified, against as built", unit: "bytes", value: (await asyncifyYield(bytes)).length, baseline: bytes.length },
    ];
  } finally {
    await pool.close();
  }
}
