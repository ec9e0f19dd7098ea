// The manifest (ABI section 3) as untrusted input.
import { parseManifest } from "../../dist/core/index.js";

const doc = (devices, extra = {}) => JSON.stringify({ type: "solo5.manifest", version: 1, devices, ...extra });

test("devices keep their order: a handle is the index plus one", () => {
  const m = parseManifest(doc([{ name: "service0", type: "NET_BASIC" }, { name: "storage", type: "BLOCK_BASIC" }]));
  expect(m.devices.map((d) => d.name)).toEqual(["service0", "storage"]);
});

test.each([
  ["not JSON", "{", /^invalid manifest: not valid JSON/],
  ["an unknown key", doc([], { extra: 1 }), /unknown key "extra" in the manifest/],
  ["a wrong version", JSON.stringify({ type: "solo5.manifest", version: 2, devices: [] }), /"version" must be 1, not 2/],
  ["an empty name", doc([{ name: "", type: "NET_BASIC" }]), /devices\[0\] has an empty or non-string name/],
  ["a name of 68 bytes", doc([{ name: "a".repeat(68), type: "NET_BASIC" }]), /longer than 67 bytes/],
  ["a name with a dash", doc([{ name: "a-b", type: "NET_BASIC" }]), /may only contain A-Z, a-z and 0-9/],
  ["a name twice", doc([{ name: "a", type: "NET_BASIC" }, { name: "a", type: "BLOCK_BASIC" }]), /device name "a" is declared twice/],
  ["an unknown type", doc([{ name: "a", type: "FLOPPY" }]), /unknown type "FLOPPY"/],
  ["64 devices", doc(Array.from({ length: 64 }, (_, i) => ({ name: `d${i}`, type: "NET_BASIC" }))), /64 devices declared, at most 63/],
  ["invalid UTF-8", new Uint8Array([0x7b, 0xff, 0x7d]), /the section is not valid UTF-8/],
])("%s is refused", (_what, text, why) => {
  expect(() => parseManifest(text)).toThrow(why);
});
