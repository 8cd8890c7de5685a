/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  // docs/testing.md's examples are jest files too: they run here, written as a user writes them.
  roots: ['<rootDir>/test', '<rootDir>/docs/examples'],
  testMatch: ['<rootDir>/test/**/*.spec.ts', '<rootDir>/docs/examples/testing-*.ts'],
  moduleNameMapper: {
    '^nestjs-request-forge$': '<rootDir>/lib',
    '^nestjs-request-forge/testing$': '<rootDir>/lib/testing',
  },
  // The consumer apps run their own runners on the packed package (scripts/consumers.sh).
  testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/consumers/'],
  modulePathIgnorePatterns: ['<rootDir>/test/consumers/'],
  transform: {
    // Type checking is done once by `npm run typecheck`; jest only transpiles.
    '^.+\\.ts$': ['ts-jest', { diagnostics: false }],
  },
  testTimeout: 30_000,
};
