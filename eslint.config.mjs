import fs from 'node:fs';
import path from 'node:path';
import boundaries from 'eslint-plugin-boundaries';
import tseslint from 'typescript-eslint';

// The apps' package names, read from the folders so that a new app is covered without an edit here.
const appPackages = fs
  .readdirSync(path.join(import.meta.dirname, 'apps'))
  .map((name) => `@finfusion/${name}`);

export default tseslint.config(
  {
    // infra/ scripts and the examples are linted too (their types come from their tsconfig.json
    // with checkJs); other plain JavaScript is configuration.
    ignores: [
      '**/dist/**',
      '**/node_modules/**',
      '.cache/**',
      '.turbo/**',
      '**/*.js',
      '**/*.mjs',
      '!infra/**/*.mjs',
      '!examples/**/*.mjs',
    ],
  },
  ...tseslint.configs.strictTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      eqeqeq: ['error', 'always'],
      'no-console': 'error',
      '@typescript-eslint/consistent-type-imports': [
        'error',
        // Nest reads constructor parameter types at run time: injected classes stay value imports.
        { prefer: 'type-imports', disallowTypeAnnotations: false, fixStyle: 'inline-type-imports' },
      ],
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true }],
      '@typescript-eslint/no-extraneous-class': ['error', { allowWithDecorator: true }],
      // Nest declares plain option shapes as classes; object literals for them are the norm.
      '@typescript-eslint/no-unsafe-class-instance-assignment': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['**/libs/**', '../../libs/*'], message: 'Import libs by package name.' },
          ],
        },
      ],
    },
  },
  // Architecture: which part of the repository may import which. Each file belongs to the nearest
  // element its path matches (a domain folder of an app, else the app, or a lib), and each of its
  // imports is checked against the policies, read in order, a later one overriding an earlier one.
  // infra/dev/architecture.test.mjs proves that every policy still reports its violation.
  {
    files: ['apps/**/*.ts', 'libs/**/*.ts', 'e2e/**/*.ts'],
    plugins: { boundaries },
    settings: {
      'import/resolver': { node: { extensions: ['.ts', '.js', '.json'] } },
      'boundaries/elements': [
        { type: 'domain', pattern: 'apps/*/src/**/domain', partialMatch: false, capture: ['app'] },
        { type: 'app', pattern: 'apps/*', partialMatch: false, capture: ['app'] },
        { type: 'lib', pattern: 'libs/*', partialMatch: false, capture: ['lib'] },
        { type: 'e2e', pattern: 'e2e', partialMatch: false },
      ],
    },
    rules: {
      'boundaries/dependencies': [
        'error',
        {
          default: 'allow',
          checkAllOrigins: true,
          policies: [
            {
              // Apps talk to each other over Kafka and HTTP, never through each other's code.
              from: { element: { type: 'app' } },
              disallow: {
                to: [
                  {
                    element: {
                      type: ['app', 'domain'],
                      captured: { app: '!{{ from.element.captured.app }}' },
                    },
                  },
                  { module: { origin: 'external', source: appPackages } },
                ],
              },
              message: 'An app never imports another app: share through a lib or a message.',
            },
            {
              // End-to-end tests reach the apps as clients do, over HTTP and Kafka; their
              // fixtures come from libs/testing or e2e/support, never from an app's source.
              from: { element: { type: ['lib', 'e2e'] } },
              disallow: {
                to: [
                  { element: { type: ['app', 'domain'] } },
                  { module: { origin: 'external', source: appPackages } },
                ],
              },
              message: 'A lib or an end-to-end test never imports an app.',
            },
            {
              // The domain decides from its inputs alone: no framework, no database, no clock, no
              // randomness, not even node's built-ins (ids, time and hashes come in as values).
              // Imports within the same domain folder are internal and never checked.
              from: { element: { type: 'domain' } },
              disallow: { to: [{ element: { type: '*' } }, { module: { origin: '*' } }] },
              message: 'A domain folder imports only its own files and @finfusion/contracts.',
            },
            {
              from: { element: { type: 'domain' } },
              allow: { to: { module: { origin: 'external', source: '@finfusion/contracts' } } },
            },
          ],
        },
      ],
    },
  },
  {
    files: ['**/*.spec.ts', '**/*.int-spec.ts', '**/*.e2e-spec.ts'],
    rules: {
      '@typescript-eslint/unbound-method': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
  {
    files: ['**/*.cli.ts', 'libs/testing/**/*.ts'],
    rules: { 'no-console': 'off' },
  },
  {
    // infra/ and examples/ are JavaScript checked by TypeScript (their tsconfig.json): JSDoc types
    // where they matter, and values left untyped are `any`. The rules that only follow `any`
    // around stay off here; every other rule holds as in TypeScript.
    files: ['infra/**/*.mjs', 'examples/**/*.mjs'],
    rules: {
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/restrict-plus-operands': 'off',
      // Catch variables are `any` too (infra/tsconfig.json), in `catch` blocks and callbacks alike.
      '@typescript-eslint/use-unknown-in-catch-callback-variable': 'off',
      '@typescript-eslint/prefer-promise-reject-errors': ['error', { allowThrowingAny: true }],
      // Node's event emitters take async listeners here (signal handlers that stop the run),
      // each of which handles its own failures.
      '@typescript-eslint/no-misused-promises': [
        'error',
        { checksVoidReturn: { arguments: false } },
      ],
    },
  },
  {
    // The examples are command-line programs for analysts: printing is what they are for.
    files: ['examples/**/*.mjs'],
    rules: { 'no-console': 'off' },
  },
);
