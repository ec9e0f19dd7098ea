// A guest whose manifest.json (beside this file) the asc transform embeds.
import { puts } from "../../../assembly";

export function solo5_app_main(_si: usize): i32 {
  puts("SUCCESS\n");
  return 0;
}
