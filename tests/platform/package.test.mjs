// solo5-wasm as users get it: packed (`npm pack`: the package.json "files" list),
// installed into a fresh project (the install script builds the TAP addon), then
// used from there: `solo5-wasm build` of a unikernel that imports
// solo5-wasm/assembly, `solo5-wasm run` of it, and the library API. Dependencies
// come from npm's cache, which `npm ci` filled.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { ROOT } from "../helpers/paths.mjs";

const project = fs.mkdtempSync(path.join(os.tmpdir(), "solo5-package-"));
const npm = (args, cwd) => execFileSync("npm", args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], timeout: 120000 });
const inProject = (file, args) => execFileSync(process.execPath, [file, ...args], { cwd: project, encoding: "utf8", timeout: 30000 });

beforeAll(() => {
  // dist/ is built already (npm test builds first): pack it without building again.
  const tarball = path.join(project, npm(["pack", "--ignore-scripts", "--silent", "--pack-destination", project], ROOT).trim());
  fs.writeFileSync(path.join(project, "package.json"), JSON.stringify({ name: "my-unikernel", private: true, type: "module" }));
  npm(["install", "--prefer-offline", "--no-audit", "--no-fund", tarball], project);
}, 180000);

afterAll(() => fs.rmSync(project, { recursive: true, force: true }));

const installed = path.join(project, "node_modules", "solo5-wasm");
const cli = path.join(installed, "dist", "node", "cli.js");

test("the install script builds the TAP addon", () => {
  expect(fs.existsSync(path.join(installed, "native/tap/build/Release/solo5_tap.node"))).toBe(true);
});

test("the installed CLI builds and runs a unikernel of the project", () => {
  fs.writeFileSync(
    path.join(project, "main.ts"),
    'import { cmdline, puts } from "solo5-wasm/assembly";\n' +
      'export function solo5_app_main(_si: usize): i32 { puts("Hello from " + cmdline() + "\\n"); return 0; }\n',
  );
  inProject(cli, ["build", "main.ts", "-o", "hello.wasm"]);
  expect(inProject(cli, ["run", "--mem=2", "hello.wasm", "--solo5:quiet", "a", "project"])).toBe("Hello from a project\n");
});

test("the project imports the library API by the package's name", () => {
  fs.writeFileSync(
    path.join(project, "run.js"),
    'import fs from "node:fs";\nimport { run } from "solo5-wasm";\n' +
      'const r = await run(fs.readFileSync("hello.wasm"), { mem: 2, args: ["--solo5:quiet", "the", "library"] });\n' +
      "process.exitCode = r.status;\n",
  );
  expect(inProject("run.js", [])).toBe("Hello from the library\n");
});
