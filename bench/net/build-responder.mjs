// Builds the plain C TAP responder (the ping -f baseline) with the system C
// compiler ($CC, else cc) into bench/net/build/tap-responder.
import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

export const responderPath = fileURLToPath(new URL('./build/tap-responder', import.meta.url));
const source = fileURLToPath(new URL('./tap-responder.c', import.meta.url));

/** Compile the responder; throws if the compiler fails. Returns its path. */
export function buildResponder() {
  mkdirSync(dirname(responderPath), { recursive: true });
  const cc = process.env.CC || 'cc';
  const run = spawnSync(cc, ['-O2', '-Wall', '-Wextra', '-Werror', '-o', responderPath, source], { stdio: 'inherit' });
  if (run.error) throw new Error(`cannot run ${cc}: ${run.error.message}`);
  if (run.status !== 0) throw new Error(`${cc} failed to build ${source}`);
  return responderPath;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  console.log(buildResponder());
}
