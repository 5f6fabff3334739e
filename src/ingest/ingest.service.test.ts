import { describe, expect, it } from 'vitest';
import { DEFAULT_REOPEN_HOURS, reopenWindowHours } from './ingest.service';

// Which conversation a message lands in is decided by the database function ingest_message()
// alone; its table of cases runs against the real database in test/integration/ingest-rule.
describe('reopenWindowHours', () => {
  it('reads the inbox setting and falls back on nonsense', () => {
    expect(reopenWindowHours({ settings: { reopenWindowHours: 2 } })).toBe(2);
    expect(reopenWindowHours({ settings: { reopenWindowHours: 'soon' } })).toBe(
      DEFAULT_REOPEN_HOURS,
    );
    expect(reopenWindowHours({ settings: { reopenWindowHours: -1 } })).toBe(DEFAULT_REOPEN_HOURS);
    expect(reopenWindowHours({ settings: {} })).toBe(DEFAULT_REOPEN_HOURS);
  });
});
