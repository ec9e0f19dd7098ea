// The DHCP client against a small DHCP server in the same guest, over the simulated
// link (tests/guests/tcpip-dhcp-dns-sim): a lease, lost packets, a NAK, renewal,
// rebinding and expiry, all in simulated time.
import { guest } from "../helpers/paths.mjs";
import { runLib } from "../helpers/run.mjs";

const sim = (...args) => runLib(guest("tcpip-dhcp-dns-sim"), { args: ["--solo5:quiet", ...args] });

function expectOk(r, line) {
  expect(r.stdout).not.toContain("FAIL ");
  expect(r.stdout).toContain(line);
  expect(r.status).toBe(0);
}

test("DISCOVER, OFFER, REQUEST, ACK: address, prefix, gateway and DNS server configured", async () => {
  expectOk(await sim("dhcp"), "ok dhcp 10.0.0.100/24 gateway 10.0.0.1 dns 10.0.0.1 lease 3600s");
});

test.each([1, 5, 7])("bound through 40 %% loss both ways (seed %i): retransmission with backoff", async (seed) => {
  expectOk(await sim("dhcp", "loss=40%", `seed=${seed}`), "ok dhcp 10.0.0.100/24");
});

test("a NAK: the client starts over with a new DISCOVER", async () => {
  expectOk(await sim("dhcp-nak"), "ok dhcp-nak: 2 discovers, 2 requests, 1 NAK");
});

test("renewed at T1 by unicast; rebinding by broadcast at T2; deconfigured at expiry; bound again", async () => {
  expectOk(await sim("dhcp-renew"), "ok dhcp-renew: renewed at T1 by unicast");
});

test("the DNS server DHCP gave is the resolver's", async () => {
  expectOk(await sim("dhcp-dns"), "ok dhcp-dns: host.example.test 10.0.0.80");
});
