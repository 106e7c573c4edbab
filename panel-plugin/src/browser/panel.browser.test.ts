/**
 * @jest-environment node
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { Browser, Page } from 'playwright-core';
import { launchChromium } from '../../../datasource-plugin/src/browser/chromium';
import { bundlePanelHarness } from './harness';
import { HarnessServer, startHarnessServer } from '../../../datasource-plugin/src/browser/harnessServer';
import { httpRequest } from '../../../datasource-plugin/src/test-support/http';
import { loadDemoScenario } from '../test-support/demoScenarios';
import { RunningDriftServer, startDriftServer, TOKENS } from '../../../datasource-plugin/src/test-support/driftServer';

const OUTPUT = path.resolve(__dirname, '..', '..', 'test-output');
const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
/** The dashboard's time range: the last week, as `drift-server demo` reports it. */
const WINDOW_DAYS = 7;
const endMs = Math.floor(Date.now() / HOUR_MS) * HOUR_MS;
const fromMs = endMs - WINDOW_DAYS * DAY_MS;

// Loading two scenarios (20 000 reference rows and a week of traffic each) and bundling take a while on two cores.
jest.setTimeout(240_000);

const SCENARIOS = [
  { number: 1, model: 'credit-risk-baseline', topSeverity: 'ok' },
  { number: 2, model: 'credit-risk-sudden-drift', topSeverity: 'critical' },
] as const;

let driftServer: RunningDriftServer;
let harness: HarnessServer;
let browser: Browser;

beforeAll(async () => {
  mkdirSync(OUTPUT, { recursive: true });
  const [server, bundle] = await Promise.all([startDriftServer(), bundlePanelHarness()]);
  driftServer = server;
  for (const scenario of SCENARIOS) {
    await loadDemoScenario(driftServer.url, scenario.number, endMs, WINDOW_DAYS + 1);
  }
  harness = await startHarnessServer(bundle, driftServer.url);
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await harness?.close();
  await driftServer?.stop();
});

interface FeatureDrift {
  feature: string;
  importance: number;
  psi: number | null;
  severity: string;
}

/** drift-server's own summary for the window, read directly: what the panel's table must agree with. */
async function summaryFeatures(model: string): Promise<FeatureDrift[]> {
  const response = await httpRequest(`${driftServer.url}/api/v1/models/${model}/summary?from=${fromMs}&to=${endMs}`, {
    headers: { authorization: `Bearer ${TOKENS.read}` },
  });
  return (JSON.parse(response.body) as { features: FeatureDrift[] }).features;
}

async function openPanel(
  model: string,
  theme: 'light' | 'dark',
  role: 'Editor' | 'Viewer',
  feature: string
): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.newPage({ viewport: { width: 1240, height: 1000 } });
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  const query = new URLSearchParams({
    theme,
    role,
    model,
    feature,
    from: String(fromMs),
    to: String(endMs),
    serverUrl: driftServer.url,
  });
  await page.goto(`${harness.url}/?${query}`);
  await page.getByRole('table', { name: 'Feature diagnostics' }).waitFor();
  await page.getByRole('region', { name: `Deep dive: ${feature}` }).waitFor();
  return { page, errors };
}

async function tableOrder(page: Page): Promise<string[]> {
  return page
    .getByRole('table', { name: 'Feature diagnostics' })
    .locator('tbody tr')
    .evaluateAll((rows) => rows.map((row) => row.getAttribute('data-feature') ?? ''));
}

describe('the built panel in Chromium with the real @grafana/ui', () => {
  for (const scenario of SCENARIOS) {
    for (const theme of ['light', 'dark'] as const) {
      it(`shows ${scenario.model} (${theme} theme) to a Viewer: order, top severity, schedule disabled`, async () => {
        const features = await summaryFeatures(scenario.model);
        // Drifted features by importance × PSI, then the others by importance (the panel README's order).
        const drifted = (f: FeatureDrift) => f.severity === 'warning' || f.severity === 'critical';
        const impact = (f: FeatureDrift) => f.importance * (f.psi ?? 0);
        const expected = [
          ...features.filter(drifted).sort((a, b) => impact(b) - impact(a) || a.feature.localeCompare(b.feature)),
          ...features
            .filter((f) => !drifted(f))
            .sort((a, b) => b.importance - a.importance || a.feature.localeCompare(b.feature)),
        ];
        const top = expected[0];

        const { page, errors } = await openPanel(scenario.model, theme, 'Viewer', top.feature);
        expect(await tableOrder(page)).toEqual(expected.map((f) => f.feature));
        const topSeverity = await page
          .locator('tbody tr')
          .first()
          .locator('[data-severity]')
          .getAttribute('data-severity');
        expect(topSeverity).toBe(top.severity);
        expect(topSeverity).toBe(scenario.topSeverity);

        const schedule = page.getByRole('button', { name: 'Schedule retraining' });
        await expect(schedule.isDisabled()).resolves.toBe(true);
        await expect(page.getByText(/^Viewers cannot schedule retraining/).isVisible()).resolves.toBe(true);

        await page.screenshot({ path: path.join(OUTPUT, `panel-${scenario.model}-${theme}.png`), fullPage: true });
        expect(errors).toEqual([]);
        await page.close();
      });
    }
  }

  // Scheduling and cancelling as an Editor, through the data proxy with the request body, is the host
  // test's (provisioning/host): this harness's proxy forwards no request body.
  it('offers an Editor Schedule; Analyze moves the deep dive through the URL, to a categorical feature too', async () => {
    const { page, errors } = await openPanel('credit-risk-sudden-drift', 'dark', 'Editor', 'income');
    await expect(page.getByRole('button', { name: 'Schedule retraining' }).isEnabled()).resolves.toBe(true);

    const second = (await tableOrder(page))[1];
    await page.getByRole('button', { name: `Analyze ${second}` }).click();
    await page.getByRole('region', { name: `Deep dive: ${second}` }).waitFor();
    await expect(page.evaluate(() => window.location.search)).resolves.toContain(`var-feature=${second}`);
    await page.screenshot({ path: path.join(OUTPUT, 'panel-editor-analyze-dark.png'), fullPage: true });

    await page.getByRole('button', { name: 'Analyze employment_type' }).click();
    await page.getByRole('img', { name: 'Categories of employment_type: reference vs production' }).waitFor();
    await page.screenshot({ path: path.join(OUTPUT, 'panel-editor-categorical-dark.png'), fullPage: true });
    expect(errors).toEqual([]);
    await page.close();
  });
});
