// Solo5's test_output, extended: console writes of many sizes, byte-exact. Each line
// is "<n>:" followed by n copies of a letter; the test checks every byte arrived.
import { cmdline, puts, writeBytes } from "../../assembly";

export function solo5_app_main(_si: usize): i32 {
  puts("Command line is: '" + cmdline() + "'\n");
  const sizes: i32[] = [0, 1, 15, 16, 17, 255, 4096, 65536];
  for (let i = 0; i < sizes.length; i++) {
    const n = sizes[i];
    puts(n.toString() + ":");
    const line = new Uint8Array(n + 1);
    line.fill(<u8>(0x61 + i), 0, n);
    line[n] = 0x0a;
    writeBytes(line);
  }
  puts("UTF-8: h\u00e9llo w\u00f6rld \u2713\n");
  puts("SUCCESS\n");
  return 0;
}
