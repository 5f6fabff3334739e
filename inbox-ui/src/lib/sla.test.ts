import { describe, expect, it } from 'vitest';
import { conversation } from './fixtures';
import { countdownParts, slaClocks, slaSummary, tickInterval } from './sla';

const NOW = Date.parse('2026-03-20T12:00:00Z');
const at = (minutes: number) => new Date(NOW + minutes * 60_000).toISOString();

describe('slaClocks', () => {
  it('lists the running clocks soonest first with what is left', () => {
    const c = conversation('c', {
      firstResponseDueAt: at(30),
      resolutionDueAt: at(240),
      slaState: 'ok',
    });
    expect(slaClocks(c, NOW).map((k) => [k.target, k.remainingMs / 60_000, k.tone])).toEqual([
      ['firstResponse', 30, 'ok'],
      ['resolution', 240, 'ok'],
    ]);
  });

  it('turns a clock red the moment its due time passes, before the server says so', () => {
    const c = conversation('c', { firstResponseDueAt: at(-1), slaState: 'warning' });
    expect(slaClocks(c, NOW)[0]?.tone).toBe('breached');
    expect(slaSummary(c, NOW)).toMatchObject({ kind: 'running', tone: 'breached' });
  });

  it('shows amber on the soonest clock when the server says warning and names no target', () => {
    const c = conversation('c', {
      firstResponseDueAt: at(5),
      resolutionDueAt: at(100),
      slaState: 'warning',
    });
    expect(slaClocks(c, NOW).map((k) => k.tone)).toEqual(['warning', 'ok']);
  });

  it('shows amber on exactly the target a socket event named', () => {
    const c = conversation('c', {
      firstResponseDueAt: at(5),
      resolutionDueAt: at(100),
      slaState: 'warning',
    });
    const clocks = slaClocks(c, NOW, { resolution: 'warning' });
    expect(clocks.map((k) => [k.target, k.tone])).toEqual([
      ['firstResponse', 'ok'],
      ['resolution', 'warning'],
    ]);
    expect(slaSummary(c, NOW, { resolution: 'warning' })?.tone).toBe('warning');
  });

  it('says paused when clocks exist but none runs, and nothing without an SLA or once resolved', () => {
    expect(slaSummary(conversation('c', { status: 'pending', slaState: 'ok' }), NOW)).toEqual({
      kind: 'paused',
      tone: 'ok',
    });
    expect(slaSummary(conversation('c'), NOW)).toBeNull();
    expect(
      slaSummary(conversation('c', { status: 'resolved', resolutionDueAt: at(-5) }), NOW),
    ).toBeNull();
  });
});

describe('countdown formatting', () => {
  it('keeps the two largest units', () => {
    expect(countdownParts(2 * 86_400_000 + 4 * 3_600_000 + 59_000).units).toEqual([2, 'd', 4, 'h']);
    expect(countdownParts(3 * 3_600_000 + 5 * 60_000).units).toEqual([3, 'h', 5, 'm']);
    expect(countdownParts(4 * 60_000 + 9_000)).toEqual({ overdue: false, units: [4, 'm', 9, 's'] });
    expect(countdownParts(-61_000)).toEqual({ overdue: true, units: [1, 'm', 1, 's'] });
  });

  it('ticks every second in the last hour and every half minute before', () => {
    expect(tickInterval(59 * 60_000)).toBe(1_000);
    expect(tickInterval(-10_000)).toBe(1_000);
    expect(tickInterval(2 * 3_600_000)).toBe(30_000);
  });
});
