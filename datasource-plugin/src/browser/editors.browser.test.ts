/**
 * @jest-environment node
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { Browser, Page } from 'playwright-core';
import { launchChromium } from './chromium';
import { RunningDriftServer, startDriftServer } from '../test-support/driftServer';
import { HOUR_MS, seedModel } from '../test-support/seed';
import { bundleHarness, HarnessServer, startHarnessServer } from './harnessServer';

const OUTPUT = path.resolve(__dirname, '..', '..', 'test-output');

jest.setTimeout(120_000);

let driftServer: RunningDriftServer;
let harness: HarnessServer;
let browser: Browser;

beforeAll(async () => {
  mkdirSync(OUTPUT, { recursive: true });
  const [server, bundle] = await Promise.all([startDriftServer(), bundleHarness()]);
  driftServer = server;
  await seedModel(driftServer.url, Math.floor(Date.now() / HOUR_MS) * HOUR_MS - 72 * HOUR_MS);
  harness = await startHarnessServer(bundle, driftServer.url);
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await harness?.close();
  await driftServer?.stop();
});

async function openHarness(theme: 'dark' | 'light'): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.newPage({ viewport: { width: 1100, height: 1000 } });
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto(`${harness.url}/?theme=${theme}&serverUrl=${encodeURIComponent(driftServer.url)}`);
  await page.getByText('Config editor').waitFor();
  return { page, errors };
}

describe('editors in Chromium with the real @grafana/ui', () => {
  it.each(['dark', 'light'] as const)('renders config, query and variable editors (%s theme)', async (theme) => {
    const { page, errors } = await openHarness(theme);
    await page.locator('#test-datasource').click();
    await page.getByText(/^success: Connected to drift-server/).waitFor();
    await page.screenshot({ path: path.join(OUTPUT, `editors-${theme}.png`), fullPage: true });
    expect(errors).toEqual([]);
    await page.close();
  });

  it('lists models from drift-server in the model menu, with dashboard variables', async () => {
    const { page, errors } = await openHarness('dark');
    await page.locator('#driftguard-model').last().click();
    await page.getByRole('option', { name: /Credit risk/ }).waitFor();
    await expect(page.getByRole('option', { name: /\$model/ }).count()).resolves.toBe(1);
    await page.screenshot({ path: path.join(OUTPUT, 'model-menu.png') });
    expect(errors).toEqual([]);
    await page.close();
  });

  it('lists the features of $model in the feature menu', async () => {
    const { page } = await openHarness('dark');
    await page.locator('#driftguard-feature').first().click();
    for (const feature of ['income', 'age', 'region']) {
      await page.getByRole('option', { name: new RegExp(`^${feature}`) }).waitFor();
    }
    await page.screenshot({ path: path.join(OUTPUT, 'feature-menu.png') });
    await page.close();
  });

  it('filters retrain jobs by a status picked from the status menu', async () => {
    const { page, errors } = await openHarness('dark');
    const status = page.locator('#driftguard-status');
    await expect(status.inputValue()).resolves.toBe('');
    await status.click();
    await page.getByRole('option', { name: /^Failed/ }).click();
    await expect(status.inputValue()).resolves.toBe('Failed');
    await page.screenshot({ path: path.join(OUTPUT, 'retrain-jobs-status.png') });
    expect(errors).toEqual([]);
    await page.close();
  });
});
