// The browser host's devices: every backend a page can attach, in one list. The
// field a page's device option has chooses the backend ({ type: "NET_BASIC", hub:
// "lan" }); attach() runs in the page, open() in the guest's Web Worker.
import { SECTOR_SIZE_DEFAULT, type DeviceType } from "../../core/abi.js";
import { opener, type AttachContext, type AttachedDevice, type DeviceSpec } from "../../core/backend.js";
import { checkSectorSize } from "../../core/checks.js";
import { TenderError } from "../../core/errors.js";
import { parseMac, randomMac } from "../../core/net/mac.js";
import { blockMemory, type MemoryOption } from "./block-memory.js";
import { blockOpfs, type OpfsOption } from "./block-opfs.js";
import type { BrowserBackend } from "./browser-backend.js";
import { netHub, type HubOption } from "./net-hub.js";
import { netWebSocket, type WebSocketOption } from "./net-websocket.js";

type Block<O> = { type: "BLOCK_BASIC"; sectorSize?: number } & O;
type Net<O> = { type: "NET_BASIC"; mac?: string } & O;

/** How a page attaches a device, by the name the guest's manifest gives it. */
export type DeviceOption =
  /** In memory: the guest's disk is this buffer (see block-memory.ts). */
  | Block<MemoryOption>
  /** A file in the Origin Private File System; `size` (bytes) creates it if missing. */
  | Block<OpfsOption>
  /** An Ethernet switch in this page: guests on the same hub name share a segment. MAC default: random. */
  | Net<HubOption>
  /** A WebSocket carrying a frame per message, e.g. to `solo5-wasm bridge`. */
  | Net<WebSocketOption>;

const BACKENDS: readonly BrowserBackend<object, DeviceSpec>[] = [blockMemory, blockOpfs, netHub, netWebSocket];

/** Every device of a type gets these settings, whichever backend it is attached to. */
function settings(name: string, option: DeviceOption): object {
  return option.type === "NET_BASIC"
    ? { mac: option.mac === undefined ? randomMac() : parseMac(name, option.mac) }
    : (checkSectorSize(name, option.sectorSize ?? SECTOR_SIZE_DEFAULT), { sectorSize: option.sectorSize ?? SECTOR_SIZE_DEFAULT });
}

/** Attaches device `name` in the page; its type was checked (prepareStart). */
export async function attachDevice(name: string, option: DeviceOption, ctx: AttachContext): Promise<AttachedDevice> {
  const backends = BACKENDS.filter((b) => b.type === option.type);
  const backend = backends.find((b) => b.field in option);
  if (!backend) throw new TenderError(`devices.${name}: a ${option.type} device needs one of ${fields(option.type)}`);
  return backend.attach(name, { ...option, ...settings(name, option) }, ctx);
}

const fields = (type: DeviceType) =>
  BACKENDS.filter((b) => b.type === type)
    .map((b) => b.field)
    .join(", ");

/** Opens a device in the guest's Web Worker. */
export const openDevice = opener(BACKENDS);
