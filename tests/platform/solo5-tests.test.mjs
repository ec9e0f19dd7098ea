// Solo5's own tests (tests.bats) that make sense on wasm, each run through the CLI
// and through the library API, asserting what tests.bats asserts. The cases live in
// tests/conformance/, shared with the browser suite (tests/browser/conformance.test.mjs).
import { NODE_WAYS } from "../conformance/node-adapter.mjs";
import { SOLO5_CASES } from "../conformance/solo5-cases.mjs";

describe.each(NODE_WAYS)("Solo5 tests via the %s", (_way, runCase) => {
  test.each(SOLO5_CASES)("$name", async (c) => c.check(await runCase(c)));
});
