import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { EMAIL_FIXTURES_DIR, ORIGINAL_MESSAGE_ID } from '../../fixtures/email/generate';

export { buildLargeAttachmentMessage } from '../../fixtures/email/generate';

/** The .eml files of test/fixtures/email. */
export function emailFixtureNames(): string[] {
  return readdirSync(EMAIL_FIXTURES_DIR)
    .filter((name) => name.endsWith('.eml'))
    .sort();
}

/**
 * One fixture's bytes. `originalMessageId` (with or without angle brackets) replaces the
 * ORIGINAL_MESSAGE_ID placeholder: the Message-ID of the message the fixture answers or bounces,
 * which a test usually gets from what the channel sent.
 */
export function loadEmailFixture(name: string, opts: { originalMessageId?: string } = {}): Buffer {
  const bytes = readFileSync(join(EMAIL_FIXTURES_DIR, name));
  if (opts.originalMessageId === undefined) return bytes;
  const id = opts.originalMessageId.replace(/^<|>$/g, '');
  // latin1 maps bytes one to one, so messages in other charsets come back unchanged.
  return Buffer.from(bytes.toString('latin1').replaceAll(ORIGINAL_MESSAGE_ID, id), 'latin1');
}
