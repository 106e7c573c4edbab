// force timezone to UTC to allow tests to work regardless of local timezone
// generally used by snapshots, but can affect specific tests
process.env.TZ = 'UTC';

// Jest configuration provided by Grafana scaffolding
const base = require('./.config/jest.config');

// Reuse the scaffold's TS/JS transform for the ESM-only `.mjs` entries some Grafana
// dependencies ship (d3-color is the first one hit when a test imports @grafana/data or @grafana/ui).
const scriptTransform = base.transform['^.+\\.(t|j)sx?$'];

module.exports = {
  ...base,
  transform: {
    ...base.transform,
    '^.+\\.mjs$': scriptTransform,
  },
  // Browser tests drive Chromium from Node, outside jsdom: jest.browser.config.js runs them.
  testPathIgnorePatterns: ['/node_modules/', '\\.browser\\.test\\.ts$'],
};
