// Builds the TAP addon (native/tap) with node-gyp. It runs from `npm run build`
// rather than at install: npm 11 gates install scripts, and a build that
// fails should stop the build, loudly, not be skipped.
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

function fail(message) {
  console.error(`build-native: ${message}`);
  process.exit(1);
}

if (process.platform !== 'linux') fail(`the TAP addon is Linux-only (this is ${process.platform})`);
if (!existsSync(nodeGyp)) fail(`node-gyp not found at ${nodeGyp}: run this through \`npm run build\``);

const args = [nodeGyp, 'rebuild', '--loglevel=warn', ...(nodedir ? [`--nodedir=${nodedir}`] : [])];
const run = spawnSync(process.execPath, args, { cwd: addonDir, stdio: 'inherit' });
if (run.error) fail(`could not run node-gyp: ${run.error.message}`);
if (run.status !== 0) fail(`node-gyp rebuild failed in ${addonDir} (exit ${run.status ?? run.signal})`);
