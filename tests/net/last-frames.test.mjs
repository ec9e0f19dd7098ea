// Frames a guest wrote before it ended are delivered: net_write said OK, so the ring
// between the guest's thread and the one serving its device is drained when the
// device closes, not dropped with whatever the serving side had not yet taken out.
// A guest writes its frames and exits at once (tests/guests/net-burst), on each kind
// of seat (its own worker, a pool's thread) and each ring backend here (hub:, udp:).
import dgram from "node:dgram";
import fs from "node:fs";
import { createGuestPool, loadPooledKernel, start } from "../../dist/node/index.js";
import { attach } from "../../dist/core/net/hub.js";
import { FrameRing } from "../../dist/core/net/ring.js";
import { guest } from "../helpers/paths.mjs";
import { freeUdpPorts, startGuest } from "./net-helpers.mjs";

const BURST = guest("net-burst");
const quiet = { stdout: () => {}, stderr: () => {} };
let hubs = 0;

/** A port of this test's own on a fresh hub, and the numbers of the frames it got so far. */
function listenOnHub() {
  const name = `last-frames-${process.pid}-${hubs++}`;
  const port = attach("test", name, Uint8Array.of(2, 0, 0, 0, 0, 1), () => {});
  const rx = new FrameRing(port.spec.rx);
  const frame = new Uint8Array(1514);
  return {
    spec: `hub:${name}`,
    received() {
      const seqs = [];
      for (let n; (n = rx.pop(frame)) >= 0; ) seqs.push(new DataView(frame.buffer).getUint32(14));
      return seqs;
    },
    close: () => port.close(),
  };
}

const upTo = (n) => Array.from({ length: n }, (_, i) => i);

describe.each([
  ["its own worker", async (kernel, options) => (await start(kernel, options)).exited],
  ["a pool's thread", async (kernel, options) => {
    const pool = createGuestPool();
    try {
      return await pool.run(await loadPooledKernel(kernel), options);
    } finally {
      await pool.close();
    }
  }],
])("hub: a guest on %s", (_seat, run) => {
  const kernel = fs.readFileSync(BURST);

  // One frame right before exit was lost in about one run of three: repeated, so a
  // lost frame cannot pass by luck.
  test("the one frame it wrote just before exiting arrives, every time of twelve", async () => {
    for (let i = 0; i < 12; i++) {
      const hub = listenOnHub();
      try {
        const r = await run(kernel, { mem: 2, args: ["--solo5:quiet", "1"], devices: { service0: { type: "NET_BASIC", spec: hub.spec } }, ...quiet });
        expect(r.status).toBe(0);
        expect(hub.received()).toEqual([0]);
      } finally {
        hub.close();
      }
    }
  });

  test("a burst of 500 frames written before exiting arrives whole and in order", async () => {
    const hub = listenOnHub();
    try {
      const r = await run(kernel, { mem: 2, args: ["--solo5:quiet", "500"], devices: { service0: { type: "NET_BASIC", spec: hub.spec } }, ...quiet });
      expect(r.status).toBe(0);
      expect(hub.received()).toEqual(upTo(500));
    } finally {
      hub.close();
    }
  });
});

test("udp: the frames a CLI guest wrote before exiting reach the peer", async () => {
  const [mine, theirs] = await freeUdpPorts(2);
  const socket = dgram.createSocket("udp4");
  const seqs = [];
  let more;
  socket.on("message", (m) => {
    seqs.push(m.readUInt32BE(14));
    more?.();
  });
  await new Promise((resolve) => socket.bind(mine, "127.0.0.1", resolve));
  try {
    // At most 200: this socket's kernel buffer (rmem_default) holds about 270 small
    // datagrams, and a busy test process may not read them before the burst ends.
    for (const count of [1, 200]) {
      seqs.length = 0;
      const g = await startGuest("cli", BURST, { mem: 2, args: ["--solo5:quiet", String(count)], devices: { service0: { spec: `udp:local=127.0.0.1:${theirs},remote=127.0.0.1:${mine}` } } });
      expect((await g.exited).status).toBe(0);
      // Datagrams on loopback arrive in the order sent; what is not here within a few
      // seconds of the tender's end was never sent.
      await new Promise((resolve) => {
        const timer = setTimeout(resolve, 5000);
        more = () => seqs.length >= count && (clearTimeout(timer), resolve());
        more();
      });
      expect(seqs).toEqual(upTo(count));
    }
  } finally {
    socket.close();
  }
});
