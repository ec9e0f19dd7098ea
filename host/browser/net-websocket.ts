// NET_BASIC over a WebSocket: one binary message per Ethernet frame, each way. The
// other end is usually `solo5-wasm bridge` (host/node/bridge.ts), which puts the
// guest on a hub, a UDP peer or a TAP interface, so a guest in a tab can reach a
// guest in Node or the host's network. The page's RingPort carries frames between
// the socket and the guest's worker.
import { TenderError } from "../core/errors.js";
import { formatMac } from "../core/net/mac.js";
import { RingPort } from "../core/net/ring-port.js";
import type { AttachedDevice } from "./devices.js";

/** Bytes queued in the socket past which frames are dropped (and counted), not queued: the ABI's "cannot take it now". */
const MAX_BUFFERED = 1 << 20;

export async function attach(name: string, url: string, mac: Uint8Array, wake: () => void): Promise<AttachedDevice> {
  const what = `devices.${name} (websocket:${url})`;
  let ws: WebSocket;
  try {
    ws = new WebSocket(url);
  } catch (e) {
    throw new TenderError(`${what}: not a WebSocket URL: ${(e as Error).message}`);
  }
  ws.binaryType = "arraybuffer";
  await new Promise<void>((resolve, reject) => {
    ws.onopen = () => resolve();
    // The browser tells a page nothing about why a connection failed.
    ws.onclose = () => reject(new TenderError(`${what}: cannot connect: is solo5-wasm bridge listening there? (docs/browser.md)`));
  });
  const port = new RingPort(name, mac, `websocket:${url} mac ${formatMac(mac)}`, wake, (frame) => {
    if (ws.readyState === WebSocket.OPEN && ws.bufferedAmount < MAX_BUFFERED) ws.send(frame.slice());
    else port.lost();
  });
  ws.onmessage = (e: MessageEvent<ArrayBuffer | string>) => {
    if (typeof e.data === "string") port.lost(); // not a frame
    else port.deliver(new Uint8Array(e.data));
  };
  ws.onclose = null;
  return {
    spec: port.spec,
    close() {
      port.close();
      ws.close();
    },
  };
}
