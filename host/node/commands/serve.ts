// solo5-wasm serve: a cross-origin-isolated static server for pages that run guests (serve.ts).
import fs from "node:fs";
import path from "node:path";
import { TenderError } from "../../core/errors.js";
import { serve, type ServeOptions } from "../serve.js";

export const SERVE_USAGE = "solo5-wasm serve [--port=N] [--host=ADDR] [DIR]";

/** The CLI subcommand: serves DIR (default .) until interrupted. */
export async function serveCommand(argv: readonly string[]): Promise<number> {
  const options: ServeOptions = { root: "." };
  const dirs: string[] = [];
  for (const arg of argv) {
    const m = /^--(port|host)=(.+)$/.exec(arg);
    if (m?.[1] === "port" && /^\d+$/.test(m[2]!) && Number(m[2]) < 65536) options.port = Number(m[2]);
    else if (m?.[1] === "host") options.host = m[2];
    else if (!arg.startsWith("--")) dirs.push(arg);
    else throw new TenderError(`${arg}: unknown or malformed option (usage: ${SERVE_USAGE})`);
  }
  if (dirs.length > 1) throw new TenderError(`serve takes one folder, not ${dirs.length} (usage: ${SERVE_USAGE})`);
  options.root = dirs[0] ?? ".";
  if (!fs.statSync(options.root, { throwIfNoEntry: false })?.isDirectory()) throw new TenderError(`serve: ${options.root} is not a folder`);
  const server = await serve(options);
  const { address, port } = server.address() as { address: string; port: number };
  process.stdout.write(`solo5-wasm: serving ${path.resolve(options.root)} at http://${address.includes(":") ? `[${address}]` : address}:${port}/ (cross-origin isolated)\n`);
  return new Promise((resolve) => server.on("close", () => resolve(0)));
}
