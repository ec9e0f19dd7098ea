// How many `ping -f` replies per second a TAP responder gives: the C
// baseline (tap-responder.c) now, solo5-wasm guests later. The responder is
// any command that attaches the TAP interface and answers for 10.0.0.2.
//
//   node bench/net/ping-flood.mjs [--tap=tap100] [--count=100000] -- CMD [ARGS...]
//   e.g. node bench/net/ping-flood.mjs -- bench/net/build/tap-responder tap100
//
// Needs root (it creates the TAP interface) and iputils-ping.

import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { createTap, destroyTap, ping } from '../../tests/net/tap-helpers.mjs';

const HOST = '10.0.0.1/24';
const PEER = '10.0.0.2';

/**
 * Create `tap` with 10.0.0.1/24, start `responder` (an argv), wait until it
 * has attached the TAP and answers a ping, then run
 * `ping -fq -c count -w timeoutS 10.0.0.2` through the TAP.
 * Returns { transmitted, received, timeMs, repliesPerSecond } from ping's summary.
 */
export async function pingFlood({ responder, tap = 'tap100', count = 100000, timeoutS = 60 }) {
  createTap(tap, { address: HOST });
  const child = spawn(responder[0], responder.slice(1), { stdio: ['ignore', 'inherit', 'inherit'] });
  const exited = once(child, 'exit').then(([code, signal]) => {
    throw new Error(`the responder exited early (${signal ?? `status ${code}`}): ${responder.join(' ')}`);
  });
  exited.catch(() => {}); // raced below; unhandled once the flood is over
  try {
    await Promise.race([exited, whenAnswering(tap)]);
    const result = await Promise.race([exited, ping(tap, PEER, ['-f', '-q', '-c', String(count), '-w', String(timeoutS)])]);
    return summary(result);
  } finally {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 2000);
      await once(child, 'exit').catch(() => {});
      clearTimeout(killer);
    }
    destroyTap(tap);
  }
}

// The TAP has carrier once a process attaches it; a guest may need longer to
// start answering, hence the pings.
async function whenAnswering(tap) {
  const end = Date.now() + 10_000;
  while (readFileSync(`/sys/class/net/${tap}/carrier`, 'utf8').trim() !== '1') {
    if (Date.now() > end) throw new Error(`nothing attached ${tap} within 10 s`);
    await sleep(10);
  }
  while ((await ping(tap, PEER, ['-c', '1', '-W', '1'])).status !== 0) {
    if (Date.now() > end) throw new Error(`${PEER} did not answer a ping on ${tap} within 10 s`);
  }
}

function summary({ status, stdout, stderr }) {
  const m = /(\d+) packets transmitted, (\d+) received.*time (\d+)ms/.exec(stdout);
  if (!m) throw new Error(`ping failed (status ${status}): ${stderr.trim() || stdout.trim()}`);
  const [transmitted, received, timeMs] = m.slice(1).map(Number);
  return { transmitted, received, timeMs, repliesPerSecond: Math.round(received / (timeMs / 1000)) };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const split = args.indexOf('--');
  const options = Object.fromEntries(
    args.slice(0, Math.max(split, 0)).map((a) => /^--(tap|count)=(.+)$/.exec(a)?.slice(1) ?? usage(a)),
  );
  if (split < 0 || split === args.length - 1) usage();
  const result = await pingFlood({
    responder: args.slice(split + 1),
    tap: options.tap,
    count: options.count ? Number(options.count) : undefined,
  }).catch((error) => {
    console.error(`ping-flood: ${error.message}`);
    process.exit(1);
  });
  console.log(JSON.stringify(result));
  console.log(`${result.repliesPerSecond} replies/s`);
}

function usage(bad) {
  if (bad) console.error(`ping-flood: unknown option ${bad}`);
  console.error('usage: node bench/net/ping-flood.mjs [--tap=IFNAME] [--count=N] -- CMD [ARGS...]');
  process.exit(2);
}
