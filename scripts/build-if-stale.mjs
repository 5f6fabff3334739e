// `npm start` runs this first: rebuilds the browser bundles only when a source file is newer
// than the last build, so a fresh clone works and a warm start costs a directory walk.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { buildAll } from './build.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const stamp = join(root, 'dist/.build-stamp');
// The inbox app also imports the pure SMS segment counter and the voice prompt defaults.
const sources = [
  'inbox-ui',
  'channels/webchat/widget',
  'channels/twilio/segments.ts',
  'channels/voice/prompts.ts',
  'package-lock.json',
];

function newestMtime(path) {
  if (!existsSync(path)) return 0;
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  let newest = 0;
  for (const entry of readdirSync(path)) {
    if (entry === 'node_modules' || entry === 'dist') continue;
    newest = Math.max(newest, newestMtime(join(path, entry)));
  }
  return newest;
}

/** Whether a browser bundle's source changed since the last build (or there is none). */
export function buildIsStale() {
  const built = existsSync(stamp) ? statSync(stamp).mtimeMs : 0;
  return Math.max(...sources.map((s) => newestMtime(join(root, s)))) > built;
}

// Run as a script (`npm start`); tests import buildIsStale.
if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  if (buildIsStale()) {
    const started = Date.now();
    console.log('building widget and inbox-ui (sources changed since the last build)…');
    await buildAll();
    console.log(`built in ${Date.now() - started} ms`);
  }
}
