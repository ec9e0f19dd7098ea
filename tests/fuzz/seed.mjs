// The seed of the suite's short fuzz runs: FUZZ_SEED, or a fresh one. Tests put it
// in their names, so a failure's report says how to repeat it (FUZZ_SEED=... npm run fuzz -- NAME).
export const SEED = process.env.FUZZ_SEED === undefined ? Date.now() % 2 ** 31 : Number(process.env.FUZZ_SEED);
