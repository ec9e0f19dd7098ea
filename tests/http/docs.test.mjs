// docs/http.md's examples compile as pasted: each ```ts block that is a whole guest
// (it exports solo5_app_main) is built in a fresh project that has this package in its
// node_modules (a symlink, as `npm install PATH` makes), importing it by name. They run
// only once the tender has the entropy call NetStack.open keys TCP from, so they are
// compiled with the package's compiler and not run.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { compileGuest } from "../../dist/build/compile.js";
import { ROOT } from "../helpers/paths.mjs";

const doc = fs.readFileSync(path.join(ROOT, "docs/http.md"), "utf8");
const guests = [...doc.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]).filter((code) => code.includes("solo5_app_main"));
const project = fs.mkdtempSync(path.join(os.tmpdir(), "solo5-http-doc-"));

beforeAll(() => {
  fs.mkdirSync(path.join(project, "node_modules"));
  fs.symlinkSync(ROOT, path.join(project, "node_modules", "solo5-wasm"));
});

afterAll(() => fs.rmSync(project, { recursive: true, force: true }));

test("docs/http.md has a server and a client example", () => {
  expect(guests.map((code) => (code.includes("new HttpServer") ? "server" : code.includes("new HttpClient") ? "client" : "?"))).toEqual(["server", "client"]);
});

test.each(guests.map((code, i) => [i + 1, code]))("example %i compiles as pasted", async (i, code) => {
  const dir = path.join(project, `example${i}`);
  fs.mkdirSync(dir);
  fs.writeFileSync(path.join(dir, "main.ts"), code);
  fs.copyFileSync(path.join(ROOT, "examples/http-serve/manifest.json"), path.join(dir, "manifest.json"));
  const out = path.join(dir, "kernel.wasm");
  await compileGuest(path.join(dir, "main.ts"), out);
  expect(fs.statSync(out).size).toBeGreaterThan(1000);
});
