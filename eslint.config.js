// @ts-check
import js from '@eslint/js';
import { defineConfig, globalIgnores } from 'eslint/config';
import prettier from 'eslint-config-prettier/flat';
import tseslint from 'typescript-eslint';

export default defineConfig(
  globalIgnores(
    [
      '**/node_modules/',
      '.data/',
      'subgraphs/generated/',
      'gateway/generated/',
      'subgraphs/db/generated/',
      'examples/typed-client/generated/',
      'bench/results/',
      'coverage/',
      'web/dist/',
      'dist/',
      'web/src/gql/',
      'web/src/audit/gql/',
      'web/test-results/',
    ],
    'project/ignores',
  ),
  js.configs.recommended,
  tseslint.configs.recommendedTypeChecked,
  {
    name: 'project/type-info',
    languageOptions: {
      parserOptions: {
        projectService: true,
        tsconfigRootDir: import.meta.dirname,
      },
    },
  },
  {
    name: 'project/rules',
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        {
          args: 'all',
          argsIgnorePattern: '^_',
          varsIgnorePattern: '^_',
          caughtErrors: 'all',
          caughtErrorsIgnorePattern: '^_',
          destructuredArrayIgnorePattern: '^_',
          ignoreRestSiblings: true,
        },
      ],
      '@typescript-eslint/consistent-type-imports': [
        'error',
        { prefer: 'type-imports', fixStyle: 'separate-type-imports' },
      ],
      '@typescript-eslint/no-floating-promises': 'error',
    },
  },
  {
    // One vocabulary of error codes: errors are built by schema/contract/errors.ts.
    name: 'project/error-vocabulary',
    files: ['gateway/**/*.ts', 'subgraphs/**/*.ts', 'schema/**/*.ts', 'runtime/**/*.ts', 'scripts/**/*.ts'],
    ignores: ['schema/contract/errors.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: "Property[key.name='extensions'] > ObjectExpression > Property[key.name='code']",
          message: 'Build errors with the constructors of schema/contract/errors.ts.',
        },
        {
          selector: "ObjectExpression:has(> Property[key.name='ok']) > Property[key.name='code']",
          message: 'Build refusals between cities with peerRefusal (schema/contract/errors.ts).',
        },
        {
          selector: "NewExpression[callee.name='GraphQLError']",
          message: 'Build errors with the constructors of schema/contract/errors.ts.',
        },
      ],
    },
  },
  {
    // Plain JavaScript (this file and any other config scripts) is not part
    // of tsconfig.json, so it is linted without type information.
    name: 'project/javascript',
    files: ['**/*.{js,mjs,cjs}'],
    extends: [tseslint.configs.disableTypeChecked],
    rules: {
      '@typescript-eslint/consistent-type-imports': 'off',
    },
  },
  prettier,
);
