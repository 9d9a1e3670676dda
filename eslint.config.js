// The lint rules: typescript-eslint's recommended set and a few of our own (README "Checks").
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'bench/results/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      // Unused on purpose: a leading underscore (`const { a: _a, ...rest } = x`).
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' },
      ],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      eqeqeq: ['error', 'always'],
      'no-console': 'error',
      // pino serialises an error given as `err` with its type and stack; its message alone loses both.
      'no-restricted-syntax': [
        'error',
        {
          selector:
            "CallExpression[callee.property.name=/^(trace|debug|info|warn|error|fatal)$/] > ObjectExpression > Property > MemberExpression[property.name='message']",
          message: 'log the error itself as `{ err }`: pino keeps its type and stack',
        },
      ],
      // Prettier wraps code at 120 but leaves comments alone; literals (the grammar's patterns) may run on.
      'max-len': [
        'error',
        { code: 120, ignoreStrings: true, ignoreRegExpLiterals: true, ignoreTemplateLiterals: true, ignoreUrls: true },
      ],
    },
  },
  // The product does not import benchmarks or tests, and its folders import only downwards:
  // ops over app and tools; app over the roles; the watcher over the intake; the watcher, the
  // workers and the intake are peers that never meet; shared imports none of them. Each block
  // repeats the first rule, since a later block's `no-restricted-imports` replaces an earlier one's.
  ...Object.entries({
    'src/**/*.ts': [],
    // The app composes the roles and never starts a service or installs anything (tools/ does).
    'src/app/**/*.ts': ['ops', 'tools'],
    'src/watcher/**/*.ts': ['workers', 'app', 'ops', 'tools'],
    'src/workers/**/*.ts': ['watcher', 'intake', 'app', 'ops', 'tools'],
    'src/intake/**/*.ts': ['watcher', 'workers', 'app', 'ops', 'tools'],
    'src/shared/**/*.ts': ['watcher', 'workers', 'intake', 'app', 'ops', 'tools'],
  }).map(([files, above]) => ({
    files: [files],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['**/bench/**', '**/test/**'], message: 'src/ stands alone' },
            ...above.map((folder) => ({
              group: [`**/${folder}/**`],
              message: `${files.split('/')[1]} does not import ${folder}/ (README, "Layout")`,
            })),
          ],
        },
      ],
    },
  })),
  {
    // The grammar stays in small readers (#13): no parser function over 80 lines.
    files: ['src/workers/stages/parse/**/*.ts', 'src/shared/cable-identity.ts'],
    rules: { 'max-lines-per-function': ['error', { max: 80 }] },
  },
  {
    files: ['bench/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['**/test/**'], message: 'bench/ does not import test/' }] },
      ],
    },
  },
  {
    // Plain Node scripts.
    files: ['**/*.mjs', '**/*.js'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly' } },
  },
);
