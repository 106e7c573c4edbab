import { binaryOutcome } from '../../src/store';
import { modelBody, Row, rows, toCsv, toNdjson } from './data';
import { startTestServer, TestServer } from './harness';

const ndjson = { 'content-type': 'application/x-ndjson' };
const csv = { 'content-type': 'text/csv' };
const json = { 'content-type': 'application/json' };
const HOUR = 3_600_000;
const DAY_START = Date.UTC(2026, 2, 1);
const WINDOW = `from=${new Date(DAY_START).toISOString()}&to=${new Date(DAY_START + 2 * HOUR).toISOString()}`;
const BUSINESS = {
  currency: 'EUR',
  cost_per_error: 10,
  retrain_cost: 1000,
  retrain_duration_days: 2,
  horizon_days: 30,
  predictions_per_day: 5000,
};

const relabel = (data: Row[], label: (row: Row) => string | number | null) =>
  data.map((row) => ({ ...row, label: label(row) }));
const shareRight = (data: Row[]) => data.filter((row) => row.prediction === row.label).length / data.length;

describe('model health through the API: calibration, accuracy, recommendation', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer();
  });
  afterAll(() => t.stop());

  async function register(id: string, referenceRows: Row[]) {
    expect(
      (
        await t.json('/api/v1/models', {
          method: 'POST',
          headers: json,
          body: JSON.stringify({ ...modelBody(id), business: BUSINESS }),
        })
      ).status
    ).toBe(201);
    const upload = await t.json(`/api/v1/models/${id}/references`, {
      method: 'POST',
      headers: csv,
      body: toCsv(referenceRows),
    });
    expect(upload.status).toBe(201);
    return upload.body;
  }

  it('maps stored labels and predictions to outcomes: 0/1, true/false, "1.0"; anything else is not binary', () => {
    expect(['1', '0', 'true', 'FALSE', ' True ', '1.0', '0.0'].map(binaryOutcome)).toEqual([1, 0, 1, 0, 1, 1, 0]);
    expect(binaryOutcome(null)).toBeNull();
    expect(['yes', '2', ''].map(binaryOutcome)).toEqual([undefined, undefined, undefined]);
  });

  it('answers "no calibration" with the reason for a reference without labels, never NaN; realized accuracy still comes from late labels', async () => {
    const upload = await register(
      'unlabelled',
      relabel(rows(300, 1), () => null)
    );
    expect(upload.calibration).toEqual({
      status: 'unavailable',
      reason: 'no calibration: the reference has no rows with both a label and a probability',
      reference_version: 1,
      rows: null,
      cross_fitted: null,
      held_out: null,
    });
    const production = rows(120, 2, { startMs: DAY_START, stepMs: 60_000 }).map(({ label: _label, ...row }) => row);
    expect(
      (
        await t.json('/api/v1/models/unlabelled/predictions', {
          method: 'POST',
          headers: ndjson,
          body: toNdjson(production),
        })
      ).status
    ).toBe(201);
    const labels = production
      .slice(0, 80)
      .map((row, index) => ({ prediction_id: row.prediction_id, label: index % 3 === 0 ? 'true' : 'false' }));
    expect(
      (await t.json('/api/v1/models/unlabelled/labels', { method: 'POST', headers: ndjson, body: toNdjson(labels) }))
        .status
    ).toBe(201);

    const { status, body: summary } = await t.json(`/api/v1/models/unlabelled/summary?${WINDOW}`);
    expect(status).toBe(200);
    expect(summary.estimated_accuracy).toBeNull();
    expect(summary.reference_accuracy).toBeNull();
    expect(summary.calibration.reason).toMatch(/^no calibration: /);
    expect(typeof summary.health_score).toBe('number');
    const right = labels.filter(
      (label, index) => (label.label === 'true' ? 1 : 0) === production[index].prediction
    ).length;
    expect(summary.realized_accuracy).toMatchObject({ value: right / 80, rows: 80 });

    // Still a recommendation, from the inputs alone, stating what it cannot know.
    const recommendation = await t.json(`/api/v1/models/unlabelled/recommendation?${WINDOW}`);
    expect(recommendation.status).toBe(200);
    expect(['monitor', 'no_action']).toContain(recommendation.body.recommendation);
    expect(recommendation.body).toMatchObject({
      reference_accuracy: null,
      recoverable_drop: null,
      decision_rule: null,
      realized_actionable: false,
      min_labelled_rows: 200,
    });
    expect(recommendation.body.reasons[0]).toBe(
      'No accuracy verdict: the reference has no accuracy to compare with (no calibration: the reference has no rows with both a label and a probability).'
    );
  });

  it('calibrates on true/false labels, reports the reference accuracy and serves a recommendation from the business parameters', async () => {
    const reference = rows(400, 3);
    const upload = await register(
      'boolean-labels',
      relabel(reference, (row) => (row.label === 1 ? 'true' : 'false'))
    );
    expect(upload.calibration).toMatchObject({
      status: 'fitted',
      reason: null,
      reference_version: 1,
      rows: 400,
      cross_fitted: true,
    });
    // The estimate checked on the reference rows, each scored by the fold fit that did not see it.
    expect(upload.calibration.held_out.realized).toMatchObject({ value: shareRight(reference), rows: 400 });
    expect(upload.calibration.held_out.estimated.rows).toBe(400);
    const production = rows(100, 4, { startMs: DAY_START, stepMs: 60_000 });
    expect(
      (
        await t.json('/api/v1/models/boolean-labels/predictions', {
          method: 'POST',
          headers: ndjson,
          body: toNdjson(production),
        })
      ).status
    ).toBe(201);

    const summary = (await t.json(`/api/v1/models/boolean-labels/summary?${WINDOW}`)).body;
    expect(summary.reference_accuracy).toMatchObject({ value: shareRight(reference), rows: 400 });
    expect(summary.realized_accuracy).toMatchObject({ value: shareRight(production), rows: 100 });
    expect(summary.estimated_accuracy.rows).toBe(100);
    const recommendation = (await t.json(`/api/v1/models/boolean-labels/recommendation?${WINDOW}`)).body;
    // Two hours are too short to measure a daily rate: the model's own figure is used.
    expect(recommendation).toMatchObject({
      predictions_per_day: 5000,
      predictions_per_day_source: 'business_parameter',
      retrain_cost: 1000,
      horizon_days: 30,
    });
    expect(recommendation.reasons.length).toBeGreaterThan(0);
  });

  it('refuses to calibrate on labels that are not binary, and says which', async () => {
    const upload = await register(
      'text-labels',
      relabel(rows(50, 5), (row) => (row.label === 1 ? 'default' : 'repaid'))
    );
    expect(upload.calibration.status).toBe('unavailable');
    expect(upload.calibration.reason).toMatch(
      /labels and predictions must be 1\/0, true\/false \(any case\) or 1\.0\/0\.0, the reference holds .*"(default|repaid)"/
    );
  });

  it('refuses to calibrate on fewer than 200 rows with a label and a probability, and says so', async () => {
    const upload = await register('small-reference', rows(150, 6));
    expect(upload.calibration).toMatchObject({
      status: 'unavailable',
      reason:
        'no calibration: the reference has 150 rows with both a probability and a label; a calibration needs at least 200 (10 folds of 20) to be fitted and checked on rows it did not see',
    });
  });

  it('states a recommendation without business parameters: verdicts without money, and what to set', async () => {
    const reference = rows(400, 7);
    expect(
      (
        await t.json('/api/v1/models', {
          method: 'POST',
          headers: json,
          body: JSON.stringify(modelBody('no-business')),
        })
      ).status
    ).toBe(201);
    expect(
      (await t.json('/api/v1/models/no-business/references', { method: 'POST', headers: csv, body: toCsv(reference) }))
        .status
    ).toBe(201);
    const production = rows(100, 8, { startMs: DAY_START, stepMs: 60_000 });
    expect(
      (
        await t.json('/api/v1/models/no-business/predictions', {
          method: 'POST',
          headers: ndjson,
          body: toNdjson(production),
        })
      ).status
    ).toBe(201);
    const { status, body } = await t.json(`/api/v1/models/no-business/recommendation?${WINDOW}`);
    expect(status).toBe(200);
    expect(body).toMatchObject({
      currency: 'USD',
      revenue_at_risk_per_day: null,
      recoverable_value: null,
      payback_days: null,
      reference_accuracy: shareRight(reference),
    });
    expect(body.reasons).toContain(
      'No money figures: the model lacks business parameters; set cost_per_error (or value_per_correct_prediction), retrain_cost, retrain_duration_days and horizon_days.'
    );
  });

  it.each([
    ['a bad window', '/api/v1/models/boolean-labels/recommendation?from=yesterday', 400],
    ['an unknown model', '/api/v1/models/nobody/recommendation', 404],
    ['a bad model id', '/api/v1/models/Bad!/recommendation', 400],
  ])('answers %s with a problem', async (_case, path, status) => {
    const response = await t.json(path);
    expect(response.status).toBe(status);
    expect(response.response.headers.get('content-type')).toBe('application/problem+json');
  });
});
