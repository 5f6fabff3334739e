import type { TestProject } from 'vitest/node';
import { DOVECOT_INSTALL_HINT, findDovecot, startDovecot } from './dovecot-server';
import type { DovecotContext } from './dovecot';

/**
 * One Dovecot for the whole test run. It starts in about 50 ms and stops in about 20 ms, so it
 * starts for every run rather than only for runs that include mail tests. When it cannot start
 * (not installed, not root), the reason is handed to the tests instead of failing the run: only
 * the tests that use it fail.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  let context: DovecotContext;
  let stop = async () => {};
  if (!findDovecot()) {
    context = { ok: false, error: DOVECOT_INSTALL_HINT };
  } else {
    try {
      const dovecot = await startDovecot();
      stop = dovecot.stop;
      const { stop: _stop, ...info } = dovecot;
      context = { ok: true, ...info };
    } catch (err) {
      const reason = err instanceof Error ? err.message : String(err);
      context = { ok: false, error: `Dovecot did not start: ${reason}` };
    }
  }
  project.provide('dovecot', context);
  return stop;
}
