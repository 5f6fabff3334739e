import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const VERSION = 'v1';

/**
 * Seals secrets (channel credentials, server secrets) with AES-256-GCM before they reach the
 * database: `v1.<iv>.<tag>.<ciphertext>`, base64url. A wrong key or a changed byte fails loudly.
 */
export class SecretBox {
  private readonly key: Buffer;

  constructor(keyMaterial: string | Buffer) {
    // Any length of key material is stretched to 32 bytes; a generated key already is.
    this.key = createHash('sha256').update(keyMaterial).digest();
  }

  seal(plain: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const data = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return [VERSION, iv, cipher.getAuthTag(), data]
      .map((p) => (typeof p === 'string' ? p : p.toString('base64url')))
      .join('.');
  }

  open(sealed: string): string {
    const [version, iv, tag, data] = sealed.split('.');
    if (version !== VERSION || !iv || !tag || data === undefined)
      throw new Error('not a sealed secret');
    const decipher = createDecipheriv('aes-256-gcm', this.key, Buffer.from(iv, 'base64url'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    try {
      return Buffer.concat([
        decipher.update(Buffer.from(data, 'base64url')),
        decipher.final(),
      ]).toString('utf8');
    } catch {
      throw new Error('the secret cannot be opened with this key (was SECRET_KEY changed?)');
    }
  }

  static isSealed(value: string): boolean {
    return value.startsWith(`${VERSION}.`) && value.split('.').length === 4;
  }

  sealJson(value: unknown): string {
    return this.seal(JSON.stringify(value));
  }

  openJson(sealed: string): unknown {
    return JSON.parse(this.open(sealed)) as unknown;
  }
}

/**
 * The key: SECRET_KEY, or one generated once into DATA_DIR/secret.key (mode 0600). `generated`
 * tells the caller whether it came from the file, so it can warn when several instances on a
 * shared database would each make their own.
 */
export function loadSecretKey(
  configured: string | undefined,
  dataDir: string,
): { key: string; source: 'env' | 'file' | 'generated' } {
  if (configured) return { key: configured, source: 'env' };
  const file = join(dataDir, 'secret.key');
  if (existsSync(file)) return { key: readFileSync(file, 'utf8').trim(), source: 'file' };
  mkdirSync(dataDir, { recursive: true });
  const key = randomBytes(32).toString('base64url');
  try {
    writeFileSync(file, `${key}\n`, { mode: 0o600, flag: 'wx' });
  } catch {
    // Another process wrote it first: use theirs.
    return { key: readFileSync(file, 'utf8').trim(), source: 'file' };
  }
  return { key, source: 'generated' };
}
