// Solo5's test_mft_maxdevices: a manifest of 63 devices, the most there may be.
// Acquires the first and the last, checks their handles are 1 and 63, and writes
// each device's name into its block 0, so the test can see that handle 63 reaches
// the file attached as storage62.
import { Block, puts, SOLO5_R_OK } from "../../../assembly";

function claim(name: string, handle: i32): bool {
  const dev = Block.acquire(name);
  if (dev === null || dev.handle != handle) return false;
  const block = new Uint8Array(<i32>dev.blockSize);
  block.set(Uint8Array.wrap(String.UTF8.encode(name)));
  return dev.write(0, block) == SOLO5_R_OK;
}

export function solo5_app_main(_si: usize): i32 {
  puts("\n**** Solo5 standalone test_mft_maxdevices ****\n\n");
  if (!claim("storage0", 1) || !claim("storage62", 63)) {
    puts("FAILURE\n");
    return 1;
  }
  puts("SUCCESS\n");
  return 0;
}
