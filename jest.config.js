/**
 * Unit tests (`*.test.ts`) fake what they do not test; e2e tests (`*.e2e.ts`) run on the real Kafka
 * and PostgreSQL, which test/support/global-setup.ts starts when they are not running.
 * @type {import('jest').Config}
 */
// Types are checked by `tsc` (npm run typecheck). Tests compile to plain CommonJS so that dynamic
// import() (used inside the Prisma client) becomes require(), which jest's module VM supports.
const transform = {
  '^.+\\.ts$': ['ts-jest', { diagnostics: false, tsconfig: { module: 'commonjs', moduleResolution: 'node10' } }],
};
const ignored = ['/node_modules/', '/.kafka/', '/dist/'];
// Shared code is imported by name (tsconfig.json "paths"): @io/registry is services.ts, @io/<x> is lib/<x>.
const moduleNameMapper = { '^@io/registry$': '<rootDir>/services.ts', '^@io/(.*)$': '<rootDir>/lib/$1' };

module.exports = {
  projects: [
    {
      displayName: 'unit',
      testEnvironment: 'node',
      transform,
      moduleNameMapper,
      testMatch: ['<rootDir>/**/*.test.ts'],
      testPathIgnorePatterns: ignored,
    },
    {
      displayName: 'e2e',
      testEnvironment: 'node',
      transform,
      moduleNameMapper,
      testMatch: ['<rootDir>/**/*.e2e.ts'],
      testPathIgnorePatterns: ignored,
      globalSetup: '<rootDir>/test/support/global-setup.ts',
      globalTeardown: '<rootDir>/test/support/global-teardown.ts',
    },
  ],
  maxWorkers: 2,
  testTimeout: 60_000,
};
