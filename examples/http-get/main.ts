// http-get: fetches a URL over the libOS stack and prints the status and the body's
// SHA-256; exits 0 on a 2xx answer.
//
//   http-get URL [ADDRESS/PREFIX [GATEWAY] [DNS] | dhcp]       (default 10.0.0.1/24)
//
// URL is http://HOST[:PORT][/PATH]; a HOST that is a name is resolved through DNS
// (the DNS server given, or the one DHCP gave).
import { cmdline, monotonic, puts } from "../../assembly";
import { HttpClient } from "../../assembly/http";
import { DnsError, dnsErrorName, Resolver } from "../../assembly/tcpip";
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
  const stack = openStack("service0", args);
  if (stack === null) {
    puts(args.dhcp ? "http-get: no DHCP lease in 30 s\n" : "http-get: could not acquire the 'service0' network\n");
    return 1;
  }
  // A name goes to the DNS server given (or DHCP's); a dotted quad is its own answer.
  const q = Resolver.start(stack).resolve(url.host);
  if (q.error != DnsError.None) {
    puts("http-get: cannot resolve '" + url.host + "': " + dnsErrorName(q.error) + "\n");
    return 1;
  }
  const ip = q.address;
  const fetch = new Fetch();
  const client = new HttpClient(stack.tcp, fetch);
  client.keepAlive = false;
  stack.addService(client);
  const host = url.port == 80 ? url.host : url.host + ":" + url.port.toString();
  if (!client.get(monotonic(), ip, url.port, host, url.path)) {
    puts("http-get: cannot send that request\n");
    return 1;
  }
  // Done is checked between poll and wait: a request that failed in this poll (a
  // timeout with the connection never opened) may leave nothing to wake a wait.
  for (;;) {
    stack.poll(monotonic());
    if (client.done) break;
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
