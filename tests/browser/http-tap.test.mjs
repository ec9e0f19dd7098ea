// curl on a Linux host fetching from http-serve running in a page: the guest's device
// is a WebSocket to `solo5-wasm bridge --to=tap:tap0`, so its frames reach the
// kernel's stack through a real TAP. The TAP, the bridge (the CLI, as a user runs it)
// and curl are in a namespace of this file's own; the page reaches the bridge
// through netns.forward(). One http-serve serves every test.
import fs from "node:fs";
import path from "node:path";
import { CLI } from "../helpers/paths.mjs";
import { createSuiteNetns, missingCommands, netnsSupport } from "../net/netns.mjs";
import { curl, noise, patternSha256, run, sha256 } from "../tcpip/tap-helpers.mjs";
import { browserSession } from "./harness.mjs";

const HTTP_SERVE = "/examples/http-serve/http-serve.wasm";
const HOST_ADDRESS = "10.0.0.1/24";
const URL = "http://10.0.0.2"; // http-serve's default address
const SIZE = 1000000;

const netns = netnsSupport();
const reason = netns.ok ? missingCommands({ curl: "curl" }) : netns.reason;
if (reason) console.warn(`skipping curl to http-serve in a page: ${reason}`);

const session = browserSession();

(reason ? describe.skip : describe)("curl on the host to http-serve in a page, through the bridge's TAP uplink", () => {
  let ns;
  let banner;

  beforeAll(async () => {
    ns = createSuiteNetns();
    ns.addTap("tap0", { address: HOST_ADDRESS });
    const bridge = await bridgeOnTap(ns, "tap0");
    const port = await ns.forward(bridge);
    banner = await session.page.evaluate(
      async ({ serve, url }) => {
        const device = { service0: { type: "NET_BASIC", websocket: url } };
        window.httpServe = await startCollected(await fetchBytes(serve), { mem: 32, devices: device, args: ["--solo5:quiet"] });
        await untilPrinted(window.httpServe, "Serving HTTP on");
        return window.httpServe.out.stdout;
      },
      { serve: HTTP_SERVE, url: `ws://127.0.0.1:${port}/` },
    );
    expect(banner).toMatch(/^\[service0\] Serving HTTP on 10\.0\.0\.2\/24, with MAC: [0-9a-f:]{17}\n$/);
  }, 30000);

  afterAll(async () => {
    // The guest first (it ends "stopped", having printed nothing but its banner),
    // then the namespace with the bridge in it.
    const ended = await session.page?.evaluate(async () => (await window.httpServe?.guest.stop(), window.httpServe?.result));
    await ns?.destroy();
    if (ended) expect(ended).toMatchObject({ reason: "stopped", status: 1, stdout: banner, stderr: "" });
  });

  test("GET / is the 612-byte page", async () => {
    const page = await curl(ns, "-w", "\n%{http_code} %{content_type} %{size_download}", `${URL}/`);
    expect(page).toContain("<title>solo5-wasm http-serve</title>");
    expect(page.slice(page.lastIndexOf("\n") + 1)).toBe("200 text/html 612");
  });

  test(`GET /bytes/${SIZE}: every byte is i % 251 (SHA-256)`, async () => {
    const r = await run(ns, ["curl", "-sS", "--max-time", "60", "--fail", `${URL}/bytes/${SIZE}`]);
    expect({ status: r.status, stderr: r.stderr, bytes: r.stdout.length }).toEqual({ status: 0, stderr: "", bytes: SIZE });
    expect(sha256(r.stdout)).toBe(patternSha256(SIZE));
  });

  test("POST /sha256 hashes an upload", async () => {
    const file = path.join(ns.dir, "upload");
    const body = noise(SIZE, 3);
    fs.writeFileSync(file, body);
    expect(await curl(ns, "--data-binary", `@${file}`, `${URL}/sha256`)).toBe(`${sha256(body)}\n`);
  });
});

/** Starts `solo5-wasm bridge --to=tap:IF` in `ns` on a free port (killed with `ns`); resolves with the port. */
async function bridgeOnTap(ns, tap) {
  const child = ns.spawn([process.execPath, CLI, "bridge", "--listen=127.0.0.1:0", `--to=tap:${tap}`]);
  let out = "";
  return new Promise((resolve, reject) => {
    child.stdout.setEncoding("utf8").on("data", (d) => {
      const m = /bridge at ws:\/\/127\.0\.0\.1:(\d+)\//.exec((out += d));
      if (m) resolve(Number(m[1]));
    });
    child.stderr.setEncoding("utf8").on("data", (d) => (out += d));
    child.on("exit", (code) => reject(new Error(`the bridge exited (${code}) before it listened:\n${out}`)));
  });
}
