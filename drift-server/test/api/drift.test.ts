import {
  comparisonCounts,
  compareFeature,
  decideWindow,
  DEFAULT_THRESHOLDS,
  FeatureComparison,
  featureTests,
  FeatureVerdict,
} from '../../src/stats';
import { HOSTILE, MODEL_ID, modelBody, Row, rows, toCsv, toNdjson } from './data';
import { startTestServer, TestServer, TOKENS } from './harness';

const HOUR = 3_600_000;
const DAY_START = Date.UTC(2026, 0, 10);
const iso = (ms: number) => new Date(ms).toISOString();
const features = modelBody().features as { name: string; kind: 'numeric' | 'categorical' }[];

type Expected = FeatureComparison & { verdict: FeatureVerdict | null };

/**
 * compareFeature on the raw rows of every feature, and the verdicts decided over all of them as
 * one window (the server decides over the whole model whatever a query selects). Without
 * `withVerdicts` only the figures are compared (a previous-period baseline's numeric bins are the
 * reference's, so its numeric tests cannot be recomputed from the raw rows).
 */
function expectedWindow(reference: Row[], production: Row[], withVerdicts = true): Map<string, Expected> {
  const comparisons = features.map((feature) =>
    compareFeature(
      feature.kind,
      reference.map((row) => row[feature.name] as never),
      production.map((row) => row[feature.name] as never)
    )
  );
  const verdicts = decideWindow(
    comparisons.map((comparison) => featureTests(comparisonCounts(comparison), DEFAULT_THRESHOLDS)),
    DEFAULT_THRESHOLDS
  );
  return new Map(
    features.map((feature, index) => [
      feature.name,
      { ...comparisons[index], verdict: withVerdicts ? verdicts[index] : null },
    ])
  );
}

function expected(name: string, reference: Row[], production: Row[]): Expected {
  return expectedWindow(reference, production).get(name) as Expected;
}

function expectSameDrift(served: Record<string, unknown>, comparison: Expected): void {
  expect(served.psi).toBeCloseTo(comparison.psi, 12);
  expect(served.kl).toBeCloseTo(comparison.kl, 12);
  expect(served.js).toBeCloseTo(comparison.js, 12);
  expect(served.psi_critical).toBeCloseTo(comparison.psi_critical, 12);
  const verdict = comparison.verdict;
  if (verdict === null) return;
  expect([served.severity, served.drifted, served.findings]).toEqual([
    verdict.severity,
    verdict.drifted,
    verdict.findings,
  ]);
  expect(served.psi_corrected).toBeCloseTo(verdict.psi_corrected as number, 12);
  expect(served.psi_noise).toBeCloseTo(verdict.psi_noise as number, 12);
  expect(served.shift_q_value).toBeCloseTo(verdict.shift_q_value as number, 12);
}

describe('drift served from hourly aggregates', () => {
  let t: TestServer;
  const reference = rows(2000, 1);
  // Day 0: like the reference; day 1: shifted. 1200 rows a day, one every 72 s.
  const calm = rows(1200, 2, { startMs: DAY_START, stepMs: 72_000, idPrefix: 'a' });
  const shifted = rows(1200, 3, { shift: 1, startMs: DAY_START + 24 * HOUR, stepMs: 72_000, idPrefix: 'b' });
  const window = `from=${iso(DAY_START + 24 * HOUR)}&to=${iso(DAY_START + 48 * HOUR)}`;
  const read = { token: TOKENS.read };

  beforeAll(async () => {
    t = await startTestServer();
    const post = (path: string, body: string, type: string) =>
      t.json(path, { method: 'POST', body, headers: { 'content-type': type } });
    expect((await post('/api/v1/models', JSON.stringify(modelBody()), 'application/json')).status).toBe(201);
    expect((await post(`/api/v1/models/${MODEL_ID}/references`, toCsv(reference), 'text/csv')).status).toBe(201);
    expect((await post(`/api/v1/models/${MODEL_ID}/predictions`, toNdjson(calm), 'application/x-ndjson')).status).toBe(
      201
    );
    expect(
      (await post(`/api/v1/models/${MODEL_ID}/predictions`, JSON.stringify(shifted), 'application/json')).status
    ).toBe(201);
  });
  afterAll(() => t.stop());

  it('summary: PSI, KL, JS, psi_critical and severity equal compareFeature on the raw rows', async () => {
    const { status, body } = await t.json(`/api/v1/models/${MODEL_ID}/summary?${window}`, read);
    expect(status).toBe(200);
    expect(body.total_predictions).toBe(1200);
    expect(body.data_volume).toEqual({ predictions: 1200, hours_with_data: 24, predictions_per_day: 1200 });
    expect(body.baseline).toEqual({ kind: 'reference', version: 1, rows: 2000 });
    for (const feature of features) {
      const served = body.features.find((entry: { feature: string }) => entry.feature === feature.name);
      expectSameDrift(served, expected(feature.name, reference, shifted));
    }
    expect(body.features[0].feature).toBe('income');
    expect(body.features[0].severity).toBe('critical');
    expect(body.severity_counts.critical).toBeGreaterThanOrEqual(1);
    // Importance-weighted mean PSI: income weighs 3, the others 1.
    const psi = Object.fromEntries(
      body.features.map((entry: { feature: string; psi: number }) => [entry.feature, entry.psi])
    );
    expect(body.average_drift_score).toBeCloseTo((3 * psi.income + psi.age + psi.region + psi[HOSTILE]) / 6, 12);
  });

  it('summary over both days equals compareFeature on all production rows', async () => {
    const { body } = await t.json(
      `/api/v1/models/${MODEL_ID}/summary?from=${DAY_START}&to=${DAY_START + 48 * HOUR}`,
      read
    );
    expect(body.total_predictions).toBe(2400);
    for (const feature of features) {
      const served = body.features.find((entry: { feature: string }) => entry.feature === feature.name);
      expectSameDrift(served, expected(feature.name, reference, [...calm, ...shifted]));
    }
  });

  it('previous_period baseline compares the window with the one just before it', async () => {
    const { body } = await t.json(`/api/v1/models/${MODEL_ID}/summary?${window}&reference=previous_period`, read);
    expect(body.baseline).toMatchObject({
      kind: 'previous_period',
      from: iso(DAY_START),
      to: iso(DAY_START + 24 * HOUR),
      binning_version: 1,
    });
    for (const feature of features) {
      const served = body.features.find((entry: { feature: string }) => entry.feature === feature.name);
      const comparison = expectedWindow(calm, shifted, false).get(feature.name) as Expected;
      // Numeric bins stay the reference's frozen cuts, so only categorical figures match a fresh comparison.
      if (feature.kind === 'categorical') expectSameDrift(served, comparison);
      expect(served.reference_rows).toBe(1200);
    }
  });

  it('feature detail: histogram, per-bin PSI, exact KS and descriptive statistics', async () => {
    const { status, body } = await t.json(`/api/v1/models/${MODEL_ID}/features/income?${window}`, read);
    expect(status).toBe(200);
    const comparison = expected('income', reference, shifted);
    if (comparison.kind !== 'numeric') throw new Error('numeric expected');
    expectSameDrift(body.drift, comparison);
    expect(body.drift.cuts).toEqual(comparison.cuts);
    expect(body.drift.bins).toEqual(comparison.bins);
    expect(body.drift.ks_statistic).toBeCloseTo(comparison.ks_statistic as number, 12);
    expect(body.drift.ks_pvalue).toBeCloseTo(comparison.ks_pvalue as number, 12);
    expect(body.drift.ks_method).toBe(comparison.ks_method);
    expect(body.stats.reference).toEqual(comparison.reference_stats);
    expect(body.stats.production).toEqual(comparison.production_stats);
    expect(body.raw_rows).toEqual({ reference: 2000, production: 1200, truncated: false });
  });

  it('feature detail of a categorical feature reports chi-square from the aggregated counts', async () => {
    const { body } = await t.json(`/api/v1/models/${MODEL_ID}/features/region?${window}`, read);
    const comparison = expected('region', reference, shifted);
    if (comparison.kind !== 'categorical') throw new Error('categorical expected');
    expectSameDrift(body.drift, comparison);
    expect(body.drift.chi2_statistic).toBeCloseTo(comparison.chi2_statistic, 10);
    expect(body.drift.chi2_pvalue).toBeCloseTo(comparison.chi2_pvalue, 12);
    expect(body.drift.chi2_dof).toBe(comparison.chi2_dof);
    expect(body.drift.bins.map((bin: { label: string }) => bin.label)).toEqual([
      'missing',
      'east',
      'north',
      'south',
      'west',
    ]);
  });

  it('feature detail works for a feature named like an SQL injection', async () => {
    const { status, body } = await t.json(
      `/api/v1/models/${MODEL_ID}/features/${encodeURIComponent(HOSTILE)}?${window}`,
      read
    );
    expect(status).toBe(200);
    expectSameDrift(body.drift, expected(HOSTILE, reference, shifted));
    expect((await t.json('/api/v1/models', read)).body.models).toHaveLength(1);
  });

  it('trends: one point per interval, each equal to compareFeature on that interval’s rows', async () => {
    const { status, body } = await t.json(
      `/api/v1/models/${MODEL_ID}/trends?from=${DAY_START}&to=${DAY_START + 48 * HOUR}&interval=6h&features=income,region`,
      read
    );
    expect(status).toBe(200);
    expect(body.interval_ms).toBe(6 * HOUR);
    expect(body.series.map((series: { feature: string }) => series.feature)).toEqual(['income', 'region']);
    expect(body.volume).toHaveLength(8);
    expect(body.volume.reduce((sum: number, point: { predictions: number }) => sum + point.predictions, 0)).toBe(2400);
    const all = [...calm, ...shifted];
    for (const series of body.series) {
      series.points.forEach((point: Record<string, unknown>, index: number) => {
        const start = DAY_START + index * 6 * HOUR;
        expect(point.time).toBe(iso(start));
        const inInterval = all.filter(
          (row) =>
            Date.parse(row.timestamp as string) >= start && Date.parse(row.timestamp as string) < start + 6 * HOUR
        );
        expect(point.production_rows).toBe(inInterval.length);
        expectSameDrift(point, expected(series.feature, reference, inInterval));
      });
    }
  });

  it('trends compute only the series asked for: per-feature drift, model health and accuracy, or both', async () => {
    const path = `/api/v1/models/${MODEL_ID}/trends?from=${DAY_START}&to=${DAY_START + 48 * HOUR}&interval=6h&features=income`;
    const all = (await t.json(path, read)).body;
    const features = (await t.json(`${path}&series=features`, read)).body;
    const model = (await t.json(`${path}&series=model`, read)).body;
    expect(all.model.points).toHaveLength(8);
    expect(features).toEqual({ ...all, model: undefined });
    expect('model' in features).toBe(false);
    expect(model).toEqual({ ...all, series: [] });
    expect((await t.json(`${path}&series=some`, read)).status).toBe(400);
  });

  it('trends with the previous-period baseline compare each interval with the one before', async () => {
    const { body } = await t.json(
      `/api/v1/models/${MODEL_ID}/trends?from=${DAY_START + 24 * HOUR}&to=${DAY_START + 48 * HOUR}&interval=12h&features=region&reference=previous_period`,
      read
    );
    const all = [...calm, ...shifted];
    const inInterval = (start: number) =>
      all.filter(
        (row) => Date.parse(row.timestamp as string) >= start && Date.parse(row.timestamp as string) < start + 12 * HOUR
      );
    body.series[0].points.forEach((point: Record<string, unknown>, index: number) => {
      const start = DAY_START + 24 * HOUR + index * 12 * HOUR;
      expectSameDrift(
        point,
        expectedWindow(inInterval(start - 12 * HOUR), inInterval(start), false).get('region') as Expected
      );
    });
    expect(body.series[0].points).toHaveLength(2);
  });

  it('trends default to daily points beyond two days and report empty intervals as insufficient data', async () => {
    const { body } = await t.json(
      `/api/v1/models/${MODEL_ID}/trends?from=${iso(DAY_START - 2 * 24 * HOUR)}&to=${iso(DAY_START + 48 * HOUR)}`,
      read
    );
    expect(body.interval_ms).toBe(24 * HOUR);
    const income = body.series.find((series: { feature: string }) => series.feature === 'income');
    expect(income.points).toHaveLength(4);
    expect(income.points[0]).toMatchObject({ psi: null, severity: 'insufficient_data', production_rows: 0 });
    expect(income.points[3].severity).toBe('critical');
  });

  it('a new reference version re-bins retained production rows; older versions stay queryable', async () => {
    const newReference = rows(1500, 9, { shift: 1 });
    const upload = await t.json(`/api/v1/models/${MODEL_ID}/references`, {
      method: 'POST',
      body: toNdjson(newReference),
      headers: { 'content-type': 'application/x-ndjson' },
    });
    expect(upload.status).toBe(201);
    expect(upload.body.version).toBe(2);
    const latest = await t.json(`/api/v1/models/${MODEL_ID}/summary?${window}`, read);
    const first = await t.json(`/api/v1/models/${MODEL_ID}/summary?${window}&reference=1`, read);
    expect(latest.body.baseline.version).toBe(2);
    for (const feature of features) {
      const servedLatest = latest.body.features.find((entry: { feature: string }) => entry.feature === feature.name);
      const servedFirst = first.body.features.find((entry: { feature: string }) => entry.feature === feature.name);
      expectSameDrift(servedLatest, expected(feature.name, newReference, shifted));
      expectSameDrift(servedFirst, expected(feature.name, reference, shifted));
    }
    const versions = await t.json(`/api/v1/models/${MODEL_ID}/references`, read);
    expect(
      versions.body.versions.map((version: { version: number; row_count: number }) => [
        version.version,
        version.row_count,
      ])
    ).toEqual([
      [1, 2000],
      [2, 1500],
    ]);
    const v1 = await t.json(`/api/v1/models/${MODEL_ID}/references/1`, read);
    expect(v1.body.features.income.cuts).toEqual((expected('income', reference, shifted) as { cuts: number[] }).cuts);
  });

  it('features list carries kinds, importance and the newest frozen bins', async () => {
    const { body } = await t.json(`/api/v1/models/${MODEL_ID}/features`, read);
    expect(
      body.features.map((feature: { name: string; kind: string; importance: number }) => [
        feature.name,
        feature.kind,
        feature.importance,
      ])
    ).toEqual([
      ['income', 'numeric', 3],
      ['age', 'numeric', 1],
      ['region', 'categorical', 1],
      [HOSTILE, 'numeric', 1],
    ]);
    expect(body.features[2].bins.categories).toEqual(['east', 'north', 'south', 'west']);
  });

  it.each([
    ['from after to', `from=${DAY_START + HOUR}&to=${DAY_START}`, /from .* must be before to/],
    ['unparseable time', 'from=yesterday', /from must be an ISO 8601 time or epoch milliseconds/],
    ['unknown reference choice', 'reference=best', /reference must be "latest"/],
    ['missing reference version', 'reference=7', /no reference version 7/],
  ])('rejects a query with %s', async (_case, query, detail) => {
    const { status, body, response } = await t.json(`/api/v1/models/${MODEL_ID}/summary?${query}`, read);
    expect([400, 404]).toContain(status);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    expect(body.detail).toMatch(detail);
  });

  it('rejects an unknown feature: 404 in the path, 400 in a trend filter', async () => {
    const detail = await t.json(`/api/v1/models/${MODEL_ID}/features/salary?${window}`, read);
    expect(detail.status).toBe(404);
    expect(detail.body.detail).toMatch(/no feature "salary"/);
    const trends = await t.json(`/api/v1/models/${MODEL_ID}/trends?${window}&features=salary`, read);
    expect(trends.status).toBe(400);
    expect(trends.body.detail).toMatch(/no feature\(s\) "salary"/);
    const interval = await t.json(`/api/v1/models/${MODEL_ID}/trends?${window}&interval=fortnightly`, read);
    expect(interval.status).toBe(400);
  });
});
