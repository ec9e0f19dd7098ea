// WAT guests of the platform bench, assembled with wabt (annotations on, for custom sections).
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import wabtInit from "wabt";

const GUESTS = path.join(path.dirname(fileURLToPath(import.meta.url)), "guests");

/** The bytes of bench/platform/guests/NAME.wat. */
export async function watBytes(name) {
  const wabt = await wabtInit();
  const file = path.join(GUESTS, `${name}.wat`);
  const module = wabt.parseWat(file, fs.readFileSync(file, "utf8"), { annotations: true });
  try {
    return new Uint8Array(module.toBinary({}).buffer);
  } finally {
    module.destroy();
  }
}
