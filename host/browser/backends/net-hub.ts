// { type: "NET_BASIC", hub: NAME }: a port on an Ethernet switch of this page
// (core/net/hub.ts), shared by every guest the page starts on the same hub name.
import * as hub from "../../core/net/hub.js";
import { openRingDevice } from "../../core/net/ring-backend.js";
import type { RingSpec } from "../../core/net/ring-port.js";
import { OptionRefusal, deviceOption } from "../../core/options.js";
import type { BrowserBackend, NetSettings } from "./browser-backend.js";

export interface HubOption {
  hub: string;
}

export const netHub: BrowserBackend<HubOption & NetSettings, RingSpec> = {
  type: "NET_BASIC",
  kind: "ring",
  field: "hub",
  attach(name, { hub: hubName, mac }, { wake }) {
    if (hubName === "") {
      const key = deviceOption(name, "NET_BASIC");
      throw new OptionRefusal(key, (w) => `${w.name(key)}: name the hub, e.g. { hub: "lan" } (guests on the same name share it)`);
    }
    return hub.attach(name, hubName, mac, wake);
  },
  open: openRingDevice,
};
