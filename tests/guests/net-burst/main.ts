// Writes COUNT broadcast frames on service0, each carrying its number, and exits at
// once: the frames a guest wrote before it ended must still reach the wire.
//
//   net-burst COUNT
import { cmdline, Net, puts, SOLO5_R_OK } from "../../../assembly";

export function solo5_app_main(_si: usize): i32 {
  const net = Net.acquire("service0");
  if (net === null) {
    puts("net-burst: no service0 in the manifest\n");
    return 1;
  }
  const count = I32.parseInt(cmdline());
  const frame = new Uint8Array(64);
  frame.fill(0xff, 0, 6); // broadcast: a hub floods it to every other port
  memory.copy(frame.dataStart + 6, net.mac.dataStart, 6);
  frame[12] = 0x88;
  frame[13] = 0xb5; // the local experimental EtherType
  for (let seq = 0; seq < count; seq++) {
    store<u32>(frame.dataStart + 14, bswap<u32>(<u32>seq));
    if (net.write(frame) != SOLO5_R_OK) return 2;
  }
  return 0;
}
