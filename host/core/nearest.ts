// The known name nearest to a mistyped one, for "did you mean" in refusals.

/** Edits (insertions, deletions, substitutions, swaps of neighbours, each 1) from a to b. */
function distance(a: string, b: string): number {
  let before: number[] = [];
  let row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const next = [i];
    for (let j = 1; j <= b.length; j++) {
      next[j] = Math.min(row[j]! + 1, next[j - 1]! + 1, row[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) next[j] = Math.min(next[j]!, before[j - 2]! + 1);
    }
    [before, row] = [row, next];
  }
  return row[b.length]!;
}

/**
 * The candidate nearest to `word`, if one is near enough to be what was meant: within
 * a third of its length of edits (at least one), or one it begins with or that begins
 * with it (`--memory` for `--mem`), counted as just near enough.
 */
export function nearest(word: string, candidates: readonly string[]): string | undefined {
  const w = word.toLowerCase();
  const near = Math.max(1, Math.floor(w.length / 3));
  let best: { name: string; d: number } | undefined;
  for (const name of candidates) {
    const n = name.toLowerCase();
    const edits = distance(w, n);
    const d = n.startsWith(w) || w.startsWith(n) ? Math.min(edits, near) : edits;
    if (d <= near && (best === undefined || d < best.d)) best = { name, d };
  }
  return best?.name;
}

/** ": did you mean X?" when a candidate is near `word`, else nothing. */
export const didYouMean = (word: string, candidates: readonly string[]): string => {
  const near = nearest(word, candidates);
  return near === undefined ? "" : `: did you mean ${near}?`;
};
