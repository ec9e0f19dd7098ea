// Any page on this machine may talk to `solo5-wasm bridge`: what it sends must not
// end the bridge. A message over the size limit, a frame longer than the MTU or
// shorter than an Ethernet header, text, and garbage after the handshake each cost
// that client alone (or nothing), and frames between well-behaved clients still flow.
import net from "node:net";
import { WebSocket } from "ws";
import { startBridge } from "../../dist/node/bridge.js";

const ORIGIN = "http://127.0.0.1:8080";

/** A client of the bridge, with the binary messages it receives. */
async function client(port) {
  const ws = new WebSocket(`ws://127.0.0.1:${port}/`, { origin: ORIGIN });
  ws.on("error", () => {}); // the bridge may close a misbehaving client
  const received = [];
  ws.on("message", (data, isBinary) => isBinary && received.push(Buffer.from(data)));
  await new Promise((resolve, reject) => ws.once("open", resolve).once("error", reject));
  return { ws, received };
}

/** A broadcast Ethernet frame from a locally administered MAC, tagged with `n`. */
const broadcast = (n) => Buffer.concat([Buffer.from("ffffffffffff02000000000a0800", "hex"), Buffer.alloc(46, n)]);

async function until(check, ms = 2000) {
  for (const end = Date.now() + ms; !check(); ) {
    if (Date.now() > end) throw new Error("timed out");
    await new Promise((r) => setTimeout(r, 10));
  }
}

test("bad messages from a page cost the bridge nothing; frames still flow", async () => {
  const bridge = await startBridge({ port: 0 });
  try {
    const a = await client(bridge.port);
    const b = await client(bridge.port);
    a.ws.send(broadcast(1));
    await until(() => b.received.length === 1);

    for (const bad of [Buffer.alloc(9000), Buffer.alloc(3), Buffer.alloc(0)]) a.ws.send(bad);
    a.ws.send("a text message");
    a.ws.send(broadcast(2));
    await until(() => b.received.length === 2);
    expect(b.received.map((f) => f.length)).toEqual([60, 60]);
    expect(b.received[1][14]).toBe(2);

    // Over the 64 KiB message limit: the bridge drops this client, not itself.
    const c = await client(bridge.port);
    const closed = new Promise((resolve) => c.ws.once("close", resolve));
    c.ws.send(Buffer.alloc(100 * 1024));
    await closed;

    // Garbage where WebSocket frames should follow the handshake.
    const raw = net.connect(bridge.port, "127.0.0.1");
    raw.on("error", () => {});
    raw.write(
      "GET / HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
        `Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\nOrigin: ${ORIGIN}\r\n\r\n`,
    );
    await new Promise((resolve) => raw.once("data", resolve)); // 101 Switching Protocols
    raw.write(Buffer.alloc(64, 0xff));
    await new Promise((resolve) => raw.once("close", resolve));

    a.ws.send(broadcast(3));
    await until(() => b.received.length === 3);
    a.ws.terminate();
    b.ws.terminate();
  } finally {
    await bridge.close();
  }
});
