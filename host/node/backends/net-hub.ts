// hub:NAME: a port on an Ethernet switch of this process (core/net/hub.ts), shared
// by every guest the library starts here with a device on the same hub name.
import { deviceOption, refuseOption } from "../../core/options.js";
import * as hub from "../../core/net/hub.js";
import { openRingDevice } from "../../core/net/ring-backend.js";
import type { RingSpec } from "../../core/net/ring-port.js";
import type { NetChoice } from "./device-type.js";

export const netHub: NetChoice<{ hub: string }, RingSpec> = {
  type: "NET_BASIC",
  kind: "ring",
  prefix: "hub",
  syntax: "hub:NAME",
  usage: "a switch shared by the guests of one process",
  parse(name, text) {
    if (text === "") throw refuseOption(deviceOption(name, "NET_BASIC"), "hub:", "name the hub, e.g. hub:lan (guests on the same name share it)");
    return { hub: text };
  },
  attach: (name, { hub: hubName, mac }, { wake }) => hub.attach(name, hubName, mac, wake),
  open: openRingDevice,
};
