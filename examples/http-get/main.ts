// http-get: fetches a URL over the libOS stack and prints the status and the body's
// SHA-256; exits 0 on a 2xx answer.
//
//   http-get URL [ADDRESS/PREFIX [GATEWAY] [DNS] | dhcp]       (default 10.0.0.1/24)
//
// URL is http://HOST[:PORT][/PATH]; HOST an IPv4 address (names need the DNS resolver).
import { cmdline, monotonic, puts } from "../../assembly";
import { HttpClient } from "../../assembly/http";
import { parseIpv4 } from "../../assembly/tcpip";
import { parseAddressArgs } from "../http-serve/address";
import { openStack } from "../http-serve/open";
import { Fetch } from "./fetch";
import { parseHttpUrl } from "./url";

const USAGE = "Usage: http-get URL [ADDRESS/PREFIX [GATEWAY] [DNS] | dhcp]\n";
const ERRORS = ["", "could not connect", "connection reset", "timed out", "bad response", "response cut short"];

export function solo5_app_main(_si: usize): i32 {
  const words = cmdline().split(" ").filter((w: string) => w.length > 0);
  if (words.length == 0) {
    puts(USAGE);
    return 1;
  }
  const url = parseHttpUrl(words[0]);
  const args = parseAddressArgs(words.slice(1), "10.0.0.1/24", 2);
  if (url === null || args.error.length > 0) {
    puts("http-get: " + (url === null ? "not an http:// URL: '" + words[0] + "'" : args.error) + "\n" + USAGE);
    return 1;
  }
  if (args.dhcp) {
    puts("http-get: DHCP is not available yet: give ADDRESS/PREFIX\n");
    return 1;
  }
  const ip = parseIpv4(url.host);
  if (ip < 0) {
    puts("http-get: '" + url.host + "' is a name, and the DNS resolver is not available yet: give an IPv4 address\n");
    return 1;
  }
  const stack = openStack("service0");
  if (stack === null) {
    puts("http-get: could not acquire the 'service0' network\n");
    return 1;
  }
  stack.configure(args.address, args.prefix, args.gateway, args.dns);
  const fetch = new Fetch();
  const client = new HttpClient(stack.tcp, fetch);
  client.keepAlive = false;
  stack.addService(client);
  const host = url.port == 80 ? url.host : url.host + ":" + url.port.toString();
  if (!client.get(monotonic(), <u32>ip, url.port, host, url.path)) {
    puts("http-get: cannot send that request\n");
    return 1;
  }
  while (!client.done) {
    stack.poll(monotonic());
    stack.wait();
  }
  if (fetch.status == 0) {
    puts("http-get: " + ERRORS[<i32>client.error] + "\n");
    return 1;
  }
  puts("status " + fetch.status.toString() + "\nbytes " + fetch.bytes.toString() + "\nsha256 " + fetch.digest() + "\n");
  if (client.error != 0) puts("http-get: " + ERRORS[<i32>client.error] + "\n");
  return client.error == 0 && fetch.status >= 200 && fetch.status < 300 ? 0 : 1;
}
