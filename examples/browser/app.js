// The demo page: says whether the page can run guests at all, then wires each pane
// (index.html) to its guest; the two ping panes are in ping.js, the two HTTP panes in http.js. Guests run on demand, except that the key-value store
// lists its disk at load, so what survived the last reload is the first thing seen.
import { checkIsolation } from "../../dist/browser/solo5-wasm.js";
import { Pane } from "./pane.js";
import { wireHttp } from "./http.js";
import { wirePing } from "./ping.js";

const KV_DISK = "solo5-demo/kv.img";
const KV_DISK_BYTES = 256 * 1024;

const badge = document.getElementById("isolation");
let isolated = true;
try {
  checkIsolation();
  badge.textContent = "cross-origin isolated";
  badge.classList.add("ok");
} catch (e) {
  isolated = false;
  badge.textContent = "not cross-origin isolated";
  badge.classList.add("bad");
  const refusal = document.getElementById("refusal");
  refusal.textContent = `solo5-wasm: ${e.message}`;
  refusal.hidden = false;
}

const pane = (id, hooks) => new Pane(document.getElementById(id), hooks);

pane("hello", { options: () => ({ mem: 16 }) });

document.querySelector("#kv .disk-path").textContent = KV_DISK;
const kv = pane("kv", { options: () => ({ mem: 16, devices: { storage: { type: "BLOCK_BASIC", opfs: KV_DISK, size: KV_DISK_BYTES } } }) });

wirePing(pane);
wireHttp(pane);

/** Whether the demo's disk is already in this origin's private file system. */
async function diskExists() {
  try {
    const dir = await (await navigator.storage.getDirectory()).getDirectoryHandle(KV_DISK.split("/")[0]);
    return (await (await dir.getFileHandle(KV_DISK.split("/")[1])).getFile()).size > 0;
  } catch {
    return false;
  }
}

// A new disk is formatted first; a disk from an earlier visit is listed.
if (isolated) kv.run((await diskExists()) ? "list" : "format; put first-visit hello");
