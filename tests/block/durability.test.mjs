// A write that returned OK is in the host file, whatever happens next (ABI section
// 4): the tender killed while writing. Storage that fails under the guest is in
// tests/faults/block.test.mjs. tests/guests/blkio prints "written i" after each OK
// and fills block i with pattern(i).
import { guest } from "../helpers/paths.mjs";
import { blockOptions, disk, scratchDir, WATCH_BOTH } from "./helpers.mjs";
import { acknowledged, BS, expectAllThere } from "./blkio.mjs";

describe.each(WATCH_BOTH)("via the %s", (way, watch) => {
  test("killed while writing: every acknowledged write is in the file", async () => {
    const file = disk(scratchDir(), "disk.img", 64 << 20);
    let seen = 0;
    const r = await watch(guest("blkio"), { ...blockOptions({ storage: file }), args: ["--solo5:quiet", "write", "hold"] }, (line, kill) => {
      if (line.startsWith("written ") && ++seen === 300) kill();
    });
    if (way === "cli") expect(r.signal).toBe("SIGKILL");
    else expect(r.reason).toBe("stopped");
    const written = acknowledged(r.stdout);
    expect(written.length).toBeGreaterThanOrEqual(300);
    expect(written).toEqual(written.map((_, i) => i));
    expectAllThere(file, written);
  });
});
