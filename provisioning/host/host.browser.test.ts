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
import { httpRequest } from '../../datasource-plugin/src/test-support/http';
import { DEMO_TOKENS, DemoServer, startDemoServer } from './demoServer';
import { GrafanaHost, PLUGINS, SESSION_COOKIE, startGrafanaHost } from './grafanaHost';

const OUTPUT = path.resolve(__dirname, '..', 'test-output');
/** The shell's page padding, left and right: the dashboard is the viewport less this. */
const PAGE_PADDING = 16;
const PANEL_ID = 16;
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
    environment: {
      DRIFTGUARD_URL: demo.url,
      DRIFTGUARD_READ_TOKEN: DEMO_TOKENS.read,
      DRIFTGUARD_OPERATE_TOKEN: operateToken,
    },
  });
  hosts.push(started);
  return started;
}

let root: GrafanaHost;

beforeAll(async () => {
  mkdirSync(OUTPUT, { recursive: true });
  for (const dist of Object.values(PLUGINS)) {
    if (!readFileSync(path.join(dist, 'module.js'), 'utf8').startsWith('/*'))
      throw new Error(`${dist}/module.js is not a build`);
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
  {
    user = 'victor.viewer',
    theme = 'dark',
    width = 1600,
    search = '',
  }: { user?: string; theme?: string; width?: number; search?: string } = {}
): Promise<Opened> {
  const context = await browser.newContext({
    viewport: { width: width + PAGE_PADDING, height: 1000 },
    acceptDownloads: true,
  });
  await context.addCookies([{ name: SESSION_COOKIE, value: user, url: at.origin }]);
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto(`${at.url}${DASHBOARD_PATH}?orgId=1&theme=${theme}${search}`);
  await page.waitForFunction(() => window.host?.ready === true || (window.host?.errors.length ?? 0) > 0);
  expect(await page.evaluate(() => window.host.errors)).toEqual([]);
  await page.getByRole('table', { name: 'Feature diagnostics' }).waitFor();
  expect(await page.locator('#dashboard').getAttribute('data-width')).toBe(String(width));
  return { page, context, errors };
}

/** Resizes the window as a user would: the grid re-lays out the panels (no new queries) and the panel follows. */
async function resizeDashboard(page: Page, width: number): Promise<void> {
  await page.setViewportSize({ width: width + PAGE_PADDING, height: 1000 });
  await page.waitForFunction(
    ([id, expected]) =>
      (document.querySelector(`[data-panel-id="${id}"]`) as HTMLElement | null)?.offsetWidth === expected,
    [PANEL_ID, width]
  );
  // The panel measures its content box with a ResizeObserver, delivered before the next frame.
  await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
}

/** The panel's whole content, one screenshot per screenful of its own scrolling. */
async function screenshotPanel(page: Page, name: string): Promise<void> {
  const scroller = page.locator(`[data-panel-id="${PANEL_ID}"] [data-panel-content] > div`);
  const pages = await scroller.evaluate((element) => Math.ceil(element.scrollHeight / element.clientHeight));
  for (let index = 0; index < pages; index += 1) {
    await scroller.evaluate((element, at) => (element.scrollTop = at * element.clientHeight), index);
    await page
      .locator(`[data-panel-id="${PANEL_ID}"]`)
      .screenshot({ path: path.join(OUTPUT, `${name}-${index + 1}of${pages}.png`) });
  }
  await scroller.evaluate((element) => (element.scrollTop = 0));
}

interface Box {
  left: number;
  right: number;
  top: number;
  bottom: number;
}
interface PanelGeometry {
  content: Box;
  /** Elements of the panel reaching out of its content box, left or right. */
  outside: string[];
  scrollWidth: number;
  clientWidth: number;
  histogram: {
    svg: Box;
    /** Tick labels of the share axis, bottom up. */
    yTicks: string[];
    xLabels: Array<Box & { text: string }>;
    /** Each bar's tooltip: "<bin>: reference 10.0%, production 46.3%". */
    bars: string[];
  };
}

/** Where everything in the DriftGuard panel was drawn, measured by the browser. */
function panelGeometry(page: Page): Promise<PanelGeometry> {
  return page.evaluate((id) => {
    const box = (element: Element) => {
      const { left, right, top, bottom } = element.getBoundingClientRect();
      return { left, right, top, bottom };
    };
    const content = document.querySelector(`[data-panel-id="${id}"] [data-panel-content]`)!;
    const scroller = content.firstElementChild as HTMLElement;
    const frame = box(content);
    const outside = Array.from(content.querySelectorAll('*')).flatMap((element) => {
      const { left, right, width, height } = element.getBoundingClientRect();
      const name = element.getAttribute('aria-label') ?? element.textContent?.trim().slice(0, 40) ?? '';
      return width + height > 0 && (left < frame.left - 0.5 || right > frame.right + 0.5)
        ? [
            `${element.tagName.toLowerCase()} "${name}" ${Math.round(left)}–${Math.round(right)} (panel ${Math.round(frame.left)}–${Math.round(frame.right)})`,
          ]
        : [];
    });
    const svg = content.querySelector('svg[aria-label^="Histogram of"]')!;
    return {
      content: frame,
      outside,
      scrollWidth: scroller.scrollWidth,
      clientWidth: scroller.clientWidth,
      histogram: {
        svg: box(svg),
        yTicks: Array.from(svg.querySelectorAll('[data-axis="y"] text')).map((text) => text.textContent ?? ''),
        xLabels: Array.from(svg.querySelectorAll('[data-axis="x"] text')).map((text) => ({
          ...box(text),
          text: text.textContent ?? '',
        })),
        bars: Array.from(svg.querySelectorAll('g > title')).map((title) => title.textContent ?? ''),
      },
    };
  }, PANEL_ID);
}

const overlap = (a: Box, b: Box) => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
const within = (inner: Box, outer: Box) => inner.left >= outer.left - 0.5 && inner.right <= outer.right + 0.5;
const percent = (text: string) => Number(text.replace('%', '')) / 100;

const panel = (page: Page, id: number) => page.locator(`[data-panel-id="${id}"]`);

describe('both built plugins in a Grafana host', () => {
  it("load through SystemJS as AMD modules with Grafana's shared @grafana/*, React and RxJS instances", async () => {
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

  for (const [theme, width] of [
    ['dark', 1600],
    ['light', 1280],
  ] as const) {
    it(`render the provisioned dashboard's DriftGuard panels from their own targets over its default range (${theme}, ${width} px)`, async () => {
      const { page, context, errors } = await openDashboard(root, { theme, width });
      // The default range (7 days) shows scenario 2's attack: critical drift and a health far below 60.
      const top = page.getByRole('table', { name: 'Feature diagnostics' }).locator('tbody tr').first();
      expect(['income', 'debt_ratio']).toContain(await top.getAttribute('data-feature'));
      expect(await top.locator('[data-severity]').getAttribute('data-severity')).toBe('critical');
      const health = await page
        .getByRole('region', { name: 'Retrain advisor' })
        .getByText('Health score')
        .locator('xpath=following-sibling::*[1]')
        .textContent();
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

  for (const theme of ['dark', 'light'] as const) {
    it(`lay the panel out from 1 200 down to 400 px wide (${theme}): nothing outside it, a share axis and readable bin labels`, async () => {
      const { page, context, errors } = await openDashboard(root, { theme, width: 1200 });
      for (const width of [1200, 900, 620, 400]) {
        await resizeDashboard(page, width);
        await screenshotPanel(page, `host-panel-${theme}-${width}px`);
        const geometry = await panelGeometry(page);
        expect({ width, outside: geometry.outside }).toEqual({ width, outside: [] });
        expect(geometry.scrollWidth).toBeLessThanOrEqual(geometry.clientWidth);

        const { histogram } = geometry;
        expect(within(histogram.svg, geometry.content)).toBe(true);
        // The share axis: at least three ticks from 0 %, rising, the top one above the tallest bar.
        const ticks = histogram.yTicks.map(percent);
        expect(ticks.length).toBeGreaterThanOrEqual(3);
        expect(ticks[0]).toBe(0);
        expect(ticks.every((tick, index) => index === 0 || tick > ticks[index - 1])).toBe(true);
        const shares = histogram.bars.flatMap((bar) =>
          [...bar.matchAll(/(\d+(?:\.\d+)?)%/g)].map((match) => Number(match[1]) / 100)
        );
        expect(ticks[ticks.length - 1]).toBeGreaterThanOrEqual(Math.max(...shares));
        // The x axis labels the cut points between the value bins (and the missing bar): all of them
        // where there is room, else an evenly spaced subset of at least half; never two overlapping,
        // never outside the chart.
        // n value bins have n − 1 cut points; a missing bar adds its own label.
        const candidates = histogram.bars.length - 1;
        const labels = histogram.xLabels;
        expect(labels.length).toBeGreaterThanOrEqual(Math.ceil(candidates / 2));
        if (width >= 620) expect(labels.length).toBe(candidates);
        expect(labels.filter((label, index) => labels.slice(index + 1).some((other) => overlap(label, other)))).toEqual(
          []
        );
        expect(labels.filter((label) => !within(label, histogram.svg))).toEqual([]);
      }
      expect(errors).toEqual([]);
      await context.close();
    });
  }

  it('read as an SRE: one PSI scale for every sparkline, impact only for drifted features, the units of the reasons', async () => {
    const { page, context, errors } = await openDashboard(root);
    const table = page.getByRole('table', { name: 'Feature diagnostics' });
    const rows = await table.locator('tbody tr').evaluateAll((elements) =>
      elements.map((row) => {
        const svg = row.querySelector('svg[aria-label^="PSI trend"]') as SVGSVGElement | null;
        const lines = Array.from(row.querySelectorAll('svg[aria-label^="PSI trend"] polyline')) as SVGPolylineElement[];
        // How high the line reaches, as a share of the sparkline's height.
        const peak =
          svg && lines.length > 0
            ? Math.max(...lines.map((line) => (svg.height.baseVal.value - line.getBBox().y) / svg.height.baseVal.value))
            : null;
        return {
          severity: row.querySelector('[data-severity]')?.getAttribute('data-severity'),
          impact: row.querySelector('[data-column="impact"]')?.textContent ?? '',
          scale: svg?.getAttribute('aria-label')?.replace(/^.*shared scale /, ''),
          peak,
        };
      })
    );
    const drifted = rows.filter((row) => row.severity === 'critical' || row.severity === 'warning');
    const ok = rows.filter((row) => row.severity === 'ok');
    expect(drifted.length).toBeGreaterThan(0);
    expect(ok.length).toBeGreaterThan(0);
    // One scale, stated in the column header; the critical lines stand high, the OK ones lie flat.
    const header = (await table.locator('thead th', { hasText: 'PSI trend' }).textContent()) ?? '';
    expect(new Set(rows.map((row) => row.scale))).toEqual(new Set([header.replace('PSI trend', '')]));
    expect(Math.max(...drifted.map((row) => row.peak ?? 0))).toBeGreaterThan(0.4);
    expect(Math.max(...ok.map((row) => row.peak ?? 0))).toBeLessThan(0.1);
    // Impact (importance × PSI) is a figure for drifted features only: noise for the others.
    expect(drifted.every((row) => /^\d+\.\d{3}$/.test(row.impact))).toBe(true);
    expect(ok.filter((row) => /\d/.test(row.impact))).toEqual([]);

    // Payback and the estimate's error read as drift-server's reasons give them.
    const advisor = page.getByRole('region', { name: 'Retrain advisor' });
    const reasons = (await advisor.getByRole('list', { name: 'Reasons' }).textContent()) ?? '';
    const figure = async (label: string) =>
      (await advisor.locator('dt', { hasText: label }).locator('xpath=following-sibling::dd[1]').textContent()) ?? '';
    const payback = /pays (?:for itself|back) in (\d+(?:\.\d+)? days?)/.exec(reasons)?.[1];
    expect(payback).toBeDefined();
    expect(await figure('Payback')).toBe(payback);
    const gap = /the labels fall (\d+\.\d points) below the estimate/.exec(reasons)?.[1];
    expect(gap).toBeDefined();
    expect(await figure('Realized accuracy')).toContain(`estimate off by ${gap}`);
    expect(errors).toEqual([]);
    await context.close();
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
    expect(summaries).toEqual([
      { method: 'GET', path: `read/api/v1/models/${MODEL}/summary`, user: 'victor.viewer', status: 200 },
    ]);
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
    expect(csv.url).toMatch(
      new RegExp(`^${root.origin}/api/datasources/proxy/uid/driftguard/read/api/v1/models/${MODEL}/report\\.csv\\?`)
    );
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
  it('let an Editor schedule and cancel a retrain job from a 400 px panel, recorded under the Grafana login', async () => {
    const { page, context, errors } = await openDashboard(root, { user: 'erin.editor', width: 400 });
    const advisor = page.getByRole('region', { name: 'Retrain advisor' });
    const schedule = advisor.getByRole('button', { name: 'Schedule retraining' });
    await schedule.click();
    const row = advisor.getByRole('table', { name: 'Retrain jobs' }).locator('tbody tr').first();
    await row.getByRole('button', { name: 'Cancel' }).waitFor();
    expect(await row.textContent()).toContain('by erin.editor');
    expect(await schedule.isDisabled()).toBe(true);
    // The job list, Cancel included, fits the narrow panel too.
    expect((await panelGeometry(page)).outside).toEqual([]);
    await advisor.getByRole('table', { name: 'Retrain jobs' }).scrollIntoViewIfNeeded();
    await page
      .locator(`[data-panel-id="${PANEL_ID}"]`)
      .screenshot({ path: path.join(OUTPUT, 'host-editor-scheduled-dark-400px.png') });
    await row.getByRole('button', { name: 'Cancel' }).click();
    await row.getByText('cancelled', { exact: true }).waitFor();
    expect(await schedule.isEnabled()).toBe(true);
    const posts = root.proxied.filter((request) => request.method === 'POST');
    expect(
      posts.map((request) => [request.path.replace(/[0-9a-f-]{36}/, 'JOB'), request.user, request.status])
    ).toEqual([
      [`operate/api/v1/models/${MODEL}/retrain-jobs`, 'erin.editor', 201],
      ['operate/api/v1/retrain-jobs/JOB/cancel', 'erin.editor', 200],
    ]);
    // drift-server's own record of the job, read directly: requested by the login, cancelled.
    const jobId = /retrain-jobs\/([0-9a-f-]{36})\/cancel$/.exec(posts[1].path)![1];
    const job = await httpRequest(`${demo.url}/api/v1/retrain-jobs/${jobId}`, {
      headers: { authorization: `Bearer ${DEMO_TOKENS.read}` },
    });
    expect(JSON.parse(job.body)).toMatchObject({
      id: jobId,
      model_id: MODEL,
      status: 'cancelled',
      requested_by: 'erin.editor',
    });
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
      await fetch(`api/datasources/proxy/uid/driftguard/operate/api/v1/retrain-jobs/${created.id}/cancel`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: '{}',
      });
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
        const response = await fetch(
          `api/datasources/proxy/uid/driftguard/operate/api/v1/models/${model}/retrain-jobs`,
          { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' }
        );
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
    expect(await test()).toMatchObject({
      status: 'success',
      message: expect.stringContaining('read token OK. Operate token'),
    });
    await context.close();

    const adminInOperateSlot = await host('', DEMO_TOKENS.admin);
    const admin = await openDashboard(adminInOperateSlot, { user: 'erin.editor' });
    expect(
      await admin.page.evaluate(async () => (await window.host.getDataSource('driftguard')).testDatasource())
    ).toMatchObject({
      status: 'error',
      message: expect.stringContaining('has scope "admin": Grafana sends it for every Editor'),
    });
    await admin.context.close();
  });
});
