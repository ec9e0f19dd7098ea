// NET_BASIC's rules at their edges, through the raw calls (ABI section 4): acquire
// by name once, frame sizes on write and buffer sizes on read, AGAIN without
// touching read_size, bad handles, and yield as a poll. The command line gives the
// MTU the device must report. Prints each broken rule, then SUCCESS if none.
import {
  cmdline,
  puts,
  SOLO5_R_AGAIN,
  SOLO5_R_EINVAL,
  SOLO5_R_OK,
  solo5_net_acquire,
  solo5_net_read,
  solo5_net_write,
  solo5_yield,
} from "../../../assembly";

let failures = 0;

function expect(what: string, got: i64, want: i64): void {
  if (got == want) return;
  puts("broken: " + what + ": got " + got.toString() + ", want " + want.toString() + "\n");
  failures++;
}

function acquire(name: string, handle: usize, info: usize): i32 {
  return solo5_net_acquire(changetype<usize>(String.UTF8.encode(name, true)), handle, info);
}

export function solo5_app_main(_si: usize): i32 {
  const mtu = <u32>I32.parseInt(cmdline(), 10);
  const handle = memory.data(8);
  const info = memory.data(12);
  const readSize = memory.data(4);
  const set = memory.data(8);

  expect("acquire of an undeclared name", acquire("nosuch", handle, info), SOLO5_R_EINVAL);
  expect("acquire of service0", acquire("service0", handle, info), SOLO5_R_OK);
  const h = <i32>load<u64>(handle);
  expect("the mtu", load<u32>(info, 8), mtu);
  expect("the padding after the MAC", load<u16>(info, 6), 0);
  expect("the MAC's group bit", load<u8>(info) & 1, 0);
  expect("acquire of service0 a second time", acquire("service0", handle, info), SOLO5_R_EINVAL);

  const buf = new Uint8Array(mtu + 64);
  memory.fill(buf.dataStart, 0xff, 6); // broadcast, so no backend minds the frames
  const p = buf.dataStart;
  expect("write of 0 bytes", solo5_net_write(h, p, 0), SOLO5_R_EINVAL);
  expect("write of 13 bytes", solo5_net_write(h, p, 13), SOLO5_R_EINVAL);
  expect("write of 14 bytes", solo5_net_write(h, p, 14), SOLO5_R_OK);
  expect("write of mtu + 14 bytes", solo5_net_write(h, p, mtu + 14), SOLO5_R_OK);
  expect("write of mtu + 15 bytes", solo5_net_write(h, p, mtu + 15), SOLO5_R_EINVAL);

  // Whatever arrived meanwhile (nothing, where the test keeps the wire quiet).
  while (solo5_net_read(h, p, mtu + 14, readSize) == SOLO5_R_OK);
  solo5_yield(0, set);
  expect("ready set of a poll with nothing waiting", load<u64>(set), 0);
  solo5_yield(0, 0); // no ready set wanted: must not write at address 0

  store<u32>(readSize, 0xdeadbeef);
  expect("read into mtu + 13 bytes", solo5_net_read(h, p, mtu + 13, readSize), SOLO5_R_EINVAL);
  expect("read_size after EINVAL", load<u32>(readSize), 0xdeadbeef);
  expect("read with nothing waiting", solo5_net_read(h, p, mtu + 14, readSize), SOLO5_R_AGAIN);
  expect("read into a larger buffer", solo5_net_read(h, p, mtu + 64, readSize), SOLO5_R_AGAIN);
  expect("read_size after AGAIN", load<u32>(readSize), 0xdeadbeef);

  const bad: i32[] = [0, h + 1, 63, 64, -1, 0x7fffffff];
  for (let i = 0; i < bad.length; i++) {
    const b = bad[i];
    expect("write on handle " + b.toString(), solo5_net_write(b, p, 60), SOLO5_R_EINVAL);
    expect("read on handle " + b.toString(), solo5_net_read(b, p, mtu + 14, readSize), SOLO5_R_EINVAL);
  }

  if (failures == 0) puts("SUCCESS\n");
  return failures;
}
