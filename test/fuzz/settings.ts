/**
 * The fuzz suite's seed and size. A failure prints its seed; replay it with
 * `FUZZ_SEED=<seed> npx vitest run test/fuzz`. FUZZ_RUNS raises the runs per case.
 */
export function fuzzSettings(suite: string): { seed: number; runs: number } {
  const given = Number(process.env.FUZZ_SEED);
  const seed = Number.isInteger(given) ? given : Math.floor(Math.random() * 2 ** 31);
  const runs = Number(process.env.FUZZ_RUNS) > 0 ? Number(process.env.FUZZ_RUNS) : 6;
  console.warn(`fuzz ${suite}: seed ${seed}, ${runs} runs a case (replay: FUZZ_SEED=${seed})`);
  return { seed, runs };
}
