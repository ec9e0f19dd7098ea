// A udp: peer that vanishes mid-stream (SIGKILL) and comes back on the same port:
// the tender on this side carries on (the ICMP port unreachable answers are errors
// on its connected socket, which must not end the process), sleeps while the peer is
// gone, and the stream resumes. net-pinger resends what is unanswered every second
// and gives up after ten silent ones; it learnt the peer's MAC once, so the peer
// comes back with the same one.
import { example, guest } from "../helpers/paths.mjs";
import { cpuOver, freeUdpPorts, startGuest } from "../net/net-helpers.mjs";

test("a udp: peer killed mid-stream and started again: the other side goes on and finishes", async () => {
  const [a, b] = await freeUdpPorts(2);
  const serve = () =>
    startGuest("cli", example("ping-serve"), { args: ["--solo5:quiet"], devices: { service0: { spec: `udp:local=127.0.0.1:${a},remote=127.0.0.1:${b}`, mac: "02:00:00:00:00:02" } } });
  let server = await serve();
  const pinger = await startGuest("cli", guest("net-pinger"), {
    args: ["--solo5:quiet", "10.0.0.3/24", "10.0.0.2", "3000", "1"],
    devices: { service0: { spec: `udp:local=127.0.0.1:${b},remote=127.0.0.1:${a}` } },
  });
  try {
    await server.waitFor("Serving ping");
    await new Promise((r) => setTimeout(r, 300)); // the stream is under way
    process.kill(server.pid, "SIGKILL");
    await server.exited;
    // Its datagrams now draw ICMP port unreachable; it waits a second between resends.
    expect(await cpuOver(pinger, 1500)).toBeLessThan(0.3);
    server = await serve();
    const r = await pinger.exited;
    expect(r.stderr).toBe("");
    expect(r.stdout).toContain("SUCCESS");
    expect(r.status).toBe(0);
  } finally {
    await pinger.stop();
    await server.stop();
  }
}, 60000);
