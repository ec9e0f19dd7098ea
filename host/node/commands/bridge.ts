// solo5-wasm bridge: WebSocket devices of guests in pages, to each other and to --to (bridge.ts).
import { TenderError } from "../../core/errors.js";
import { startBridge, type BridgeOptions } from "../bridge.js";

export const BRIDGE_USAGE = "solo5-wasm bridge [--listen=HOST:PORT] [--to=hub:NAME|udp:local=HOST:PORT,remote=HOST:PORT|tap:IFNAME] [--origin=ORIGIN...]";

/** The CLI subcommand: runs a bridge until interrupted. */
export async function bridgeCommand(argv: readonly string[]): Promise<number> {
  const options: BridgeOptions = {};
  const origins: string[] = [];
  for (const arg of argv) {
    const m = /^--(listen|to|origin)=(.+)$/.exec(arg);
    const listen = m?.[1] === "listen" ? /^(?:\[([^\]]+)\]|([^:]+)):(\d+)$/.exec(m[2]!) : null;
    if (listen) {
      // Worded as udp: words its ports; 0 (a free port, printed) is allowed here.
      if (Number(listen[3]) > 65535) throw new TenderError(`${arg}: port ${listen[3]} is not in 0..65535 (0 picks a free port)`);
      [options.host, options.port] = [listen[1] ?? listen[2], Number(listen[3])];
    } else if (m?.[1] === "to") options.to = m[2];
    else if (m?.[1] === "origin") origins.push(m[2]!);
    else throw new TenderError(`${arg}: unknown or malformed option (usage: ${BRIDGE_USAGE})`);
  }
  if (origins.length > 0) options.origins = origins;
  const bridge = await startBridge(options);
  const where = `ws://${options.host ?? "127.0.0.1"}:${bridge.port}/`;
  process.stdout.write(`solo5-wasm: bridge at ${where} to ${options.to ?? "a hub of its clients"}\n`);
  return new Promise(() => {}); // until a signal ends the process
}
