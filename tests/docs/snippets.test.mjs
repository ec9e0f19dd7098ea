// Every snippet of README.md and docs/*.md works as pasted (tests/helpers/doc-snippets.mjs
// says how a snippet is marked as a fragment, to be run, or importing files of a folder):
// - ts: an AssemblyScript guest, compiled with the package's compiler in a fresh project
//   that has this package in its node_modules (a symlink, as `npm install PATH` makes);
// - js, and an html page's module script: parsed as a module and linked against what
//   it imports (the built library by its package name, the browser bundle by the path a
//   page loads it from), so a misspelt or missing export fails; marked `run`, run too;
// - sh: checked by bash -n, and every `solo5-wasm run` line parsed by run's own parser;
//   marked `run`, run by bash with solo5-wasm on the path, from the repository's root;
// - json: parsed, and a Solo5 manifest checked as the tender checks one.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import vm from "node:vm";
import { compileGuest } from "../../dist/build/compile.js";
import { parseManifest } from "../../dist/core/manifest.js";
import { parseRunArgs } from "../../dist/node/commands/run-args.js";
import { docSnippets } from "../helpers/doc-snippets.mjs";
import { CLI, ROOT } from "../helpers/paths.mjs";

const DOCS = ["README.md", ...fs.readdirSync(path.join(ROOT, "docs")).filter((f) => f.endsWith(".md")).map((f) => `docs/${f}`)];
const snippets = DOCS.flatMap((doc) => docSnippets(path.join(ROOT, doc)).map((s) => ({ ...s, where: `${doc}:${s.line}` })));
const checked = (lang) => snippets.filter((s) => s.lang === lang && s.mark !== "fragment").map((s) => [s.where, s]);

const project = fs.mkdtempSync(path.join(os.tmpdir(), "solo5-doc-snippets-"));
const bin = path.join(project, "bin");

beforeAll(() => {
  fs.mkdirSync(path.join(project, "node_modules"));
  fs.symlinkSync(ROOT, path.join(project, "node_modules", "solo5-wasm"));
  fs.mkdirSync(bin);
  fs.writeFileSync(path.join(bin, "solo5-wasm"), `#!/bin/sh\nexec "${process.execPath}" "${CLI}" "$@"\n`, { mode: 0o755 });
});

afterAll(() => fs.rmSync(project, { recursive: true, force: true }));

test("every language the docs use is one this test checks or knowingly leaves alone", () => {
  const known = new Set(["ts", "js", "html", "sh", "json", "c", "nginx", ""]);
  expect(snippets.filter((s) => !known.has(s.lang)).map((s) => `${s.where} ${s.lang}`)).toEqual([]);
});

test.each(checked("ts"))("%s compiles", async (where, { code }) => {
  const dir = fs.mkdtempSync(path.join(project, "guest-"));
  fs.writeFileSync(path.join(dir, "main.ts"), code);
  const out = path.join(dir, "kernel.wasm");
  await compileGuest(path.join(dir, "main.ts"), out);
  expect(fs.statSync(out).size).toBeGreaterThan(1000);
});

/** A package's own name for its files, as its exports map gives them. */
const packageExports = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")).exports;

/** The file a snippet's import names, for a snippet from `dir` (its `in DIR` mark). */
function importedFile(specifier, dir) {
  if (specifier === "solo5-wasm" || specifier.startsWith("solo5-wasm/")) {
    const target = packageExports[specifier === "solo5-wasm" ? "." : `./${specifier.slice("solo5-wasm/".length)}`];
    if (target === undefined) throw new Error(`"${specifier}" is not among the package's exports`);
    return path.join(ROOT, target);
  }
  // A page's URL: the repository served at / (solo5-wasm serve .), or a project that
  // has the package in node_modules.
  if (specifier.startsWith("/")) return path.join(ROOT, specifier.replace(/^\/node_modules\/solo5-wasm\//, "/"));
  if (specifier.startsWith(".")) {
    if (dir === undefined) throw new Error(`a relative import (${specifier}) needs <!-- snippet: in DIR --> above the block`);
    return path.join(ROOT, dir, specifier);
  }
  return undefined; // node:... and the like
}

/** A module for what `file` exports, linked without running it where it needs a page. */
async function exportsOf(file) {
  if (file.startsWith(path.join(ROOT, "dist/browser/"))) {
    // The page's bundle imports nothing and is not run here (it needs a page).
    const bundle = new vm.SourceTextModule(fs.readFileSync(file, "utf8"), { identifier: file });
    await bundle.link(() => {
      throw new Error(`${file} imports`);
    });
    return bundle;
  }
  const names = Object.keys(await import(pathToFileURL(file).href));
  return new vm.SyntheticModule(names, () => {}, { identifier: file });
}

/** Parses `code` as a module and links it: a syntax error or an import that names nothing exported throws. */
async function link(code, where, dir) {
  const module = new vm.SourceTextModule(code, { identifier: where });
  await module.link(async (specifier) => {
    const file = importedFile(specifier, dir);
    if (file === undefined) return new vm.SyntheticModule(Object.keys(await import(specifier)), () => {});
    return exportsOf(file);
  });
  return module.status;
}

const scriptOf = (html) => [...html.matchAll(/<script type="module">([\s\S]*?)<\/script>/g)].map((m) => m[1]).join("\n");
const nodeSnippets = [...checked("js"), ...checked("html").map(([where, s]) => [where, { ...s, code: scriptOf(s.code) }])];

// Linked before the tests: a test helper a snippet imports (tests/net/netns.mjs) may
// add jest hooks as it loads, which jest allows only outside tests.
const linked = new Map();
for (const [where, { code, dir }] of nodeSnippets) linked.set(where, await link(code, where, dir).catch((e) => String(e)));

test.each(nodeSnippets)("%s parses and its imports exist", (where) => {
  expect(linked.get(where)).toBe("linked");
});

const runnable = (lang) => checked(lang).filter(([, s]) => s.mark === "run");

test.each(runnable("js"))("%s runs", (where, { code }) => {
  // Written into the project, so "solo5-wasm" resolves as it does for a user; run from
  // the repository's root, where the paths it names are.
  const file = path.join(fs.mkdtempSync(path.join(project, "js-")), "snippet.mjs");
  fs.writeFileSync(file, code);
  const r = spawnSync(process.execPath, [file], { cwd: ROOT, encoding: "utf8", timeout: 30000 });
  expect(r.status === 0 ? { status: 0 } : { status: r.status, stderr: r.stderr }).toEqual({ status: 0 });
});

/** The command lines of a shell snippet, comments and continuation lines joined. */
const commandLines = (code) => code.replace(/\\\n/g, " ").split("\n").map((l) => l.replace(/(^|\s)#.*$/, "").trim()).filter(Boolean);

/** A command line's words, with '...' and "..." quoting. */
const words = (line) => [...line.matchAll(/'([^']*)'|"([^"]*)"|(\S+)/g)].map((m) => m[1] ?? m[2] ?? m[3]);

test.each(checked("sh"))("%s is valid shell and its solo5-wasm run lines parse", (where, { code }) => {
  const r = spawnSync("bash", ["-n"], { input: code, encoding: "utf8" });
  expect(r.stderr).toBe("");
  for (const line of commandLines(code)) {
    const w = words(line);
    const at = w.indexOf("solo5-wasm");
    if (at < 0 || w[at + 1] !== "run") continue;
    expect(() => parseRunArgs(w.slice(at + 2))).not.toThrow();
  }
});

test.each(runnable("sh"))("%s runs", (where, { code }) => {
  const r = spawnSync("bash", ["-e", "-c", code], {
    cwd: ROOT, encoding: "utf8", timeout: 60000, env: { ...process.env, PATH: `${bin}:${process.env.PATH}` },
  });
  expect(r.status === 0 ? { status: 0 } : { status: r.status, stderr: r.stderr }).toEqual({ status: 0 });
});

test.each(checked("json"))("%s is JSON, and a manifest the tender accepts", (where, { code }) => {
  const value = JSON.parse(code);
  if (value.type === "solo5.manifest") expect(() => parseManifest(code)).not.toThrow();
});
