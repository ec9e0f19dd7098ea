// The fuzzer's guest module: guest.wat with its manifest (tape and storage, then
// service0: handles 1, 2, 3).
import fs from "node:fs";
import wabtInit from "wabt";

const MANIFEST = {
  type: "solo5.manifest",
  version: 1,
  devices: [
    { name: "tape", type: "BLOCK_BASIC" },
    { name: "storage", type: "BLOCK_BASIC" },
    { name: "service0", type: "NET_BASIC" },
  ],
};

const hex = (text) => [...new TextEncoder().encode(text)].map((b) => `\\${b.toString(16).padStart(2, "0")}`).join("");

export async function guestBytes() {
  const source = fs.readFileSync(new URL("./guest.wat", import.meta.url), "utf8");
  const text = source.replace(/\)\s*$/, `(@custom "solo5.manifest" "${hex(JSON.stringify(MANIFEST))}"))`);
  const wabt = await wabtInit();
  const module = wabt.parseWat("guest.wat", text, { annotations: true });
  try {
    return new Uint8Array(module.toBinary({}).buffer);
  } finally {
    module.destroy();
  }
}
