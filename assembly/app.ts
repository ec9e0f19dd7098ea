// What a unikernel gets at start: its command line and heap (solo5_start_info), and
// ways to end. solo5_app_main receives the start info's address.
import { solo5_abort, solo5_exit, solo5_start_info } from "./solo5";
import { startInfo } from "./libos/startinfo";

/** The command line, as the tender passed it (--solo5: options already removed). */
export function cmdline(): string {
  const p = startInfo().cmdline;
  let end = p;
  while (load<u8>(end) != 0) end++;
  return String.UTF8.decodeUnsafe(p, end - p);
}

/** The start info (also the argument of solo5_app_main). */
export function info(): solo5_start_info {
  return startInfo();
}

/** Ends the unikernel with `status` (the tender exits with status & 0xff). */
export function exit(status: i32): void {
  solo5_exit(status);
  unreachable();
}

/** Ends the unikernel with status 255. */
export function abort(): void {
  solo5_abort();
  unreachable();
}
