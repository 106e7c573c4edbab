import { readFileSync } from 'node:fs';
import path from 'node:path';
import { bundleHarness } from '../../../datasource-plugin/src/browser/harnessServer';

const BUILT_PANEL = path.resolve(__dirname, '..', '..', 'dist', 'module.js');

/**
 * host.tsx bundled like the data source's harness (the shared Grafana modules, the data source from
 * source), followed by the panel as `npm run build` left it in dist/module.js: one script for the
 * data source's harness server to serve.
 */
export async function bundlePanelHarness(): Promise<string> {
  let builtPanel: string;
  try {
    builtPanel = readFileSync(BUILT_PANEL, 'utf8');
  } catch {
    throw new Error(`${BUILT_PANEL} is missing: run \`npm run build -w driftguard-drift-panel\` first.`);
  }
  return `${await bundleHarness(path.join(__dirname, 'host.tsx'))}\n${builtPanel}`;
}
