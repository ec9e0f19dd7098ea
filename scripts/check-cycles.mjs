// Import cycles among the tender's modules (host/): every import and re-export,
// of values and of types alike (a cycle through types is a layering mistake too),
// static or dynamic, as TypeScript itself reads them from each file. Prints each
// cycle's modules and exits 1 if there is any. tests/core/cycles.test.mjs runs it.
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";

const HOST = fileURLToPath(new URL("../host/", import.meta.url));

const sources = (dir) =>
  fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? sources(p) : e.name.endsWith(".ts") && !e.name.endsWith(".d.ts") ? [p] : [];
  });

/** Each module's relative imports, as paths of the .ts files they name. */
function importGraph() {
  const graph = new Map();
  for (const file of sources(HOST)) {
    const { importedFiles } = ts.preProcessFile(fs.readFileSync(file, "utf8"), true, true);
    const deps = importedFiles
      .map((i) => i.fileName)
      .filter((name) => name.startsWith("."))
      .map((name) => path.resolve(path.dirname(file), name).replace(/\.js$/, ".ts"));
    graph.set(file, [...new Set(deps)]);
  }
  return graph;
}

/** Strongly connected components of more than one module, or of one importing itself (Tarjan). */
function cycles(graph) {
  let next = 0;
  const index = new Map();
  const low = new Map();
  const stack = [];
  const onStack = new Set();
  const found = [];
  const visit = (v) => {
    index.set(v, next);
    low.set(v, next++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!graph.has(w)) continue;
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v), low.get(w)));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v), index.get(w)));
    }
    if (low.get(v) !== index.get(v)) return;
    const component = [];
    for (let w; w !== v; ) {
      w = stack.pop();
      onStack.delete(w);
      component.push(w);
    }
    if (component.length > 1 || graph.get(v).includes(v)) found.push(component.sort());
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return found;
}

const found = cycles(importGraph());
for (const c of found) console.error(`import cycle: ${c.map((f) => path.relative(HOST, f)).join(", ")}`);
if (found.length > 0) process.exit(1);
console.log("no import cycles in host/");
