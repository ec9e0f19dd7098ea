// NET_BASIC devices of the Node host, as Solo5's hvt_module_net: --net:NAME=SPEC
// attaches one, --net-mac:NAME=MAC sets its MAC. SPEC's prefix chooses the backend
// (tap:IFNAME, udp:..., hub:NAME); a SPEC without one is a TAP interface, as Solo5's.
import { deviceOption, refuseOption, type DeviceSpec } from "../../core/index.js";
import { parseMac, randomMac } from "../../core/net/mac.js";
import { wrapText, type NetChoice, type NodeDeviceType } from "./device-type.js";
import { netHub } from "./net-hub.js";
import { netTap } from "./net-tap.js";
import { netUdp } from "./net-udp.js";

/** As the library takes it: --net:NAME=SPEC and --net-mac:NAME=MAC. */
export type NetOption = { type: "NET_BASIC"; spec: string; mac?: string };

const BACKENDS: readonly NetChoice<object, DeviceSpec>[] = [netTap, netUdp, netHub];
const BARE = BACKENDS.find((b) => b.bare !== undefined)!;

/** The backend SPEC's prefix chooses (none for an unknown prefix), and the rest of SPEC. */
function chosen(spec: string): { prefix: string; rest: string; backend: NetChoice<object, DeviceSpec> | undefined } {
  const colon = spec.indexOf(":");
  const [prefix, rest] = colon < 0 ? [BARE.prefix, spec] : [spec.slice(0, colon), spec.slice(colon + 1)];
  return { prefix, rest, backend: BACKENDS.find((b) => b.prefix === prefix) };
}

/** "a, b or c" */
const oneOf = (forms: string[]) => `${forms.slice(0, -1).join(", ")} or ${forms.at(-1)}`;

export const net: NodeDeviceType<NetOption> = {
  type: "NET_BASIC",
  flags: [
    {
      flag: "--net",
      value: "SPEC",
      field: "spec",
      help: wrapText(`attach network device NAME: ${BACKENDS.map((b) => `${b.syntax}${b.bare ? ` or ${b.bare}` : ""} (${b.usage})`).join(", ")}; see docs/net.md`),
    },
    { flag: "--net-mac", value: "MAC", field: "mac", help: ["set the MAC of NAME (default: random, locally administered)"] },
  ],
  backends: BACKENDS,
  backendOf: ({ spec }) => (typeof spec === "string" ? chosen(spec).backend : undefined),
  async attach(name, { spec, mac }, ctx) {
    const address = mac === undefined ? randomMac() : parseMac(name, mac);
    // A bare word is a TAP interface's name, but one that is a backend's prefix is that
    // backend with its colon forgotten (hub for hub:NAME), not a TAP called hub.
    const meant = spec.includes(":") ? undefined : BACKENDS.find((b) => b.prefix === spec && b !== BARE);
    if (meant) throw refuseOption(deviceOption(name, "NET_BASIC"), spec, `the ${meant.prefix}: backend needs its colon and what follows it: use ${meant.syntax}`);
    const { prefix, rest, backend } = chosen(spec);
    if (!backend) {
      const forms = BACKENDS.map((b) => `${b.syntax}${b.bare ? ` (or a bare ${b.bare})` : ""}`);
      throw refuseOption(deviceOption(name, "NET_BASIC"), spec, `unknown network backend ${prefix}: use ${oneOf(forms)}`);
    }
    return backend.attach(name, { ...backend.parse(name, rest), mac: address }, ctx);
  },
};
