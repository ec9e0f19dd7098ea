// The known name nearest to a mistyped one, for "did you mean" in refusals.
// Edits are counted with swaps of neighbours as one (Damerau): `rnu` is one from `run`.
import levenshtein from "damerau-levenshtein";

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
    const edits = levenshtein(w, n).steps;
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
