// Record and replay on real TAP devices, each in a namespace of its test's own:
// ping-serve under ping -f, a guest that traps after reading frames (replay
// reproduces the trap and its stack with no network at all), http-serve under curl
// and wrk, and a server killed with SIGKILL while recording.
import fs from "node:fs";
import path from "node:path";
import { example, guest } from "../helpers/paths.mjs";
import { startGuest } from "../net/net-helpers.mjs";
import { netnsSupport, withNetns } from "../net/netns.mjs";
import { pingFlood } from "../net/ping.mjs";
import { curl, patternSha256, run, SERVER, sh, startHttpServe, tapSupport } from "../tcpip/tap-helpers.mjs";
import { lastLine, replayCli, scratchDir } from "./helpers.mjs";

const reason = tapSupport() || (netnsSupport().ok ? "" : netnsSupport().reason);
if (reason) console.warn(`skipping the TAP record tests: ${reason}`);
const describeTap = reason ? describe.skip : describe;

const SERVE = example("ping-serve");
/** ping-serve on tap100 (10.0.0.1/24 on the namespace's side), recording to `log`, once it serves. */
async function recordingPingServe(ns, log) {
  ns.addTap("tap100", { address: "10.0.0.1/24" });
  const g = await startGuest("cli", SERVE, { netns: ns, cliOptions: [`--record=${log}`], devices: { service0: { spec: "tap100" } } });
  await g.waitFor("Serving ping on 10.0.0.2, with MAC: ");
  return g;
}

const STOPPED_MATCH = /^solo5-wasm: replay matched the recorded run up to where it was stopped from outside: \d+ calls \(status 1\)$/;

let dir;
beforeEach(() => (dir = scratchDir()));
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

describeTap("record and replay through TAP", () => {
  test("ping-serve under ping -f: replayed without the network, every reply checked", () =>
    withNetns(async (ns) => {
      const log = path.join(dir, "ping.log");
      const g = await recordingPingServe(ns, log);
      const ping = await pingFlood(ns, "tap100", "10.0.0.2", 20000);
      expect(ping.received).toBe(20000);
      await g.stop();
      const recorded = await g.exited;
      const replayed = await replayCli(log, SERVE);
      expect(replayed.stdout).toBe(recorded.stdout);
      expect(lastLine(replayed.stderr)).toMatch(STOPPED_MATCH);
      expect(replayed.status).toBe(1); // as the recorded run, stopped by SIGTERM
      // 20000 requests read and 20000 replies written (and checked), each a call.
      expect(Number(/(\d+) calls/.exec(replayed.stderr)[1])).toBeGreaterThan(40000);
    }), 120000);

  test("a guest that traps after reading frames: replay gives the same trap and stack", () =>
    withNetns(async (ns) => {
      ns.addTap("tap100", { address: "10.0.0.1/24" });
      const mac = "02:00:00:00:00:2a";
      ns.ip("neigh", "add", "10.0.0.2", "lladdr", mac, "dev", "tap100");
      const log = path.join(dir, "trap.log");
      const g = await startGuest("cli", guest("record-trap"), {
        netns: ns,
        cliOptions: [`--record=${log}`],
        devices: { service0: { spec: "tap100", mac } },
      });
      await g.waitFor("reading frames");
      // Echo requests nobody answers: frames for the guest to read, 50 of them end it.
      const flood = pingFlood(ns, "tap100", "10.0.0.2", 60, 2);
      const recorded = await g.exited;
      await flood;
      expect(recorded.status).toBe(255);
      expect(recorded.stdout).toMatch(/frame 50, sum \d+\n/);
      expect(recorded.stdout).toMatch(/Solo5: trap: memory access out of bounds\nSolo5:   at \S*solo5_app_main \(wasm-function\[\d+\]:0x[0-9a-f]+\)\n/);
      const replayed = await replayCli(log, guest("record-trap"));
      expect(replayed.stdout).toBe(recorded.stdout);
      expect(lastLine(replayed.stderr)).toMatch(/^solo5-wasm: replay matched the recorded run: \d+ calls, and it ended as recorded \(trap: memory access out of bounds \(status 255\)\)$/);
      expect(replayed.status).toBe(255);
    }), 60000);

  test("http-serve under curl and wrk: replayed to the same console, every segment checked", () =>
    withNetns(async (ns) => {
      const log = path.join(dir, "http.log");
      const g = await startHttpServe(ns, { cliOptions: [`--record=${log}`] });
      const url = `http://${SERVER}`;
      expect(await curl(ns, "-o", "/dev/null", "-w", "%{http_code} %{size_download}", `${url}/`)).toBe("200 612");
      const big = await sh(ns, `curl -sS --max-time 60 ${url}/bytes/1000000 | sha256sum`);
      expect(big.stdout.toString().split(" ")[0]).toBe(patternSha256(1000000));
      const wrk = await run(ns, ["wrk", "-t1", "-c8", "-d1s", `${url}/`]);
      expect(wrk.stdout.toString()).toMatch(/\d+ requests in/);
      await g.stop();
      const recorded = await g.exited;
      const replayed = await replayCli(log, example("http-serve"));
      expect(replayed.stdout).toBe(recorded.stdout);
      expect(lastLine(replayed.stderr)).toMatch(STOPPED_MATCH);
    }), 120000);

  test("ping-serve killed with SIGKILL while recording: its log replays up to where it was killed", () =>
    withNetns(async (ns) => {
      const log = path.join(dir, "killed.log");
      const g = await recordingPingServe(ns, log);
      const ping = pingFlood(ns, "tap100", "10.0.0.2", 1000000, 3);
      setTimeout(() => process.kill(g.pid, "SIGKILL"), 1500);
      const recorded = await g.exited;
      await ping;
      const replayed = await replayCli(log, SERVE);
      expect(replayed.stdout).toBe(recorded.stdout);
      expect(Number(/after call (\d+)/.exec(replayed.stderr)[1])).toBeGreaterThan(1000);
      expect(lastLine(replayed.stderr)).toMatch(/^solo5-wasm: the log stops after call \d+.*: the recorded run was killed there or its log cut short$/);
      expect(replayed.status).toBe(1);
    }), 60000);
});
