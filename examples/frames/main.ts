// frames: two unikernels talking in raw Ethernet frames, no IP. Frames of EtherType
// 0x88b5 (IEEE's for local experiments) carry text.
//
//   frames listen       waits for one such frame, prints it, answers its sender, exits 0
//   frames send TEXT    broadcasts TEXT every 100 ms until someone answers: exits 0, or
//                       1 after 5 s without an answer
//
// The sender repeats itself because a frame sent before the listener is on the segment
// (a hub: port not yet attached, a TAP not yet up) is lost, as on a real wire.
import { cmdline, monotonic, Net, NSEC_PER_MSEC, NSEC_PER_SEC, println, waitFor } from "../../assembly";
import { emitEthernet, ETHERNET_HEADER_LEN, ethDst, ethSrc, ethType, formatMac, loadMac, MAC_BROADCAST } from "../../assembly/tcpip/wire";

const ETHERTYPE_EXPERIMENT: u32 = 0x88b5;
const RESEND_EVERY: u64 = 100 * NSEC_PER_MSEC;
const GIVE_UP_AFTER: u64 = 5 * NSEC_PER_SEC;

/** Writes a frame of `text` to `to` into `frame`: its length. */
function textFrame(frame: Uint8Array, to: u64, from: u64, text: string): i32 {
  const bytes = Uint8Array.wrap(String.UTF8.encode(text));
  const n = min(bytes.length, frame.length - <i32>ETHERNET_HEADER_LEN);
  emitEthernet(frame.dataStart, to, from, ETHERTYPE_EXPERIMENT);
  memory.copy(frame.dataStart + ETHERNET_HEADER_LEN, bytes.dataStart, n);
  return <i32>ETHERNET_HEADER_LEN + n;
}

/** The next frame of ours addressed to `self` (or broadcast) before `deadline`: its length, or 0. */
function receive(net: Net, frame: Uint8Array, self: u64, deadline: u64): i32 {
  while (monotonic() < deadline) {
    if (!net.readyIn(waitFor([net], deadline))) continue;
    const n = net.read(frame);
    if (n < <i32>ETHERNET_HEADER_LEN || ethType(frame.dataStart) != ETHERTYPE_EXPERIMENT) continue;
    const to = ethDst(frame.dataStart);
    if (to == self || to == MAC_BROADCAST) return n;
  }
  return 0;
}

/** The text a frame of `n` bytes carries. */
const textOf = (frame: Uint8Array, n: i32): string =>
  String.UTF8.decodeUnsafe(frame.dataStart + ETHERNET_HEADER_LEN, n - <i32>ETHERNET_HEADER_LEN);

export function solo5_app_main(_si: usize): i32 {
  const net = Net.acquire("service0");
  if (net === null) {
    println("frames: no NET_BASIC device service0 in the manifest");
    return 1;
  }
  const self = loadMac(net.mac.dataStart);
  const frame = net.frameBuffer();
  const line = cmdline();
  if (line == "listen") {
    const n = receive(net, frame, self, u64.MAX_VALUE);
    const from = ethSrc(frame.dataStart);
    println("frames: '" + textOf(frame, n) + "' from " + formatMac(from));
    net.write(frame, textFrame(frame, from, self, "ack"));
    return 0;
  }
  if (!line.startsWith("send ")) {
    println("usage: frames listen | frames send TEXT");
    return 1;
  }
  const text = line.slice(5);
  const end = monotonic() + GIVE_UP_AFTER;
  while (monotonic() < end) {
    net.write(frame, textFrame(frame, MAC_BROADCAST, self, text));
    const n = receive(net, frame, self, min(end, monotonic() + RESEND_EVERY));
    if (n > 0 && ethDst(frame.dataStart) == self) {
      println("frames: '" + textOf(frame, n) + "' from " + formatMac(ethSrc(frame.dataStart)));
      return 0;
    }
  }
  println("frames: no answer in 5 s");
  return 1;
}
