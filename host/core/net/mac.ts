// MAC addresses of network devices (--net-mac:NAME=MAC, ABI section 6): what a user
// may give, and what a device gets otherwise. Every host uses these, so a MAC is
// refused, or made up, the same way everywhere.
import { deviceOption, refuseOption } from "../options.js";

/** Parses net device `name`'s MAC, "02:00:00:00:00:01" (hex, colon-separated); refuses what no NIC could have. */
export function parseMac(name: string, text: string): Uint8Array {
  const refuse = (why: string) => refuseOption(deviceOption(name, "NET_BASIC", "mac"), text, why);
  if (!/^[0-9a-fA-F]{2}(:[0-9a-fA-F]{2}){5}$/.test(text)) throw refuse("a MAC is six hex bytes separated by colons, e.g. 02:00:00:00:00:01");
  const mac = Uint8Array.from(text.split(":"), (b) => parseInt(b, 16));
  if (mac[0]! & 1) throw refuse("that is a multicast address (lowest bit of the first byte set): a device needs a unicast MAC, e.g. 02:...");
  if (mac.every((b) => b === 0)) throw refuse("the all-zero MAC is not an address");
  return mac;
}

/** A random locally administered unicast MAC (first byte x2, x6, xa or xe). */
export function randomMac(): Uint8Array {
  const mac = crypto.getRandomValues(new Uint8Array(6));
  mac[0] = (mac[0]! & 0xfc) | 0x02;
  return mac;
}

export const formatMac = (mac: Uint8Array): string => Array.from(mac, (b) => b.toString(16).padStart(2, "0")).join(":");
