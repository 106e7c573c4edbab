// Browser tests: Node drives Debian's Chromium through playwright-core; they render dist/module.js,
// so `npm run build` comes first (test:browser does it).
const base = require('./jest.config');

module.exports = {
  transform: base.transform,
  testEnvironment: 'node',
  testMatch: ['<rootDir>/src/**/*.browser.test.ts'],
};
