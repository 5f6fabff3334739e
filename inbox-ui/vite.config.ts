import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const here = dirname(fileURLToPath(import.meta.url));
const server = 'http://127.0.0.1:3000';

export default defineConfig(({ command }) => ({
  root: here,
  base: '/',
  // A build is always a production build, even when started from a test run (NODE_ENV=test),
  // so `npm test` never leaves React's development bundle in dist/ for `npm start` to serve.
  mode: command === 'build' ? 'production' : 'development',
  define: command === 'build' ? { 'process.env.NODE_ENV': JSON.stringify('production') } : {},
  oxc: command === 'build' ? { jsx: { development: false } } : {},
  resolve: command === 'build' ? { conditions: ['module', 'browser', 'production'] } : {},
  plugins: [react()],
  build: {
    outDir: join(here, '..', 'dist', 'inbox-ui'),
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
  },
  server: {
    proxy: {
      '/api': { target: server, changeOrigin: false },
      '/socket.io': { target: server, ws: true, changeOrigin: false },
    },
  },
}));
