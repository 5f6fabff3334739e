import type { Translate } from '../i18n/core';

const TIER_KEYS = { gold: 'tier.gold', silver: 'tier.silver', bronze: 'tier.bronze' } as const;

/** A value tier in the agent's language (a tier an admin named, as it was written). */
export function tierLabel(tier: string, t: Translate): string {
  for (const [name, key] of Object.entries(TIER_KEYS)) if (name === tier) return t(key);
  return tier;
}
