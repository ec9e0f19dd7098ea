// AssemblyScript's `abort` (failed assertions, `throw`, bounds errors) routed to the
// console and solo5_abort, so a guest imports nothing outside ABI v1. Wired in with
// `--use abort=assembly/libos/abort/abortHandler` (asconfig.json).
import { solo5_abort, solo5_console_write } from "../solo5";

function write(s: string): void {
  const utf8 = String.UTF8.encode(s);
  solo5_console_write(changetype<usize>(utf8), <usize>utf8.byteLength);
}

export function abortHandler(message: string | null, fileName: string | null, line: u32, column: u32): void {
  write("ABORT: " + (message !== null ? message : "(no message)"));
  if (fileName !== null) write(" at " + fileName + ":" + line.toString() + ":" + column.toString());
  write("\n");
  solo5_abort();
  unreachable();
}
