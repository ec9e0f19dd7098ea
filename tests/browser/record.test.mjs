// Recording in a page (docs/record.md): ping and ping-serve on an in-page hub, both
// recorded; each guest's log comes out of the page as a Blob and replays under the
// Node CLI to the same console: ping's ending as recorded, ping-serve (stopped from
// the page) up to where it was stopped.
import fs from "node:fs";
import path from "node:path";
import { ROOT } from "../helpers/paths.mjs";
import { lastLine, replayCli, scratchDir } from "../record/helpers.mjs";
import { browserSession } from "./harness.mjs";

const session = browserSession();
const PING = "/examples/ping/ping.wasm";
const PING_SERVE = "/examples/ping-serve/ping-serve.wasm";

let dir;
beforeEach(() => (dir = scratchDir()));
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

test("a page's recordings, saved as Blobs, replay under the Node CLI", async () => {
  const r = await session.page.evaluate(
    async ({ ping, serve, hello }) => {
      const device = { type: "NET_BASIC", hub: "recorded" };
      const server = await startCollected(await fetchBytes(serve), { mem: 16, devices: { service0: device }, record: true });
      await untilPrinted(server, "Serving ping");
      const client = await startCollected(await fetchBytes(ping), { mem: 16, devices: { service0: device }, record: true, args: ["--solo5:quiet", "10.0.0.1 10.0.0.2 3 50"] });
      const pinged = await client.result;
      await server.guest.stop();
      const served = await server.result;
      const bytes = async (guest) => Array.from(new Uint8Array(await guest.recording().arrayBuffer()));
      const notRecorded = await startCollected(await fetchBytes(hello), { mem: 16, args: ["Hello_Solo5"] });
      await notRecorded.result;
      return { pinged, served, pingLog: await bytes(client.guest), serveLog: await bytes(server.guest), without: notRecorded.guest.recording() ?? null };
    },
    { ping: PING, serve: PING_SERVE, hello: "/examples/hello/hello.wasm" },
  );
  expect(r.pinged.stdout).toContain("3 packets transmitted, 3 received, 0% packet loss\nSUCCESS\n");
  expect(r.without).toBeNull();

  const pingLog = path.join(dir, "ping.log");
  fs.writeFileSync(pingLog, Buffer.from(r.pingLog));
  const ping = await replayCli(pingLog, path.join(ROOT, PING));
  expect(ping.stdout).toBe(r.pinged.stdout); // the round-trip times too: the clocks are the page's
  expect(lastLine(ping.stderr)).toMatch(/^solo5-wasm: replay matched the recorded run: \d+ calls, and it ended as recorded \(exit 0 \(status 0\)\)$/);
  expect(ping.status).toBe(0);

  const serveLog = path.join(dir, "serve.log");
  fs.writeFileSync(serveLog, Buffer.from(r.serveLog));
  const serve = await replayCli(serveLog, path.join(ROOT, PING_SERVE));
  expect(serve.stdout).toBe(r.served.stdout);
  expect(lastLine(serve.stderr)).toMatch(/^solo5-wasm: replay matched the recorded run up to where it was stopped from outside: \d+ calls \(status 1\)$/);
  expect(fs.readFileSync(serveLog, "latin1")).toContain('"tender":"solo5-wasm 0.1.0 (browser)"');
}, 60000);
