import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: [
      'src/**/*.test.ts',
      'channels/**/*.test.ts',
      'test/**/*.test.ts',
      'inbox-ui/**/*.test.{ts,tsx}',
    ],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Integration tests each start their own server and database; two cores do not gain from more.
    maxWorkers: 2,
    // One Dovecot IMAP server for the whole run (about 50 ms to start); the e-mail tests inject it.
    globalSetup: ['test/helpers/mail/global-setup.ts'],
  },
});
