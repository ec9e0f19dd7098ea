// HTTP between two guests in one page: http-serve and http-get (examples/) on an
// in-page hub in Chromium, each in its own worker, with the frames moved by the
// page's main thread. What is asserted is what a person would see: the guests'
// console lines and how they ended.
import { patternSha256 } from "../tcpip/tap-helpers.mjs";
import { browserSession } from "./harness.mjs";

const HTTP_SERVE = "/examples/http-serve/http-serve.wasm";
const HTTP_GET = "/examples/http-get/http-get.wasm";
/** A few MB: many windows' worth, so the page's hub carries a real bulk transfer. */
const SIZE = 4000000;

const session = browserSession();

/**
 * In the page: http-serve (default 10.0.0.2/24) on hub:web, then one http-get per
 * URL in turn (default 10.0.0.1/24), then the server stopped; resolves with how
 * each ended: { server, fetches }, ExitResults with their stdout and stderr.
 */
const fetchAll = (urls) =>
  session.page.evaluate(
    async ({ serve, get, urls }) => {
      const device = { service0: { type: "NET_BASIC", hub: "web" } };
      const server = await startCollected(await fetchBytes(serve), { mem: 32, devices: device, args: ["--solo5:quiet"] });
      const fetches = [];
      if (await untilPrinted(server, "Serving HTTP on")) {
        const kernel = await fetchBytes(get);
        for (const url of urls) fetches.push(await runCollected(kernel, { mem: 32, devices: device, args: ["--solo5:quiet", url] }));
      }
      await server.guest.stop();
      return { server: await server.result, fetches };
    },
    { serve: HTTP_SERVE, get: HTTP_GET, urls },
  );

/** http-get's three lines (`sha256` a hex digest or a pattern), nothing else, then solo5_exit(`exit`). */
const expectFetched = (r, { status, bytes, sha256 = "[0-9a-f]{64}", exit = 0 }) =>
  expect(r).toMatchObject({
    status: exit,
    reason: "exit",
    stdout: expect.stringMatching(new RegExp(`^status ${status}\nbytes ${bytes}\nsha256 ${sha256}\n$`)),
    stderr: "",
  });

test("http-get fetches / and a few MB of /bytes from http-serve over the in-page hub", async () => {
  const { server, fetches } = await fetchAll(["http://10.0.0.2/", `http://10.0.0.2/bytes/${SIZE}`]);
  expect(server).toMatchObject({
    reason: "stopped",
    stdout: expect.stringMatching(/^\[service0\] Serving HTTP on 10\.0\.0\.2\/24, with MAC: [0-9a-f:]{17}\n$/),
    stderr: "",
  });
  expect(fetches).toHaveLength(2);
  const [page, bytes] = fetches;
  expectFetched(page, { status: 200, bytes: 612 });
  expectFetched(bytes, { status: 200, bytes: SIZE, sha256: patternSha256(SIZE) });
}, 60000);

test("a 404 reaches http-get as a status, and it exits 1", async () => {
  const { fetches } = await fetchAll(["http://10.0.0.2/no-such-page"]);
  expectFetched(fetches[0], { status: 404, bytes: "\\d+", exit: 1 });
});

test("http-get to a port http-serve does not listen on is refused (RST), and says so", async () => {
  const { fetches } = await fetchAll(["http://10.0.0.2:81/"]);
  expect(fetches[0]).toMatchObject({ status: 1, reason: "exit", stdout: "http-get: could not connect\n" });
});
