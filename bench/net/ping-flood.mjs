// How many `ping -f` replies per second a TAP responder gives: the C
// baseline (tap-responder.c) now, solo5-wasm guests later. The responder is
// any command that attaches the TAP interface and answers for 10.0.0.2.
//
//   node bench/net/ping-flood.mjs [--tap=tap100] [--count=100000] -- CMD [ARGS...]
//   e.g. node bench/net/ping-flood.mjs -- $(node tests/net/build-c.mjs bench/net/tap-responder.c) tap100
//
// Needs root (it makes a network namespace and the TAP interface in it) and iputils-ping.

import { once } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { withNetns } from '../../tests/net/netns.mjs';
import { ping, pingFlood } from '../../tests/net/ping.mjs';

const HOST = '10.0.0.1/24';
const PEER = '10.0.0.2';

/**
 * In a new network namespace: create `tap` with 10.0.0.1/24, start `responder` (an
 * argv) there, wait until it has attached the TAP and answers a ping, then run
 * `ping -fq -c count -w timeoutS 10.0.0.2` through the TAP. The responder is stopped
 * with the namespace. Returns { transmitted, received, timeMs, repliesPerSecond }
 * from ping's summary.
 */
export function floodResponder({ responder, tap = 'tap100', count = 100000, timeoutS = 60 }) {
  return withNetns(async (ns) => {
    ns.addTap(tap, { address: HOST });
    const child = ns.spawn(responder, { stdio: ['ignore', 'inherit', 'inherit'] });
    const exited = once(child, 'exit').then(([code, signal]) => {
      throw new Error(`the responder exited early (${signal ?? `status ${code}`}): ${responder.join(' ')}`);
    });
    exited.catch(() => {}); // raced below; unhandled once the flood is over
    await Promise.race([exited, whenAnswering(ns, tap)]);
    const flood = await Promise.race([exited, pingFlood(ns, tap, PEER, count, timeoutS)]);
    const { transmitted, received, timeMs } = flood;
    return { transmitted, received, timeMs, repliesPerSecond: Math.round(received / (timeMs / 1000)) };
  });
}

// The TAP has carrier once a process attaches it; a guest may need longer to
// start answering, hence the pings.
async function whenAnswering(ns, tap) {
  const end = Date.now() + 10_000;
  while (ns.ip('-o', 'link', 'show', 'dev', tap).includes('NO-CARRIER')) {
    if (Date.now() > end) throw new Error(`nothing attached ${tap} within 10 s`);
    await sleep(10);
  }
  while ((await ping(ns, tap, PEER, ['-c', '1', '-W', '1'])).status !== 0) {
    if (Date.now() > end) throw new Error(`${PEER} did not answer a ping on ${tap} within 10 s`);
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const split = args.indexOf('--');
  const options = Object.fromEntries(
    args.slice(0, Math.max(split, 0)).map((a) => /^--(tap|count)=(.+)$/.exec(a)?.slice(1) ?? usage(a)),
  );
  if (split < 0 || split === args.length - 1) usage();
  const result = await floodResponder({
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
