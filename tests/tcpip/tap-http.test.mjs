// http-serve's HTTP contract (docs/http.md) through a TAP, with Linux's own clients:
// curl for every route and answer, big downloads and uploads hash-checked, keep-alive
// reuse, raw sockets for pipelining, HTTP/1.0 and the answers that close, and wrk.
// One http-serve (CLI, tap0 of a namespace of this file's own) serves every test.
import fs from "node:fs";
import path from "node:path";
import {
  curl, httpServeForSuite, inNetns, noise, parseResponses, patternSha256, run, SERVER, sh, sha256, tapSupport,
} from "./tap-helpers.mjs";

const reason = tapSupport();
if (reason) console.warn(`skipping the TAP HTTP tests: ${reason}`);
const describeTap = reason ? describe.skip : describe;

const URL = `http://${SERVER}`;
/** status, content type and body size of one curl, as curl's -w prints them. */
const SUMMARY = ["-o", "/dev/null", "-w", "%{http_code} %{content_type} %{size_download}"];

/** Writes `request` on a raw socket at once: { responses, closed } (closed: the server closed it). */
async function raw(ns, request, methods) {
  const r = await inNetns(ns, "exchange", 80, Buffer.from(request).toString("base64"));
  return { responses: parseResponses(Buffer.from(r.response, "base64"), methods), closed: r.closed, error: r.error };
}

describeTap("http-serve through TAP, with curl, wrk and raw sockets", () => {
  const suite = httpServeForSuite();

  test("GET / is the 612-byte text/html page", async () => {
    expect(await curl(suite.ns, ...SUMMARY, `${URL}/`)).toBe("200 text/html 612");
  });

  test("GET /bytes/0 is an empty octet stream", async () => {
    const head = await curl(suite.ns, "-D", "-", "-o", "/dev/null", `${URL}/bytes/0`);
    expect(head).toMatch(/^HTTP\/1\.1 200 /);
    expect(head).toMatch(/^content-length: 0\r$/im);
    expect(head).toMatch(/^content-type: application\/octet-stream\r$/im);
  });

  test("GET /bytes/100000000: every byte is i % 251 (SHA-256)", async () => {
    const r = await sh(suite.ns, `curl -sS --max-time 60 ${URL}/bytes/100000000 | sha256sum`);
    expect(r.stdout.toString().split(" ")[0]).toBe(patternSha256(100000000));
  }, 60000);

  test("HEAD gives GET's head and no body", async () => {
    const head = await curl(suite.ns, "-I", `${URL}/bytes/12345`);
    expect(head).toMatch(/^HTTP\/1\.1 200 /);
    expect(head).toMatch(/^content-length: 12345\r$/im);
    expect(await curl(suite.ns, "-I", ...SUMMARY, `${URL}/`)).toBe("200 text/html 0");
  });

  test("404 for an unknown path, 405 with Allow for a known one with another method", async () => {
    expect(await curl(suite.ns, ...SUMMARY, `${URL}/nothing-here`)).toMatch(/^404 /);
    expect(await curl(suite.ns, ...SUMMARY, `${URL}/bytes/99999999999`)).toMatch(/^404 /);
    expect(await curl(suite.ns, "-X", "DELETE", "-D", "-", "-o", "/dev/null", `${URL}/`)).toMatch(/^HTTP\/1\.1 405 [^]*^allow: GET, HEAD\r$/im);
    expect(await curl(suite.ns, ...SUMMARY, `${URL}/echo`)).toMatch(/^405 /);
  });

  test("POST /echo without Content-Length: 411, then close", async () => {
    const { responses, closed } = await raw(suite.ns, `POST /echo HTTP/1.1\r\nHost: ${SERVER}\r\n\r\nbody`);
    expect(responses.map((r) => r.status)).toEqual([411]);
    expect(closed).toBe(true);
  });

  test("a line that is not HTTP, and a head past 8 KiB: 400, then close", async () => {
    const notHttp = await raw(suite.ns, "HELLO THERE\r\n\r\n");
    expect(notHttp.responses.map((r) => r.status)).toEqual([400]);
    expect(notHttp.closed).toBe(true);
    const long = await raw(suite.ns, `GET / HTTP/1.1\r\nHost: ${SERVER}\r\nX-Long: ${"a".repeat(9000)}\r\n\r\n`);
    expect(long.responses.map((r) => r.status)).toEqual([400]);
    expect(long.closed).toBe(true);
  });

  test("uploads: /echo sends the body back byte-exact, /sha256 hashes it", async () => {
    const file = path.join(suite.ns.dir, "upload");
    const body = noise(20000000, 7);
    fs.writeFileSync(file, body);
    const echoed = await run(suite.ns, ["curl", "-sS", "--max-time", "60", "--data-binary", `@${file}`, `${URL}/echo`]);
    expect(echoed.stdout.length).toBe(body.length);
    expect(sha256(echoed.stdout)).toBe(sha256(body));
    expect(await curl(suite.ns, "--data-binary", `@${file}`, `${URL}/sha256`)).toBe(`${sha256(body)}\n`);
    fs.rmSync(file);
  }, 60000);

  test("keep-alive: three URLs on one curl command take one connection", async () => {
    const urls = [`${URL}/`, `${URL}/bytes/1000`, `${URL}/`];
    const out = await curl(suite.ns, "-w", "%{http_code} %{num_connects}\\n", ...urls.flatMap((u) => ["-o", "/dev/null", u]));
    expect(out).toBe("200 1\n200 0\n200 0\n");
  });

  test("pipelining: requests written at once are answered in order", async () => {
    const requests = ["GET /bytes/5", "HEAD /", "GET /missing", "GET /bytes/3"].map((r) => `${r} HTTP/1.1\r\nHost: ${SERVER}\r\n\r\n`);
    const { responses, closed } = await raw(suite.ns, requests.join(""), ["GET", "HEAD", "GET", "GET"]);
    expect(responses.map((r) => [r.status, r.headers["content-length"]])).toEqual([[200, "5"], [200, "612"], [404, expect.any(String)], [200, "3"]]);
    expect([...responses[3].body]).toEqual([0, 1, 2]);
    expect(closed).toBe(false); // kept alive
  });

  test("HTTP/1.0 closes after its answer, unless it asked for keep-alive", async () => {
    const plain = await raw(suite.ns, "GET / HTTP/1.0\r\n\r\n");
    expect(plain.responses.map((r) => [r.status, r.body.length])).toEqual([[200, 612]]);
    expect(plain.closed).toBe(true);
    const kept = await raw(suite.ns, "GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
    expect(kept.responses.map((r) => [r.status, r.headers.connection])).toEqual([[200, expect.stringMatching(/keep-alive/i)]]);
    expect(kept.closed).toBe(false);
  });

  test("wrk for 3 seconds at 32 connections: no socket errors, no non-2xx answers", async () => {
    const r = await run(suite.ns, ["wrk", "-t2", "-c32", "-d3s", `${URL}/`]);
    const out = r.stdout.toString();
    expect(r.status).toBe(0);
    expect(Number(/(\d+) requests in/.exec(out)[1])).toBeGreaterThan(1000);
    expect(out).not.toMatch(/Socket errors|Non-2xx/);
  }, 30000);
});
