// Small timing helpers shared by the platform bench's parts.

export const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[s.length >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/**
 * Times `a` and `b` alternately, `rounds` times each, so that a slow spell of the
 * machine hits both; returns `pick` (median by default) of each, in ms. Loops of
 * tiny calls pick the minimum: the run least disturbed by other work.
 */
export async function sideBySide(a, b, rounds, pick = median) {
  const ta = [];
  const tb = [];
  for (let i = 0; i < rounds; i++) {
    let t = performance.now();
    await a();
    ta.push(performance.now() - t);
    t = performance.now();
    await b();
    tb.push(performance.now() - t);
  }
  return [pick(ta), pick(tb)];
}
