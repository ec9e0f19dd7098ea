// The TCP figures that need no network, from the simulator (two of the libOS's stacks in
// one guest over a seeded link, tests/guests/tcpip-sim and http-sim; simulated time, so
// the same on every machine): what SACK recovery is worth under loss, against NewReno
// alone on the same link and seed; and what an idle kept HTTP connection costs the guest
// beyond its TCP buffers, against the 8 KiB aim.
import path from "node:path";
import { compileGuestCached } from "../../dist/build/compile.js";
import { run } from "../../dist/node/index.js";
import fs from "node:fs";
import { GUEST_SOURCES, guest } from "../../tests/helpers/paths.mjs";

/** The guest's stdout for `args`. */
async function sim(name, args) {
  await compileGuestCached(path.join(GUEST_SOURCES, name, "main.ts"), guest(name));
  let out = "";
  const r = await run(fs.readFileSync(guest(name)), { mem: 256, args: ["--solo5:quiet", ...args], stdout: (b) => (out += Buffer.from(b).toString()) });
  if (r.status !== 0) throw new Error(`${name} ${args.join(" ")}: status ${r.status}: ${out.split("\n")[0]}`);
  return out;
}

const msOf = (out) => Number(/ in (\d+) ms/.exec(out)[1]);

export default async function simFigures() {
  const figures = [];
  for (const loss of [2, 5]) {
    const args = ["echo", "5000000", `loss=${loss}`, "seed=3"];
    figures.push({
      name: `tcp sim: 5 MB echo under ${loss} % loss, SACK (vs NewReno alone)`,
      unit: "ms simulated",
      value: msOf(await sim("tcpip-sim", args)),
      baseline: msOf(await sim("tcpip-sim", [...args, "nosack"])),
    });
  }
  // Both ends' TCP sockets beyond their buffers, halved, plus the HTTP layer's share.
  const tcp = Number(/(\d+) bytes a connection \(both ends\) beyond buffers/.exec(await sim("tcpip-sim", ["many", "500", "0"]))[1]) / 2;
  const http = Number(/: (-?\d+) bytes each/.exec(await sim("http-sim", ["idle", "100"]))[1]);
  figures.push({ name: "tcp: guest memory per idle HTTP connection beyond its buffers (vs the 8 KiB aim)", unit: "bytes", value: tcp + http, baseline: 8192 });
  return figures;
}
