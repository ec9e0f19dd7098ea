// The browser side of the tests: Debian's Chromium driven by playwright-core (no
// browser download), and the repository served by `solo5-wasm serve`'s server, so
// pages are cross-origin isolated exactly as a user's would be.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { chromium } from "playwright-core";
import { serve } from "../../dist/node/serve.js";
import { ROOT } from "../helpers/paths.mjs";

export const CHROMIUM = "/usr/bin/chromium";
const ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/** Where test runs keep what a person may want to look at afterwards (screenshots). */
export const ARTIFACTS = path.join(ROOT, "tests/.cache/artifacts");

/**
 * Serves the repository root on a free loopback port and starts Chromium with a fresh
 * profile (so OPFS starts empty). `url(p)` makes a page address from a repository path.
 */
export async function startBrowser() {
  const server = await serve({ root: ROOT, port: 0 });
  const { port } = server.address();
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), "solo5-wasm-chromium-"));
  const context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args: ARGS });
  const origin = `http://127.0.0.1:${port}`;
  return {
    origin,
    context,
    url: (p) => `${origin}/${p.replace(/^\//, "")}`,
    /** A new page showing a repository path. */
    async open(p) {
      const page = await context.newPage();
      await page.goto(`${origin}/${p.replace(/^\//, "")}`);
      return page;
    },
    /** A new page with the tender's bundle loaded as window.solo5 (tests/browser/blank.html). */
    async blank() {
      const page = await this.open("tests/browser/blank.html");
      await page.waitForFunction(() => document.title === "ready");
      return page;
    },
    async close() {
      await context.close();
      await new Promise((resolve) => server.close(resolve));
      fs.rmSync(profile, { recursive: true, force: true });
    },
  };
}

/**
 * For a test file: a browser started before its tests, with a blank page
 * (`session.page`), and closed after them.
 */
export function browserSession() {
  const session = {};
  beforeAll(async () => {
    session.browser = await startBrowser();
    session.page = await session.browser.blank();
  });
  afterAll(() => session.browser?.close());
  return session;
}
