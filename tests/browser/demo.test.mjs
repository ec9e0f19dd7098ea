// The demo page (examples/browser/) as a person uses it: the isolation badge, hello
// run from its pane, the key-value store's keys still listed after a reload, two
// ping guests on the in-page hub with their counters going up, http-get fetching
// from http-serve on another hub. A screenshot of the page is kept in
// test-results/browser/demo.png for people to look at.
import fs from "node:fs";
import path from "node:path";
import { ROOT } from "../helpers/paths.mjs";
import { patternSha256 } from "../tcpip/tap-helpers.mjs";
import { startBrowser } from "./harness.mjs";

const SCREENSHOT = path.join(ROOT, "test-results/browser/demo.png");

let browser;
let page;
beforeAll(async () => {
  browser = await startBrowser();
  page = await browser.context.newPage();
  await page.setViewportSize({ width: 1360, height: 1000 });
  await page.goto(browser.url("examples/browser/"));
  // At load the key-value store formats its new disk; its pane is free once that ended.
  await expectText(status("kv"), "status 0");
});
afterAll(() => browser?.close());

const status = (pane) => page.locator(`#${pane} .status`);
const terminal = (pane) => page.locator(`#${pane} .terminal`);
const counter = (pane, name) => page.locator(`#${pane} [data-count=${name}]`);

test("the page says it is cross-origin isolated", async () => {
  await expectText(page.locator("#isolation"), "cross-origin isolated");
  expect(await page.locator("#refusal").isHidden()).toBe(true);
});

test("hello runs from its pane and shows its exit status", async () => {
  await page.click("#hello button[type=submit]");
  await expectText(status("hello"), "exited: solo5_exit(0), status 0");
  expect(await terminal("hello").textContent()).toContain("Command line is: 'Hello_Solo5'\nSUCCESS\n");
});

test("a bad command line shows the guest's failure status", async () => {
  await page.fill("#kv input[name=args]", "nosuch command");
  await page.click("#kv button[type=submit]");
  await expectText(status("kv"), "exited: solo5_exit(2), status 2");
  expect(await terminal("kv").textContent()).toContain("ERR nosuch command: unknown or malformed command");
});

test("the key-value store's keys are listed again after a reload", async () => {
  await page.fill("#kv input[name=args]", "put colour blue");
  await page.click("#kv button[type=submit]");
  await expectText(status("kv"), "status 0");
  await page.reload();
  // At load the page lists the disk it finds in OPFS.
  await expectText(status("kv"), "status 0");
  expect(await terminal("kv").textContent()).toContain("ITEM colour blue\n");
});

test("http-get's fetch starts http-serve, and shows the status, the size and a hash that checks out", async () => {
  await page.click("#http-get button[data-args$='/missing']");
  await expectText(status("http-get"), "exited: solo5_exit(1), status 1");
  expect(await counter("http-get", "status").textContent()).toBe("404");
  // The first fetch started the server, which serves on until stopped.
  expect(await status("http-serve").textContent()).toBe("running");
  expect(await counter("http-serve", "address").textContent()).toBe("10.0.0.2/24");
  expect(await terminal("http-serve").textContent()).toMatch(/Serving HTTP on 10\.0\.0\.2\/24, with MAC: /);

  await page.fill("#http-get input[name=args]", "http://10.0.0.2/bytes/1000000");
  await page.click("#http-get button[type=submit]");
  await expectText(status("http-get"), "exited: solo5_exit(0), status 0");
  expect(await counter("http-get", "status").textContent()).toBe("200");
  expect(await counter("http-get", "bytes").textContent()).toBe("1,000,000");
  expect(await counter("http-get", "time").textContent()).toMatch(/^\d+ ms$/);
  await expectText(counter("http-get", "sha256"), `${patternSha256(1000000)} ✓ i % 251`);
  expect(await terminal("http-get").textContent()).toContain(`status 200\nbytes 1000000\nsha256 ${patternSha256(1000000)}\n`);
});

test("ping and ping-serve talk over the in-page hub, counters counting, until stopped", async () => {
  await page.click("#hello button[type=submit]"); // for the screenshot: every pane has run
  await expectText(status("hello"), "status 0");
  await page.click("#ping-both");
  await page.waitForFunction(() => Number(document.querySelector("#pinger [data-count=replies]").textContent) >= 3);
  expect(Number(await counter("serve", "pings").textContent())).toBeGreaterThanOrEqual(3);
  expect(Number(await counter("serve", "arps").textContent())).toBeGreaterThanOrEqual(1);
  expect(await counter("pinger", "rtt").textContent()).toMatch(/^\d+\.\d{3} ms$/);
  expect(await terminal("pinger").textContent()).toMatch(/64 bytes from 10\.0\.0\.2: icmp_seq=3 /);
  fs.mkdirSync(path.dirname(SCREENSHOT), { recursive: true });
  await page.screenshot({ path: SCREENSHOT, fullPage: true });
  for (const pane of ["pinger", "serve", "http-serve"]) {
    await page.click(`#${pane} button[type=submit]`); // Stop while running
    await expectText(status(pane), "stopped, status 1");
  }
});

/** Waits until the locator's text contains `text` (Playwright's own waiting, no sleeps). */
async function expectText(locator, text) {
  await locator.filter({ hasText: text }).waitFor();
  expect(await locator.textContent()).toContain(text);
}
