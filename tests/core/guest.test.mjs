// runGuest in this process against the fake platform: start to end, endings, the
// hooks of the hypercall table, and refusals on the guest's thread in the host's words.
import { loadKernel, MIB, runGuest } from "../../dist/core/index.js";
import { CLI_WORDS } from "../../dist/node/words.js";
import { guestWat, wat } from "../helpers/wat.mjs";
import { fakePlatform } from "./harness.mjs";

const WRITE = `(import "solo5" "console_write" (func $write (param i32 i32)))`;
const HELLO = guestWat({ imports: WRITE, extra: `(data (i32.const 64) "hi\\n")`, body: "(call $write (i32.const 64) (i32.const 3))" });
const config = (over = {}) => ({ memBytes: MIB, cmdline: "", logLevel: "error", trace: false, backends: new Map(), ...over });

test("a guest runs to its end: console output, then solo5_app_main's return as its exit", async () => {
  const p = fakePlatform();
  const r = runGuest(await loadKernel(wat(HELLO)), config({ logLevel: "info" }), p);
  expect(r).toEqual({ status: 0, reason: "exit", code: 0 });
  expect(p.out).toMatch(/^Solo5: Bindings version v\d+\.\d+\.\d+ \(solo5-wasm, ABI v1\)\n/);
  expect(p.out).toMatch(/\nhi\nSolo5: solo5_exit\(0\) called\n$/);
});

test("an invalid guest access ends it with status 1 and one line on stderr", async () => {
  const p = fakePlatform();
  const k = await loadKernel(wat(guestWat({ imports: WRITE, body: "(call $write (i32.const 1048570) (i32.const 100))" })));
  expect(runGuest(k, config(), p)).toEqual({ status: 1, reason: "error", message: "invalid guest access in console_write: ptr=0xffffa len=100" });
  expect(p.err).toEqual(["solo5-wasm: invalid guest access in console_write: ptr=0xffffa len=100"]);
});

test("hooks see every call with its arguments and result; --trace is one more", async () => {
  const p = fakePlatform();
  const calls = [];
  const record = (name, call) => (...args) => {
    const result = call(...args);
    calls.push([name, ...args, result]);
    return result;
  };
  runGuest(await loadKernel(wat(HELLO)), config({ trace: true }), p, [record]);
  expect(calls).toEqual([["console_write", 64, 3, undefined]]);
  expect(p.err).toEqual([expect.stringMatching(/^solo5-wasm: trace: console_write\(buf=0x40, size=3\) \(\d+\.\d us\)$/)]);
});

test("a refusal on the guest's thread names the option as the platform's host does", async () => {
  const k = await loadKernel(wat(guestWat({ memory: `(import "env" "memory" (memory 32))` })));
  const cli = fakePlatform();
  cli.words = CLI_WORDS;
  runGuest(k, config(), cli);
  expect(cli.err).toEqual(["solo5-wasm: guest's env.memory needs at least 32 pages (2 MiB), more than --mem=1: use --mem=2 or more"]);
  const page = fakePlatform();
  runGuest(k, config(), page);
  expect(page.err).toEqual(["solo5-wasm: guest's env.memory needs at least 32 pages (2 MiB), more than mem = 1: use mem = 2 or more"]);
});
