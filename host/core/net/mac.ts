// MAC addresses of network devices (--net-mac:NAME=MAC, ABI section 6): what a user
// may give, and what a device gets otherwise. Every host uses these, so a MAC is
// refused, or made up, the same way everywhere.
import { TenderError } from "../errors.js";

/** Parses "02:00:00:00:00:01" (hex, colon-separated); refuses what no NIC could have. */
export function parseMac(option: string, text: string): Uint8Array {
  if (!/^[0-9a-fA-F]{2}(:[0-9a-fA-F]{2}){5}$/.test(text)) {
    throw new TenderError(`${option}=${text}: a MAC is six hex bytes separated by colons, e.g. 02:00:00:00:00:01`);
  }
  const mac = Uint8Array.from(text.split(":"), (b) => parseInt(b, 16));
  if (mac[0]! & 1) {
    throw new TenderError(`${option}=${text}: that is a multicast address (lowest bit of the first byte set): a device needs a unicast MAC, e.g. 02:...`);
  }
  if (mac.every((b) => b === 0)) throw new TenderError(`${option}=${text}: the all-zero MAC is not an address`);
  return mac;
}

/** A random locally administered unicast MAC (first byte x2, x6, xa or xe). */
export function randomMac(): Uint8Array {
  const mac = crypto.getRandomValues(new Uint8Array(6));
  mac[0] = (mac[0]! & 0xfc) | 0x02;
  return mac;
}

export const formatMac = (mac: Uint8Array): string => Array.from(mac, (b) => b.toString(16).padStart(2, "0")).join(":");
