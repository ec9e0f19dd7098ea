// Block reads for tests/record: the same ranges read again and again, with writes to
// some of them between, so that a recorded log holds repeated reads (TAG_REPEAT) and
// replay must give each read the bytes it got when recorded, the new ones after a
// write. Each read prints a sum of its bytes: a replayed read with other bytes
// prints another line, and replay diverges at that console_write.
//   rounds N   N rounds of reads and writes over the first two 4 KiB of the disk
//   watch      reads the first 4 KiB, prints "ready", then reads it again every
//              millisecond until its bytes change (the test writes the file from
//              outside) or 20 s pass
import { Block, cmdline, exit, monotonic, NSEC_PER_MSEC, NSEC_PER_SEC, puts, sleep, SOLO5_R_OK } from "../../../assembly";

/** A sum of every byte, as the line of a read shows it. */
function sum(buf: Uint8Array): u32 {
  let s: u32 = 0;
  for (let i = 0; i < buf.length; i++) s = s * 31 + <u32>buf[i];
  return s;
}

/** Reads `size` bytes at `offset` and prints their sum, or the result and ends the guest. */
function readShow(dev: Block, what: string, offset: u64, size: i32): u32 {
  const buf = new Uint8Array(size);
  const r = dev.read(offset, buf);
  if (r != SOLO5_R_OK) {
    puts("read " + what + ": result " + r.toString() + "\n");
    exit(3);
  }
  const s = sum(buf);
  puts(what + " " + s.toString() + "\n");
  return s;
}

/** Writes 512 bytes of round `round`'s pattern at `offset`. */
function writeRound(dev: Block, offset: u64, round: i32): void {
  const buf = new Uint8Array(512);
  for (let j = 0; j < 512; j++) buf[j] = <u8>(round * 37 + j);
  const r = dev.write(offset, buf);
  if (r != SOLO5_R_OK) {
    puts("write: result " + r.toString() + "\n");
    exit(3);
  }
}

function rounds(dev: Block, n: i32): void {
  for (let round = 1; round <= n; round++) {
    puts("round " + round.toString() + "\n");
    readShow(dev, "A", 0, 4096);
    readShow(dev, "A again", 0, 4096);
    readShow(dev, "C", 3584, 1024); // the end of A and the start of the next 4 KiB
    writeRound(dev, 1024, round); // inside A
    readShow(dev, "A after a write", 0, 4096);
    readShow(dev, "W", 1024, 512);
    writeRound(dev, 4096, round); // inside C, past A
    readShow(dev, "C after a write", 3584, 1024);
    readShow(dev, "A again", 0, 4096);
    readShow(dev, "A as 512", 0, 512); // the same offset, another size
    readShow(dev, "A again", 0, 4096);
  }
}

function watch(dev: Block): void {
  const first = readShow(dev, "A", 0, 4096);
  puts("ready\n");
  const end = monotonic() + 20 * NSEC_PER_SEC;
  const buf = new Uint8Array(4096);
  while (monotonic() < end) {
    sleep(NSEC_PER_MSEC);
    if (dev.read(0, buf) != SOLO5_R_OK) exit(3);
    if (sum(buf) != first) {
      puts("changed " + sum(buf).toString() + "\n");
      return;
    }
  }
  puts("FAILURE: the first 4 KiB stayed the same for 20 s\n");
}

export function solo5_app_main(_si: usize): i32 {
  const args = cmdline().split(" ");
  const dev = Block.acquire("storage")!;
  if (args[0] == "rounds") rounds(dev, I32.parseInt(args[1]));
  else if (args[0] == "watch") watch(dev);
  else {
    puts("usage: rounds N | watch\n");
    return 2;
  }
  return 0;
}
