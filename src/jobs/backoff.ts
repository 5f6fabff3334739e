/**
 * Delay before retry number `attempt` (1-based): exponential from 2 s, capped at 10 minutes,
 * with ±20 % jitter so a provider outage does not end in a synchronised stampede.
 */
export function retryDelayMs(attempt: number, random: () => number = Math.random): number {
  const base = Math.min(2_000 * 2 ** Math.max(0, attempt - 1), 600_000);
  return Math.round(base * (0.8 + 0.4 * random()));
}
