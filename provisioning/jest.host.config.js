// The host test: the built plugins in a Grafana stand-in in Chromium (`npm run test:host` builds them first).
/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/host'],
  testMatch: ['**/*.browser.test.ts'],
  transform: { '^.+\\.tsx?$': ['@swc/jest'] },
};
