import { describe, expect, it } from 'vitest';
import { hashOf, viewFromHash } from './reportUrl';

describe('the Reports address', () => {
  it('keeps the period and the filters through a reload', () => {
    const view = {
      range: { from: '2026-10-01', to: '2026-10-31' },
      teamId: 'a1b2c3d4-0000-4000-8000-000000000001',
      inboxId: '',
      assigneeId: 'a1b2c3d4-0000-4000-8000-000000000002',
      hoursId: '',
    };
    const hash = hashOf(view);
    expect(hash).toBe(
      '#/reports?from=2026-10-01&to=2026-10-31&team=a1b2c3d4-0000-4000-8000-000000000001&agent=a1b2c3d4-0000-4000-8000-000000000002',
    );
    expect(viewFromHash(hash)).toEqual(view);
  });

  it('is plain #/reports with nothing chosen', () => {
    expect(hashOf({ range: null, teamId: '', inboxId: '', assigneeId: '', hoursId: '' })).toBe(
      '#/reports',
    );
    expect(viewFromHash('#/reports').range).toBeNull();
  });

  it('drops what it cannot read: a reversed or impossible period, an id with markup', () => {
    expect(viewFromHash('#/reports?from=2026-10-31&to=2026-10-01').range).toBeNull();
    expect(viewFromHash('#/reports?from=2026-02-30&to=2026-03-01').range).toBeNull();
    expect(viewFromHash('#/reports?inbox=<script>').inboxId).toBe('');
  });
});
