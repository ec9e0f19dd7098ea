// What the browser host adds to the contract: the cross-origin-isolation refusal,
// stop(), and the page's block devices (memory, and OPFS that outlives a reload).
import { guestWat, manifestOf, wat } from "../helpers/wat.mjs";
import { startBrowser } from "./harness.mjs";

const KV = "/examples/kv/kv.wasm";
const STORAGE = manifestOf([{ name: "storage", type: "BLOCK_BASIC" }]);

/** WAT guests as bytes a page can take (plain arrays survive page.evaluate). */
const bytesOf = (text) => Array.from(wat(text));
// Spins forever without a hypercall: only stop() can end it.
const SPIN = bytesOf(guestWat({ body: "(loop $l (br $l))" }));
// Acquires "storage", says "held", then sleeps in yield with no deadline, holding its disk.
const HOLD = bytesOf(guestWat({
  imports: `(import "solo5" "block_acquire" (func $acquire (param i32 i32 i32) (result i32)))
            (import "solo5" "console_write" (func $write (param i32 i32)))
            (import "solo5" "yield" (func $yield (param i64 i32)))`,
  extra: `(data (i32.const 64) "storage\\00held\\0a")`,
  body: `(drop (call $acquire (i32.const 64) (i32.const 128) (i32.const 256)))
         (call $write (i32.const 72) (i32.const 5))
         (call $yield (i64.const -1) (i32.const 0))`,
  manifest: STORAGE,
}));

let browser;
beforeAll(async () => {
  browser = await startBrowser();
});
afterAll(() => browser?.close());

test("a page that is not cross-origin isolated is refused, saying so and how to mend it", async () => {
  const page = await browser.context.newPage();
  // The same server, minus the two headers: what a plain static server sends.
  await page.route("**/*", async (route) => {
    const response = await route.fetch();
    const headers = { ...response.headers() };
    delete headers["cross-origin-opener-policy"];
    delete headers["cross-origin-embedder-policy"];
    await route.fulfill({ response, headers });
  });
  await page.goto(browser.url("tests/browser/blank.html"));
  await page.waitForFunction(() => document.title === "ready");
  const error = await page.evaluate(async () => {
    try {
      await solo5.run(await fetchBytes("/examples/hello/hello.wasm"));
      return "ran";
    } catch (e) {
      return `${e.name}: ${e.message}`;
    }
  });
  expect(error).toMatch(/^TenderError: this page is not cross-origin isolated/);
  expect(error).toContain("Cross-Origin-Opener-Policy: same-origin");
  expect(error).toContain("Cross-Origin-Embedder-Policy: require-corp");
  await page.close();
});

test("stop() ends a guest that never yields: status 1, reason stopped", async () => {
  const page = await browser.blank();
  const r = await page.evaluate(async (spin) => {
    const { guest, result } = await startCollected(new Uint8Array(spin), { mem: 2 });
    await guest.stop();
    return result;
  }, SPIN);
  expect(r).toEqual(expect.objectContaining({ status: 1, reason: "stopped" }));
  await page.close();
});

test("a SharedArrayBuffer disk is the guest's disk: a second guest finds what the first stored", async () => {
  const page = await browser.blank();
  const [first, second] = await page.evaluate(async (kv) => {
    const devices = { storage: { type: "BLOCK_BASIC", memory: new SharedArrayBuffer(256 * 1024) } };
    const kernel = await solo5.loadKernel(await fetchBytes(kv));
    const first = await runCollected(kernel, { mem: 16, devices, args: ["--solo5:quiet", "format; put colour green"] });
    const second = await runCollected(kernel, { mem: 16, devices, args: ["--solo5:quiet", "get colour"] });
    return [first, second];
  }, KV);
  expect(first.stdout).toBe("OK format\nOK put colour\n");
  expect(second.stdout).toBe("OK get colour green\n");
  expect(second.status).toBe(0);
  await page.close();
});

describe("OPFS disks", () => {
  const kvOnOpfs = (page, path, commands, size) =>
    page.evaluate(
      async ({ kv, path, commands, size }) =>
        runCollected(await fetchBytes(kv), { mem: 16, args: ["--solo5:quiet", commands], devices: { storage: { type: "BLOCK_BASIC", opfs: path, size } } }),
      { kv: KV, path, commands, size },
    );

  test("the key-value store keeps its keys across a page reload", async () => {
    const page = await browser.blank();
    const put = await kvOnOpfs(page, "tests/kv.img", "format; put greeting hello from before the reload", 256 * 1024);
    expect(put.stdout).toBe("OK format\nOK put greeting\n");
    await page.reload();
    await page.waitForFunction(() => document.title === "ready");
    const get = await kvOnOpfs(page, "tests/kv.img", "get greeting; stats");
    expect(get.stdout).toContain("OK get greeting hello from before the reload\n");
    expect(get.stdout).toMatch(/OK stats keys=1 .* block=512\n/);
    expect(get.status).toBe(0);
    await page.close();
  });

  test("a missing file without a size is refused before the guest starts", async () => {
    const page = await browser.blank();
    const error = await kvOnOpfs(page, "tests/nosuch.img", "list").catch((e) => e.message);
    expect(error).toContain("devices.storage (opfs:tests/nosuch.img): no such file in the Origin Private File System: give a size to create it");
    await page.close();
  });

  test("a disk held by a running guest is refused to a second one, and free again once it is stopped", async () => {
    const page = await browser.blank();
    const r = await page.evaluate(async (hold) => {
      const kernel = await solo5.loadKernel(new Uint8Array(hold));
      const devices = { storage: { type: "BLOCK_BASIC", opfs: "tests/held.img", size: 64 * 1024 } };
      const holder = await startCollected(kernel, { mem: 2, devices });
      const held = await untilPrinted(holder, "held");
      const second = await runCollected(kernel, { mem: 2, devices });
      await holder.guest.stop();
      const third = await startCollected(kernel, { mem: 2, devices });
      const reopened = await untilPrinted(third, "held");
      await third.guest.stop();
      return { held, second, reopened, third: await third.result };
    }, HOLD);
    expect(r.held).toBe(true);
    expect(r.second.status).toBe(1);
    expect(r.second.stderr).toContain("solo5-wasm: devices.storage (opfs:tests/held.img): the file is in use by another guest, in this tab or another: stop that guest first\n");
    expect(r.reopened).toBe(true);
    expect(r.third).toEqual(expect.objectContaining({ status: 1, reason: "stopped", stderr: "" }));
    await page.close();
  });
});
