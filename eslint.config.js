// Lint rules that encode the architecture: workflows stay deterministic and pure,
// and no promise is left floating anywhere (a lost rejection is a lost record).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const nodeBuiltins = [
  'assert', 'buffer', 'child_process', 'cluster', 'crypto', 'dgram', 'dns', 'events', 'fs', 'fs/promises',
  'http', 'http2', 'https', 'net', 'os', 'path', 'perf_hooks', 'process', 'readline', 'stream', 'timers',
  'tls', 'url', 'util', 'v8', 'vm', 'worker_threads', 'zlib',
];

export default tseslint.config(
  { ignores: ['node_modules/**', '.freight/**', 'coverage/**', 'bench/out/**', 'api/ui/assets/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      parserOptions: { projectService: { allowDefaultProject: ['*.js', 'bin/*.mjs', 'infra/*.mjs'] }, tsconfigRootDir: import.meta.dirname },
      globals: { process: 'readonly', console: 'readonly', URL: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly' },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { arguments: false } }],
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'error',
    },
  },
  {
    // Workflow code is replayed: only the workflow SDK, its own definitions and type-only imports.
    files: ['workflows/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: nodeBuiltins.flatMap((m) => [m, `node:${m}`]).map((name) => ({ name, message: 'Workflows must be deterministic: no Node builtins.' })),
        patterns: [
          { group: ['postgres', '@aws-sdk/*', 'pino', 'pino-*', 'jose', 'hono', 'hono/*', '@hono/*', 'undici', 'node:*'], message: 'Workflows are pure orchestration: do I/O in activities.' },
          { group: ['**/activities/*', '**/activities/**', '**/shared/db/**', '**/shared/s3*', '**/shared/logger*', '**/api/**'], allowTypeImports: true, message: 'Workflows may only import types from activities/shared I/O modules.' },
        ],
      }],
      'no-restricted-globals': ['error', { name: 'process', message: 'No process in workflows.' }],
    },
  },
  {
    files: ['bin/**', 'infra/**/*.mjs', 'infra/dev-stack/**', 'infra/commands/**', 'test/**', 'bench/**'],
    rules: { 'no-console': 'off' },
  },
);
