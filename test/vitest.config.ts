import { defineConfig } from 'vitest/config';
import { resolve } from 'node:path';

const root = resolve(__dirname, '..');

// One runner for every suite: unit, integration (real SQLite, real keychain,
// fake Vault over HTTPS), Chromium end to end through playwright-core, and the
// Electron wiring suite. Files run in separate forks so native handles
// (SQLite, keyring) never leak between suites.
export default defineConfig({
  root,
  test: {
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
    pool: 'forks',
    testTimeout: 60_000,
    hookTimeout: 120_000,
    globalSetup: ['test/helpers/global-setup.ts'],
    reporters: ['default'],
  },
});
