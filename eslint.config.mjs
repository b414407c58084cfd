// Lint for Vault Token Desk. typescript-eslint's recommended rules everywhere,
// React's hook rules in the renderer, and the layering rule (in the spirit of
// VS Code's layer checks): dependencies run one way,
//   electron/shell → features (app, tokens, connections, reminders; cli beside them)
//     → electron/{vault,store,secrets} → shared,
// and only electron/shell may import `electron`. See docs/architecture.md.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';

const electronOnlyInShell = {
  name: 'electron',
  message:
    'Only electron/shell/ may import electron: everything else is plain Node so the CLI and the tests can run it (docs/architecture.md).',
};

export default tseslint.config(
  {
    ignores: ['out/**', 'dist/**', 'node_modules/**', 'test-results/**', 'renderer/dist/**'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' },
      ],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
    },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      // The two classic hook rules. The React Compiler rules of v7 (refs, set-state-in-effect, …)
      // target compiler-optimised code; this renderer is not compiled and uses latest-value refs on purpose.
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'error',
      'no-restricted-imports': [
        'error',
        {
          paths: [electronOnlyInShell],
          patterns: [
            {
              group: ['**/electron/**', 'node:*'],
              message: 'The renderer talks to main only through lib/api.ts (window.vaultDesk).',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['shared/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [electronOnlyInShell],
          patterns: [
            {
              group: ['**/electron/**', '**/renderer/**', 'node:*'],
              message: 'shared/ is imported by both sides: no Node, no Electron, no app code.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['electron/**/*.ts'],
    ignores: ['electron/shell/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [electronOnlyInShell],
          patterns: [
            {
              group: ['**/shell/**', '**/renderer/**'],
              message: 'Dependencies run one way: shell → features → vault/store/secrets → shared.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['electron/vault/**/*.ts', 'electron/store/**/*.ts', 'electron/secrets/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [electronOnlyInShell],
          patterns: [
            {
              group: [
                '**/shell/**',
                '**/app/**',
                '**/tokens/**',
                '**/connections/**',
                '**/reminders/**',
                '**/cli/**',
                '**/renderer/**',
              ],
              message:
                'vault/, store/ and secrets/ are the lowest layer: they import only each other, log.ts and shared/.',
            },
          ],
        },
      ],
    },
  },
  {
    // The CLI launcher is CommonJS on purpose: plain `node` runs it with no loader.
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs' },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['test/**/*.{ts,tsx,mts}', '**/*.test.ts'],
    rules: { '@typescript-eslint/no-non-null-assertion': 'off' },
  },
);
