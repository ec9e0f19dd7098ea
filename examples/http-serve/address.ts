// The network part of http-serve's and http-get's command lines:
// `ADDRESS[/PREFIX] [GATEWAY] [DNS]` or `dhcp`.
import { parseIpv4 } from "../../assembly/tcpip";

export class AddressArgs {
  dhcp: bool = false;
  address: u32 = 0;
  prefix: u32 = 24;
  gateway: u32 = 0;
  dns: u32 = 0;
  /** What was wrong with the words, or "" when they parsed. */
  error: string = "";
}

/** Parses `words` (empty: `fallback`, e.g. "10.0.0.2/24"); up to `most` addresses after ADDRESS/PREFIX. */
export function parseAddressArgs(words: string[], fallback: string, most: i32): AddressArgs {
  const a = new AddressArgs();
  if (words.length == 1 && words[0] == "dhcp") {
    a.dhcp = true;
    return a;
  }
  if (words.length == 0) words = [fallback];
  if (words.length > 1 + most) {
    a.error = "too many addresses";
    return a;
  }
  const first = words[0];
  const slash = first.indexOf("/");
  const ip = parseIpv4(slash < 0 ? first : first.slice(0, slash));
  const prefixText = slash < 0 ? "24" : first.slice(slash + 1);
  const prefix = I32.parseInt(prefixText, 10);
  if (ip < 0 || prefixText.length < 1 || prefixText.length > 2 || !(prefix >= 1 && prefix <= 32)) {
    a.error = "not ADDRESS/PREFIX: '" + first + "'";
    return a;
  }
  a.address = <u32>ip;
  a.prefix = <u32>prefix;
  for (let i = 1; i < words.length; i++) {
    const other = parseIpv4(words[i]);
    if (other < 0) {
      a.error = "not an IPv4 address: '" + words[i] + "'";
      return a;
    }
    if (i == 1) a.gateway = <u32>other;
    else a.dns = <u32>other;
  }
  return a;
}
