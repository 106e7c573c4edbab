import { DataFrame, EventBusSrv, LoadingState, locationUtil, OrgRole, PanelData, PanelProps } from '@grafana/data';
import {
  config,
  DataSourceSrv,
  getBackendSrv,
  getTemplateSrv,
  locationService,
  setDataSourceSrv,
} from '@grafana/runtime';
import { act, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import React from 'react';
import { lastValueFrom } from 'rxjs';
import { readDriftFrames, wholeIntervals } from '../data/frames';
import { RetrainingMethods } from 'driftguard-api-contract';
import { hasRetrainOperations } from '../data/retrainApi';
// The data source's own test support, used as it is: a real drift-server, its seed, and the data
// source wired to it through the emulation of Grafana's data proxy and the data source's routes.
import { RunningDriftServer, startDriftServer, TOKENS } from '../../../datasource-plugin/src/test-support/driftServer';
import { EDITOR } from '../../../datasource-plugin/src/test-support/grafanaDataProxy';
import { httpRequest } from '../../../datasource-plugin/src/test-support/http';
import { liveDataSource } from '../../../datasource-plugin/src/test-support/liveDataSource';
import {
  FEATURES,
  HOUR_MS,
  MODEL,
  PRODUCTION_HOURS,
  seedModel,
} from '../../../datasource-plugin/src/test-support/seed';
import { queryPanelData, timeRange } from '../test-support/panelData';
import { panelQueries } from '../test-support/panelQueries';
import { TestDataSourceSrv } from '../test-support/TestDataSourceSrv';
import { DEFAULT_OPTIONS, DriftPanelOptions } from '../types';
import { DriftPanel } from './DriftPanel';

// Starting drift-server from source and seeding ~5 000 rows takes a few seconds on two cores.
jest.setTimeout(90_000);

const DAY_MS = 24 * HOUR_MS;
const productionStartMs = Math.floor(Date.now() / DAY_MS) * DAY_MS - 3 * DAY_MS;
const range = timeRange(productionStartMs, productionStartMs + PRODUCTION_HOURS * HOUR_MS);
const GOOD_TOKENS = { readToken: TOKENS.read, operateToken: TOKENS.operate };

let server: RunningDriftServer;

beforeAll(async () => {
  server = await startDriftServer();
  await seedModel(server.url, productionStartMs);
});

afterAll(() => server?.stop());

beforeEach(() => {
  config.bootData.user.orgRole = OrgRole.Editor;
  locationService.replace('/d/driftguard-model-health');
});

/** What public/app/app.ts does at boot: locationUtil learns config (appSubUrl among it). */
function initializeLocationUtil() {
  locationUtil.initialize({
    config: config as unknown as Parameters<typeof locationUtil.initialize>[0]['config'],
    getTimeRangeForUrl: () => ({ from: 'now-7d', to: 'now' }),
    getVariablesUrlParams: () => ({}),
  });
}

interface Loaded {
  data: PanelData;
  props: PanelProps<DriftPanelOptions>;
}

/** The panel's queries run by the real data source against drift-server, as Grafana would, then the panel props. */
async function load(variables: Record<string, string>, options: Partial<DriftPanelOptions> = {}): Promise<Loaded> {
  const datasource = liveDataSource({ serverUrl: server.url, secureJsonData: GOOD_TOKENS, variables });
  setDataSourceSrv(new TestDataSourceSrv([datasource]) as unknown as DataSourceSrv);
  const data = await queryPanelData(datasource, panelQueries(), range, HOUR_MS);
  const props: PanelProps<DriftPanelOptions> = {
    id: 16,
    data,
    timeRange: range,
    timeZone: 'utc',
    options: { ...DEFAULT_OPTIONS, ...options },
    transparent: false,
    width: 1200,
    height: 1400,
    fieldConfig: { defaults: {}, overrides: [] },
    renderCounter: 0,
    title: 'DriftGuard',
    eventBus: new EventBusSrv(),
    replaceVariables: (value) => getTemplateSrv().replace(value),
    onOptionsChange: () => undefined,
    onFieldConfigChange: () => undefined,
    onChangeTimeRange: () => undefined,
  };
  return { data, props };
}

/** Renders and lets the panel finish looking up its data source instance. */
async function renderPanel(props: PanelProps<DriftPanelOptions>) {
  await act(async () => {
    render(<DriftPanel {...props} />);
  });
}

async function patchModel(model: string, changes: object): Promise<void> {
  const response = await httpRequest(`${server.url}/api/v1/models/${model}`, {
    method: 'PATCH',
    headers: { authorization: `Bearer ${TOKENS.admin}`, 'content-type': 'application/json' },
    body: JSON.stringify(changes),
  });
  expect(response.status).toBe(200);
}

function frameWith(data: PanelData, field: string): DataFrame {
  const frame = data.series.find((candidate) => candidate.fields.some((f) => f.name === field));
  if (!frame) {
    throw new Error(`no frame with a ${field} field among ${data.series.map((f) => f.name).join(', ')}`);
  }
  return frame;
}

function column(frame: DataFrame, name: string): unknown[] {
  return frame.fields.find((field) => field.name === name)!.values;
}

function tableRows(): HTMLElement[] {
  const table = screen.getByRole('table', { name: 'Feature diagnostics' });
  return within(table).getAllByRole('row').slice(1);
}

describe('DriftPanel over frames from a live drift-server', () => {
  it('lists drifted features by importance × PSI, then the others by importance, with the severity drift-server gave each', async () => {
    const { data, props } = await load({ model: MODEL.id, feature: 'income' });
    await renderPanel(props);

    const table = frameWith(data, 'severity');
    const names = column(table, 'feature') as string[];
    const severities = column(table, 'severity') as string[];
    const of = (name: string, field: string) => column(table, field)[names.indexOf(name)] as number;
    const drifted = (name: string) => ['warning', 'critical'].includes(severities[names.indexOf(name)]);
    const impact = (name: string) => of(name, 'importance') * (of(name, 'psi') ?? 0);
    const expectedOrder = [
      ...names.filter(drifted).sort((a, b) => impact(b) - impact(a)),
      ...names
        .filter((name) => !drifted(name))
        .sort((a, b) => of(b, 'importance') - of(a, 'importance') || a.localeCompare(b)),
    ];
    const rows = tableRows();
    expect(rows.map((row) => row.getAttribute('data-feature'))).toEqual(expectedOrder);
    // The seed shifts income, the most important feature, by 2.5 standard deviations in the second day.
    expect(expectedOrder[0]).toBe('income');
    expect(rows[0].querySelector('[data-severity]')?.getAttribute('data-severity')).toBe(
      severities[names.indexOf('income')]
    );
    expect(within(rows[0]).getByText('Critical')).toBeInTheDocument();
    // A PSI sparkline per feature from the trends query.
    expect(within(rows[0]).getByRole('img', { name: /^PSI trend of income, latest \d/ })).toBeInTheDocument();
    // Impact is a figure for drifted features; for the others, whose PSI is within noise, it is left out.
    const undrifted = rows.filter((row) => !drifted(row.getAttribute('data-feature')!));
    expect(undrifted.length).toBeGreaterThan(0);
    for (const row of rows) {
      const impactCell = row.querySelector('[data-column="impact"]')!;
      expect(impactCell.textContent).toBe(
        drifted(row.getAttribute('data-feature')!)
          ? impact(row.getAttribute('data-feature')!).toFixed(3)
          : '–not drifted'
      );
    }
  });

  it('draws sparklines over whole intervals only', async () => {
    // The range ends 3 h into the last 6-hour interval: that interval is left out.
    const cut = timeRange(range.from.valueOf(), range.to.valueOf() - 3 * HOUR_MS);
    const { data, props } = await load({ model: MODEL.id, feature: 'income' });
    await renderPanel({ ...props, timeRange: cut });
    const trend = data.series.find((frame) => frame.name === 'income' && frame.fields[1]?.name === 'psi')!;
    const times = column(trend, 'time') as number[];
    const lastWhole = times.findIndex((time) => time === cut.to.valueOf() - 3 * HOUR_MS) - 1;
    expect(lastWhole).toBeGreaterThan(0);
    const expected = (column(trend, 'psi')[lastWhole] as number).toFixed(3);
    expect(
      screen.getByRole('img', { name: new RegExp(`^PSI trend of income, latest ${expected},`) })
    ).toBeInTheDocument();
  });

  it('draws every sparkline on one PSI scale, stated in the column header', async () => {
    const { data, props } = await load({ model: MODEL.id, feature: 'income' });
    await renderPanel(props);
    const header = screen.getByRole('columnheader', { name: /^PSI trend/ }).textContent!;
    // Per feature: the largest PSI it reached in the range, and how many pixels above the baseline its line peaks.
    const peaks = FEATURES.map(({ name }) => {
      const trend = data.series.find((frame) => frame.name === name && frame.fields[1]?.name === 'psi')!;
      const points = wholeIntervals(
        (column(trend, 'time') as number[]).map((time, index) => ({
          time,
          psi: column(trend, 'psi')[index] as number | null,
        })),
        range.from.valueOf(),
        range.to.valueOf()
      );
      const svg = screen.getByRole('img', { name: new RegExp(`^PSI trend of ${name},`) });
      expect(svg.getAttribute('aria-label')).toMatch(new RegExp(`shared scale ${header.replace('PSI trend', '')}$`));
      const ys = [...svg.querySelectorAll('polyline')].flatMap((line) =>
        line
          .getAttribute('points')!
          .split(' ')
          .map((point) => Number(point.split(',')[1]))
      );
      const height = Number(svg.getAttribute('height'));
      return {
        name,
        psi: Math.max(...points.map((point) => point.psi ?? 0)),
        pixels: height - 1 - Math.min(...ys),
        height,
      };
    });
    // The same PSI is drawn at the same height in every row: pixels per unit of PSI agree.
    const perPsi = peaks.map((peak) => peak.pixels / peak.psi);
    for (const ratio of perPsi) {
      expect(ratio).toBeCloseTo(perPsi[0], 6);
    }
    // income's attack stands out; the undrifted features stay in the bottom fifth.
    const income = peaks.find((peak) => peak.name === 'income')!;
    expect(income.pixels / (income.height - 2)).toBeGreaterThan(0.5);
    expect(
      Math.max(...peaks.filter((peak) => peak !== income).map((peak) => peak.pixels / (peak.height - 2)))
    ).toBeLessThan(0.2);
  });

  it('leaves out the columns a narrow panel has no room for, and says which', async () => {
    const { props } = await load({ model: MODEL.id, feature: 'income' });
    await renderPanel({ ...props, width: 400 });
    const headers = within(screen.getByRole('table', { name: 'Feature diagnostics' })).getAllByRole('columnheader');
    expect(headers.map((header) => header.textContent)).toEqual([
      'Feature',
      'Severity',
      'PSI',
      expect.stringMatching(/^PSI trend/),
      'Action',
    ]);
    expect(screen.getByText('Not shown at this width: Impact, Importance, KL, JS.')).toBeInTheDocument();
    // Analyze keeps its name for screen readers and a tooltip, without its label.
    expect(screen.getByRole('button', { name: 'Analyze income' })).not.toHaveTextContent('Analyze');
  });

  it('Analyze puts the feature into the dashboard variable in the URL', async () => {
    const { props } = await load({ model: MODEL.id, feature: 'income' });
    await renderPanel(props);
    await userEvent.click(screen.getByRole('button', { name: 'Analyze age' }));
    expect(locationService.getSearchObject()['var-feature']).toBe('age');

    const { props: custom } = await load({ model: MODEL.id, feature: 'income' }, { featureVariable: 'column' });
    await renderPanel(custom);
    await userEvent.click(screen.getAllByRole('button', { name: 'Analyze region' })[1]);
    expect(locationService.getSearchObject()['var-column']).toBe('region');
  });

  it('dives into a numeric feature: overlay, PSI with its noise level, KS, statistics, top bins', async () => {
    const { data, props } = await load({ model: MODEL.id, feature: 'income' });
    await renderPanel(props);
    const deepDive = screen.getByRole('region', { name: 'Deep dive: income' });
    const chart = within(deepDive).getByRole('img', { name: 'Histogram of income: reference vs production' });
    // A share axis from 0 %, and the cut points between the bins on the x axis (the browser tests
    // measure that the labels do not overlap).
    const ticks = [...chart.querySelectorAll('[data-axis="y"] text')].map((text) => text.textContent);
    expect(ticks[0]).toBe('0%');
    expect(ticks.length).toBeGreaterThanOrEqual(3);
    const binCount = column(frameWith(data, 'psi_contribution'), 'bin').length;
    expect(chart.querySelectorAll('[data-axis="x"] text')).toHaveLength(binCount - 1);

    const metrics = frameWith(data, 'ks_statistic');
    const psi = column(metrics, 'psi')[0] as number;
    const cards = within(deepDive).getByRole('list', { name: 'Drift measures' });
    expect(within(cards).getByText(psi.toFixed(3))).toBeInTheDocument();
    expect(
      within(cards).getByText(`D ${(column(metrics, 'ks_statistic')[0] as number).toFixed(3)}`)
    ).toBeInTheDocument();
    expect(within(cards).getByText(/Above the noise level/)).toBeInTheDocument();

    const histogram = frameWith(data, 'psi_contribution');
    const contributions = column(histogram, 'psi_contribution') as number[];
    const topBin = (column(histogram, 'bin') as string[])[contributions.indexOf(Math.max(...contributions))];
    const top = within(deepDive).getByRole('region', { name: 'Bins that contribute most to PSI' });
    expect(within(top).getAllByRole('listitem')).toHaveLength(3);
    expect(within(top).getAllByRole('listitem')[0]).toHaveTextContent(topBin);

    const statistics = within(deepDive).getByRole('table', { name: 'Statistics of income' });
    const statNames = column(frameWith(data, 'statistic'), 'statistic') as string[];
    expect(within(statistics).getAllByRole('row')).toHaveLength(statNames.length + 1);
    expect(within(statistics).getByRole('rowheader', { name: 'mean' })).toBeInTheDocument();
  });

  it('shows category bars and chi-square for a categorical feature', async () => {
    const { props } = await load({ model: MODEL.id, feature: 'region' });
    await renderPanel(props);
    const deepDive = screen.getByRole('region', { name: 'Deep dive: region' });
    expect(
      within(deepDive).getByRole('img', { name: 'Categories of region: reference vs production' })
    ).toBeInTheDocument();
    for (const category of ['north', 'south', 'east', 'west']) {
      expect(within(deepDive).getAllByText(category).length).toBeGreaterThan(0);
    }
    expect(within(deepDive).getByText('Chi-square')).toBeInTheDocument();
    expect(within(deepDive).queryByRole('table', { name: 'Statistics of region' })).not.toBeInTheDocument();
  });

  it('shows only the chosen drift measures', async () => {
    const { props } = await load({ model: MODEL.id, feature: 'income' }, { metrics: ['psi'] });
    await renderPanel(props);
    const headers = within(screen.getByRole('table', { name: 'Feature diagnostics' })).getAllByRole('columnheader');
    expect(headers.map((header) => header.textContent)).not.toContain('KL');
    expect(within(screen.getByRole('list', { name: 'Drift measures' })).getAllByRole('listitem')).toHaveLength(1);
  });

  it('advises on retraining with the money at stake and the reasons', async () => {
    const { data, props } = await load({ model: MODEL.id, feature: 'income' }, { viewMode: 'advisor' });
    await renderPanel(props);
    expect(screen.queryByRole('table', { name: 'Feature diagnostics' })).not.toBeInTheDocument();
    const advisor = screen.getByRole('region', { name: 'Retrain advisor' });
    const advice = frameWith(data, 'reasons');
    const reasons = (column(advice, 'reasons')[0] as string).split('\n');
    expect(
      within(within(advisor).getByRole('list', { name: 'Reasons' }))
        .getAllByRole('listitem')
        .map((li) => li.textContent)
    ).toEqual(reasons);
    expect(within(advisor).getByText(/^Revenue at risk/).nextSibling?.textContent).toMatch(/^€/);
    const health = column(frameWith(data, 'health_score'), 'health_score')[0] as number;
    expect(within(advisor).getByText('Health score').nextSibling?.textContent).toBe(`${Math.round(health)}of 100`);
    // The seed's loss shows on 1 of the last 3 days only: nothing recoverable is confirmed yet, so
    // drift-server states no payback and the card says why rather than "never pays back".
    expect(column(advice, 'recommendation')[0]).toBe('monitor');
    expect(reasons.join(' ')).toMatch(/counts once it holds on 2/);
    expect(reasons.join(' ')).not.toMatch(/pays for itself/);
    expect(within(advisor).getByText('Payback').nextSibling?.textContent).toBe('—nothing recoverable confirmed');
    // The estimate's error in the units the reasons use.
    const gap = /the labels fall (\d+\.\d points) below the estimate/.exec(reasons.join(' '))![1];
    expect(within(advisor).getByText('Realized accuracy').nextSibling?.textContent).toContain(`estimate off by ${gap}`);
  });

  it('disables scheduling for a Viewer and says why', async () => {
    config.bootData.user.orgRole = OrgRole.Viewer;
    const { props } = await load({ model: MODEL.id, feature: 'income' });
    await renderPanel(props);
    const button = screen.getByRole('button', { name: 'Schedule retraining' });
    expect(button).toBeDisabled();
    expect(button).toHaveAccessibleDescription(/Viewers cannot schedule retraining/);
  });

  it('disables scheduling for a Grafana server admin whose org role is Viewer: the data proxy checks the org role only', async () => {
    config.bootData.user.orgRole = OrgRole.Viewer;
    config.bootData.user.isGrafanaAdmin = true;
    try {
      const { props } = await load({ model: MODEL.id, feature: 'income' });
      await renderPanel(props);
      expect(screen.getByRole('button', { name: 'Schedule retraining' })).toBeDisabled();
    } finally {
      config.bootData.user.isGrafanaAdmin = false;
    }
  });

  it("report links survive Grafana's link-click interception and carry the sub-path of root_url", async () => {
    // What public/app/app.ts sets up: locationUtil knows appSubUrl, and every click on an <a> with an
    // href and no target becomes locationService.push (core/navigation/patch/interceptLinkClicks.ts).
    const appSubUrl = config.appSubUrl;
    config.appSubUrl = '/grafana';
    initializeLocationUtil();
    const intercepted: string[] = [];
    const intercept = (event: MouseEvent) => {
      const anchor = (event.target as HTMLElement).closest('a');
      if (anchor?.getAttribute('href') && !anchor.getAttribute('target')) {
        intercepted.push(anchor.getAttribute('href')!);
      }
      // jsdom cannot download; the host test (provisioning/host) checks the downloaded bytes.
      event.preventDefault();
    };
    document.addEventListener('click', intercept);
    try {
      const { props } = await load({ model: MODEL.id, feature: 'income' });
      await renderPanel(props);
      for (const name of [/CSV/, /PDF/]) {
        const link = screen.getByRole('link', { name });
        expect(link.getAttribute('href')).toMatch(
          /^\/grafana\/api\/datasources\/proxy\/uid\/driftguard\/read\/api\/v1\/models\//
        );
        expect(link).toHaveAttribute('target', '_self');
        await userEvent.click(link);
      }
      expect(intercepted).toEqual([]);
    } finally {
      document.removeEventListener('click', intercept);
      config.appSubUrl = appSubUrl;
      initializeLocationUtil();
    }
  });

  it('says what to do when the model does not exist', async () => {
    const { props } = await load({ model: 'no-such-model', feature: 'income' });
    await renderPanel(props);
    expect(screen.getByText('No DriftGuard data')).toBeInTheDocument();
    expect(screen.getByText('Some DriftGuard queries failed')).toBeInTheDocument();
    expect(screen.getAllByText(/^A: /)[0]).toHaveTextContent(/no-such-model/);
  });

  it('says it is loading until the first frames arrive', async () => {
    const { props } = await load({ model: MODEL.id, feature: 'income' });
    await renderPanel({ ...props, data: { ...props.data, state: LoadingState.Loading, series: [] } });
    expect(screen.getByText('Loading drift figures from DriftGuard…')).toBeInTheDocument();
  });

  it('asks for a feature when the variable is unset', async () => {
    const { props } = await load({ model: MODEL.id }, { viewMode: 'deepDive' });
    await renderPanel(props);
    expect(screen.getByText('No feature chosen')).toBeInTheDocument();
  });

  it('schedules retraining for an Editor, lists the job, and cancels it', async () => {
    // drift-server's built-in trainer, slow enough that the job stays active until the test cancels it.
    await patchModel(MODEL.id, { retraining: { trainer: { kind: 'simulated', delay_ms: 600_000 } } });
    const { props } = await load({ model: MODEL.id, feature: 'income' }, { viewMode: 'advisor' });
    await renderPanel(props);
    const schedule = screen.getByRole('button', { name: 'Schedule retraining' });
    expect(schedule).toBeEnabled();
    await userEvent.click(schedule);
    const jobs = await screen.findByRole('table', { name: 'Retrain jobs' });
    const [job] = within(jobs).getAllByRole('row').slice(1);
    expect(within(jobs).getAllByRole('row')).toHaveLength(2);
    expect(['scheduled', 'dispatched', 'running']).toContain(job.querySelector('td')?.textContent);
    expect(within(job).getByText(/^Scheduled from the DriftGuard panel/)).toBeInTheDocument();
    expect(within(job).getByText(EDITOR.login)).toBeInTheDocument();
    // At most one active job per model: the button says why it is disabled now.
    expect(screen.getByRole('button', { name: 'Schedule retraining' })).toHaveAccessibleDescription(/already active/);

    await userEvent.click(within(job).getByRole('button', { name: 'Cancel' }));
    const cancelled = await within(screen.getByRole('table', { name: 'Retrain jobs' })).findByText('cancelled');
    expect(cancelled).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Schedule retraining' })).toBeEnabled();
  });

  it('links the CSV and PDF reports of the model over the dashboard time range', async () => {
    const { props } = await load({ model: MODEL.id, feature: 'income' });
    await renderPanel(props);
    const csvHref = screen.getByRole('link', { name: /CSV/ }).getAttribute('href') ?? '';
    const params = new URL(csvHref, 'http://grafana.example').searchParams;
    expect([params.get('from'), params.get('to')]).toEqual([String(range.from.valueOf()), String(range.to.valueOf())]);
    expect(screen.getByRole('link', { name: /PDF/ }).getAttribute('href')).toMatch(/\/report\.pdf\?/);

    // The link works through Grafana's data proxy: one CSV row per feature.
    const response = await lastValueFrom(getBackendSrv().fetch<string>({ url: csvHref }));
    const [header, ...rows] = String(response.data).trim().split(/\r?\n/);
    const featureColumn = header.split(',').indexOf('feature');
    expect(rows.map((row) => row.split(',')[featureColumn]).sort()).toEqual(FEATURES.map((f) => f.name).sort());
  });

  it('is served by a data source instance that offers every operation the panel calls', () => {
    const datasource: RetrainingMethods = liveDataSource({ serverUrl: server.url, secureJsonData: GOOD_TOKENS });
    expect(hasRetrainOperations(datasource)).toBe(true);
    // A data source of another kind (or an older DriftGuard one) is told apart.
    expect(hasRetrainOperations({ name: 'other', reportUrl: () => '' })).toBe(false);
  });

  it('recognises the frames by their shape, whatever their refIds and order', async () => {
    const { data } = await load({ model: MODEL.id, feature: 'income' });
    const renamed = [...data.series].reverse().map((frame, index) => ({ ...frame, refId: `Q${index}` }));
    const read = readDriftFrames(renamed);
    expect(read).toEqual(readDriftFrames(data.series));
    expect(read.features?.map((row) => row.feature).sort()).toEqual(FEATURES.map((f) => f.name).sort());
    expect([read.detail?.histogram.length, read.summary?.healthScore, read.recommendation?.reasons.length]).toEqual([
      expect.any(Number),
      expect.any(Number),
      expect.any(Number),
    ]);
    expect([...read.psiTrends.keys()].sort()).toEqual(FEATURES.map((f) => f.name).sort());
  });
});
