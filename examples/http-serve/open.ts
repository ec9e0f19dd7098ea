// Opening the stack on a Solo5 device for http-serve and http-get. NetStack.open() keys
// TCP from the host's entropy (ABI v1.1), which this tender does not provide yet (a
// guest importing solo5.entropy is refused): until it does, the keys come from
// Math.random, seeded from the clocks: fine for tests and benchmarks, not for a
// network with attackers on it.
import { Net } from "../../assembly";
import { NetStack, Solo5Device } from "../../assembly/tcpip";

export function openStack(name: string): NetStack | null {
  const net = Net.acquire(name);
  if (net === null) return null;
  const keys = new StaticArray<u64>(4);
  for (let i = 0; i < 4; i++) keys[i] = (<u64>(Math.random() * 4294967296.0) << 32) | <u64>(Math.random() * 4294967296.0);
  return new NetStack(new Solo5Device(net), keys);
}
