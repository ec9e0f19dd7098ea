// A guest that does not read service0 while frames pour in: it waits for a frame on
// `control` alone, and only then acquires service0 and counts what its receive queue
// kept. What did not fit was dropped by the platform, which reports the count.
import { Net, puts, SOLO5_R_AGAIN, waitFor } from "../../../assembly";

export function solo5_app_main(_si: usize): i32 {
  const control = Net.acquire("control")!;
  puts("waiting for control\n");
  waitFor([control]);
  // Only now: yield wakes for every acquired device, so acquiring service0 earlier
  // would make this wait spin while the flood lasts.
  const flooded = Net.acquire("service0")!;
  const frame = flooded.frameBuffer();
  let kept = 0;
  let bytes: u64 = 0;
  for (;;) {
    const n = flooded.read(frame);
    if (n == -SOLO5_R_AGAIN) break;
    kept++;
    bytes += <u64>n;
  }
  puts("kept " + kept.toString() + " frames, " + bytes.toString() + " bytes\n");
  puts("SUCCESS\n");
  return 0;
}
