// Each hypercall family in this process, against the fake platform of harness.mjs:
// the ABI's rules of section 4, call by call, with no thread and no module.
import { R_AGAIN, R_EINVAL, R_OK, UINT64_MAX } from "../../dist/core/index.js";
import { block, coreGuest, fakeBlock, fakeNet, net, unwinds } from "./harness.mjs";

const INVALID = /^invalid guest access in (\w+): ptr=0x[0-9a-f]+ len=\d+$/;

describe("console_write", () => {
  test("writes the bytes to the platform's stdout", () => {
    const g = coreGuest();
    g.bytes.set(new TextEncoder().encode("hello\n"), 100);
    g.calls.console_write(100, 6);
    expect(g.platform.out).toBe("hello\n");
  });

  test("a buffer ending at the end of memory is valid; one byte further stops the guest", () => {
    const g = coreGuest();
    g.calls.console_write(g.size - 1, 1);
    g.calls.console_write(g.size, 0);
    unwinds(() => g.calls.console_write(g.size - 1, 2));
    expect(g.ended().message).toBe(`invalid guest access in console_write: ptr=0x${(g.size - 1).toString(16)} len=2`);
  });

  test("a length that wraps (negative as i32) is out of memory, not clamped", () => {
    const g = coreGuest();
    unwinds(() => g.calls.console_write(16, -1));
    expect(g.ended().message).toBe("invalid guest access in console_write: ptr=0x10 len=4294967295");
    expect(g.platform.out).toBe("");
  });
});

describe("clocks", () => {
  test("clock_monotonic and clock_wall are the platform's", () => {
    const g = coreGuest();
    g.platform.now = 123n;
    expect(g.calls.clock_monotonic()).toBe(123n);
    expect(g.calls.clock_wall()).toBe(123n + 1_700_000_000_000_000_000n);
  });
});

describe("exit and abort", () => {
  test("exit(n) ends the guest with n & 0xff and says so", () => {
    const g = coreGuest();
    unwinds(() => g.calls.exit(-2));
    expect(g.ended().result).toEqual({ status: 254, reason: "exit", code: -2 });
    expect(g.platform.out).toBe("Solo5: solo5_exit(-2) called\n");
  });

  test("abort ends it with 255; the first ending stands", () => {
    const g = coreGuest();
    unwinds(() => g.calls.abort());
    unwinds(() => g.calls.exit(0));
    expect(g.ended().result).toEqual({ status: 255, reason: "abort" });
  });
});

describe("yield", () => {
  test("a deadline passed polls: no sleep, ready set 0", () => {
    const g = coreGuest();
    g.platform.now = 1000n;
    g.view.setBigUint64(64, 99n, true);
    g.calls.yield(500n, 64);
    expect(g.platform.sleeps).toEqual([]);
    expect(g.view.getBigUint64(64, true)).toBe(0n);
  });

  test("sleeps until the deadline; UINT64_MAX (-1 as i64) is no deadline", () => {
    const g = coreGuest();
    g.calls.yield(2_000_000n, 0);
    expect(g.platform.sleeps).toEqual([2_000_000n]);
    const n = fakeNet();
    const h = coreGuest({ devices: { service0: net(n) } });
    expect(h.calls.net_acquire(h.cstring(32, "service0"), 64, 80)).toBe(R_OK);
    h.platform.onSleep = () => n.inbox.push(new Uint8Array(60));
    h.calls.yield(-1n, 96);
    expect(h.platform.sleeps).toEqual([UINT64_MAX]);
    expect(h.view.getBigUint64(96, true)).toBe(1n << 1n);
  });

  test("only acquired devices count, and readiness is level-triggered", () => {
    const n = fakeNet();
    n.inbox.push(new Uint8Array(60), new Uint8Array(60));
    const g = coreGuest({ devices: { service0: net(n) } });
    g.calls.yield(0n, 64);
    expect(g.view.getBigUint64(64, true)).toBe(0n);
    g.calls.net_acquire(g.cstring(32, "service0"), 128, 144);
    for (let i = 0; i < 2; i++) {
      g.calls.yield(0n, 64);
      expect(g.view.getBigUint64(64, true)).toBe(2n);
      expect(g.calls.net_read(1, 1024, 1514, 160)).toBe(R_OK);
    }
    g.calls.yield(0n, 64);
    expect(g.view.getBigUint64(64, true)).toBe(0n);
  });

  test("a ready set outside memory stops the guest", () => {
    const g = coreGuest();
    unwinds(() => g.calls.yield(0n, g.size - 4));
    expect(g.ended().message).toMatch(INVALID);
  });
});

describe("net", () => {
  const acquired = (options) => {
    const n = fakeNet(options);
    const g = coreGuest({ devices: { service0: net(n) } });
    expect(g.calls.net_acquire(g.cstring(32, "service0"), 64, 80)).toBe(R_OK);
    return { g, n };
  };

  test("net_acquire writes the handle as a uint64_t and solo5_net_info", () => {
    const { g } = acquired({ mac: [2, 1, 2, 3, 4, 5], mtu: 9000 });
    expect(g.view.getBigUint64(64, true)).toBe(1n);
    expect([...g.bytes.subarray(80, 88)]).toEqual([2, 1, 2, 3, 4, 5, 0, 0]);
    expect(g.view.getUint32(88, true)).toBe(9000);
  });

  test("a second acquire, an unknown name or the wrong type: EINVAL", () => {
    const { g } = acquired();
    expect(g.calls.net_acquire(g.cstring(32, "service0"), 64, 80)).toBe(R_EINVAL);
    expect(g.calls.net_acquire(g.cstring(32, "nosuch"), 64, 80)).toBe(R_EINVAL);
    expect(g.calls.block_acquire(g.cstring(32, "service0"), 64, 80)).toBe(R_EINVAL);
  });

  test("net_write: 14 to mtu + 14 bytes, else EINVAL; a bad handle is EINVAL", () => {
    const { g, n } = acquired();
    expect(g.calls.net_write(1, 1024, 13)).toBe(R_EINVAL);
    expect(g.calls.net_write(1, 1024, 1515)).toBe(R_EINVAL);
    expect(g.calls.net_write(2, 1024, 60)).toBe(R_EINVAL);
    expect(g.calls.net_write(1, 1024, 1514)).toBe(R_OK);
    expect(n.sent.map((f) => f.length)).toEqual([1514]);
  });

  test("net_read: AGAIN when empty, EINVAL for a short buffer; read_size written only on OK", () => {
    const { g, n } = acquired();
    g.view.setUint32(160, 7, true);
    expect(g.calls.net_read(1, 1024, 1514, 160)).toBe(R_AGAIN);
    expect(g.view.getUint32(160, true)).toBe(7);
    n.inbox.push(Uint8Array.from({ length: 60 }, (_, i) => i));
    expect(g.calls.net_read(1, 1024, 1513, 160)).toBe(R_EINVAL);
    expect(g.calls.net_read(1, 1024, 1514, 160)).toBe(R_OK);
    expect(g.view.getUint32(160, true)).toBe(60);
    expect(g.bytes[1024 + 59]).toBe(59);
  });

  test("pointers are checked before the handle: a bad buffer stops even an EINVAL call", () => {
    const { g } = acquired();
    unwinds(() => g.calls.net_write(9, g.size - 10, 60));
    expect(g.ended().message).toMatch(INVALID);
  });
});

describe("block", () => {
  const acquired = () => {
    const b = fakeBlock({ capacity: 4096, blockSize: 512 });
    const g = coreGuest({ devices: { storage: block(b) } });
    expect(g.calls.block_acquire(g.cstring(32, "storage"), 64, 80)).toBe(R_OK);
    return { g, b };
  };

  test("block_acquire writes the handle and solo5_block_info", () => {
    const { g } = acquired();
    expect(g.view.getBigUint64(64, true)).toBe(1n);
    expect(g.view.getBigUint64(80, true)).toBe(4096n);
    expect(g.view.getBigUint64(88, true)).toBe(512n);
  });

  test("whole sectors within capacity, any number of them; anything else EINVAL", () => {
    const { g, b } = acquired();
    g.bytes.fill(7, 1024, 1024 + 1024);
    expect(g.calls.block_write(1, 512n, 1024, 1024)).toBe(R_OK);
    expect(b.data[512]).toBe(7);
    expect(b.data[1535]).toBe(7);
    expect(g.calls.block_read(1, 0n, 4096, 2048)).toBe(R_OK);
    expect(g.bytes[4096 + 512]).toBe(7);
    for (const [offset, size] of [[0n, 0], [1n, 512], [0n, 100], [3584n, 1024], [-512n, 512]]) {
      expect(g.calls.block_read(1, offset, 4096, size)).toBe(R_EINVAL);
    }
    expect(g.calls.block_read(2, 0n, 4096, 512)).toBe(R_EINVAL);
  });

  test("a buffer leaving memory stops the guest", () => {
    const { g } = acquired();
    unwinds(() => g.calls.block_read(1, 0n, g.size - 256, 512));
    expect(g.ended().message).toMatch(/^invalid guest access in block_read: /);
  });
});

describe("entropy (ABI v1.1)", () => {
  test("fills the buffer from the platform, up to 65536 bytes; more is EINVAL with nothing written", () => {
    const g = coreGuest({ pages: 4 });
    expect(g.calls.entropy(1024, 65536)).toBe(R_OK);
    expect(g.bytes[1024]).toBe(0xa5);
    expect(g.bytes[1024 + 65535]).toBe(0xa5);
    expect(g.bytes[1024 + 65536]).toBe(0);
    g.bytes.fill(0, 1024, 1024 + 65537);
    expect(g.calls.entropy(1024, 65537)).toBe(R_EINVAL);
    expect(g.bytes.subarray(1024, 1024 + 65537).every((b) => b === 0)).toBe(true);
    expect(g.calls.entropy(g.size, 0)).toBe(R_OK);
  });

  test("the buffer is checked first: past the end of memory stops the guest, whatever the size", () => {
    const g = coreGuest();
    expect(g.calls.entropy(g.size - 8, 8)).toBe(R_OK);
    unwinds(() => g.calls.entropy(g.size - 8, 70000));
    expect(g.ended().message).toBe(`invalid guest access in entropy: ptr=0x${(g.size - 8).toString(16)} len=70000`);
  });
});

describe("the table", () => {
  test("hooks wrap every call, the last outermost; calls still do what they do", () => {
    const seen = [];
    const hook = (tag) => (name, call) => (...args) => {
      seen.push(`${tag}:${name}`);
      return call(...args);
    };
    const g = coreGuest({ hooks: [hook("inner"), hook("outer")] });
    g.platform.now = 5n;
    expect(g.calls.clock_monotonic()).toBe(5n);
    expect(seen).toEqual(["outer:clock_monotonic", "inner:clock_monotonic"]);
  });
});
