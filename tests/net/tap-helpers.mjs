// Helpers for tests and benchmarks that need a real TAP interface: say whether
// this machine allows one, create one with an address, ping through it, and
// remove it. Linux only; needs root (or CAP_NET_ADMIN), iproute2 and iputils-ping.

import { spawn, spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';

const CAP_NET_ADMIN = 12n;

/** Run `ip ARGS`, returning stdout; throws with ip's own complaint. */
export function ip(...args) {
  const run = spawnSync('ip', args, { encoding: 'utf8' });
  if (run.error) throw run.error;
  if (run.status !== 0) throw new Error(`ip ${args.join(' ')}: ${run.stderr.trim()}`);
  return run.stdout;
}

function onPath(command) {
  return (process.env.PATH ?? '').split(delimiter).some((dir) => {
    try {
      accessSync(join(dir, command), constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

function hasNetAdmin() {
  const capEff = /^CapEff:\s*([0-9a-f]+)$/m.exec(readFileSync('/proc/self/status', 'utf8'));
  return capEff !== null && ((BigInt(`0x${capEff[1]}`) >> CAP_NET_ADMIN) & 1n) === 1n;
}

let names = 0;
/** A TAP name no other process will pick: tap<pid>x<n> (at most 15 bytes). */
export function tapName() {
  return `tap${process.pid}x${++names}`;
}

/** Whether TAP tests can run here; `reason` says why not. */
export function canUseTap() {
  if (process.platform !== 'linux') return { ok: false, reason: 'TAP interfaces are Linux-only' };
  if (!hasNetAdmin()) return { ok: false, reason: 'needs root or CAP_NET_ADMIN' };
  if (!existsSync('/dev/net/tun')) return { ok: false, reason: '/dev/net/tun is missing (`modprobe tun`)' };
  for (const [command, pkg] of [['ip', 'iproute2'], ['ping', 'iputils-ping']]) {
    if (!onPath(command)) return { ok: false, reason: `${command} is not installed (apt-get install ${pkg})` };
  }
  // A sandbox may still refuse to create interfaces: try once for real.
  const probe = tapName();
  try {
    ip('tuntap', 'add', probe, 'mode', 'tap');
  } catch (error) {
    return { ok: false, reason: `cannot create a TAP interface: ${error.message}` };
  }
  ip('link', 'del', probe);
  return { ok: true, reason: '' };
}

/**
 * Create `name` (mode tap, or tun to test refusals) with `address`, IPv6
 * off (so the kernel does not chatter on it: router solicitations, MLD,
 * DAD), then bring it up with `mtu` unless `up` is false.
 */
export function createTap(name, { address = '10.0.0.1/24', mtu, up = true, mode = 'tap' } = {}) {
  if (existsSync(`/sys/class/net/${name}`)) {
    throw new Error(`${name} already exists: another run is using it, or remove a stale one (\`ip link del ${name}\`)`);
  }
  ip('tuntap', 'add', name, 'mode', mode);
  try {
    const ipv6 = `/proc/sys/net/ipv6/conf/${name}/disable_ipv6`;
    if (existsSync(ipv6)) writeFileSync(ipv6, '1');
    if (address) ip('addr', 'add', address, 'dev', name);
    const settings = [...(mtu ? ['mtu', String(mtu)] : []), ...(up ? ['up'] : [])];
    if (settings.length) ip('link', 'set', 'dev', name, ...settings);
  } catch (error) {
    destroyTap(name);
    throw error;
  }
}

/** Remove `name`; no error if it is already gone. */
export function destroyTap(name) {
  if (existsSync(`/sys/class/net/${name}`)) ip('link', 'del', name);
}

/**
 * Run `ping -I ifname ARGS target`, after checking that the kernel routes
 * `target` through `ifname`: these pings are for our own TAP peer and must
 * never leave the machine by the default route. Resolves to ping's exit
 * status and output.
 */
export function ping(ifname, target, args) {
  const route = ip('-o', 'route', 'get', target);
  if (!new RegExp(`\\bdev ${ifname}\\b`).test(route)) {
    throw new Error(`refusing to ping ${target}: it is not routed through ${ifname} (${route.trim()})`);
  }
  const child = spawn('ping', ['-I', ifname, ...args, target], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk) => (stderr += chunk));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}
