// The frame ring (core/net/ring.ts) on its own: order and contents across the wrap,
// a bounded capacity with drops counted, and a producer and consumer on two threads.
import { Worker } from "node:worker_threads";
import { FrameRing } from "../../dist/core/net/ring.js";

const frameOf = (seq, length) => Uint8Array.from({ length }, (_, i) => (seq * 7 + i) & 0xff);
const same = (a, b) => Buffer.compare(a, b) === 0;

test("frames come out whole and in order, across many wraps", () => {
  const ring = FrameRing.create(1024);
  const out = new Uint8Array(1514);
  let pushed = 0;
  let popped = 0;
  let wrong = 0;
  for (let round = 0; round < 2000; round++) {
    for (let k = 0; k < 3; k++) {
      if (ring.push(frameOf(pushed, (pushed * 37) % 300))) pushed++;
    }
    for (let k = 0; k < 2; k++) {
      const n = ring.pop(out);
      if (n < 0) break;
      if (!same(out.subarray(0, n), frameOf(popped, (popped * 37) % 300))) wrong++;
      popped++;
    }
  }
  for (let n; (n = ring.pop(out)) >= 0; popped++) if (!same(out.subarray(0, n), frameOf(popped, (popped * 37) % 300))) wrong++;
  expect(wrong).toBe(0);
  expect(pushed).toBeGreaterThan(3000);
  expect(popped).toBe(pushed);
  expect(ring.isEmpty()).toBe(true);
});

test("a full ring refuses frames and counts them; its size never grows", () => {
  const ring = FrameRing.create(4096);
  const frame = new Uint8Array(1514);
  let accepted = 0;
  for (let i = 0; i < 100; i++) if (ring.push(frame)) accepted++;
  // 1514 bytes + a 4-byte length, padded: two fit in 4096, a third does not.
  expect(accepted).toBe(2);
  expect(ring.dropped).toBe(98);
  expect(ring.buffer.byteLength).toBe(4096 + 16);
  expect(ring.push(new Uint8Array(60))).toBe(true); // what still fits goes in
  ring.discard();
  expect(ring.dropped).toBe(99);
});

test("an empty frame is a frame; pop says -1 only when empty", () => {
  const ring = FrameRing.create(64);
  expect(ring.pop(new Uint8Array(10))).toBe(-1);
  expect(ring.push(new Uint8Array(0))).toBe(true);
  expect(ring.isEmpty()).toBe(false);
  expect(ring.pop(new Uint8Array(10))).toBe(0);
  expect(ring.pop(new Uint8Array(10))).toBe(-1);
});

test("pop into a buffer too small throws, leaving the frame queued", () => {
  const ring = FrameRing.create(256);
  ring.push(new Uint8Array(100));
  expect(() => ring.pop(new Uint8Array(99))).toThrow(RangeError);
  expect(ring.pop(new Uint8Array(100))).toBe(100);
});

test("capacities that are not a power of two of at least 64 bytes are refused", () => {
  for (const bad of [0, 32, 100, 1000, 4095, 1.5]) expect(() => FrameRing.create(bad)).toThrow(RangeError);
});

test("a producer thread and a consumer waiting with afterPush: nothing lost unaccounted, order kept", async () => {
  const ring = FrameRing.create(8192);
  const total = 50000;
  const producer = new Worker(
    `const { workerData } = require("node:worker_threads");
     import(workerData.ring).then(({ FrameRing }) => {
       const ring = new FrameRing(workerData.buffer);
       const f = new Uint8Array(64);
       for (let seq = 0; seq < workerData.total; seq++) {
         new DataView(f.buffer).setUint32(0, seq);
         f.fill(seq & 0xff, 4);
         ring.push(f);
       }
     });`,
    { eval: true, workerData: { ring: new URL("../../dist/core/net/ring.js", import.meta.url).href, buffer: ring.buffer, total } },
  );
  const done = new Promise((resolve) => producer.on("exit", resolve));
  let finished = false;
  done.then(() => {
    finished = true;
    ring.releaseConsumer();
  });
  const out = new Uint8Array(64);
  let last = -1;
  let received = 0;
  let wrong = 0;
  for (;;) {
    for (let n; (n = ring.pop(out)) >= 0; received++) {
      const seq = new DataView(out.buffer).getUint32(0);
      if (seq <= last || !out.subarray(4).every((b) => b === (seq & 0xff))) wrong++;
      last = seq;
    }
    if (finished && ring.isEmpty()) break;
    await ring.afterPush();
  }
  expect(wrong).toBe(0);
  expect(received + ring.dropped).toBe(total);
  expect(received).toBeGreaterThan(0);
});

test("a consumer in afterPush is woken for every frame, one at a time (no lost wake-up)", async () => {
  // The producer pushes frame k only once the consumer has taken frame k - 1, so the
  // consumer is asleep in afterPush() at nearly every push: a wake-up lost there
  // would stall this exchange for good (and the test would time out).
  const ring = FrameRing.create(1024);
  const ack = new Int32Array(new SharedArrayBuffer(4));
  const total = 2000;
  const producer = new Worker(
    `const { workerData } = require("node:worker_threads");
     import(workerData.ring).then(({ FrameRing }) => {
       const ring = new FrameRing(workerData.buffer);
       const ack = new Int32Array(workerData.ack);
       const f = new Uint8Array(4);
       for (let seq = 1; seq <= workerData.total; seq++) {
         new DataView(f.buffer).setUint32(0, seq);
         ring.push(f);
         while (Atomics.load(ack, 0) < seq) Atomics.wait(ack, 0, seq - 1, 1000);
       }
     });`,
    { eval: true, workerData: { ring: new URL("../../dist/core/net/ring.js", import.meta.url).href, buffer: ring.buffer, ack: ack.buffer, total } },
  );
  const out = new Uint8Array(4);
  let seen = 0;
  while (seen < total) {
    await ring.afterPush();
    for (let n; (n = ring.pop(out)) >= 0; ) {
      expect(new DataView(out.buffer).getUint32(0)).toBe(++seen);
      Atomics.store(ack, 0, seen);
      Atomics.notify(ack, 0);
    }
  }
  await new Promise((resolve) => producer.on("exit", resolve));
  expect(ring.dropped).toBe(0);
});
