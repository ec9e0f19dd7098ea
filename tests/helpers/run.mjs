// Running guests the two ways users do, with the same result shape:
// { status, stdout, stderr, reason? } -- so one assertion serves both.
import { spawn } from "node:child_process";
import fs from "node:fs";
import { run } from "../../dist/node/index.js";
import { CLI } from "./paths.mjs";

/** `solo5-wasm ARGS...` as a child process (in the folder `cwd`, if given; `nodeArgs` are node's own options). */
export function runCli(args, { timeoutMs = 30000, env, cwd, nodeArgs = [] } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...nodeArgs, CLI, ...args], { env: { ...process.env, ...env }, cwd });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    child.on("error", reject);
    child.on("close", (status, signal) => {
      clearTimeout(timer);
      resolve({ status, signal, stdout, stderr, child });
    });
  });
}

/** The library API in this process, output collected. */
export async function runLib(wasmPath, options = {}) {
  let stdout = "";
  let stderr = "";
  const decoder = new TextDecoder();
  const result = await run(fs.readFileSync(wasmPath), {
    mem: 32,
    ...options,
    stdout: (b) => (stdout += decoder.decode(b, { stream: true })),
    stderr: (line) => (stderr += `${line}\n`),
  });
  return { ...result, stdout, stderr };
}

/** Both ways, for tests that must hold for each: [["cli", run], ["library", run]]. */
export const BOTH = [
  ["cli", (wasm, { args = [], mem = 32, cliOptions = [] } = {}) => runCli(["run", `--mem=${mem}`, ...cliOptions, wasm, ...args])],
  ["library", (wasm, { args = [], mem = 32, libOptions = {} } = {}) => runLib(wasm, { mem, args, ...libOptions })],
];

/** Solo5's tests.bats conventions. */
export function expectSuccess(r) {
  expect({ status: r.status, stdout: r.stdout, stderr: r.stderr }).toEqual(
    expect.objectContaining({ status: 0, stdout: expect.stringContaining("SUCCESS") }),
  );
}

export function expectAbort(r, marker = "ABORT") {
  expect(r.status).toBe(255);
  expect(r.stdout).toContain(marker);
}
