// Opening the stack on a Solo5 device for http-serve and http-get: keyed from the
// host's entropy (ABI v1.1), configured as the command line says, or by DHCP.
import { NSEC_PER_SEC } from "../../assembly";
import { DhcpClient, NetStack } from "../../assembly/tcpip";
import { AddressArgs } from "./address";

/** The stack on device `name`, configured as `args` say (DHCP: bound first, at most
 * 30 s); null when there is no such device or no lease came. */
export function openStack(name: string, args: AddressArgs): NetStack | null {
  const stack = NetStack.open(name);
  if (stack === null) return null;
  if (!args.dhcp) {
    stack.configure(args.address, args.prefix, args.gateway, args.dns);
    return stack;
  }
  const dhcp = DhcpClient.start(stack);
  if (dhcp === null || !dhcp.waitBound(30 * NSEC_PER_SEC)) return null;
  args.address = dhcp.address;
  args.prefix = dhcp.prefix;
  args.gateway = dhcp.gateway;
  args.dns = dhcp.dns;
  return stack;
}
