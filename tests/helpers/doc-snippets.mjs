// The fenced code blocks of a Markdown file, each with its language, the line its
// fence is on, and what the comment on the line just above the fence says of it:
//   <!-- snippet: fragment ... -->   a piece of a whole, not checked on its own
//   <!-- snippet: run -->            also run as pasted (Node and shell snippets)
//   <!-- snippet: in DIR -->         its relative imports are files of DIR (of the repository)
// A block with neither is checked as its language allows (tests/docs/snippets.test.mjs).
import fs from "node:fs";

const FENCE = /^```(\S*)\s*$/;
const MARK = /^<!--\s*snippet:\s*(fragment|run|in\s+(\S+))\b.*-->\s*$/;

/** @returns {{ file: string, line: number, lang: string, code: string, mark: "fragment" | "run" | "in" | undefined, dir: string | undefined }[]} */
export function docSnippets(file) {
  const lines = fs.readFileSync(file, "utf8").split("\n");
  const snippets = [];
  for (let i = 0; i < lines.length; i++) {
    const open = FENCE.exec(lines[i]);
    if (!open) continue;
    const end = lines.findIndex((l, j) => j > i && l.trimEnd() === "```");
    if (end < 0) throw new Error(`${file}:${i + 1}: a code block that is never closed`);
    const mark = MARK.exec(lines[i - 1] ?? "");
    snippets.push({ file, line: i + 1, lang: open[1], code: lines.slice(i + 1, end).join("\n") + "\n", mark: mark?.[1].split(/\s/)[0], dir: mark?.[2] });
    i = end;
  }
  return snippets;
}
