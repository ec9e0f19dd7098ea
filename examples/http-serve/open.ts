// Opening the stack on a Solo5 device for http-serve and http-get. NetStack.open() keys
// TCP from the host's entropy (ABI v1.1), as DHCP and DNS draw their ids from it; this
// tender does not provide entropy yet (a guest importing solo5.entropy is refused), so
// until it does, keys and ids come from Math.random, seeded from the clocks: fine for
// tests and benchmarks, not for a network with attackers on it.
import { Net, NSEC_PER_SEC } from "../../assembly";
import { DhcpClient, NetStack, Solo5Device } from "../../assembly/tcpip";
import { AddressArgs } from "./address";

export function clockSeededRandom(): u32 {
  return <u32>(Math.random() * 4294967296.0);
}

/** The stack on device `name`, configured as `args` say (DHCP: bound first, at most
 * 30 s); null when there is no such device or no lease came. */
export function openStack(name: string, args: AddressArgs): NetStack | null {
  const net = Net.acquire(name);
  if (net === null) return null;
  const keys = new StaticArray<u64>(4);
  for (let i = 0; i < 4; i++) keys[i] = (<u64>clockSeededRandom() << 32) | <u64>clockSeededRandom();
  const stack = new NetStack(new Solo5Device(net), keys);
  if (!args.dhcp) {
    stack.configure(args.address, args.prefix, args.gateway, args.dns);
    return stack;
  }
  const dhcp = DhcpClient.start(stack, clockSeededRandom);
  if (dhcp === null || !dhcp.waitBound(30 * NSEC_PER_SEC)) return null;
  args.address = dhcp.address;
  args.prefix = dhcp.prefix;
  args.gateway = dhcp.gateway;
  args.dns = dhcp.dns;
  return stack;
}
