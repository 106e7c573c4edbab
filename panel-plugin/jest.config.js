// force timezone to UTC to allow tests to work regardless of local timezone
// generally used by snapshots, but can affect specific tests
process.env.TZ = 'UTC';

// Jest configuration provided by Grafana scaffolding
const base = require('./.config/jest.config');
const { grafanaESModules, nodeModulesToTransform } = require('./.config/jest/utils');

// Reuse the scaffold's TS/JS transform for the ESM-only `.mjs` entries some Grafana
// dependencies ship (d3-color is the first one hit when a test imports @grafana/data or @grafana/ui).
const scriptTransform = base.transform['^.+\\.(t|j)sx?$'];

module.exports = {
  ...base,
  transform: {
    ...base.transform,
    '^.+\\.mjs$': scriptTransform,
  },
  // d3-array (the panel's chart ticks) and its internmap ship ES modules only, like the scaffold's list.
  transformIgnorePatterns: [nodeModulesToTransform([...grafanaESModules, 'd3-array', 'internmap'])],
  // Browser tests drive Chromium from Node, outside jsdom: jest.browser.config.js runs them.
  testPathIgnorePatterns: ['/node_modules/', '\\.browser\\.test\\.ts$'],
};
