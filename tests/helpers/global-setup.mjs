// Before any test starts: every test guest built, in a process of its own. asc marks
// the global object it first runs in (ASC_TARGET and its portable helpers); run here,
// in jest's own process, those marks are copied into each test file's globals, and the
// in-process builds that tests make (asc loaded afresh per file) then skip the helpers
// they need ("String.fromCharCodes is not a function").
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { beforeRun } from "./leftovers.mjs";

export default function globalSetup() {
  globalThis.solo5BeforeRun = beforeRun();
  const script = fileURLToPath(new URL("./build-guests.mjs", import.meta.url));
  const { status, signal } = spawnSync(process.execPath, [script], { stdio: "inherit" });
  if (status !== 0) throw new Error(`building the test guests failed (${signal ?? `status ${status}`}): see above`);
}
