// Solo5's test_net_mtu: the MTU a device reports is its interface's (9000 on tap102).
import { cmdline, Net, puts } from "../../../assembly";
import { formatMac, loadMac } from "../../../assembly/tcpip/wire";

export function solo5_app_main(_si: usize): i32 {
  puts("\n**** Solo5 standalone test_net_mtu ****\n\n");
  const net = Net.acquire("service0");
  if (net === null) {
    puts("Could not acquire 'service0' network\nFAILURE\n");
    return 1;
  }
  if (cmdline() == "verbose") puts(formatMac(loadMac(net.mac.dataStart), "") + "\n");
  puts("MTU is " + net.mtu.toString() + "\n");
  puts("SUCCESS\n");
  return 0;
}
