import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SecretBox, loadSecretKey } from './secret-box';

describe('SecretBox', () => {
  const box = new SecretBox('a key of any length');

  it('seals so that the database never holds the secret in clear, and opens it again', () => {
    const sealed = box.seal('123456:ABC-telegram-token');
    expect(sealed).not.toContain('ABC-telegram-token');
    expect(SecretBox.isSealed(sealed)).toBe(true);
    expect(box.open(sealed)).toBe('123456:ABC-telegram-token');
  });

  it('gives a different ciphertext each time (random IV)', () => {
    expect(box.seal('same')).not.toBe(box.seal('same'));
  });

  it('refuses a tampered ciphertext and a wrong key', () => {
    const sealed = box.sealJson({ authToken: 'secret' });
    const parts = sealed.split('.');
    const data = Buffer.from(parts[3]!, 'base64url');
    data[0] = data[0]! ^ 1;
    parts[3] = data.toString('base64url');
    expect(() => box.open(parts.join('.'))).toThrow(/cannot be opened/);
    expect(() => new SecretBox('another key').open(sealed)).toThrow(/SECRET_KEY/);
    expect(() => box.open('plain text')).toThrow(/not a sealed secret/);
  });

  it('round-trips JSON documents with Persian and Russian text', () => {
    const doc = { from: 'پشتیبانی <support@example.com>', name: 'Поддержка' };
    expect(box.openJson(box.sealJson(doc))).toEqual(doc);
  });
});

describe('loadSecretKey', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sb-key-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('prefers SECRET_KEY, else generates one file readable only by its owner and reuses it', () => {
    expect(loadSecretKey('from-env', dir)).toEqual({ key: 'from-env', source: 'env' });
    const first = loadSecretKey(undefined, dir);
    expect(first.source).toBe('generated');
    expect(statSync(join(dir, 'secret.key')).mode & 0o777).toBe(0o600);
    const again = loadSecretKey(undefined, dir);
    expect(again).toEqual({ key: first.key, source: 'file' });
  });
});
