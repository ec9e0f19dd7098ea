// Builds the TAP addon (native/tap) with node-gyp, at install (`--at-install`, the
// package's install script) and in `npm run build`. In a build a failure stops it;
// at install it is one warning line and the install goes on: the addon serves TAP
// devices only, and everything else (and the browser) works without it, while a TAP
// device is then refused with the same remedy.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const addonDir = fileURLToPath(new URL('../native/tap/', import.meta.url));
const nodePrefix = dirname(dirname(process.execPath));

// Inside npm scripts npm names its bundled node-gyp; run directly, look for
// the same copy next to this node.
const nodeGyp =
  process.env.npm_config_node_gyp ??
  join(nodePrefix, 'lib/node_modules/npm/node_modules/node-gyp/bin/node-gyp.js');

// Without a nodedir node-gyp downloads Node's headers, and this machine has
// no network: build against the headers installed with this node instead.
const nodedir =
  process.env.npm_config_nodedir ??
  (existsSync(join(nodePrefix, 'include/node/node_api.h')) ? nodePrefix : undefined);

const atInstall = process.argv.includes('--at-install');

function fail(message) {
  if (atInstall) {
    console.warn(`solo5-wasm: TAP devices will be refused: ${message} (install g++, make and python3, then \`npm rebuild solo5-wasm\`)`);
    process.exit(0);
  }
  console.error(`build-native: ${message}`);
  process.exit(1);
}

if (process.platform !== 'linux') {
  if (atInstall) process.exit(0); // TAP devices are Linux-only; nothing to build
  fail(`the TAP addon is Linux-only (this is ${process.platform})`);
}
if (!existsSync(nodeGyp)) fail(`node-gyp not found at ${nodeGyp}: run this through \`npm run build\``);

const args = [nodeGyp, 'rebuild', '--loglevel=warn', ...(nodedir ? [`--nodedir=${nodedir}`] : [])];
const run = spawnSync(process.execPath, args, { cwd: addonDir, stdio: 'inherit' });
if (run.error) fail(`could not run node-gyp: ${run.error.message}`);
if (run.status !== 0) fail(`node-gyp rebuild failed in ${addonDir} (exit ${run.status ?? run.signal})`);
