// The DNS stub resolver against a small DNS server in the same guest, over the
// simulated link (tests/guests/tcpip-dhcp-dns-sim): CNAME chains, the cache, errors,
// timeouts, spoofed answers and lost packets, in simulated time.
import { guest } from "../helpers/paths.mjs";
import { runLib } from "../helpers/run.mjs";

const sim = (...args) => runLib(guest("tcpip-dhcp-dns-sim"), { args: ["--solo5:quiet", ...args] });

test("A through a CNAME, cached; NXDOMAIN; a CNAME loop; a timeout after 4 tries; spoofed answers dropped", async () => {
  const r = await sim("dns");
  expect(r.stdout).not.toContain("FAIL ");
  expect(r.stdout).toContain("ok dns: 9 queries");
  expect(r.stdout).toContain("drops client: bad-message=2;");
  expect(r.status).toBe(0);
});

// 30 % loss each way loses half the exchanges, and a query gives up after 4: about one
// query in 15 times out. These seeds' runs (deterministic: simulated time and link) have
// every query answered within its tries; seeds 1 and 8 each have one that is not.
test.each([2, 3, 5])("answered through 30 %% loss both ways (seed %i): retransmission", async (seed) => {
  const r = await sim("dns", "loss=30%", `seed=${seed}`);
  expect(r.stdout).not.toContain("FAIL ");
  expect(r.stdout).toContain("ok dns: ");
  expect(r.status).toBe(0);
});
