/** One jest run for the whole repository: server, embedded MongoDB, Zapier app, browser. */
/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.json', diagnostics: false }],
  },
  globalSetup: '<rootDir>/test/helpers/global-setup.ts',
  setupFiles: ['<rootDir>/test/helpers/env.ts'],
  maxWorkers: 2,
  testTimeout: 30000,
  verbose: false,
  reporters: ['default', '<rootDir>/test/helpers/summary-reporter.js'],
};
