// The device table (handles, acquiring once, ready sets) and the attachment checks,
// whose refusals each host words its own way.
import { checkAttachments, FIELD_WORDS, OptionRefusal } from "../../dist/core/index.js";
import { DeviceTable } from "../../dist/core/devices.js";
import { CLI_WORDS } from "../../dist/node/words.js";
import { block, fakeBlock, fakeNet, net } from "./harness.mjs";

const manifest = (devices) => ({ type: "solo5.manifest", version: 1, devices });
const M = manifest([
  { name: "service0", type: "NET_BASIC" },
  { name: "storage", type: "BLOCK_BASIC" },
  { name: "service1", type: "NET_BASIC" },
]);

test("a device is acquired once, by name and type; its handle is its place in the manifest plus one", () => {
  const t = new DeviceTable(M, new Map([["service0", net(fakeNet())], ["storage", block(fakeBlock())], ["service1", net(fakeNet())]]));
  expect(t.acquire("storage", "NET_BASIC")).toBe(0);
  expect(t.acquire("storage", "BLOCK_BASIC")).toBe(2);
  expect(t.acquire("storage", "BLOCK_BASIC")).toBe(0);
  expect(t.block(2)).toBeDefined();
  expect(t.net(2)).toBeUndefined();
  expect(t.net(3)).toBeUndefined(); // declared, not acquired yet
  expect(t.acquire("service1", "NET_BASIC")).toBe(3);
  expect(t.block(-1)).toBeUndefined();
});

test("the ready set has bit N for each acquired net device N with input", () => {
  const a = fakeNet();
  const b = fakeNet();
  const t = new DeviceTable(M, new Map([["service0", net(a)], ["storage", block(fakeBlock())], ["service1", net(b)]]));
  t.acquire("service0", "NET_BASIC");
  t.acquire("service1", "NET_BASIC");
  b.inbox.push(new Uint8Array(60));
  expect(t.readySet()).toBe(8n);
  a.inbox.push(new Uint8Array(60));
  expect(t.readySet()).toBe(10n);
});

const refusal = (f) => {
  try {
    f();
  } catch (e) {
    return e;
  }
  throw new Error("not refused");
};

test.each([
  ["an undeclared device", new Map([["disk", "BLOCK_BASIC"]]), "--block:disk names a device the guest's manifest does not declare (declared: service0, storage, service1)", "devices.disk names a device the guest's manifest does not declare (declared: service0, storage, service1)"],
  ["the wrong type", new Map([["service0", "BLOCK_BASIC"]]), "device service0 is NET_BASIC in the guest's manifest, attach it with --net:service0=..., not --block:", `device service0 is NET_BASIC in the guest's manifest, attach it with devices.service0 = { type: "NET_BASIC", ... }, not "BLOCK_BASIC"`],
  ["a declared device left out", new Map([["service0", "NET_BASIC"], ["storage", "BLOCK_BASIC"]]), "the guest's manifest declares NET_BASIC device service1, which is not attached: add --net:service1=...", `the guest's manifest declares NET_BASIC device service1, which is not attached: add devices.service1 = { type: "NET_BASIC", ... }`],
])("%s is refused, in the CLI's words and in a page's", (_what, attached, cli, fields) => {
  const e = refusal(() => checkAttachments(M, attached));
  expect(e).toBeInstanceOf(OptionRefusal);
  expect(e.wordedIn(CLI_WORDS).message).toBe(cli);
  expect(e.wordedIn(FIELD_WORDS).message).toBe(fields);
});
