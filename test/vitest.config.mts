import { defineConfig } from 'vitest/config';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(fileURLToPath(new URL('.', import.meta.url)), '..');

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
