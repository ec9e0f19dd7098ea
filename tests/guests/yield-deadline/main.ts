// yield's deadline on the devices the command line names (all acquired), as the
// ABI states it (section 4): without input, yield returns at or after its deadline
// (monotonic time >= deadline) with an empty ready set; a deadline already passed
// returns at once; with no deadline (SOLO5_TIME_INFINITE), or one a year away, it
// returns only when a frame comes, naming that device. For each of the last two it
// prints "waiting for a frame (...)" and then "woke after N ms, ready set S", so a
// test can send the frame. Prints each broken rule, then SUCCESS if none.
import { monotonic, Net, NSEC_PER_MSEC, NSEC_PER_SEC, puts, cmdline, SOLO5_TIME_INFINITE, solo5_yield } from "../../../assembly";

let failures = 0;

function broken(what: string): void {
  puts("broken: " + what + "\n");
  failures++;
}

function drain(nets: Net[]): void {
  for (let i = 0; i < nets.length; i++) {
    const frame = nets[i].frameBuffer();
    while (nets[i].read(frame) >= 0);
  }
}

function waitForFrame(nets: Net[], what: string, deadline: u64, set: usize): void {
  puts("waiting for a frame (" + what + ")\n");
  const t0 = monotonic();
  store<u64>(set, 0);
  solo5_yield(deadline, set);
  const ready = load<u64>(set);
  puts("woke after " + ((monotonic() - t0) / NSEC_PER_MSEC).toString() + " ms, ready set " + ready.toString() + "\n");
  if (ready == 0) broken("yield (" + what + ") returned without a frame");
  drain(nets);
}

export function solo5_app_main(_si: usize): i32 {
  const names = cmdline().split(" ");
  const nets: Net[] = [];
  for (let i = 0; i < names.length; i++) nets.push(Net.acquire(names[i])!);
  const set = memory.data(8);

  // Deadlines from now to 5 ms ahead, many times: never back before the deadline.
  const ahead: u64[] = [0, 1, 1000, 100_000, 1_000_000, 5_000_000];
  let ready = 0;
  for (let round = 0; round < 20; round++) {
    for (let i = 0; i < ahead.length; i++) {
      const deadline = monotonic() + ahead[i];
      store<u64>(set, 0xdead);
      solo5_yield(deadline, set);
      const now = monotonic();
      if (load<u64>(set) != 0) {
        ready++; // a frame nobody sent (the kernel's, on a TAP): allowed, and read
        drain(nets);
      } else if (now < deadline) {
        broken("yield returned " + (deadline - now).toString() + " ns before a deadline " + ahead[i].toString() + " ns ahead");
      }
    }
  }
  puts("deadlines kept, " + ready.toString() + " early by a frame\n");

  // Deadlines already passed: polls, each at once (1000 of them well within a second).
  const t0 = monotonic();
  for (let i = 0; i < 1000; i++) {
    store<u64>(set, 0xdead);
    solo5_yield(i % 2 ? 0 : monotonic() - 1, set);
    if (load<u64>(set) == 0xdead) broken("a poll left the ready set unwritten");
  }
  if (monotonic() - t0 > NSEC_PER_SEC) broken("1000 polls took " + ((monotonic() - t0) / NSEC_PER_MSEC).toString() + " ms");

  waitForFrame(nets, "no deadline", SOLO5_TIME_INFINITE, set);
  waitForFrame(nets, "a deadline a year away", monotonic() + 365 * 24 * 3600 * NSEC_PER_SEC, set);

  if (failures == 0) puts("SUCCESS\n");
  return failures;
}
