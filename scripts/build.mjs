// Builds the browser parts: the web-chat widget (esbuild, one small IIFE) and the agent inbox
// app (Vite). The server itself runs from TypeScript through tsx and needs no build.
import { build as esbuild } from 'esbuild';
import { build as viteBuild } from 'vite';
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

export async function buildWidget() {
  await esbuild({
    entryPoints: [join(root, 'channels/webchat/widget/widget.ts')],
    outfile: join(root, 'dist/widget/widget.js'),
    bundle: true,
    minify: true,
    format: 'iife',
    target: ['es2020'],
    legalComments: 'none',
    charset: 'utf8',
    logLevel: 'warning',
  });
}

export async function buildInboxUi() {
  await viteBuild({ configFile: join(root, 'inbox-ui/vite.config.ts'), logLevel: 'warn' });
}

export async function buildAll() {
  await buildWidget();
  await buildInboxUi();
  mkdirSync(join(root, 'dist'), { recursive: true });
  writeFileSync(join(root, 'dist/.build-stamp'), new Date().toISOString());
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const started = Date.now();
  await buildAll();
  console.log(`built widget and inbox-ui in ${Date.now() - started} ms`);
}
