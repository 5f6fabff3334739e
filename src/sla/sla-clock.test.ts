import { describe, expect, it } from 'vitest';
import type { Calendar } from '../business-hours/calendar';
import {
  budgetFor,
  clockStatus,
  meetClock,
  pauseClock,
  rebudgetClock,
  resumeClock,
  selectPolicy,
  startClock,
  type PolicyLike,
} from './sla-clock';

// Monday to Friday 09:00–17:00 in Berlin (UTC+2 in June).
const berlin: Calendar = {
  timeZone: 'Europe/Berlin',
  weekly: [1, 2, 3, 4, 5].map((day) => ({ day, open: '09:00', close: '17:00' })),
  holidays: [],
};
const at = (iso: string) => ({ calendar: berlin, warningPercent: 80, now: new Date(iso) });
const iso = (d: Date | null) => d?.toISOString() ?? null;

describe('an SLA clock', () => {
  it('is due after its budget of open time, and warns at 80 % of it', () => {
    // Friday 16:00 local, 2 hours: 1 hour on Friday, 1 hour on Monday.
    const c = startClock(7_200, at('2026-06-12T14:00:00Z'));
    expect(iso(c.dueAt)).toBe('2026-06-15T08:00:00.000Z');
    expect(iso(c.warnAt)).toBe('2026-06-15T07:36:00.000Z');
    expect(clockStatus(c)).toBe('ok');
  });

  it('does not consume while paused, and moves its due time when resumed', () => {
    const c = startClock(7_200, at('2026-06-10T07:00:00Z')); // Wed 09:00, due 11:00
    const paused = pauseClock(c, at('2026-06-10T07:30:00Z')); // 30 min used
    expect(paused).toMatchObject({ consumedSeconds: 1_800, dueAt: null, runningSince: null });
    expect(clockStatus(paused)).toBe('paused');
    // Resumed two open hours later: 90 min left.
    const resumed = resumeClock(paused, at('2026-06-10T09:30:00Z'));
    expect(iso(resumed.dueAt)).toBe('2026-06-10T11:00:00.000Z');
  });

  it('keeps what was used when the target changes (a complaint moved up a level)', () => {
    const c = startClock(4 * 3_600, at('2026-06-10T07:00:00Z'));
    const tighter = rebudgetClock(c, 2 * 3_600, at('2026-06-10T08:00:00Z'));
    expect(tighter.consumedSeconds).toBe(3_600);
    expect(iso(tighter.dueAt)).toBe('2026-06-10T09:00:00.000Z');
  });

  it('stops for good when met, and is not resumed after', () => {
    const met = meetClock(
      startClock(3_600, at('2026-06-10T07:00:00Z')),
      at('2026-06-10T07:20:00Z'),
    );
    expect(clockStatus(met)).toBe('met');
    expect(resumeClock(met, at('2026-06-10T08:00:00Z'))).toBe(met);
  });
});

const policy = (p: Partial<PolicyLike> & { id: string }): PolicyLike => ({
  enabled: true,
  position: 0,
  appliesTo: {},
  firstResponseMinutes: null,
  nextResponseMinutes: null,
  resolutionMinutes: null,
  levelTargets: {},
  ...p,
});

describe('policies', () => {
  const vip = policy({
    id: 'vip',
    position: 1,
    appliesTo: { tiers: ['gold'] },
    firstResponseMinutes: 15,
  });
  const complaints = policy({
    id: 'complaints',
    position: 2,
    appliesTo: { complaint: true },
    resolutionMinutes: 480,
    levelTargets: { '2': { resolutionMinutes: 240 }, '3': { resolutionMinutes: 120 } },
  });
  const everyone = policy({ id: 'everyone', position: 3, firstResponseMinutes: 60 });
  const off = policy({ id: 'off', position: 0, enabled: false });
  const facts = { tier: null, priority: 'none', inboxId: 'i', channel: 'sms', level: 0 };

  it.each([
    ['a gold customer', { ...facts, tier: 'gold' }, 'vip'],
    ['a complaint', { ...facts, level: 2 }, 'complaints'],
    ['anyone else', facts, 'everyone'],
  ])('chooses the first that applies, in order, for %s', (_n, f, id) => {
    expect(selectPolicy([everyone, complaints, vip, off], f)?.id).toBe(id);
  });

  it('uses the level’s target where one is set, the default otherwise', () => {
    expect(budgetFor(complaints, 'resolution', 1)).toBe(480 * 60);
    expect(budgetFor(complaints, 'resolution', 3)).toBe(120 * 60);
    expect(budgetFor(complaints, 'firstResponse', 3)).toBeNull();
  });
});
