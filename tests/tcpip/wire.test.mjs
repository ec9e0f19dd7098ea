// The network stack's parts that need no link, tested inside a guest
// (tests/guests/tcpip-wire): every header against known bytes both ways, malformed
// headers refused with their reason, the checksum against a plain reference, SipHash's
// published vector, and the rings, the reassembler, the connection table and the ARP cache.
import { guest } from "../helpers/paths.mjs";
import { expectSuccess, runLib } from "../helpers/run.mjs";

test("the wire layer and the stack's data structures pass their in-guest tests", async () => {
  expectSuccess(await runLib(guest("tcpip-wire"), { mem: 16, args: ["--solo5:quiet"] }));
});
