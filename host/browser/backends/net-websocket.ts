// NET_BASIC over a WebSocket: one binary message per Ethernet frame, each way. The
// other end is usually `solo5-wasm bridge` (host/node/bridge.ts), which puts the
// guest on a hub, a UDP peer or a TAP interface, so a guest in a tab can reach a
// guest in Node or the host's network. The page's RingPort carries frames between
// the socket and the guest's worker.
import type { AttachedDevice } from "../../core/backend.js";
import { formatMac } from "../../core/net/mac.js";
import { openRingDevice } from "../../core/net/ring-backend.js";
import { RingPort, type RingSpec } from "../../core/net/ring-port.js";
import { deviceOption, refuseOption } from "../../core/options.js";
import type { BrowserBackend, NetSettings } from "./browser-backend.js";

/** The page's option: { type: "NET_BASIC", websocket: url, mac? }. */
export interface WebSocketOption {
  websocket: string;
}

/** Bytes queued in the socket past which frames are dropped (and counted), not queued: the ABI's "cannot take it now". */
const MAX_BUFFERED = 1 << 20;

async function attach(name: string, { websocket: url, mac }: WebSocketOption & NetSettings, { wake }: { wake(): void }): Promise<AttachedDevice<RingSpec>> {
  const refuse = (why: string) => refuseOption(deviceOption(name, "NET_BASIC"), `websocket:${url}`, why);
  let ws: WebSocket;
  try {
    ws = new WebSocket(url);
  } catch (e) {
    throw refuse(`not a WebSocket URL: ${(e as Error).message}`);
  }
  ws.binaryType = "arraybuffer";
  await new Promise<void>((resolve, reject) => {
    ws.onopen = () => resolve();
    // The browser tells a page nothing about why a connection failed.
    ws.onclose = () => reject(refuse("cannot connect: is solo5-wasm bridge listening there? (docs/browser.md)"));
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

export const netWebSocket: BrowserBackend<WebSocketOption & NetSettings, RingSpec> = {
  type: "NET_BASIC",
  kind: "ring",
  field: "websocket",
  attach,
  open: openRingDevice,
};
