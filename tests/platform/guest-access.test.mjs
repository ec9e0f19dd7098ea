// Hypercall arguments against ABI section 4 (bad pointers, edges inside memory, bad
// handles), through the CLI and the library API. The cases live in
// tests/conformance/, shared with the browser suite (tests/browser/conformance.test.mjs).
import { ACCESS_CASES } from "../conformance/access-cases.mjs";
import { NODE_WAYS } from "../conformance/node-adapter.mjs";

describe.each(NODE_WAYS)("guest access via the %s", (_way, runCase) => {
  test.each(ACCESS_CASES)("$name", async (c) => c.check(await runCase(c)));
});
