// Lint rules checked by `npm run lint` (part of `npm test`): style is not reviewed by hand.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      'node_modules/',
      'dist/',
      '.kafka/',
      '.data/',
      // Browser code, bundled by esbuild (scripts/bundle.ts): outside the Node type-aware project.
      'gateway/src/dashboard/charts/',
      '**/__generated__/',
      'gateway/src/dashboard/public/',
      // Browser code, bundled by esbuild (scripts/bundle.ts): outside the Node type-aware project.
      'gateway/src/explorer/app/',
      'eslint.config.mjs',
      'jest.config.js',
      'jest.faults.config.js',
      'jest.cluster.config.js',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      // A promise nobody awaits loses its error: every one is awaited, returned or marked `void`.
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { arguments: false } }],
      '@typescript-eslint/await-thenable': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      // Shared code is imported by name (@io/...), never by climbing into lib/ or to the registry.
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { regex: '^(\\.\\./)+lib/', message: 'import shared code by name: @io/<package>/<module>' },
            { regex: '^(\\.\\./)+services$', message: 'import the registry by name: @io/registry' },
          ],
        },
      ],
      'no-console': ['error', { allow: ['warn', 'error'] }],
    },
  },
  {
    // Command-line tools and tests talk to a terminal; tests read arbitrary JSON answers.
    files: ['scripts/**', 'bench/**', 'test/**', '**/test/**'],
    rules: { 'no-console': 'off' },
  },
  {
    files: ['test/**', '**/test/**'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
);
