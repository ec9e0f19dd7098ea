// TCP between two of the libOS's stacks in one guest, over the deterministic simulated
// link (assembly/tcpip/sim/link.ts, as smoltcp's netsim): transfers that complete
// byte-exact under loss, reordering and duplication, with SACK and with NewReno only;
// zero windows, and windows too small to use; every way of closing, TIME-WAIT and its reuse; refusals, a SYN flood,
// hundreds of connections at once and thousands in a row with no heap growth; peers
// that vanish; malformed segments. Each scenario prints one "ok ..." or "FAIL ..." line
// (tests/guests/tcpip-sim/main.ts says what each does).
import { guest } from "../helpers/paths.mjs";
import { runLib } from "../helpers/run.mjs";

const sim = (...args) => runLib(guest("tcpip-sim"), { mem: 256, args: ["--solo5:quiet", ...args] });

async function expectOk(args, pattern = /^ok /m) {
  const r = await sim(...args);
  expect({ status: r.status, result: r.stdout.split("\n")[0] }).toEqual({ status: 0, result: expect.stringMatching(pattern) });
  return r.stdout;
}

describe("TCP over the simulated link", () => {
  test.each([
    ["no loss", ["echo", "1000000"]],
    ["5 % loss", ["echo", "1000000", "loss=5"]],
    ["30 % loss", ["echo", "1000000", "loss=30"]],
    ["5 % loss without SACK (NewReno)", ["echo", "1000000", "loss=5", "nosack"]],
    ["30 % loss without SACK", ["echo", "300000", "loss=30", "nosack"]],
    ["reordering and duplication", ["echo", "1000000", "reorder=10", "dup=5"]],
    ["loss, reordering, duplication and jitter at once", ["echo", "2000000", "loss=3", "reorder=5", "dup=3", "seed=7"]],
    ["a bottleneck with a tail-dropping queue", ["echo", "4000000", "rate=2000000"]],
  ])("an echo of pattern bytes comes back byte-exact: %s", async (_name, args) => {
    await expectOk(args, /^ok echo \d+ bytes in \d+ ms$/m);
  });

  test("SACK recovers from 5 % loss faster than NewReno alone", async () => {
    const time = async (...extra) => Number(/in (\d+) ms/.exec(await expectOk(["echo", "2000000", "loss=5", "seed=3", ...extra]))[1]);
    expect(await time()).toBeLessThan(await time("nosack"));
  });

  test("under 5 % loss, fast recovery, not the retransmission timeout, repairs nearly every loss (tail loss probes, lost resends seen)", async () => {
    const out = await expectOk(["echo", "5000000", "loss=5"]);
    const sum = (field) => [...out.matchAll(new RegExp(`${field}=(\\d+)`, "g"))].reduce((a, m) => a + Number(m[1]), 0);
    expect(sum("timeouts") * 20).toBeLessThan(sum("retransmitted"));
  });

  test("a reader slower than the link: the window shuts and reopens until every byte is read", async () => {
    await expectOk(["slow-reader", "1000000"]);
  });

  test("a reader that stops with under a segment of window left: the sender fills it, probes it shut, and resumes at once", async () => {
    await expectOk(["stalled-reader", "1000000", "10"]);
  });

  test("orderly closes, client first, server first and both at once, end in TIME-WAIT on the closer's side, then nothing; FIN-WAIT-2 sends nothing", async () => {
    await expectOk(["close"], /^ok close .* 0 sockets left\)$/m);
  });

  test("both ends opening at once meet in SYN-RECEIVED and exchange data (simultaneous open)", async () => {
    await expectOk(["simultaneous-open"]);
  });

  test("RFC 5961: a blind RST in the window and a SYN each get one challenge ACK and the connection lives; an RST at rcvNxt resets it", async () => {
    await expectOk(["blind-attacks"]);
  });

  test("1 MiB buffers over a 40 ms round trip: window scaling keeps far more than 64 KiB in flight", async () => {
    await expectOk(["big-window", "20000000", "delay=20"]);
  });

  test("a SYN to a closed port is refused with RST", async () => {
    await expectOk(["refused"]);
  });

  test("a new SYN for a 4-tuple in TIME-WAIT opens a new connection at once (RFC 6191)", async () => {
    await expectOk(["reuse"]);
  });

  test("after a flood of 10000 spoofed SYNs, half-open state stays bounded and a real client is served", async () => {
    const out = await expectOk(["syn-flood", "10000"], /^ok syn-flood 10000 SYNs, at most 256 half-open, client served in \d+ ms, heap \+0 bytes$/m);
    expect(Number(/served in (\d+) ms/.exec(out)[1])).toBeLessThan(1000);
  });

  test("500 connections at once, then 5000 in a row, leave the heap as it was", async () => {
    await expectOk(["many", "500", "5000"]);
  });

  test("when the peer stops answering, retransmissions give up with a timeout", async () => {
    await expectOk(["give-up"]);
  });

  test("keep-alive finds out a peer that vanished", async () => {
    await expectOk(["keepalive"]);
  });

  test("10000 mangled segments are dropped and counted, and the server still serves", async () => {
    await expectOk(["garbage", "10000"]);
  });
});
