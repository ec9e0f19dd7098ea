// What a backend of the browser host declares besides the core's halves: the field
// of a page's device option that chooses it ({ type: "NET_BASIC", hub: "lan" }).
import type { BackendModule, DeviceSpec } from "../../core/backend.js";

export interface BrowserBackend<O extends object, S extends DeviceSpec> extends BackendModule<O, S> {
  /** A device option with this field is attached to this backend. */
  readonly field: string;
}

/** What every net backend gets besides its own option. */
export interface NetSettings {
  mac: Uint8Array;
}

/** What every block backend gets besides its own option. */
export interface BlockSettings {
  sectorSize: number;
}
