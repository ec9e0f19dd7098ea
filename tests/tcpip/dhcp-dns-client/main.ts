// dhcp-dns-client NAME...: takes a lease by DHCP on service0 and prints it, then
// resolves each NAME through the DNS server the lease names and prints its address
// (or the error). Exits 0 when every name resolved, 1 otherwise. The stack takes its
// randomness (TCP keys, DHCP transaction ids, DNS query ids and ports) from the host's
// entropy, so it needs a tender with the entropy call (ABI v1.1).
import { cmdline, puts } from "../../../assembly";
import { DhcpClient, DnsError, dnsErrorName, formatIpv4, NetStack, Resolver } from "../../../assembly/tcpip";

const LEASE_TIMEOUT: u64 = 30_000_000_000;

export function solo5_app_main(_si: usize): i32 {
  const stack = NetStack.open("service0");
  if (stack === null) {
    puts("FAIL no NET_BASIC device service0\n");
    return 1;
  }
  const dhcp = DhcpClient.start(stack)!;
  if (!dhcp.waitBound(LEASE_TIMEOUT)) {
    puts("FAIL no lease within 30 s\n");
    return 1;
  }
  puts("lease " + formatIpv4(dhcp.address) + "/" + dhcp.prefix.toString() + " gateway " + formatIpv4(dhcp.gateway) +
    " dns " + formatIpv4(dhcp.dns) + " server " + formatIpv4(dhcp.server) + " for " + dhcp.leaseTime.toString() + " s\n");
  const resolver = Resolver.start(stack);
  const names = cmdline().split(" ");
  let failed = 0;
  for (let i = 0; i < names.length; i++) {
    if (names[i].length == 0) continue;
    const q = resolver.resolve(names[i]);
    if (q.error == DnsError.None) {
      puts("resolved " + names[i] + " " + formatIpv4(q.address) + " ttl " + q.ttl.toString() + "\n");
    } else {
      puts("unresolved " + names[i] + " " + dnsErrorName(q.error) + "\n");
      failed++;
    }
  }
  return failed == 0 ? 0 : 1;
}
