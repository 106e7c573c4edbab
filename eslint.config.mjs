// Lint rules for drift-server, api-contract/, bench/ and provisioning/: ESLint's and typescript-eslint's recommended
// sets (`npm run lint`). The plugins keep Grafana's own config in their folders; drift-server's layer
// rules are dependency-cruiser's (drift-server/.dependency-cruiser.cjs).
import js from '@eslint/js';
import tseslint from '@typescript-eslint/eslint-plugin';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';

export default [
  {
    ignores: [
      '**/dist/**',
      '**/test-output/**',
      '**/node_modules/**',
      'datasource-plugin/**',
      'panel-plugin/**',
      '.compat/**',
      'api-contract/generated/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs['flat/recommended'],
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      // `const { counts, ...rest } = x` drops a field on purpose.
      '@typescript-eslint/no-unused-vars': [
        'error',
        { ignoreRestSiblings: true, argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      // package.json sits outside src/, so an import would pull it into the build.
      '@typescript-eslint/no-require-imports': ['error', { allow: ['/package\\.json$'] }],
      // A handler declared before the value it calls is assigned once, later (server.ts).
      'prefer-const': ['error', { ignoreReadBeforeAssign: true }],
    },
  },
  {
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs' },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    // The host test's Grafana stand-in is React.
    files: ['provisioning/host/**/*.tsx'],
    plugins: { 'react-hooks': reactHooks },
    rules: { 'react-hooks/rules-of-hooks': 'error', 'react-hooks/exhaustive-deps': 'error' },
  },
  {
    // Each command's module is required when the command runs, so `--help` loads none of them.
    files: ['drift-server/src/cli/main.ts'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    // Tests read JSON answers whose shape the assertions themselves check.
    files: ['drift-server/test/**/*.ts', 'bench/**/*.ts', 'provisioning/**/*.{ts,tsx}'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
];
