// Each folder runs in one runtime (DESIGN.md §1); these rules keep its imports honest.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

const nodeBuiltins = ['node:*', 'fs', 'path', 'http', 'https', 'net', 'dns', 'crypto', 'os', 'child_process', 'url', 'stream', 'worker_threads'];

const restrict = (patterns) => ['error', { patterns }];

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', 'release/', 'test-results/', 'playwright-report/', 'bench/data/'] },
  js.configs.recommended,
  ...tseslint.configs.strict,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-syntax': ['error', { selector: "JSXAttribute[name.name='dangerouslySetInnerHTML']", message: 'User and page text is rendered as text.' }],
    },
  },
  {
    files: ['protocol/**'],
    rules: {
      'no-restricted-imports': restrict([
        { regex: '^(?!zod$|\\.{1,2}/).*', message: 'protocol/ imports nothing but zod.' },
      ]),
    },
  },
  {
    files: ['renderer/**'],
    ignores: ['renderer/vite.config.ts'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      'no-restricted-imports': restrict([
        { group: ['electron', 'better-sqlite3', ...nodeBuiltins], message: 'renderer/ runs in a sandboxed page.' },
        { regex: '^\\.\\./\\.\\./?(server|main)/|^\\.\\./(server|main)/', message: 'renderer/ talks to server and main over the wire and the bridge only.' },
      ]),
    },
  },
  {
    files: ['main/**'],
    rules: {
      'no-restricted-imports': restrict([
        { group: ['react', 'react-dom', 'react-dom/*', 'better-sqlite3'], message: 'main/ is the thin Electron shell.' },
        { regex: '(^|/)(renderer|server)/', message: 'main/ imports only protocol/.' },
      ]),
    },
  },
  {
    files: ['server/**'],
    rules: {
      'no-restricted-imports': restrict([
        { group: ['electron', 'react', 'react-dom', 'react-dom/*'], message: 'server/ runs on plain Node.' },
        { regex: '(^|/)(renderer|main)/', message: 'server/ never imports main/ or renderer/.' },
      ]),
    },
  },
);
