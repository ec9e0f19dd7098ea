// http-serve's routes and the HTTP client between two of the libOS's stacks in one
// guest, over the deterministic simulated link: no network needed
// (tests/guests/http-sim/main.ts says what each scenario does). Each check prints one
// "ok ..." or "FAIL ..." line.
import { guest } from "../helpers/paths.mjs";
import { runLib } from "../helpers/run.mjs";

const sim = (...args) => runLib(guest("http-sim"), { mem: 256, args: ["--solo5:quiet", ...args] });

/** Runs a scenario: every line ok, at least `count` of them. */
async function expectAllOk(args, count) {
  const r = await sim(...args);
  const lines = r.stdout.split("\n").filter((l) => l.length > 0);
  expect({ status: r.status, failed: lines.filter((l) => !l.startsWith("ok ")) }).toEqual({ status: 0, failed: [] });
  expect(lines.length).toBeGreaterThanOrEqual(count);
  return lines;
}

describe("http-serve's routes over the simulated link", () => {
  test("every route of the contract through the client, on one kept connection, and Connection: close", async () => {
    await expectAllOk(["routes"], 25);
  });

  test("raw requests: pipelining, HTTP/1.0, HEAD, chunked uploads, Expect, and 400/404/405/411/501 with the closes they call for", async () => {
    await expectAllOk(["raw"], 29);
  });

  test.each([
    ["20 MB", ["download", "20000000"]],
    ["3 MB under 5 % loss", ["download", "3000000", "loss=5"]],
  ])("a download of /bytes/N is byte-exact and hash-checked: %s", async (_name, args) => {
    await expectAllOk(args, 1);
  });

  test("uploads to /echo and /sha256, lent, streamed and chunked, under 3 % loss", async () => {
    await expectAllOk(["upload", "500000", "loss=3"], 4);
  });

  test("500 pipelined requests whose heads wrap around a 4 KiB receive buffer are answered in order", async () => {
    await expectAllOk(["pipeline", "500"], 1);
  });

  test("300 connections of random bytes, then a GET still works", async () => {
    await expectAllOk(["garbage", "300"], 1);
  });

  test("an idle kept connection costs the HTTP layer well under 8 KiB beyond its TCP sockets", async () => {
    const [line] = await expectAllOk(["idle", "100"], 1);
    expect(Number(/: (-?\d+) bytes each/.exec(line)[1])).toBeLessThan(4096);
  });

  test("the client against chunked answers, HTTP/1.0, interim answers, and servers that send garbage, cut bodies short or refuse", async () => {
    await expectAllOk(["client"], 13);
  });

  test("4000 requests on one connection: the heap does not grow", async () => {
    await expectAllOk(["steady", "20"], 1);
  });

  test("a head that stops half-way is closed after the idle timeout", async () => {
    await expectAllOk(["timeout"], 1);
  });
});
