// The conformance suite in Chromium: the same cases as the Node suite
// (tests/platform/solo5-tests.test.mjs, guest-access.test.mjs), through the browser
// entry, with the same checks. One suite, two adapters.
import { ACCESS_CASES } from "../conformance/access-cases.mjs";
import { SOLO5_CASES } from "../conformance/solo5-cases.mjs";
import { runInPage } from "./adapter.mjs";
import { browserSession } from "./harness.mjs";

const session = browserSession();

describe("Solo5 tests in the browser", () => {
  test.each(SOLO5_CASES)("$name", async (c) => c.check(await runInPage(session.page, c)));
});

describe("guest access in the browser", () => {
  test.each(ACCESS_CASES)("$name", async (c) => c.check(await runInPage(session.page, c)));
});
