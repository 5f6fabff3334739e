import { randomUUID } from 'node:crypto';
import { createReadStream, type ReadStream } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join, normalize, sep } from 'node:path';

/** Files live on disk under DATA_DIR/attachments; rows hold only the relative path. */
export class AttachmentStore {
  private readonly root: string;

  constructor(dataDir: string) {
    this.root = join(dataDir, 'attachments');
  }

  async save(data: Buffer): Promise<{ storagePath: string; size: number }> {
    const now = new Date();
    const dir = join(String(now.getUTCFullYear()), String(now.getUTCMonth() + 1).padStart(2, '0'));
    await mkdir(join(this.root, dir), { recursive: true });
    const storagePath = join(dir, randomUUID());
    await writeFile(join(this.root, storagePath), data, { flag: 'wx' });
    return { storagePath, size: data.length };
  }

  open(storagePath: string): ReadStream {
    const full = normalize(join(this.root, storagePath));
    if (!full.startsWith(this.root + sep)) throw new Error('attachment path escapes the store');
    return createReadStream(full);
  }

  absolutePath(storagePath: string): string {
    return join(this.root, storagePath);
  }
}
