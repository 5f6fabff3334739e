import { describe, expect, it } from 'vitest';
import { addressesOf, emailReplyOf, emptyEmailDraft, invalidAddresses } from './emailDraft';

describe('e-mail draft', () => {
  it('reads address lists however they are separated', () => {
    expect(addressesOf(' a@x.org, B@X.org;c@x.org\n<d@x.org> a@x.org')).toEqual([
      'a@x.org',
      'b@x.org',
      'c@x.org',
      'd@x.org',
    ]);
    expect(invalidAddresses('a@x.org, nope, b@')).toEqual(['nope', 'b@']);
  });

  it('sends only what the agent changed', () => {
    expect(emailReplyOf(emptyEmailDraft)).toBeUndefined();
    expect(
      emailReplyOf({ ...emptyEmailDraft, cc: 'c@x.org', subject: ' New ', replyAll: true }),
    ).toEqual({ cc: ['c@x.org'], subject: 'New', replyAll: true });
  });
});
