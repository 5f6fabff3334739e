import { describe, expect, it } from 'vitest';
import { PublicMediaLinks } from './public-media';

const ID = '0b9c3e4a-8f1e-4c52-9a0d-2f5e6d7c8b9a';
const links = new PublicMediaLinks(
  PublicMediaLinks.deriveKey('secret-key-material'),
  'https://sb.example.com',
);

function parts(url: string) {
  const u = new URL(url);
  return {
    id: u.pathname.split('/').pop()!,
    exp: u.searchParams.get('exp')!,
    sig: u.searchParams.get('sig')!,
  };
}

describe('PublicMediaLinks', () => {
  const now = Date.parse('2026-01-01T00:00:00Z');
  const url = links.urlFor(ID, 60_000, now);
  const { id, exp, sig } = parts(url);

  it('signs a link to one file that expires', () => {
    expect(url).toMatch(new RegExp(`^https://sb.example.com/media/${ID}\\?exp=\\d+&sig=[\\w-]+$`));
    expect(links.verify(id, exp, sig, now)).toBe(true);
    expect(links.verify(id, exp, sig, now + 59_999)).toBe(true);
    expect(links.verify(id, exp, sig, now + 60_001)).toBe(false);
  });

  it.each([
    ['another file', { id: '0b9c3e4a-8f1e-4c52-9a0d-2f5e6d7c8b9b' }],
    ['a later expiry', { exp: String(Number(exp) + 1000) }],
    ['a changed signature', { sig: `${sig.slice(0, -1)}${sig.endsWith('A') ? 'B' : 'A'}` }],
    ['no signature', { sig: '' }],
    ['a non-numeric expiry', { exp: '1e20' }],
  ])('refuses %s', (_name, change) => {
    const c = { id, exp, sig, ...change };
    expect(links.verify(c.id, c.exp, c.sig, now)).toBe(false);
  });

  it('differs per server key', () => {
    const other = new PublicMediaLinks(
      PublicMediaLinks.deriveKey('another key'),
      'https://sb.example.com',
    );
    expect(other.verify(id, exp, sig, now)).toBe(false);
  });
});
