// The TAP addon (native/tap) against the real kernel: refusals, MTU, frames
// both ways, and wait()'s three ways of returning. The waker/wait tests need
// only the addon, in this process; the rest make a TAP in a network namespace of
// their own and call the addon there through addon-host.mjs, skipping, saying why,
// where netnsSupport() says this machine cannot.

import { describe, expect, test } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { netnsSupport, withNetns } from './netns.mjs';
import { ping } from './ping.mjs';
import { rpcClient } from './rpc.mjs';

const require = createRequire(import.meta.url);
const addonPath = require.resolve('../../native/tap/build/Release/solo5_tap.node');
const tap = require(addonPath);
const ADDON_HOST = fileURLToPath(new URL('./addon-host.mjs', import.meta.url));

const TAP = 'tap0';
const HOST_IP = [10, 77, 0, 1];
const PEER_IP = [10, 77, 0, 2];
const PEER_MAC = [0x02, 0x00, 0x00, 0x00, 0x00, 0x02];
const ETH_ARP = 0x0806;
const ETH_IP4 = 0x0800;

function elapsedNs(fn) {
  const start = process.hrtime.bigint();
  const result = fn();
  return { result, ns: Number(process.hrtime.bigint() - start) };
}

const be16 = (f, at) => (f[at] << 8) | f[at + 1];
const bytes = (f, at, n) => [...f.subarray(at, at + n)];

/** Wait for and read frames from `fd` until one satisfies `match`; others are skipped. */
async function readUntil(addon, fd, waker, match, timeoutMs = 3000) {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const left = end - Date.now();
    if (left <= 0) throw new Error('no matching frame arrived');
    if ((await addon.wait([fd], waker, left * 1e6)) !== 1) continue;
    const { n, frame } = await addon.readFrame(fd, 1514);
    if (n > 0 && match(frame)) return frame;
  }
}

const isArpRequestForPeer = (f) =>
  be16(f, 12) === ETH_ARP && be16(f, 20) === 1 && bytes(f, 38, 4).join() === PEER_IP.join();

/** The reply PEER_MAC would give to the ARP request `req`. */
function arpReply(req) {
  const requesterMac = bytes(req, 22, 6);
  const requesterIp = bytes(req, 28, 4);
  // prettier-ignore
  return Uint8Array.from([
    ...requesterMac, ...PEER_MAC, 0x08, 0x06,   // Ethernet: to the requester, ARP
    0x00, 0x01, 0x08, 0x00, 6, 4, 0x00, 0x02,   // Ethernet/IPv4, op = reply
    ...PEER_MAC, ...PEER_IP,                    // sender: us
    ...requesterMac, ...requesterIp,            // target: the requester
  ]);
}

/**
 * Attaches TAP with a waker and starts one ping of the peer through it; nothing
 * answers, so the kernel keeps asking for its MAC.
 */
async function attachAndPing(ns, addon) {
  const { fd } = await addon.openTap(TAP);
  const waker = await addon.createWaker();
  return { fd, waker, pinged: ping(ns, TAP, PEER_IP.join('.'), ['-c', '1', '-W', '1']) };
}

/**
 * Runs `fn(ns, addon)` in a new namespace with the addon's host in it and, unless
 * `options` is null, TAP made as `options`. Descriptors the host opened close
 * as it ends, with the namespace.
 */
function withTap(options, fn) {
  return withNetns(async (ns) => {
    if (options) ns.addTap(TAP, { address: `${HOST_IP.join('.')}/24`, ...options });
    const host = rpcClient(ns.spawn([process.execPath, ADDON_HOST], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'], serialization: 'advanced' }));
    const calls = ['openTap', 'createWaker', 'wait', 'readFrame', 'writeFrame'].map((op) => [op, (...args) => host.call(op, ...args)]);
    await fn(ns, { pid: host.pid, ...Object.fromEntries(calls) });
  });
}

describe('waker and wait (no TAP needed)', () => {
  test('wait() honours timeouts to within a few ms, also below a millisecond', () => {
    const waker = tap.createWaker();
    try {
      for (const timeoutNs of [20e6, 0.5e6]) {
        const runs = Array.from({ length: 5 }, () => elapsedNs(() => tap.wait(new Int32Array(0), waker, timeoutNs)));
        for (const run of runs) {
          expect(run.result).toBe(0);
          expect(run.ns).toBeGreaterThanOrEqual(timeoutNs);
        }
        // Scheduling noise only ever makes a run later: the best shows the precision.
        expect(Math.min(...runs.map((r) => r.ns))).toBeLessThan(timeoutNs + 2e6);
      }
      expect(elapsedNs(() => tap.wait(new Int32Array(0), waker, 0)).ns).toBeLessThan(2e6);
    } finally {
      tap.closeFd(waker);
    }
  });

  test('a wake from another thread ends an endless wait, and is consumed', async () => {
    const waker = tap.createWaker();
    // The worker also proves the addon loads inside worker_threads.
    const worker = new Worker(
      `const { workerData, parentPort } = require('node:worker_threads');
       const tap = require(workerData.addonPath);
       parentPort.postMessage('loaded');
       Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 50);
       tap.wake(workerData.waker);`,
      { eval: true, workerData: { addonPath, waker } },
    );
    try {
      await once(worker, 'message');
      const woken = elapsedNs(() => tap.wait(new Int32Array(0), waker, -1));
      expect(woken.result).toBe(0);
      expect(woken.ns).toBeLessThan(5e9);
      await once(worker, 'exit');
      expect(elapsedNs(() => tap.wait(new Int32Array(0), waker, 10e6)).ns).toBeGreaterThanOrEqual(10e6);
    } finally {
      tap.closeFd(waker);
    }
  });

  test('a wake before the wait is not lost', () => {
    const waker = tap.createWaker();
    try {
      tap.wake(waker);
      expect(elapsedNs(() => tap.wait(new Int32Array(0), waker, 5e9)).ns).toBeLessThan(1e9);
    } finally {
      tap.closeFd(waker);
    }
  });

  test('bad arguments throw', () => {
    // By name: the addon's errors come from Node's realm, not from jest's.
    const nameOfThrown = (fn) => {
      try {
        fn();
      } catch (error) {
        return error.name;
      }
    };
    expect(nameOfThrown(() => tap.wait(new Int32Array(33), 0, 0))).toBe('RangeError');
    expect(nameOfThrown(() => tap.wait([3], 0, 0))).toBe('TypeError');
    expect(nameOfThrown(() => tap.readFrame(0, new ArrayBuffer(8)))).toBe('TypeError');
    expect(nameOfThrown(() => tap.writeFrame(0, new Uint8Array(8), 9))).toBe('RangeError');
    expect(nameOfThrown(() => tap.closeFd(-1))).toBe('RangeError');
  });
});

const usable = netnsSupport();
if (!usable.ok) console.warn(`skipping the TAP interface tests: ${usable.reason}`);
const describeTap = usable.ok ? describe : describe.skip;

describeTap('TAP interfaces', () => {
  test('a missing interface is refused, and not created', () =>
    withTap(null, async (ns, addon) => {
      await expect(addon.openTap(TAP)).rejects.toThrow(
        `TAP interface ${TAP} does not exist: create it with \`ip tuntap add ${TAP} mode tap\` and bring it up`,
      );
      expect(ns.hasLink(TAP)).toBe(false);
    }));

  test('a down interface is refused', () =>
    withTap({ up: false }, async (_ns, addon) => {
      await expect(addon.openTap(TAP)).rejects.toThrow(`TAP interface ${TAP} is down: bring it up with \`ip link set dev ${TAP} up\``);
    }));

  test('a TUN interface and a busy TAP are refused', async () => {
    await withTap({ mode: 'tun' }, async (_ns, addon) => {
      await expect(addon.openTap(TAP)).rejects.toThrow(expect.objectContaining({ code: 'EINVAL', message: expect.stringContaining('not a usable TAP') }));
    });
    await withTap({}, async (_ns, addon) => {
      await addon.openTap(TAP);
      await expect(addon.openTap(TAP)).rejects.toThrow(expect.objectContaining({ code: 'EBUSY', message: expect.stringContaining('is busy') }));
    });
  });

  test.each([1500, 9000])('an up interface opens with its MTU (%i), non-blocking and close-on-exec', (mtu) =>
    withTap({ mtu }, async (_ns, addon) => {
      const handle = await addon.openTap(TAP);
      expect(handle.mtu).toBe(mtu);
      const flags = parseInt(/^flags:\s*(\d+)$/m.exec(readFileSync(`/proc/${addon.pid}/fdinfo/${handle.fd}`, 'utf8'))[1], 8);
      const O_NONBLOCK = 0o4000;
      const O_CLOEXEC = 0o2000000;
      expect(flags & O_NONBLOCK).toBe(O_NONBLOCK);
      expect(flags & O_CLOEXEC).toBe(O_CLOEXEC);
      expect((await addon.readFrame(handle.fd, mtu + 14)).n).toBe(-1);
    }));

  test('wait() wakes for a frame the kernel sends, and readFrame() reads it', () =>
    withTap({}, async (ns, addon) => {
      const { fd, waker, pinged } = await attachAndPing(ns, addon);
      // Who has 10.77.0.2?
      expect(await addon.wait([fd], waker, 3e9)).toBe(1);
      const request = await readUntil(addon, fd, waker, isArpRequestForPeer);
      expect(bytes(request, 0, 6)).toEqual([0xff, 0xff, 0xff, 0xff, 0xff, 0xff]);
      expect(bytes(request, 28, 4)).toEqual(HOST_IP);
      await pinged;
    }));

  test('a frame longer than the buffer is dropped and reported as -2', () =>
    withTap({}, async (ns, addon) => {
      const { fd, waker, pinged } = await attachAndPing(ns, addon);
      expect(await addon.wait([fd], waker, 3e9)).toBe(1);
      expect((await addon.readFrame(fd, 20)).n).toBe(-2); // an ARP request is 42 bytes
      await pinged;
    }));

  test('writeFrame() of an ARP reply teaches the kernel our MAC', () =>
    withTap({}, async (ns, addon) => {
      const { fd, waker, pinged } = await attachAndPing(ns, addon);
      const reply = arpReply(await readUntil(addon, fd, waker, isArpRequestForPeer));
      expect(await addon.writeFrame(fd, reply, reply.length)).toBe(true);
      // Having learnt our MAC, the kernel sends the echo request to it.
      const echo = await readUntil(addon, fd, waker, (f) => be16(f, 12) === ETH_IP4 && f[23] === 1);
      expect(bytes(echo, 0, 6)).toEqual(PEER_MAC);
      const mac = PEER_MAC.map((b) => b.toString(16).padStart(2, '0')).join(':');
      expect(ns.ip('neigh', 'show', 'dev', TAP, 'to', PEER_IP.join('.'))).toContain(`lladdr ${mac}`);
      await pinged;
    }));

  test('writeFrame() returns false for a frame the kernel refuses', () =>
    withTap({}, async (_ns, addon) => {
      const { fd } = await addon.openTap(TAP);
      expect(await addon.writeFrame(fd, new Uint8Array(10), 10)).toBe(false); // shorter than an Ethernet header
    }));

  test('a deleted interface: wait() reports it, readFrame() and writeFrame() throw', () =>
    withTap({}, async (ns, addon) => {
      const { fd } = await addon.openTap(TAP);
      const waker = await addon.createWaker();
      ns.ip('link', 'del', TAP);
      expect(await addon.wait([fd], waker, 1e9)).toBe(1);
      await expect(addon.readFrame(fd, 1514)).rejects.toThrow(expect.objectContaining({ code: 'EBADFD' }));
      await expect(addon.writeFrame(fd, new Uint8Array(60), 60)).rejects.toThrow(expect.objectContaining({ code: 'EBADFD' }));
    }));
});
