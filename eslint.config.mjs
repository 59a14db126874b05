import nx from '@nx/eslint-plugin';
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';

const lib = (...types) => types.map((type) => `type:${type}`);

export default [
  { ignores: ['**/node_modules', '**/dist', '**/.hookline', 'coverage', 'tmp'] },
  ...tseslint.configs.recommended,
  prettier,
  {
    files: ['**/*.ts'],
    plugins: { '@nx': nx },
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' },
      ],
      '@nx/enforce-module-boundaries': [
        'error',
        {
          allow: [],
          depConstraints: [
            // Libraries never reach into apps; apps compose libraries.
            { sourceTag: 'scope:lib', onlyDependOnLibsWithTags: ['scope:lib'] },
            { sourceTag: 'scope:app', onlyDependOnLibsWithTags: ['scope:lib'] },
            // The layers, from the contract outwards.
            { sourceTag: 'type:contract', onlyDependOnLibsWithTags: lib('contract') },
            { sourceTag: 'type:foundation', onlyDependOnLibsWithTags: lib('foundation') },
            {
              sourceTag: 'type:infrastructure',
              onlyDependOnLibsWithTags: lib('contract', 'foundation', 'infrastructure'),
            },
            { sourceTag: 'type:sandbox', onlyDependOnLibsWithTags: lib('contract', 'foundation') },
            { sourceTag: 'type:hosting', onlyDependOnLibsWithTags: lib('contract', 'foundation', 'infrastructure') },
            // Only the matcher and executor stages (and what they share) may touch the sandbox.
            {
              sourceTag: 'type:stage-shared',
              onlyDependOnLibsWithTags: lib('contract', 'foundation', 'infrastructure', 'sandbox'),
            },
            {
              sourceTag: 'type:stage',
              onlyDependOnLibsWithTags: lib('contract', 'foundation', 'infrastructure', 'sandbox', 'stage-shared'),
            },
            {
              sourceTag: 'type:feature',
              onlyDependOnLibsWithTags: lib('contract', 'foundation', 'infrastructure', 'feature'),
            },
            // Script tests: the executors' side, which runs them; the admin API only asks over the bus.
            {
              sourceTag: 'type:script-test',
              onlyDependOnLibsWithTags: lib('contract', 'foundation', 'infrastructure', 'sandbox', 'stage-shared'),
            },
            // Test helpers serve specs only (the layers above leave them out; apps must too).
            { sourceTag: 'type:testing', onlyDependOnLibsWithTags: lib('contract', 'foundation') },
            { sourceTag: 'scope:app', notDependOnLibsWithTags: ['type:testing'] },
            // The ingress and the admin API never run scripts, not even through another library.
            {
              sourceTag: 'sandbox:forbidden',
              notDependOnLibsWithTags: ['type:sandbox', 'type:stage', 'type:stage-shared', 'type:script-test'],
            },
          ],
        },
      ],
    },
  },
  {
    // One way to reach the database: rows typed as their SQL selects them, never `any`.
    files: ['libs/persistence/src/**/*.ts', 'libs/retention/src/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'error' },
  },
  {
    // Tables are read and written only through the stores of @hookline/persistence: no SQL and no
    // TypeORM repository anywhere else. Specs and their helpers may set up and inspect tables.
    files: ['libs/**/*.ts', 'apps/**/*.ts'],
    ignores: ['libs/persistence/**', '**/*.spec.ts', '**/*-spec.ts', '**/*.behaviour.ts', 'libs/*/src/testing/**'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector:
            'CallExpression[callee.property.name=/^(query|getRepository|createQueryBuilder|findOneBy|findBy|existsBy)$/]',
          message: 'Reach the database through a store of @hookline/persistence.',
        },
        {
          selector:
            'CallExpression[callee.property.name=/^(find|findOne|insert|update|delete|save|create|exists|count)$/][arguments.0.name=/Entity$/]',
          message: 'Reach the database through a store of @hookline/persistence.',
        },
      ],
    },
  },
  {
    // Specs and what serves only them (libs' testing folders, left out of the build).
    files: [
      '**/*.spec.ts',
      '**/*-spec.ts',
      'test/**/*.ts',
      'bench/**/*.ts',
      '**/bench/**/*.ts',
      'libs/*/src/testing/**/*.ts',
    ],
    rules: { '@nx/enforce-module-boundaries': 'off' },
  },
  {
    files: ['**/*.js', '**/*.cjs'],
    languageOptions: {
      sourceType: 'commonjs',
      globals: { require: 'readonly', module: 'writable', exports: 'writable', __dirname: 'readonly' },
    },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
];
