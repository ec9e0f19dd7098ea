// After the last test: the run fails if it left anything behind (tests/helpers/leftovers.mjs).
import { afterRun } from "./leftovers.mjs";

export default function globalTeardown() {
  const left = afterRun(globalThis.solo5BeforeRun);
  if (left.length > 0) throw new Error(`the test run left behind:\n  ${left.join("\n  ")}`);
}
