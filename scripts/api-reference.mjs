// docs/api.md, the reference of the AssemblyScript API, made from the sources: every
// name the package's AssemblyScript entry points export, with its signature as written
// and the doc comment (/** ... */) above it.
//
// Written with TypeScript's parser rather than TypeDoc: TypeDoc types each declaration
// with the checker, which sees asc's u8..u64, usize and bool as `number`/`boolean`, and
// in this API the width of an integer is the point. The parser keeps the text as written.
//
//   node scripts/api-reference.mjs           rewrite docs/api.md
//   node scripts/api-reference.mjs --check   exit 1 if docs/api.md is out of step, or
//                                            an exported name has no doc comment
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
export const API_MD = path.join(ROOT, "docs", "api.md");

/** Each import path a unikernel uses, and the file behind it. */
const ENTRY_POINTS = [
  ["solo5-wasm/assembly", "assembly/index.ts"],
  ["solo5-wasm/assembly/tcpip", "assembly/tcpip/index.ts"],
  ["solo5-wasm/assembly/tcpip/wire", "assembly/tcpip/wire/index.ts"],
  ["solo5-wasm/assembly/http", "assembly/http/index.ts"],
];

const sources = new Map();
function sourceFile(rel) {
  let sf = sources.get(rel);
  if (sf === undefined) {
    sf = ts.createSourceFile(rel, fs.readFileSync(path.join(ROOT, rel), "utf8"), ts.ScriptTarget.Latest, true);
    sources.set(rel, sf);
  }
  return sf;
}

/** The file an import specifier of `from` names: ./x is x.ts or x/index.ts. */
function resolve(from, specifier) {
  const base = path.posix.join(path.posix.dirname(from), specifier);
  return fs.existsSync(path.join(ROOT, `${base}.ts`)) ? `${base}.ts` : `${base}/index.ts`;
}

const hasModifier = (node, kind) => (ts.canHaveModifiers(node) ? ts.getModifiers(node) ?? [] : []).some((m) => m.kind === kind);
const isExported = (node) => hasModifier(node, ts.SyntaxKind.ExportKeyword);

/** The names a statement declares. */
function declaredNames(statement) {
  if (ts.isVariableStatement(statement)) return statement.declarationList.declarations.map((d) => d.name.getText());
  return statement.name ? [statement.name.getText()] : [];
}

/** Every [name, declaration, file] that `rel` exports, in source order, re-exports followed. */
function exportsOf(rel, only) {
  const sf = sourceFile(rel);
  const out = [];
  for (const statement of sf.statements) {
    if (ts.isExportDeclaration(statement) && statement.moduleSpecifier) {
      const target = resolve(rel, statement.moduleSpecifier.text);
      if (statement.exportClause === undefined) {
        out.push(...exportsOf(target, only));
        continue;
      }
      for (const element of statement.exportClause.elements) {
        const name = element.name.text;
        if (only !== undefined && !only.has(name)) continue;
        const original = element.propertyName?.text ?? name;
        const found = exportsOf(target, new Set([original]));
        if (found.length === 0) throw new Error(`${rel}: ${original} is not exported by ${target}`);
        out.push(...found.map(([, decl, file]) => [name, decl, file]));
      }
    } else if (isExported(statement)) {
      for (const name of declaredNames(statement)) {
        if (only === undefined || only.has(name)) out.push([name, statement, rel]);
      }
    }
  }
  return out;
}

/** The text of the /** comment just above `node`, as one paragraph; "" if it has none. */
function docComment(node) {
  const sf = node.getSourceFile();
  const ranges = ts.getLeadingCommentRanges(sf.text, node.getFullStart()) ?? [];
  const doc = ranges.filter((r) => sf.text.startsWith("/**", r.pos)).at(-1);
  if (doc === undefined) return "";
  return sf.text
    .slice(doc.pos + 3, doc.end - 2)
    .split("\n")
    .map((line) => line.replace(/^\s*\* ?/, "").trim())
    .join("\n")
    .trim()
    .replace(/\n(?!\n)/g, " ")
    .replace(/\n\n+/g, "\n\n");
}

const text = (node) => node?.getText().replace(/\s+/g, " ") ?? "";
const typeParams = (node) => (node.typeParameters ? `<${node.typeParameters.map(text).join(", ")}>` : "");
const params = (node) => `(${node.parameters.map(text).join(", ")})`;
const returns = (node) => (node.type ? `: ${text(node.type)}` : "");

/** `readonly static ...`: the modifiers worth showing on a member. */
function memberPrefix(node) {
  const shown = [ts.SyntaxKind.StaticKeyword, ts.SyntaxKind.ReadonlyKeyword, ts.SyntaxKind.AbstractKeyword];
  return (ts.canHaveModifiers(node) ? ts.getModifiers(node) ?? [] : [])
    .filter((m) => shown.includes(m.kind))
    .map((m) => `${m.getText()} `)
    .join("");
}

/** Private, protected, or public only so the stack's own modules can reach it: a doc
 * comment that begins with @internal (AssemblyScript has no package-private members). */
const isHidden = (node) =>
  hasModifier(node, ts.SyntaxKind.PrivateKeyword) ||
  hasModifier(node, ts.SyntaxKind.ProtectedKeyword) ||
  node.name?.getText().startsWith("_") ||
  docComment(node).startsWith("@internal");

/** What a constructor without a comment of its own says: the class's comment covers it. */
const CONSTRUCTOR_DOC = "Makes one; the class's comment says what it is.";

/** Every class the entry points reach, by name: where an override finds its base's comment. */
const classes = new Map();

/** The comment of `name` in the classes `decl` extends, for an override that has none. */
function inheritedDoc(decl, name) {
  const base = decl.heritageClauses?.find((h) => h.token === ts.SyntaxKind.ExtendsKeyword)?.types[0]?.expression.getText();
  const baseDecl = base === undefined ? undefined : classes.get(base);
  if (baseDecl === undefined) return "";
  const member = baseDecl.members.find((m) => m.name?.getText() === name && !ts.isSetAccessorDeclaration(m));
  return (member && docComment(member)) || inheritedDoc(baseDecl, name);
}

/** Each public member of a class: [signature, doc comment], in source order. */
function classMembers(decl, className) {
  const out = [];
  const doc = (member) => docComment(member) || inheritedDoc(decl, member.name.getText());
  for (const member of decl.members) {
    if (ts.isConstructorDeclaration(member)) {
      // Parameter properties (`readonly name: string`) are fields, even of a private constructor.
      for (const p of member.parameters) {
        const isField = (ts.getModifiers(p) ?? []).length > 0;
        if (isField && !isHidden(p)) out.push([`${memberPrefix(p)}${p.name.getText()}: ${text(p.type)}`, docComment(p)]);
      }
      // Its parameters as a caller writes them, without the modifiers that make fields.
      const args = member.parameters.map((p) => `${p.name.getText()}${p.questionToken ? "?" : ""}${p.type ? `: ${text(p.type)}` : ""}${p.initializer ? ` = ${text(p.initializer)}` : ""}`);
      if (!isHidden(member)) out.push([`new ${className}(${args.join(", ")})`, docComment(member) || CONSTRUCTOR_DOC]);
      continue;
    }
    if (isHidden(member) || ts.isClassStaticBlockDeclaration(member) || ts.isSemicolonClassElement(member)) continue;
    const name = member.name.getText();
    const prefix = memberPrefix(member);
    if (ts.isPropertyDeclaration(member)) {
      out.push([`${prefix}${name}: ${text(member.type)}${constantValue(member)}`, doc(member)]);
    } else if (ts.isMethodDeclaration(member)) {
      out.push([`${prefix}${name}${typeParams(member)}${params(member)}${returns(member)}`, doc(member)]);
    } else if (ts.isGetAccessorDeclaration(member)) {
      const hasSetter = decl.members.some((m) => ts.isSetAccessorDeclaration(m) && m.name.getText() === name && !isHidden(m));
      out.push([`${prefix}${hasSetter ? "" : "readonly "}${name}${returns(member)}`, doc(member)]);
    } else if (ts.isSetAccessorDeclaration(member)) {
      const hasGetter = decl.members.some((m) => ts.isGetAccessorDeclaration(m) && m.name.getText() === name);
      if (!hasGetter) out.push([`${prefix}set ${name}${params(member)}`, doc(member)]);
    }
  }
  return out;
}

/** ` = 42` for a static readonly or const with a short literal value; the value is the documentation. */
function constantValue(decl) {
  const init = decl.initializer;
  if (init === undefined) return "";
  const isLiteral = ts.isNumericLiteral(init) || ts.isStringLiteral(init) || ts.isPrefixUnaryExpression(init) || ts.isPropertyAccessExpression(init);
  const isConstant = ts.isVariableDeclaration(decl) || (hasModifier(decl, ts.SyntaxKind.StaticKeyword) && hasModifier(decl, ts.SyntaxKind.ReadonlyKeyword));
  return isLiteral && isConstant && text(init).length <= 40 ? ` = ${text(init)}` : "";
}

/** One export: its heading signature, its doc comment and its members' [signature, doc]. */
function describe(name, decl) {
  if (ts.isFunctionDeclaration(decl)) {
    const declare = hasModifier(decl, ts.SyntaxKind.DeclareKeyword) ? "declare " : "";
    return { signature: `${declare}function ${name}${typeParams(decl)}${params(decl)}${returns(decl)}`, doc: docComment(decl), members: [] };
  }
  if (ts.isVariableStatement(decl)) {
    const d = decl.declarationList.declarations.find((v) => v.name.getText() === name);
    const kind = decl.declarationList.flags & ts.NodeFlags.Const ? "const" : "let";
    return { signature: `${kind} ${name}${d.type ? `: ${text(d.type)}` : ""}${constantValue(d)}`, doc: docComment(decl), members: [] };
  }
  if (ts.isClassDeclaration(decl)) {
    const heritage = decl.heritageClauses ? ` ${decl.heritageClauses.map(text).join(" ")}` : "";
    const abstract = hasModifier(decl, ts.SyntaxKind.AbstractKeyword) ? "abstract " : "";
    return { signature: `${abstract}class ${name}${typeParams(decl)}${heritage}`, doc: docComment(decl), members: classMembers(decl, name) };
  }
  if (ts.isEnumDeclaration(decl)) {
    const members = decl.members.map((m) => [`${name}.${m.name.getText()}${m.initializer ? ` = ${text(m.initializer)}` : ""}`, docComment(m)]);
    return { signature: `enum ${name}`, doc: docComment(decl), members };
  }
  if (ts.isTypeAliasDeclaration(decl)) {
    return { signature: `type ${name}${typeParams(decl)} = ${text(decl.type)}`, doc: docComment(decl), members: [] };
  }
  if (ts.isInterfaceDeclaration(decl)) {
    const members = decl.members.map((m) => [text(m).replace(/;$/, ""), docComment(m)]);
    return { signature: `interface ${name}${typeParams(decl)}`, doc: docComment(decl), members };
  }
  throw new Error(`${decl.getSourceFile().fileName}: ${name}: a kind of declaration this reference does not describe (${ts.SyntaxKind[decl.kind]})`);
}

/** Markdown for docs/api.md, and each exported name or member that has no doc comment. */
export function apiReference() {
  const undocumented = [];
  const lines = [
    "# API reference: the AssemblyScript API",
    "",
    "<!-- Made by `node scripts/api-reference.mjs` from the sources' doc comments; do not edit by hand:",
    "     tests/docs/api-reference.test.mjs fails when this file and the sources disagree. -->",
    "",
    "Every name a unikernel can import from the package, with its signature as the source",
    "writes it and the doc comment above it, grouped by import path and then by source",
    "file. How the pieces fit together is in [assemblyscript.md](assemblyscript.md),",
    "[net.md](net.md), [block.md](block.md), [tcpip.md](tcpip.md) and [http.md](http.md);",
    "the calls underneath are the ABI's ([abi.md](abi.md)). Examples that run as pasted:",
    "raw frames between two guests on a `hub:` ([net.md](net.md#examplesframes-raw-frames-between-two-guests),",
    "`examples/frames`), a hundred guests in a pool ([density.md](density.md)), an HTTP",
    "server ([http.md](http.md), `examples/http-serve`).",
    "",
    ...ENTRY_POINTS.map(([specifier]) => `- [\`${specifier}\`](#${specifier.replace(/[^a-z0-9-]/g, "")})`),
  ];
  for (const [, entry] of ENTRY_POINTS) {
    for (const [name, decl] of exportsOf(entry)) if (ts.isClassDeclaration(decl)) classes.set(name, decl);
  }
  for (const [specifier, entry] of ENTRY_POINTS) {
    lines.push("", `## ${specifier}`, "", `\`import { ... } from "${specifier}";\` (\`${entry}\`)`);
    let file = "";
    for (const [name, decl, rel] of exportsOf(entry)) {
      if (rel !== file) {
        file = rel;
        lines.push("", `### ${rel}`, "");
      }
      const { signature, doc, members } = describe(name, decl);
      if (doc === "") undocumented.push(`${rel}: ${name}`);
      if (members.length === 0) {
        lines.push(`- \`${signature}\`${doc ? `: ${doc.replace(/\n\n/g, " ")}` : ""}`);
        continue;
      }
      lines.push("", `#### \`${signature}\``, "");
      if (doc) lines.push(doc, "");
      for (const [member, memberDoc] of members) {
        // An enum's members are named for what they are; the enum's own comment says the rest.
        if (memberDoc === "" && !ts.isEnumDeclaration(decl)) undocumented.push(`${rel}: ${name}: ${member}`);
        lines.push(`- \`${member}\`${memberDoc ? `: ${memberDoc.replace(/\n\n/g, " ")}` : ""}`);
      }
      lines.push("");
    }
  }
  return { markdown: `${lines.join("\n").replace(/\n{3,}/g, "\n\n").trimEnd()}\n`, undocumented };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { markdown, undocumented } = apiReference();
  if (process.argv.includes("--check")) {
    const current = fs.existsSync(API_MD) ? fs.readFileSync(API_MD, "utf8") : "";
    for (const what of undocumented) console.error(`api-reference: no doc comment: ${what}`);
    if (current !== markdown) console.error("api-reference: docs/api.md is out of step with the sources: run node scripts/api-reference.mjs");
    process.exit(current === markdown && undocumented.length === 0 ? 0 : 1);
  }
  fs.writeFileSync(API_MD, markdown);
  for (const what of undocumented) console.error(`api-reference: no doc comment: ${what}`);
}
