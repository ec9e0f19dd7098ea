// Exit statuses: "exit N" calls solo5_exit(N), "return N" returns N from
// solo5_app_main; the tender's status is N & 0xff and it prints N as signed.
import { cmdline, exit, puts } from "../../assembly";

export function solo5_app_main(_si: usize): i32 {
  const words = cmdline().split(" ");
  const n = I32.parseInt(words[1]);
  puts("ending with " + words[0] + " " + n.toString() + "\n");
  if (words[0] == "exit") exit(n);
  return n;
}
