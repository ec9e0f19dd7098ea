// docs/api.md is the AssemblyScript API's reference, made from the sources by
// scripts/api-reference.mjs: it must be what the sources make now, and every exported
// name and public member must have a doc comment to make it from.
import fs from "node:fs";
import { API_MD, apiReference } from "../../scripts/api-reference.mjs";

const { markdown, undocumented } = apiReference();

test("every exported name and public member of the AssemblyScript API has a doc comment", () => {
  expect(undocumented).toEqual([]);
});

test("docs/api.md is what the sources make (node scripts/api-reference.mjs rewrites it)", () => {
  expect(fs.readFileSync(API_MD, "utf8")).toBe(markdown);
});

test("the reference names what a unikernel imports, with the types as the source writes them", () => {
  expect(markdown).toContain("- `static acquire(name: string): Net | null`: The device named `name` in the manifest");
  expect(markdown).toContain("- `read(offset: u64, buf: Uint8Array): solo5_result_t`");
  expect(markdown).toContain("## solo5-wasm/assembly/tcpip/wire");
  expect(markdown).not.toMatch(/`[^`]*\bprivate\b[^`]*`/);
});
