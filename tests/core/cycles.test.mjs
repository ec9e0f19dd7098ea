// No import cycles among the tender's modules (scripts/check-cycles.mjs).
import { spawnSync } from "node:child_process";
import path from "node:path";
import { ROOT } from "../helpers/paths.mjs";

test("host/ has no import cycles, through values or types", () => {
  const r = spawnSync(process.execPath, [path.join(ROOT, "scripts/check-cycles.mjs")], { encoding: "utf8" });
  expect(r.stderr).toBe("");
  expect(r.status).toBe(0);
});
