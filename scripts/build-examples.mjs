// Builds every example unikernel (examples/NAME/main.ts -> examples/NAME/NAME.wasm)
// in one asc process; unchanged examples are skipped.
import fs from "node:fs";
import path from "node:path";
import { compileGuestCached } from "../dist/build/compile.js";

for (const name of fs.readdirSync("examples").sort()) {
  const entry = path.join("examples", name, "main.ts");
  if (!fs.existsSync(entry)) continue;
  await compileGuestCached(entry, path.join("examples", name, `${name}.wasm`));
}
