// The module fuzzer: mutants of real guests (mutate.mjs) through loadKernel, the
// manifest command's formatting and a run; a sample also through the CLI's
// `manifest` and `run`. Each must load or be refused with a TenderError of one line;
// a loaded one must run to an ending (one that spins is stopped) or be refused at
// start in one line; nothing else may be thrown, and nothing may hang.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import fc from "fast-check";
import { TenderError, formatManifest, loadKernel, start } from "../../dist/node/index.js";
import { search } from "../lib/property.mjs";
import { build, corpus, mutantArb } from "./mutate.mjs";

const KEPT = new URL("./kept.json", import.meta.url).pathname;
const CLI = new URL("../../dist/node/cli.js", import.meta.url).pathname;
/** A mutant that still runs after this long is stopped (mutated code may loop for good). */
const RUN_MS = 1000;
const CLI_TIMEOUT_MS = 15_000;
const REASONS = new Set(["exit", "abort", "trap", "error", "stopped"]);

/** True once in `odds`, unbiased (fast-check's bias would pick 0 far more often). */
const oneIn = (odds) => fc.noBias(fc.nat(odds - 1)).map((n) => n === 0);

const oneLine = (where, e) => {
  if (!(e instanceof TenderError)) throw new Error(`${where} threw ${e?.constructor?.name ?? typeof e}, not a TenderError: ${e?.stack ?? e}`);
  if (e.message === "" || e.message.includes("\n")) throw new Error(`${where}'s refusal is not one line: ${JSON.stringify(e.message)}`);
};

async function runKernel(kernel) {
  const err = [];
  let guest;
  try {
    guest = await start(kernel, { mem: 4, args: ["--solo5:quiet"], stdout: () => {}, stderr: (line) => err.push(line) });
  } catch (e) {
    oneLine("start", e);
    return "refused";
  }
  const timer = setTimeout(() => guest.stop(), RUN_MS);
  let hung;
  const result = await Promise.race([guest.exited, new Promise((resolve) => (hung = setTimeout(() => resolve(null), RUN_MS + 30_000)))]);
  clearTimeout(timer);
  clearTimeout(hung);
  if (result === null) throw new Error(`a guest stopped after ${RUN_MS} ms did not end within 30 s more`);
  if (!REASONS.has(result.reason)) throw new Error(`an ending with reason ${JSON.stringify(result.reason)}`);
  if (result.reason === "error" && err.length !== 1) throw new Error(`an error ending with ${err.length} stderr lines: ${JSON.stringify(err)}`);
  return result.reason;
}

/** The CLI's manifest and run on the mutant's file: statuses as the ABI gives, stderr at most one solo5-wasm: line. */
function throughCli(file) {
  for (const args of [["manifest", file], ["run", "--mem=4", file, "--solo5:quiet"]]) {
    const r = spawnSync(process.execPath, [CLI, ...args], { encoding: "utf8", timeout: CLI_TIMEOUT_MS, killSignal: "SIGTERM" });
    const lines = r.stderr.split("\n").filter((l) => l !== "");
    const what = `solo5-wasm ${args[0]}`;
    if (r.error && r.error.code !== "ETIMEDOUT") throw new Error(`${what}: ${r.error.message}`);
    if (r.signal !== null) throw new Error(`${what} ended by ${r.signal}${r.error ? " (did not end on SIGTERM after the timeout)" : ""}; stderr ${JSON.stringify(r.stderr)}`);
    if (lines.length > 1 || (lines.length === 1 && !lines[0].startsWith("solo5-wasm: "))) throw new Error(`${what}: stderr is not one solo5-wasm: line: ${JSON.stringify(r.stderr)}`);
    if (args[0] === "manifest" && ![0, 1].includes(r.status)) throw new Error(`${what} exited ${r.status}`);
    if (lines.length === 1 && r.status !== 1) throw new Error(`${what} printed a refusal and exited ${r.status}`);
  }
}

/** Runs `runs` mutants; returns { mutants, loaded, ran, byCli, endings }. */
export async function fuzzModules({ seed, runs, runOdds = 4, cliOdds = 500, keepFailures = false, log = () => {} }) {
  const modules = corpus();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "solo5-wasm-fuzz-"));
  const stats = { mutants: 0, loaded: 0, ran: 0, byCli: 0, endings: {} };
  const arb = fc.record({ mutant: mutantArb(modules.length), run: oneIn(runOdds), cli: oneIn(cliOdds) });
  try {
    await search("modules", arb, async ({ mutant, run, cli }) => {
      const bytes = build(modules, mutant);
      stats.mutants++;
      let kernel;
      try {
        kernel = await loadKernel(bytes);
      } catch (e) {
        oneLine("loadKernel", e);
      }
      if (kernel) {
        stats.loaded++;
        formatManifest(kernel.manifest);
        if (run) {
          const reason = await runKernel(kernel);
          stats.ran++;
          stats.endings[reason] = (stats.endings[reason] ?? 0) + 1;
        }
      }
      if (cli) {
        const file = path.join(dir, "mutant.wasm");
        fs.writeFileSync(file, bytes);
        throughCli(file);
        stats.byCli++;
      }
    }, { seed, runs, keptFile: KEPT, keepFailures });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  log(`modules: ${stats.mutants} mutants, ${stats.loaded} loaded, ${stats.ran} run (${JSON.stringify(stats.endings)}), ${stats.byCli} through the CLI`);
  return stats;
}
