import { DuckDBInstance } from '@duckdb/node-api';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createRandom } from '../../src/demo/random';
import { numericCutPoints } from '../../src/stats';
import { MODEL_ID, modelBody, Row, rows, toNdjson } from './data';
import { startTestServer, TestServer, TOKENS } from './harness';

const HOUR = 3_600_000;
const DAY_START = Date.UTC(2026, 0, 10);
const WINDOW = `from=${DAY_START}&to=${DAY_START + 24 * HOUR}`;
const read = { token: TOKENS.read };

async function post(t: TestServer, route: string, body: unknown): Promise<void> {
  const { status, body: answer } = await t.json(route, {
    method: 'POST',
    body: typeof body === 'string' ? body : JSON.stringify(body),
    headers: { 'content-type': typeof body === 'string' ? 'application/x-ndjson' : 'application/json' },
  });
  if (status !== 201) throw new Error(`POST ${route}: ${status} ${JSON.stringify(answer)}`);
}

/** A day of production rows like the reference (seeded), with `change` applied to each. */
function day(count: number, seed: number, change: (row: Row, index: number) => Row = (row) => row): Row[] {
  return rows(count, seed, { startMs: DAY_START, stepMs: Math.floor((24 * HOUR) / count), idPrefix: `s${seed}-` }).map(
    change
  );
}

async function summaryOf(production: Row[]): Promise<{ body: any; stop: () => Promise<void> }> {
  const t = await startTestServer();
  await post(t, '/api/v1/models', modelBody());
  await post(t, `/api/v1/models/${MODEL_ID}/references`, toNdjson(rows(4000, 1)));
  await post(t, `/api/v1/models/${MODEL_ID}/predictions`, toNdjson(production));
  const { body } = await t.json(`/api/v1/models/${MODEL_ID}/summary?${WINDOW}`, read);
  return { body, stop: () => t.stop() };
}

const featureOf = (summary: any, name: string) =>
  summary.features.find((feature: { feature: string }) => feature.feature === name);

describe('data quality is part of the verdict, as served', () => {
  it('calls the two most important features all missing critical, and health loses their whole weight', async () => {
    const { body, stop } = await summaryOf(day(1200, 2, (row) => ({ ...row, income: null, age: null })));
    try {
      for (const name of ['income', 'age']) {
        expect(featureOf(body, name)).toMatchObject({
          severity: 'critical',
          drifted: true,
          findings: [expect.objectContaining({ name: 'all_missing', severity: 'critical' })],
        });
      }
      // income weighs 3 and age 1 of 6: at most 100 − 100·4/6.
      expect(body.health_score).toBeLessThanOrEqual(100 - (100 * 4) / 6 + 1e-9);
      expect(body.drifted_features).toBe(2);
    } finally {
      await stop();
    }
  });

  it('calls 95 % missing income mostly_missing, critical', async () => {
    const { body, stop } = await summaryOf(
      day(1200, 3, (row, index) => (index % 20 === 0 ? row : { ...row, income: null }))
    );
    try {
      expect(featureOf(body, 'income').findings.map((finding: { name: string }) => finding.name)).toEqual([
        'mostly_missing',
      ]);
      expect(body.health_score).toBeLessThan(60);
    } finally {
      await stop();
    }
  });

  it('finds 5 % of the values beyond the reference maximum: out_of_range, critical', async () => {
    const { body, stop } = await summaryOf(
      day(1200, 4, (row, index) => (index % 20 === 0 ? { ...row, income: 500_000 } : row))
    );
    try {
      const income = featureOf(body, 'income');
      expect(income.findings).toContainEqual(expect.objectContaining({ name: 'out_of_range', severity: 'critical' }));
      expect(income.outside_share).toBeGreaterThan(0.045);
      expect(featureOf(body, 'age')).toMatchObject({ severity: 'ok', findings: [] });
    } finally {
      await stop();
    }
  });

  it('leaves a calm day ok on every feature, health 100', async () => {
    const { body, stop } = await summaryOf(day(1200, 5));
    try {
      expect(body.features.map((feature: { severity: string }) => feature.severity)).toEqual(['ok', 'ok', 'ok', 'ok']);
      expect(body.health_score).toBe(100);
    } finally {
      await stop();
    }
  });
});

describe('constant and discrete features, binned per value', () => {
  let t: TestServer;
  const model = {
    id: 'counts',
    name: 'Counts',
    features: [
      { name: 'flag', kind: 'numeric', importance: 1 },
      { name: 'visits', kind: 'numeric', importance: 1 },
    ],
  };
  const sample = (count: number, seed: number, moved: boolean) => {
    const random = createRandom(seed);
    return Array.from({ length: count }, (_, index) => {
      const visits = random.poisson(0.5);
      return {
        prediction_id: `c${seed}-${index}`,
        timestamp: new Date(DAY_START + index * 60_000).toISOString(),
        flag: moved ? 6 : 5,
        visits: moved && visits > 0 ? visits + 2 : visits,
      };
    });
  };

  beforeAll(async () => {
    t = await startTestServer();
    await post(t, '/api/v1/models', model);
    await post(t, '/api/v1/models/counts/references', toNdjson(sample(3000, 1, false)));
    await post(t, '/api/v1/models/counts/predictions', toNdjson(sample(600, 2, true)));
  });
  afterAll(() => t.stop());

  it('freezes one bin per value with tail bins around them', async () => {
    const { body } = await t.json('/api/v1/models/counts/references/1', read);
    expect(body.features.flag).toMatchObject({
      binning: 'values',
      cuts: [5, 5 + 2 ** -50],
      counts: [0, 3000, 0],
      range: { min: 5, max: 5 },
    });
    expect(body.features.visits.binning).toBe('values');
  });

  it('sees a constant 5 → 6 (constant_changed) and Poisson(0.5) values +2 (discrete_shift), both critical', async () => {
    const { body } = await t.json(`/api/v1/models/counts/summary?from=${DAY_START}&to=${DAY_START + 24 * HOUR}`, read);
    expect(featureOf(body, 'flag').findings.map((finding: { name: string }) => finding.name)).toEqual([
      'constant_changed',
    ]);
    expect(featureOf(body, 'visits').findings.map((finding: { name: string }) => finding.name)).toContain(
      'discrete_shift'
    );
    expect(body.features.every((feature: { severity: string }) => feature.severity === 'critical')).toBe(true);
    const detail = await t.json(
      `/api/v1/models/counts/features/visits?from=${DAY_START}&to=${DAY_START + 24 * HOUR}`,
      read
    );
    expect(detail.body.drift.binning).toBe('values');
    expect(detail.body.drift.bins[0].label).toBe('< 0');
    expect(detail.body.drift.bins[1].label).toBe('0');
  });
});

describe('reference versions frozen before tail and per-value bins', () => {
  const directory = mkdtempSync(path.join(tmpdir(), 'driftguard-legacy-'));
  const dbPath = path.join(directory, 'legacy.duckdb');
  const reference = rows(3000, 1);
  afterAll(() => rmSync(directory, { recursive: true, force: true }));

  it('are read as they were counted: quantile cut points only, with verdicts and plain labels', async () => {
    const first = await startTestServer({ DRIFTGUARD_DB: dbPath });
    await post(first, '/api/v1/models', modelBody());
    await post(first, `/api/v1/models/${MODEL_ID}/references`, toNdjson(reference));
    await first.stop();
    // What a version stored before this release holds: the quantile cut points alone, no binning or range.
    const instance = await DuckDBInstance.create(dbPath);
    const connection = await instance.connect();
    const values = reference.map((row) => row.age as number);
    const cuts = numericCutPoints(values);
    const counts = new Array(cuts.length + 1).fill(0);
    for (const value of values) counts[cuts.filter((cut) => cut <= value).length] += 1;
    await connection.run(`UPDATE reference_bins SET bins = $1 WHERE model_id = $2 AND feature = 'age'`, [
      JSON.stringify({ kind: 'numeric', cuts, counts, missing: 0 }),
      MODEL_ID,
    ]);
    connection.closeSync();
    instance.closeSync();

    const second = await startTestServer({ DRIFTGUARD_DB: dbPath });
    try {
      await post(
        second,
        `/api/v1/models/${MODEL_ID}/predictions`,
        toNdjson(day(1200, 6, (row) => ({ ...row, age: (row.age as number) + 8 })))
      );
      const { status, body } = await second.json(`/api/v1/models/${MODEL_ID}/features/age?${WINDOW}`, read);
      expect(status).toBe(200);
      expect(body.drift).toMatchObject({ cuts, binning: 'quantiles', severity: 'critical', drifted: true });
      expect(body.drift.bins[0].label).toBe(`< ${cuts[0]}`);
      expect(
        body.drift.bins.reduce((sum: number, bin: { production_count: number }) => sum + bin.production_count, 0)
      ).toBe(1200);
    } finally {
      await second.stop();
    }
  });
});
