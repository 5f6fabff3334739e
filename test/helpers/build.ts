import { mkdirSync, rmSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
const lock = join(root, 'dist/.build-lock');

/**
 * Builds the widget and the inbox app from the sources under test, once: end-to-end files run
 * in parallel workers and serve the same dist/, so a build is done under a lock directory and
 * skipped when dist/ is already newer than every source (another file just built it).
 */
export async function ensureBuilt(): Promise<void> {
  mkdirSync(join(root, 'dist'), { recursive: true });
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      // A lock left by a killed run is older than any build takes.
      try {
        if (Date.now() - statSync(lock).mtimeMs > 180_000)
          rmSync(lock, { recursive: true, force: true });
      } catch {
        // released meanwhile
      }
      await new Promise((r) => setTimeout(r, 250));
    }
  }
  try {
    const stale: { buildIsStale: () => boolean } = await import(
      pathToFileURL(join(root, 'scripts/build-if-stale.mjs')).href
    );
    if (stale.buildIsStale()) {
      const build: { buildAll: () => Promise<void> } = await import(
        pathToFileURL(join(root, 'scripts/build.mjs')).href
      );
      await build.buildAll();
    }
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}
