// http-serve: the HTTP/1.1 unikernel that benchmarks and outside tests use; its
// contract is in docs/http.md.
//
//   http-serve [ADDRESS/PREFIX [GATEWAY] | dhcp] [stats]      (default 10.0.0.2/24)
//
// `stats` prints the heap's statistics every second (stats.ts), for tests.
// `dhcp` takes address, prefix and gateway from a DHCP server first (open.ts).
// TCP 80: HTTP (site.ts); TCP 7 and UDP 7: echo (echo.ts); ARP, ICMP echo, RSTs for
// other TCP ports and ICMP port unreachable for other UDP ports: the stack itself.
import { cmdline, monotonic, puts } from "../../assembly";
import { HttpServer } from "../../assembly/http";
import { formatIpv4, formatMac, TcpSocketOptions } from "../../assembly/tcpip";
import { parseAddressArgs } from "./address";
import { openStack } from "./open";
import { TcpEcho, UdpEcho } from "./echo";
import { Site } from "./site";
import { HeapStats } from "./stats";

const USAGE = "Usage: http-serve [ADDRESS/PREFIX [GATEWAY] | dhcp] [stats]\n";

export function solo5_app_main(_si: usize): i32 {
  const words = cmdline().split(" ").filter((w: string) => w.length > 0);
  const stats = words.length > 0 && words[words.length - 1] == "stats";
  if (stats) words.pop();
  const args = parseAddressArgs(words, "10.0.0.2/24", 1);
  if (args.error.length > 0) {
    puts("http-serve: " + args.error + "\n" + USAGE);
    return 1;
  }
  const stack = openStack("service0", args);
  if (stack === null) {
    puts(args.dhcp ? "http-serve: no DHCP lease in 30 s\n" : "http-serve: could not acquire the 'service0' network\n");
    return 1;
  }
  const options = new TcpSocketOptions();
  stack.addService(new HttpServer<Site>(stack.tcp.listen(80, 1024, options)!));
  stack.addService(new TcpEcho(stack.tcp.listen(7, 128, options)!));
  stack.addService(new UdpEcho(stack.udp.bind(7)!));
  if (stats) stack.addService(new HeapStats());
  puts("[service0] Serving HTTP on " + formatIpv4(args.address) + "/" + args.prefix.toString() +
    (args.gateway != 0 ? " via " + formatIpv4(args.gateway) : "") + ", with MAC: " + formatMac(stack.device.mac) + "\n");
  for (;;) {
    stack.poll(monotonic());
    stack.wait();
  }
  return 0;
}
