// How every fuzzer searches: a fast-check property over its arbitrary, run from a
// seed, its kept cases (kept.json beside the fuzzer: shrunk failures from earlier
// runs) tried first. A failure is shrunk by fast-check; the runner (fuzz/run.mjs)
// adds the shrunk case to the kept file, and the error says how to reproduce it.
import fs from "node:fs";
import fc from "fast-check";

// JSON with BigInts and byte arrays: { "$bigint": "123" }, { "$bytes": "0aff" }.
const replacer = (_k, v) =>
  typeof v === "bigint" ? { $bigint: v.toString() } : v instanceof Uint8Array ? { $bytes: Buffer.from(v).toString("hex") } : v;
const reviver = (_k, v) => {
  if (v === null || typeof v !== "object") return v;
  if (typeof v.$bigint === "string") return BigInt(v.$bigint);
  if (typeof v.$bytes === "string") return Uint8Array.from(Buffer.from(v.$bytes, "hex"));
  return v;
};

export const readKept = (file) => (fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, "utf8"), reviver) : []);

function keep(file, value) {
  const kept = readKept(file);
  kept.push(value);
  fs.writeFileSync(file, `${JSON.stringify(kept, replacer, 1)}\n`);
}

export const show = (value) => JSON.stringify(value, replacer);

/**
 * Runs `predicate` (async, throws on a failure) on the kept cases, then on `runs`
 * values of `arbitrary` from `seed`. Throws one Error naming the seed, the shrunk
 * case and the command that repeats the run; with `keepFailures`, the shrunk case
 * goes into `keptFile`.
 */
export async function search(name, arbitrary, predicate, { seed, runs, keptFile, keepFailures = false }) {
  const details = await fc.check(fc.asyncProperty(arbitrary, predicate), {
    seed,
    numRuns: runs,
    examples: readKept(keptFile).map((v) => [v]),
    endOnFailure: false,
  });
  if (!details.failed) return;
  const [value] = details.counterexample ?? [undefined];
  if (keepFailures && value !== undefined) keep(keptFile, value);
  const cause = details.errorInstance instanceof Error ? details.errorInstance.message : String(details.errorInstance);
  throw new Error(
    `fuzz ${name}: failed after ${details.numRuns} cases (seed ${details.seed}, path ${details.counterexamplePath}):\n${cause}\n` +
      `shrunk case${keepFailures ? ` (added to ${keptFile})` : ""}: ${show(value)}\n` +
      `reproduce: FUZZ_SEED=${details.seed} npm run fuzz -- ${name}`,
  );
}
