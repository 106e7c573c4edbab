import { binCounts, MODEL_OUTPUT_KEY } from '../../src/store';
import { python } from '../support/scipy';
import { MODEL_ID, modelBody, normal, Row, rows, seededRandom, storeDefinition, toCsv, toNdjson } from './data';
import { startServerWithReference, startTestServer, TestServer, TOKENS } from './harness';
import { DEFAULT_METRICS_WINDOW_HOURS } from '../../src/config';
import { metricsWindow } from '../../src/metrics';

const HOUR = 3_600_000;
const START = Date.UTC(2026, 4, 1);
const HOURS = 6;
/** The window of the `index`-th batch: batches are uploaded into consecutive windows of HOURS hours. */
const windowOf = (index: number) => {
  const fromMs = START + index * HOURS * HOUR;
  return { fromMs, toMs: fromMs + HOURS * HOUR };
};
const query = ({ fromMs, toMs }: { fromMs: number; toMs: number }) =>
  `from=${new Date(fromMs).toISOString()}&to=${new Date(toMs).toISOString()}`;
const ndjson = { 'content-type': 'application/x-ndjson' };
const csv = { 'content-type': 'text/csv' };

/**
 * Rows without a probability column whose outputs `output` draws (a seeded draw per row), spread
 * over the hours from `startMs` when given, with ids led by `idPrefix`.
 */
function rowsWithoutProbability(
  count: number,
  seed: number,
  idPrefix: string,
  output: (random: () => number) => Row,
  startMs?: number
): Row[] {
  const random = seededRandom(seed + 2000);
  return rows(count, seed, startMs === undefined ? {} : { startMs, stepMs: (HOURS * HOUR) / count, idPrefix }).map(
    ({ probability, ...row }) => {
      void probability;
      return { ...row, ...output(random) };
    }
  );
}

/** Production rows spread over the window of batch `seed`; `score` draws each row's probability (the prediction follows it). */
function production(count: number, seed: number, score: (random: () => number) => number): Row[] {
  const random = seededRandom(seed + 1000);
  const startMs = windowOf(seed).fromMs;
  return rows(count, seed, { startMs, stepMs: (HOURS * HOUR) / count, idPrefix: `b${seed}-` }).map((row) => {
    const probability = score(random);
    return { ...row, probability, prediction: probability >= 0.5 ? 1 : 0 };
  });
}

const uniform = (random: () => number) => random();
/** Scores pushed towards 1: the square root of a uniform draw, P(score ≤ s) = s². */
const higher = (random: () => number) => Math.sqrt(random());

/** The output's counts per bin summed over the window, read from the hourly aggregates the server keeps. */
async function storedOutputCounts(t: TestServer, version: number, batch: number): Promise<Map<number, number>> {
  const range = { ...windowOf(batch), bucketMs: HOUR };
  const columns = await t.server.store.aggregates.numericCountColumns(MODEL_ID, version, range, [MODEL_OUTPUT_KEY]);
  const totals = new Map<number, number>();
  for (const bucket of (await binCounts([MODEL_OUTPUT_KEY], columns)).values())
    for (const [bin, n] of bucket.get(MODEL_OUTPUT_KEY) ?? []) totals.set(bin, (totals.get(bin) ?? 0) + n);
  return totals;
}

/** numpy: counts of `values` over the cut points, a value in bin (number of cut points ≤ it), as np.histogram's left-closed bins give. */
function numpyHistogram(values: number[], cuts: number[]): number[] {
  return python<number[]>(
    'emit(np.histogram(np.array(data["values"]), bins=[-np.inf, *data["cuts"], np.inf])[0].tolist())',
    { values, cuts }
  );
}

/** PSI as the statistics contract defines it, by numpy, from two sides' counts (missing bins included by the caller). */
function numpyPsi(reference: number[], production: number[]): number {
  return python<number>(
    `e = np.array(data["e"], float); a = np.array(data["a"], float)
e = e / e.sum(); a = a / a.sum()
e = np.where(e == 0, 1e-4, e); a = np.where(a == 0, 1e-4, a)
emit(float(np.sum((a - e) * np.log(a / e))))`,
    { e: reference, a: production }
  );
}

describe('prediction drift: the model output counted, compared and decided like a feature', () => {
  let t: TestServer;
  const reference = rows(2000, 1);

  beforeAll(async () => {
    t = await startServerWithReference(modelBody(), toCsv(reference));
  });
  afterAll(() => t.stop());

  const summary = async (batch: number) => {
    const { status, body } = await t.json(`/api/v1/models/${MODEL_ID}/summary?${query(windowOf(batch))}`);
    expect(status).toBe(200);
    return body;
  };

  it('stays quiet for a batch scored like the reference, with counts and PSI equal to numpy', async () => {
    const batch = production(2000, 0, uniform);
    const upload = await t.json(`/api/v1/models/${MODEL_ID}/predictions`, {
      method: 'POST',
      headers: ndjson,
      body: toNdjson(batch),
    });
    expect(upload.status).toBe(201);
    const binning = await t.server.store.references.binning(MODEL_ID);
    const output = binning.output?.bins;
    if (output?.kind !== 'numeric') throw new Error('the reference froze no numeric output bins');
    const scores = batch.map((row) => row.probability as number);
    expect(output.counts).toEqual(
      numpyHistogram(
        reference.map((row) => row.probability as number),
        output.cuts
      )
    );
    const expected = numpyHistogram(scores, output.cuts);
    const stored = await storedOutputCounts(t, binning.version, 0);
    expect(expected.map((_, bin) => stored.get(bin) ?? 0)).toEqual(expected);
    expect(stored.get(-1)).toBeUndefined();

    const drift = (await summary(0)).prediction_drift;
    expect(drift).toMatchObject({
      column: 'probability',
      kind: 'numeric',
      production_rows: 2000,
      uncounted_predictions: 0,
    });
    expect(drift.psi).toBeCloseTo(numpyPsi(output.counts, expected), 10);
    expect(drift.drifted).toBe(false);
    expect(drift.severity).toBe('ok');
  });

  it('flags a batch whose scores moved up', async () => {
    expect(
      (
        await t.json(`/api/v1/models/${MODEL_ID}/predictions`, {
          method: 'POST',
          headers: ndjson,
          body: toNdjson(production(2000, 1, higher)),
        })
      ).status
    ).toBe(201);
    const drift = (await summary(1)).prediction_drift;
    expect(drift.production_rows).toBe(2000);
    expect(drift.drifted).toBe(true);
    expect(drift.findings.map((finding: { name: string }) => finding.name)).toContain('distribution_shift');
  });

  it('carries the output series in the trends, each interval equal to the summary of that interval', async () => {
    const window = { fromMs: windowOf(0).fromMs, toMs: windowOf(1).toMs };
    const { status, body } = await t.json(
      `/api/v1/models/${MODEL_ID}/trends?${query(window)}&interval=${HOURS}h&series=features`
    );
    expect(status).toBe(200);
    expect(body.prediction_drift.column).toBe('probability');
    const points = body.prediction_drift.points;
    expect(points.map((point: { drifted: boolean }) => point.drifted)).toEqual([false, true]);
    for (const [batch, point] of points.entries()) {
      const drift = (await summary(batch)).prediction_drift;
      expect(point).toMatchObject({ psi: drift.psi, production_rows: drift.production_rows, severity: drift.severity });
    }
  });

  it('exports the verdict and PSI on /metrics, equal to the summary of the metrics window', async () => {
    const { newestPredictionMs } = await t.server.store.freshness.of(MODEL_ID);
    const window = metricsWindow(Date.now(), DEFAULT_METRICS_WINDOW_HOURS, newestPredictionMs);
    const drift = (await t.json(`/api/v1/models/${MODEL_ID}/summary?${query(window)}`)).body.prediction_drift;
    const response = await t.call('/metrics', { token: TOKENS.read });
    expect(response.status).toBe(200);
    const exposition = await response.text();
    const sample = (name: string) =>
      exposition.split('\n').filter((line) => line.startsWith(`${name}{model="${MODEL_ID}",output="probability"} `));
    expect(sample('driftguard_prediction_psi')).toEqual([
      `driftguard_prediction_psi{model="${MODEL_ID}",output="probability"} ${drift.psi}`,
    ]);
    expect(sample('driftguard_prediction_drifted')).toEqual([
      `driftguard_prediction_drifted{model="${MODEL_ID}",output="probability"} ${drift.drifted ? 1 : 0}`,
    ]);
    expect(sample('driftguard_prediction_window_rows')).toEqual([
      `driftguard_prediction_window_rows{model="${MODEL_ID}",output="probability"} ${drift.production_rows}`,
    ]);
  });

  it('recounts the stored predictions over the cut points of a new reference version', async () => {
    const second = rows(2000, 5).map((row, index) => ({
      ...row,
      probability: Math.sqrt(((index + 0.5) * 0.618034) % 1),
    }));
    expect(
      (await t.json(`/api/v1/models/${MODEL_ID}/references`, { method: 'POST', headers: csv, body: toCsv(second) }))
        .status
    ).toBe(201);
    const binning = await t.server.store.references.binning(MODEL_ID);
    expect(binning.version).toBe(2);
    const output = binning.output?.bins;
    if (output?.kind !== 'numeric') throw new Error('the new reference froze no numeric output bins');
    const firstBatch = production(2000, 0, uniform).map((row) => row.probability as number);
    const expected = numpyHistogram(firstBatch, output.cuts);
    const stored = await storedOutputCounts(t, 2, 0);
    expect(expected.map((_, bin) => stored.get(bin) ?? 0)).toEqual(expected);
    // The higher-scored batch is now scored like the reference: no longer drifted.
    const drift = (await summary(1)).prediction_drift;
    expect(drift.production_rows).toBe(2000);
    expect(drift.drifted).toBe(false);
  });
});

describe('prediction drift of a model without a probability column: the predicted class mix', () => {
  let t: TestServer;
  /** Rows whose prediction is 1 with chance `share`. */
  const classRows = (count: number, seed: number, share: number, startMs?: number): Row[] =>
    rowsWithoutProbability(count, seed, `c${seed}-`, (random) => ({ prediction: random() < share ? 1 : 0 }), startMs);
  const classCounts = (data: Row[]) => [0, 1].map((value) => data.filter((row) => row.prediction === value).length);
  const reference = classRows(2000, 7, 0.3);

  beforeAll(async () => {
    t = await startServerWithReference({ ...modelBody(), columns: { probability: null } }, toCsv(reference));
  });
  afterAll(() => t.stop());

  it.each([
    ['the same class mix', 0, 0.3, false],
    ['a class mix moved to class 1', 1, 0.6, true],
  ])('compares %s over the reference classes, PSI equal to numpy', async (_, batch, share, drifted) => {
    const data = classRows(2000, 10 + batch, share, windowOf(batch).fromMs);
    expect(
      (
        await t.json(`/api/v1/models/${MODEL_ID}/predictions`, {
          method: 'POST',
          headers: ndjson,
          body: toNdjson(data),
        })
      ).status
    ).toBe(201);
    const drift = (await t.json(`/api/v1/models/${MODEL_ID}/summary?${query(windowOf(batch))}`)).body.prediction_drift;
    expect(drift).toMatchObject({ column: 'prediction', kind: 'categorical', production_rows: 2000, drifted });
    expect(drift.psi).toBeCloseTo(numpyPsi(classCounts(reference), classCounts(data)), 10);
  });
});

describe('prediction drift where the output was not counted', () => {
  let t: TestServer;
  /** Rows without a probability column, which this model does not map. */
  const classes = (count: number, seed: number, startMs?: number): Row[] =>
    rows(count, seed, startMs === undefined ? {} : { startMs, stepMs: HOUR / count, idPrefix: `u${seed}-` }).map(
      ({ probability, ...row }) => {
        void probability;
        return row;
      }
    );

  beforeAll(async () => {
    t = await startTestServer();
    const body = JSON.stringify({ ...modelBody(), columns: { probability: null } });
    expect(
      (await t.json('/api/v1/models', { method: 'POST', body, headers: { 'content-type': 'application/json' } })).status
    ).toBe(201);
  });
  afterAll(() => t.stop());

  it('refuses a feature named like the storage key of the output, storing nothing', async () => {
    const features = [{ name: MODEL_OUTPUT_KEY, kind: 'numeric', importance: 1 }];
    await expect(t.server.store.models.create('reserved', storeDefinition('reserved', features))).rejects.toThrow(
      /the name the model's output is stored under/
    );
    await expect(t.server.store.models.get('reserved')).rejects.toThrow(/does not exist/);
  });

  it('has no prediction drift while the reference has no predictions, and reports hours counted before as uncounted, not as an empty share', async () => {
    const withoutPredictions = classes(600, 21).map((row) => ({ ...row, prediction: null }));
    const upload = (path: string, body: string, headers: Record<string, string>) =>
      t.json(`/api/v1/models/${MODEL_ID}/${path}`, { method: 'POST', body, headers });
    expect((await upload('references', toCsv(withoutPredictions), csv)).status).toBe(201);
    const before = classes(300, 22, START);
    expect((await upload('predictions', toNdjson(before), ndjson)).status).toBe(201);
    const hour = (index: number) => ({ fromMs: START + index * HOUR, toMs: START + (index + 1) * HOUR });
    expect((await t.json(`/api/v1/models/${MODEL_ID}/summary?${query(hour(0))}`)).body.prediction_drift).toBeNull();

    expect((await upload('references', toCsv(classes(600, 23)), csv)).status).toBe(201);
    const after = classes(300, 24, START + HOUR);
    expect((await upload('predictions', toNdjson(after), ndjson)).status).toBe(201);
    const both = (
      await t.json(`/api/v1/models/${MODEL_ID}/summary?${query({ fromMs: START, toMs: START + 2 * HOUR })}`)
    ).body;
    expect(both.total_predictions).toBe(600);
    expect(both.prediction_drift).toMatchObject({
      column: 'prediction',
      production_rows: 300,
      uncounted_predictions: 300,
    });
  });
});

describe('prediction drift of a regression model: its predicted values as a number', () => {
  let t: TestServer;
  /** Rows whose predicted value is normal with mean `mean`; no probability column. */
  const valueRows = (count: number, seed: number, mean: number, startMs?: number): Row[] =>
    rowsWithoutProbability(
      count,
      seed,
      `r${seed}-`,
      (random) => ({ prediction: mean + normal(random, 0, 1), label: normal(random, 0, 1) }),
      startMs
    );
  const reference = valueRows(2000, 31, 0);

  beforeAll(async () => {
    t = await startServerWithReference(
      { ...modelBody(), task: 'regression', columns: { probability: null } },
      toCsv(reference)
    );
  });
  afterAll(() => t.stop());

  it('bins the predicted values over frozen cut points and flags a shifted batch, PSI equal to numpy', async () => {
    const batch = valueRows(2000, 32, 0.5, windowOf(0).fromMs);
    expect(
      (
        await t.json(`/api/v1/models/${MODEL_ID}/predictions`, {
          method: 'POST',
          headers: ndjson,
          body: toNdjson(batch),
        })
      ).status
    ).toBe(201);
    const output = (await t.server.store.references.binning(MODEL_ID)).output?.bins;
    if (output?.kind !== 'numeric') throw new Error('the reference froze no numeric output bins');
    const drift = (await t.json(`/api/v1/models/${MODEL_ID}/summary?${query(windowOf(0))}`)).body.prediction_drift;
    expect(drift).toMatchObject({ column: 'prediction', kind: 'numeric', production_rows: 2000, drifted: true });
    const values = (data: Row[]) => data.map((row) => row.prediction as number);
    expect(drift.psi).toBeCloseTo(numpyPsi(output.counts, numpyHistogram(values(batch), output.cuts)), 10);
    expect(output.counts).toEqual(numpyHistogram(values(reference), output.cuts));
  });

  it('compares no output once the columns name another output than the reference froze, until a reference is uploaded again', async () => {
    const patched = await t.json(`/api/v1/models/${MODEL_ID}`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ columns: { probability: 'probability' } }),
    });
    expect(patched.status).toBe(200);
    const summary = await t.json(`/api/v1/models/${MODEL_ID}/summary?${query(windowOf(0))}`);
    expect(summary.body.total_predictions).toBe(2000);
    expect(summary.body.prediction_drift).toBeNull();
  });
});
