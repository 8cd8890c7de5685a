import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', 'bench/.out/**', '*.js', '*.mjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      'no-console': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
    },
  },
  {
    // Tests, the sample and benchmarks print to the console on purpose.
    files: ['test/**', 'sample/**', 'bench/**', 'docs/**', 'scripts/**'],
    rules: { 'no-console': 'off' },
  },
  {
    // The plain-Node consumer app (test/consumers/plain-node) is JavaScript on purpose.
    files: ['test/consumers/**/*.cjs', 'test/consumers/**/*.mjs'],
    languageOptions: {
      globals: {
        console: 'readonly',
        fetch: 'readonly',
        URLSearchParams: 'readonly',
        process: 'readonly',
        require: 'readonly',
        module: 'writable',
      },
    },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['lib/**'],
    rules: { '@typescript-eslint/no-explicit-any': 'error' },
  },
);
