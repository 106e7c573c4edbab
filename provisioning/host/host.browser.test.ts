/**
 * The end-to-end truth for the plugins: what `npm run build` leaves in each plugin's dist/, loaded
 * and used the way Grafana loads and uses it, against `drift-server demo --scenario 2`, in Chromium.
 * shell.tsx is the Grafana frontend (SystemJS loader with the shared modules, backendSrv, data
 * source service, link-click interception, dashboard grid); grafanaHost.ts the Grafana server
 * (boot data, plugin assets, the data proxy with the built plugin.json routes and the provisioned
 * data source). Each reproduced behaviour names its Grafana source file where it is built.
 */
import { build } from 'esbuild';
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Browser, BrowserContext, Page } from 'playwright-core';
import { launchChromium } from '../../datasource-plugin/src/browser/chromium';
import { DEMO_TOKENS, DemoServer, startDemoServer } from './demoServer';
import { GrafanaHost, PLUGINS, SESSION_COOKIE, startGrafanaHost } from './grafanaHost';

const OUTPUT = path.resolve(__dirname, '..', 'test-output');
const MODEL = 'credit-risk-sudden-drift';
const DASHBOARD_PATH = '/d/driftguard-model-health/driftguard-model-health';
// Loading the 90-day demo (~15 s), bundling the shell and driving Chromium on two shared cores.
jest.setTimeout(300_000);

let demo: DemoServer;
let shell: string;
let browser: Browser;
const hosts: GrafanaHost[] = [];

async function bundleShell(): Promise<string> {
  const result = await build({
    entryPoints: [path.join(__dirname, 'shell.tsx')],
    bundle: true,
    write: false,
    format: 'iife',
    platform: 'browser',
    target: 'chrome120',
    define: { 'process.env.NODE_ENV': '"production"', global: 'window' },
    loader: { '.css': 'empty', '.svg': 'empty', '.woff': 'empty', '.woff2': 'empty', '.png': 'empty' },
    logLevel: 'silent',
  });
  return result.outputFiles[0].text;
}

async function host(appSubUrl: string, operateToken = DEMO_TOKENS.operate): Promise<GrafanaHost> {
  const started = await startGrafanaHost({
    appSubUrl,
    shell,
    sendUserHeader: true,
    environment: { DRIFTGUARD_URL: demo.url, DRIFTGUARD_READ_TOKEN: DEMO_TOKENS.read, DRIFTGUARD_OPERATE_TOKEN: operateToken },
  });
  hosts.push(started);
  return started;
}

let root: GrafanaHost;

beforeAll(async () => {
  mkdirSync(OUTPUT, { recursive: true });
  for (const dist of Object.values(PLUGINS)) {
    if (!readFileSync(path.join(dist, 'module.js'), 'utf8').startsWith('/*')) throw new Error(`${dist}/module.js is not a build`);
  }
  demo = await startDemoServer(2);
  shell = await bundleShell();
  root = await host('');
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await Promise.all(hosts.map((started) => started.close()));
  await demo?.stop();
});

interface Opened {
  page: Page;
  context: BrowserContext;
  errors: string[];
}

async function openDashboard(
  at: GrafanaHost,
  { user = 'victor.viewer', theme = 'dark', width = 1600, search = '' }: { user?: string; theme?: string; width?: number; search?: string } = {}
): Promise<Opened> {
  const context = await browser.newContext({ viewport: { width: width + 40, height: 1000 }, acceptDownloads: true });
  await context.addCookies([{ name: SESSION_COOKIE, value: user, url: at.origin }]);
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto(`${at.url}${DASHBOARD_PATH}?orgId=1&theme=${theme}&width=${width}${search}`);
  await page.waitForFunction(() => window.host?.ready === true || (window.host?.errors.length ?? 0) > 0);
  expect(await page.evaluate(() => window.host.errors)).toEqual([]);
  await page.getByRole('table', { name: 'Feature diagnostics' }).waitFor();
  return { page, context, errors };
}

const panel = (page: Page, id: number) => page.locator(`[data-panel-id="${id}"]`);

describe('both built plugins in a Grafana host', () => {
  it('load through SystemJS as AMD modules with Grafana\'s shared @grafana/*, React and RxJS instances', async () => {
    const { page, context, errors } = await openDashboard(root);
    const plugins = await page.evaluate(() => window.host.plugins);
    expect(plugins).toEqual({
      'driftguard-drift-datasource': { exportedPlugin: 'DataSourcePlugin', sharedDataInstance: true },
      'driftguard-drift-panel': { exportedPlugin: 'PanelPlugin', sharedDataInstance: true },
    });
    // The panel's option defaults come through Grafana's option editor registry, and it offers no
    // standard field options or overrides, which it would ignore (getFieldOverrideCategories shows
    // none for an empty registry).
    const panelPlugin = await page.evaluate(() => ({
      defaults: window.host.panelPlugin!.defaults,
      fieldConfigOptions: window.host.panelPlugin!.fieldConfigRegistry.list().map((item) => item.id),
    }));
    expect(panelPlugin.defaults).toMatchObject({ viewMode: 'all', featureVariable: 'feature', psiWarning: 0.1 });
    expect(panelPlugin.fieldConfigOptions).toEqual([]);
    expect(errors).toEqual([]);
    await context.close();
  });

  for (const [theme, width] of [['dark', 1600], ['light', 1280]] as const) {
    it(`render the provisioned dashboard's DriftGuard panels from their own targets over its default range (${theme}, ${width} px)`, async () => {
      const { page, context, errors } = await openDashboard(root, { theme, width });
      // The default range (7 days) shows scenario 2's attack: critical drift and a health far below 60.
      const top = page.getByRole('table', { name: 'Feature diagnostics' }).locator('tbody tr').first();
      expect(['income', 'debt_ratio']).toContain(await top.getAttribute('data-feature'));
      expect(await top.locator('[data-severity]').getAttribute('data-severity')).toBe('critical');
      const health = await page.getByRole('region', { name: 'Retrain advisor' }).getByText('Health score').locator('xpath=following-sibling::*[1]').textContent();
      expect(Number(/\d+/.exec(health ?? '')?.[0])).toBeLessThan(50);
      // The two core time series panels get data-plane frames: time first, a PSI series per feature.
      for (const id of [9, 10]) {
        const frames = panel(page, id).locator('[data-frame]');
        expect(await frames.count()).toBeGreaterThan(0);
        expect(await frames.first().getAttribute('data-first-field')).toBe('time');
        expect(Number(await frames.first().getAttribute('data-points'))).toBeGreaterThan(24);
      }
      expect(await panel(page, 9).locator('[data-error]').count()).toBe(0);
      // The panel's content fits the height the dashboard gives it, and the statistics fit their column.
      const fit = await page.evaluate(() => {
        const content = document.querySelector('[data-panel-id="16"] [data-panel-content] > div') as HTMLElement;
        const stats = document.querySelector('[data-panel-id="16"] table[aria-label^="Statistics of"]') as HTMLElement;
        return {
          scrollHeight: content.scrollHeight,
          clientHeight: content.clientHeight,
          statsWidth: stats.scrollWidth,
          statsColumn: (stats.parentElement as HTMLElement).clientWidth,
        };
      });
      await page.screenshot({ path: path.join(OUTPUT, `host-model-health-${theme}-${width}.png`), fullPage: true });
      expect(fit.scrollHeight).toBeLessThanOrEqual(fit.clientHeight + 1);
      expect(fit.statsWidth).toBeLessThanOrEqual(fit.statsColumn);
      expect(errors).toEqual([]);
      await context.close();
    });
  }

  it('keep the panel readable at other dashboard widths (screenshots for the layout work)', async () => {
    for (const width of [1024, 1920]) {
      const { page, context } = await openDashboard(root, { width });
      await page.screenshot({ path: path.join(OUTPUT, `host-model-health-dark-${width}.png`), fullPage: true });
      await context.close();
    }
  });

  it('Analyze sets the feature variable in the URL; the refresh asks drift-server for /summary once', async () => {
    const { page, context, errors } = await openDashboard(root);
    const rows = page.getByRole('table', { name: 'Feature diagnostics' }).locator('tbody tr');
    const second = (await rows.nth(1).getAttribute('data-feature')) ?? '';
    root.proxied.length = 0;
    const refreshes = await page.evaluate(() => window.host.refreshes);
    await page.getByRole('button', { name: `Analyze ${second}` }).click();
    await page.waitForFunction((before) => window.host.refreshes > before, refreshes);
    await page.getByRole('region', { name: `Deep dive: ${second}` }).waitFor();
    expect(await page.evaluate(() => window.location.search)).toContain(`var-feature=${second}`);
    const summaries = root.proxied.filter((request) => request.path.endsWith(`/models/${MODEL}/summary`));
    expect(summaries).toEqual([{ method: 'GET', path: `read/api/v1/models/${MODEL}/summary`, user: 'victor.viewer', status: 200 }]);
    await page.screenshot({ path: path.join(OUTPUT, 'host-analyze-dark.png'), fullPage: true });
    expect(errors).toEqual([]);
    await context.close();
  });
});

/** Clicks an export link and returns what the browser downloaded: Grafana's link interception must not swallow it. */
async function download(page: Page, name: 'CSV' | 'PDF'): Promise<{ url: string; bytes: Buffer }> {
  const [started] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name }).click()]);
  const file = await started.path();
  expect(await page.locator('[data-page-not-found]').count()).toBe(0);
  return { url: started.url(), bytes: readFileSync(file) };
}

function expectReports(csv: Buffer, pdf: Buffer) {
  const [header, ...lines] = csv.toString('utf8').trim().split(/\r?\n/);
  expect(header.split(',')).toContain('feature');
  expect(lines.length).toBeGreaterThanOrEqual(5);
  expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
  expect(pdf.length).toBeGreaterThan(10_000);
}

describe('CSV and PDF export', () => {
  it('downloads both reports for a Viewer, through the read route', async () => {
    const { page, context, errors } = await openDashboard(root);
    const csv = await download(page, 'CSV');
    const pdf = await download(page, 'PDF');
    expect(csv.url).toMatch(new RegExp(`^${root.origin}/api/datasources/proxy/uid/driftguard/read/api/v1/models/${MODEL}/report\\.csv\\?`));
    expectReports(csv.bytes, pdf.bytes);
    expect(page.url()).toContain(DASHBOARD_PATH);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('works under a sub-path root_url: plugins, queries and downloads all below /grafana', async () => {
    const sub = await host('/grafana');
    const { page, context, errors } = await openDashboard(sub);
    expect(sub.proxied.length).toBeGreaterThan(0);
    const csv = await download(page, 'CSV');
    const pdf = await download(page, 'PDF');
    expect(csv.url.startsWith(`${sub.origin}/grafana/api/datasources/proxy/uid/driftguard/read/api/v1/`)).toBe(true);
    expect(pdf.url.startsWith(`${sub.origin}/grafana/api/datasources/proxy/uid/driftguard/read/api/v1/`)).toBe(true);
    expectReports(csv.bytes, pdf.bytes);
    await page.screenshot({ path: path.join(OUTPUT, 'host-subpath-dark.png'), fullPage: true });
    expect(errors).toEqual([]);
    await context.close();
  });
});

describe('roles and the data proxy', () => {
  it('let an Editor schedule and cancel a retrain job, recorded under the Grafana login', async () => {
    const { page, context, errors } = await openDashboard(root, { user: 'erin.editor' });
    const advisor = page.getByRole('region', { name: 'Retrain advisor' });
    await advisor.getByRole('button', { name: 'Schedule retraining' }).click();
    const row = advisor.getByRole('table', { name: 'Retrain jobs' }).locator('tbody tr').first();
    await row.getByRole('button', { name: 'Cancel' }).waitFor();
    expect(await row.locator('td').nth(2).textContent()).toBe('erin.editor');
    await page.screenshot({ path: path.join(OUTPUT, 'host-editor-scheduled-dark.png'), fullPage: true });
    await row.getByRole('button', { name: 'Cancel' }).click();
    await row.getByText('cancelled', { exact: true }).waitFor();
    expect(root.proxied.filter((request) => request.method === 'POST').map((request) => [request.path.replace(/[0-9a-f-]{36}/, 'JOB'), request.user, request.status])).toEqual([
      [`operate/api/v1/models/${MODEL}/retrain-jobs`, 'erin.editor', 201],
      ['operate/api/v1/retrain-jobs/JOB/cancel', 'erin.editor', 200],
    ]);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('remove a client-supplied X-Grafana-User: drift-server records the signed-in login', async () => {
    const { page, context } = await openDashboard(root, { user: 'erin.editor' });
    const job = await page.evaluate(async (model) => {
      const response = await fetch(`api/datasources/proxy/uid/driftguard/operate/api/v1/models/${model}/retrain-jobs`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'X-Grafana-User': 'mallory' },
        body: JSON.stringify({ reason: 'spoof check' }),
      });
      const created = (await response.json()) as { id: string; requested_by: string };
      await fetch(`api/datasources/proxy/uid/driftguard/operate/api/v1/retrain-jobs/${created.id}/cancel`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' });
      return created;
    }, MODEL);
    expect(job.requested_by).toBe('erin.editor');
    expect(job.requested_by).not.toContain('mallory');
    await context.close();
  });

  for (const user of ['victor.viewer', 'sam.serveradmin']) {
    it(`keep ${user} (org role Viewer) from scheduling: button disabled, and the operate route refused by the proxy`, async () => {
      const { page, context, errors } = await openDashboard(root, { user });
      const advisor = page.getByRole('region', { name: 'Retrain advisor' });
      expect(await advisor.getByRole('button', { name: 'Schedule retraining' }).isDisabled()).toBe(true);
      await advisor.getByText(/^Viewers cannot schedule retraining/).waitFor();
      const forced = await page.evaluate(async (model) => {
        const response = await fetch(`api/datasources/proxy/uid/driftguard/operate/api/v1/models/${model}/retrain-jobs`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' });
        return { status: response.status, body: await response.json() };
      }, MODEL);
      expect(forced).toEqual({ status: 403, body: { message: 'plugin proxy route access denied' } });
      await page.screenshot({ path: path.join(OUTPUT, `host-${user}-dark.png`) });
      expect(errors).toEqual([]);
      await context.close();
    });
  }

  it('Save & test through the loaded data source: OK with read and read+operate tokens, refused with an admin token as operate token', async () => {
    const { page, context } = await openDashboard(root, { user: 'erin.editor' });
    const test = () => page.evaluate(async () => (await window.host.getDataSource('driftguard')).testDatasource());
    expect(await test()).toMatchObject({ status: 'success', message: expect.stringContaining('read token OK. Operate token') });
    await context.close();

    const adminInOperateSlot = await host('', DEMO_TOKENS.admin);
    const admin = await openDashboard(adminInOperateSlot, { user: 'erin.editor' });
    expect(await admin.page.evaluate(async () => (await window.host.getDataSource('driftguard')).testDatasource())).toMatchObject({
      status: 'error',
      message: expect.stringContaining('has scope "admin": Grafana sends it for every Editor'),
    });
    await admin.context.close();
  });
});
