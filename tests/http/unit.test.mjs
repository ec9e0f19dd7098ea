// The HTTP layer's parts, tested inside a guest (tests/guests/http-unit/main.ts): SHA-256
// against the FIPS 180-4 vectors, the head parser on good and malformed heads and at
// its size limit, the head-end search, the chunked decoder, and 40000 random and
// mutated inputs through all of them (a trap would end the guest with 255).
import { guest } from "../helpers/paths.mjs";
import { runLib } from "../helpers/run.mjs";

test("SHA-256, the head parser and the chunked decoder pass their checks, and no input traps", async () => {
  const r = await runLib(guest("http-unit"), { mem: 64, args: ["--solo5:quiet"] });
  expect({ status: r.status, stdout: r.stdout }).toEqual({ status: 0, stdout: expect.stringMatching(/^ok \d+ checks\n$/) });
});
