// The DHCP and DNS wire formats, in a guest (tests/guests/tcpip-dhcp-dns-wire): dnsmasq's
// own messages parsed and emitted byte for byte, malformed messages refused, random
// mutations answered without a trap or a hang.
import { guest } from "../helpers/paths.mjs";
import { runLib } from "../helpers/run.mjs";

test("DHCP and DNS messages: known bytes both ways, malformed ones dropped, mutations survived", async () => {
  const r = await runLib(guest("tcpip-dhcp-dns-wire"), { args: ["--solo5:quiet"] });
  expect(r.stdout).not.toContain("FAIL ");
  expect(r.stdout).toContain("SUCCESS");
  expect(r.status).toBe(0);
});
