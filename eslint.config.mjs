import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

// The layer rules of STYLE.md, held by the linter (the per-layer tsconfigs
// hold the rest): src-shared is pure, the renderer reaches the main process
// only through the typed API, and Electron stays inside src-main/electron.
// Bare built-in names are matched exactly (`paths`), so a folder such as src-shared/http is not mistaken for one.
const builtinNames = ['fs', 'path', 'os', 'crypto', 'http', 'https', 'child_process', 'net', 'tls', 'util', 'events', 'stream'];
const nodeBuiltins = ['node:*'];
const builtinPaths = (message) => builtinNames.map((name) => ({ name, message }));

export default tseslint.config(
  { ignores: ['out/**', 'node_modules/**', '.cache/**', 'test-results/**', 'playwright-report/**', 'coverage/**', 'e2e/screenshots/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }],
      'no-console': ['error', { allow: ['error'] }],
    },
  },
  {
    // `import { z }` pulls all of zod into the CLI bundle (1.2 MB instead of 340 kB: slower start-up); the namespace import is tree-shaken.
    files: ['src-shared/**/*.ts', 'src-main/**/*.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        { selector: "ImportDeclaration[source.value='zod'] > ImportSpecifier[imported.name='z']", message: "Use import * as z from 'zod' (tree-shaken; README, CLI start-up)." },
      ],
    },
  },
  {
    files: ['scripts/**', 'bench/**', 'e2e/**', 'bin/**', '*.config.*', '**/*.test.ts', '**/*.test.tsx'],
    rules: { 'no-console': 'off', '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs' },
  },
  {
    files: ['src-shared/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['**/src-main/**', '**/src-renderer/**'], message: 'src-shared is the bottom layer: it imports neither main nor renderer.' },
            { group: ['electron', ...nodeBuiltins, 'better-sqlite3', '@napi-rs/*', 'react', 'react-dom'], message: 'src-shared is pure: no Node, DOM, Electron or native modules.' },
          ],
          paths: builtinPaths('src-shared is pure: no Node built-ins.'),
        },
      ],
    },
  },
  {
    files: ['src-renderer/**'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['**/src-main/**'], message: 'The renderer talks to the main process only through the typed API (lib/api.ts).' },
            { group: ['electron', ...nodeBuiltins, 'better-sqlite3', '@napi-rs/*'], message: 'The renderer has no Node or Electron.' },
          ],
          paths: builtinPaths('The renderer has no Node built-ins.'),
        },
      ],
    },
  },
  {
    files: ['src-main/**'],
    ignores: ['src-main/electron/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['electron'], message: 'Only src-main/electron may import electron: everything else must run in plain Node (CLI, browser mode, tests).' },
            { group: ['**/src-renderer/**'], message: 'The main process never imports the renderer.' },
          ],
        },
      ],
    },
  },
  {
    files: ['src-main/electron/preload.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [{ group: nodeBuiltins, message: 'The sandboxed preload has no Node built-ins.' }, { group: ['../vault/**', '../services/**', '../ipc/**'], message: 'The preload imports only the contract.' }],
          paths: builtinPaths('The sandboxed preload has no Node built-ins.'),
        },
      ],
    },
  },
);
