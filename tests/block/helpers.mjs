// What the block tests share: scratch disks, device options said both ways (CLI and
// library), and running a guest while watching its console line by line, so a test
// can act (kill the tender, shrink a disk) the moment a line shows up.
import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { start } from "../../dist/node/index.js";
import { CLI } from "../helpers/paths.mjs";
import { tempDir } from "../helpers/temp.mjs";

/** A new temp folder, removed after the test file's last test. */
export const scratchDir = () => tempDir("solo5-block");

/** A sparse file of `size` bytes in `dir`. */
export function disk(dir, name, size) {
  const file = path.join(dir, name);
  fs.writeFileSync(file, "");
  fs.truncateSync(file, size);
  return file;
}

/** { name: path } or { name: { path, sectorSize } } as BOTH's cliOptions and libOptions. */
export function blockOptions(devices) {
  const cliOptions = [];
  const libDevices = {};
  for (const [name, d] of Object.entries(devices)) {
    const { path: file, sectorSize } = typeof d === "string" ? { path: d } : d;
    cliOptions.push(`--block:${name}=${file}`);
    if (sectorSize !== undefined) cliOptions.push(`--block-sector-size:${name}=${sectorSize}`);
    libDevices[name] = { type: "BLOCK_BASIC", path: file, sectorSize };
  }
  return { cliOptions, libOptions: { devices: libDevices } };
}

/** Calls onLine for each complete line of a stream of text chunks. */
function lineSplitter(onLine) {
  let pending = "";
  return (chunk) => {
    pending += chunk;
    const lines = pending.split("\n");
    pending = lines.pop();
    for (const line of lines) onLine(line);
  };
}

/**
 * `solo5-wasm run OPTIONS... WASM ARGS...` as a child; onLine(line, kill) sees every
 * stdout line as it comes, kill() SIGKILLs the tender. `shell` runs it under
 * `sh -c "<shell> && exec node ..."` (for ulimit).
 */
export function watchCli(wasm, { cliOptions = [], args = [], shell } = {}, onLine = () => {}) {
  const argv = [CLI, "run", "--mem=64", ...cliOptions, wasm, ...args];
  const child = shell
    ? spawn("sh", ["-c", `${shell} && exec "$0" "$@"`, process.execPath, ...argv])
    : spawn(process.execPath, argv);
  let stdout = "";
  let stderr = "";
  const kill = () => child.kill("SIGKILL");
  const split = lineSplitter((line) => onLine(line, kill));
  child.stdout.setEncoding("utf8").on("data", (d) => {
    stdout += d;
    split(d);
  });
  child.stderr.setEncoding("utf8").on("data", (d) => (stderr += d));
  const timer = setTimeout(kill, 50000);
  return new Promise((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (status, signal) => {
      clearTimeout(timer);
      resolve({ status, signal, stdout, stderr });
    });
  });
}

/** The same through the library API in this process; kill() stops the guest's worker. */
export async function watchLib(wasm, { libOptions = {}, args = [] } = {}, onLine = () => {}) {
  let stdout = "";
  let stderr = "";
  const decoder = new TextDecoder();
  let guest;
  const kill = () => void guest.stop();
  const split = lineSplitter((line) => onLine(line, kill));
  guest = await start(fs.readFileSync(wasm), {
    mem: 64,
    args,
    ...libOptions,
    stdout: (b) => {
      const text = decoder.decode(b, { stream: true });
      stdout += text;
      split(text);
    },
    stderr: (line) => (stderr += `${line}\n`),
  });
  const timer = setTimeout(kill, 50000);
  const result = await guest.exited;
  clearTimeout(timer);
  return { ...result, stdout, stderr };
}

/** Both ways, as [name, watch] rows for describe.each. */
export const WATCH_BOTH = [
  ["cli", watchCli],
  ["library", watchLib],
];
