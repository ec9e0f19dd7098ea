// The fuzzer's guest module: guest.wat with its manifest (tape and storage, then
// service0: handles 1, 2, 3).
import fs from "node:fs";
import { manifestOf, wat, watString } from "../../tests/helpers/wat.mjs";

const MANIFEST = manifestOf([
  { name: "tape", type: "BLOCK_BASIC" },
  { name: "storage", type: "BLOCK_BASIC" },
  { name: "service0", type: "NET_BASIC" },
]);

export function guestBytes() {
  const source = fs.readFileSync(new URL("./guest.wat", import.meta.url), "utf8");
  return wat(source.replace(/\)\s*$/, `(@custom "solo5.manifest" ${watString(JSON.stringify(MANIFEST))}))`));
}
