// Browser tests: Node drives Debian's Chromium through playwright-core against a live drift-server.
const base = require('./jest.config');

module.exports = {
  transform: base.transform,
  testEnvironment: 'node',
  testMatch: ['<rootDir>/src/**/*.browser.test.ts'],
};
