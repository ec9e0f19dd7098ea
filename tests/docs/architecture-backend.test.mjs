// docs/architecture.md's example backend (net-loop.ts) is a host module, not a guest:
// it is type-checked with the host's tsconfig as if it were the file it says it is,
// host/node/backends/net-loop.ts, beside the modules it imports (the tree is not
// touched: the compiler host serves that one file from the doc).
import fs from "node:fs";
import path from "node:path";
import ts from "typescript";
import { docSnippets } from "../helpers/doc-snippets.mjs";
import { ROOT } from "../helpers/paths.mjs";

test("the loop: backend of docs/architecture.md type-checks in host/node/backends", () => {
  const [example] = docSnippets(path.join(ROOT, "docs/architecture.md")).filter((s) => s.lang === "ts");
  expect(example.code).toContain("export const netLoop");
  const file = path.join(ROOT, "host/node/backends/net-loop.ts");
  const configFile = path.join(ROOT, "host/tsconfig.json");
  const { config } = ts.readConfigFile(configFile, ts.sys.readFile);
  const { options } = ts.parseJsonConfigFileContent(config, ts.sys, path.dirname(configFile));
  const host = ts.createCompilerHost({ ...options, noEmit: true });
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (name, language, ...rest) =>
    path.resolve(name) === file ? ts.createSourceFile(name, example.code, language) : getSourceFile(name, language, ...rest);
  const fileExists = host.fileExists.bind(host);
  host.fileExists = (name) => path.resolve(name) === file || fileExists(name);
  const program = ts.createProgram([file], { ...options, noEmit: true }, host);
  const errors = ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, "\n"));
  expect(fs.existsSync(file)).toBe(false);
  expect(errors).toEqual([]);
});
