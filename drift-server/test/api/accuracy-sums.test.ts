import { DuckDBInstance } from '@duckdb/node-api';
import { silentLogger } from '../../src/logger';
import { loadConfig } from '../../src/config';
import { startServer } from '../../src/server';
import {
  AccuracyFigure,
  BinaryOutcome,
  Calibration,
  calibrate,
  ClassifiedRow,
  windowAccuracy,
} from '../../src/stats/accuracy-estimate';
import { fitIsotonic } from '../../src/stats/isotonic';
import { modelBody, Row, rows, toNdjson } from './data';
import { startTestServer, TestServer } from './harness';
import { toSchemaVersion7 } from '../support/schema-versions';

const ndjson = { 'content-type': 'application/x-ndjson' };
const HOUR = 3_600_000;
const START = Date.UTC(2026, 4, 1);
const WINDOW = `from=${new Date(START).toISOString()}&to=${new Date(START + 4 * HOUR).toISOString()}`;

const outcome = (value: string | number | null | undefined): BinaryOutcome | null =>
  value === 0 || value === 1 ? value : null;
const classified = (row: Row): ClassifiedRow => ({
  probability: row.probability as number,
  prediction: outcome(row.prediction),
  label: outcome(row.label),
});

/** The same figures computed row by row with the statistics layer, for comparison with the served ones. */
function expectedAccuracy(
  reference: Row[],
  production: Row[],
  calibration: Calibration = calibrate(reference.map(classified)).calibration
) {
  return windowAccuracy(calibration, production.map(classified));
}

function expectFigure(served: AccuracyFigure | null, expected: AccuracyFigure | null) {
  if (expected === null) return expect(served).toBeNull();
  expect(served?.rows).toBe(expected.rows);
  for (const key of ['value', 'lower', 'upper'] as const) expect(served?.[key]).toBeCloseTo(expected[key], 12);
}

describe('accuracy from hourly sums equals accuracy computed row by row', () => {
  let t: TestServer;
  const reference = rows(600, 11);
  /** Production rows as the server should see them now, with their effective labels. */
  let production: Row[];

  const post = (path: string, data: Row[] | Record<string, unknown>[]) =>
    t.json(`/api/v1/models/sums/${path}`, { method: 'POST', headers: ndjson, body: toNdjson(data) });
  const served = async () => (await t.json(`/api/v1/models/sums/summary?${WINDOW}`)).body;

  async function expectServedEquals(referenceRows: Row[]) {
    const summary = await served();
    const expected = expectedAccuracy(referenceRows, production);
    expectFigure(summary.estimated_accuracy, expected.estimated);
    expectFigure(summary.realized_accuracy, expected.realized);
    return summary;
  }

  beforeAll(async () => {
    t = await startTestServer();
    expect(
      (
        await t.json('/api/v1/models', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(modelBody('sums')),
        })
      ).status
    ).toBe(201);
    expect(
      (await t.json('/api/v1/models/sums/references', { method: 'POST', headers: ndjson, body: toNdjson(reference) }))
        .status
    ).toBe(201);
    // Half the rows come with an inline label, half without; 4 hours of traffic.
    production = rows(480, 12, { startMs: START, stepMs: 30_000, shift: 0.5 }).map((row, index) =>
      index % 2 === 0 ? row : { ...row, label: null }
    );
    expect((await post('predictions', production)).status).toBe(201);
  });
  afterAll(() => t.stop());

  it('counts inline labels and estimates over every scored row', async () => {
    const summary = await expectServedEquals(reference);
    expect(summary.realized_accuracy.rows).toBe(240);
    expect(summary.estimated_accuracy.rows).toBe(480);
  });

  it('moves realized accuracy when later labels replace inline ones, label unlabelled rows, and are replaced again', async () => {
    const flipped = production
      .slice(0, 100)
      .map((row) => ({ prediction_id: row.prediction_id, label: row.label === null ? 1 : 1 - (row.label as number) }));
    expect((await post('labels', flipped)).status).toBe(201);
    production = production.map((row, index) => (index < 100 ? { ...row, label: flipped[index].label } : row));
    await expectServedEquals(reference);

    const again = production.slice(50, 60).map((row) => ({ prediction_id: row.prediction_id, label: 'true' }));
    expect((await post('labels', again)).status).toBe(201);
    production = production.map((row, index) => (index >= 50 && index < 60 ? { ...row, label: 1 } : row));
    await expectServedEquals(reference);

    // A label the model cannot have refuses the batch: nothing changes, not even the batch's valid labels.
    const notBinary = [
      { prediction_id: production[201].prediction_id, label: 1 },
      { prediction_id: production[200].prediction_id, label: 'maybe' },
    ];
    const refused = await post('labels', notBinary);
    expect(refused.status).toBe(400);
    expect(refused.body.detail).toMatch(/^row 2, column "label": "maybe" is not a label of binary classifier "sums"/);
    await expectServedEquals(reference);
  });

  it('applies a label that arrived before its prediction', async () => {
    const early = rows(40, 13, { startMs: START + 3 * HOUR, stepMs: 60_000, idPrefix: 'early' });
    const labels = early.map((row) => ({ prediction_id: row.prediction_id, label: 1 - (row.label as number) }));
    expect((await post('labels', labels)).status).toBe(201);
    expect((await post('predictions', early)).status).toBe(201);
    production = [...production, ...early.map((row, index) => ({ ...row, label: labels[index].label }))];
    await expectServedEquals(reference);
  });

  it('leaves the sums untouched when a label batch is refused', async () => {
    const before = await served();
    const refused = await t.call('/api/v1/models/sums/labels', {
      method: 'POST',
      headers: ndjson,
      body: `${JSON.stringify({ prediction_id: production[0].prediction_id, label: 0 })}\n{"prediction_id": 5, "label": [1]}\n`,
    });
    expect(refused.status).toBe(400);
    expect(refused.headers.get('content-type')).toBe('application/problem+json');
    expect(await served()).toEqual(before);
  });

  it('gives interval accuracy in the trends equal to the rows of each hour', async () => {
    const { body } = await t.json(`/api/v1/models/sums/trends?${WINDOW}&interval=1h`);
    const { calibration: fit } = calibrate(reference.map(classified));
    body.model.points.forEach(
      (point: {
        time: string;
        estimated_accuracy: number;
        realized_accuracy: number | null;
        labelled_rows: number;
      }) => {
        const hour = Date.parse(point.time);
        const inHour = production.filter(
          (row) => Date.parse(row.timestamp as string) >= hour && Date.parse(row.timestamp as string) < hour + HOUR
        );
        const expected = windowAccuracy(fit, inHour.map(classified));
        expect(point.estimated_accuracy).toBeCloseTo(expected.estimated?.value as number, 12);
        expect(point.realized_accuracy).toBeCloseTo(expected.realized?.value as number, 12);
        expect(point.labelled_rows).toBe(expected.realized?.rows);
      }
    );
    expect(body.model.points).toHaveLength(4);
  });

  it('re-estimates stored rows under the calibration of a new reference version', async () => {
    const newer = rows(500, 14, { shift: 0.5 }).map((row) => ({
      ...row,
      label: (row.probability as number) > 0.3 ? 1 : 0,
    }));
    expect((await post('references', newer)).status).toBe(201);
    const summary = await expectServedEquals(newer);
    expect(summary.calibration.reference_version).toBe(2);
    const previous = (await t.json(`/api/v1/models/sums/summary?${WINDOW}&reference=1`)).body;
    expectFigure(previous.estimated_accuracy, expectedAccuracy(reference, production).estimated);
  });

  it('rebuilds the sums from stored rows when a database from before them is opened, reading its single-fit calibrations', async () => {
    const before = await served();
    await t.server.close();
    const instance = await DuckDBInstance.create(t.dbPath);
    const connection = await instance.connect();
    await toSchemaVersion7(connection);
    await connection.run('DROP TABLE agg_estimate');
    await connection.run('DROP TABLE agg_realized');
    // Later migrations go too: the database is as a server before version 5 left it.
    await connection.run('DROP TABLE agg_numeric_daily');
    await connection.run('DROP TABLE agg_categorical_daily');
    await connection.run('DROP TABLE agg_estimate_folds');
    await connection.run('DELETE FROM schema_migrations WHERE version >= 5');
    // Such a server stored one isotonic fit on all the calibration rows and the accuracy as a figure.
    const points = reference.map((row) => ({ probability: row.probability as number, outcome: row.label as number }));
    const legacyFit = fitIsotonic(points);
    const right = reference.filter((row) => row.prediction === row.label).length;
    const legacy = {
      status: 'fitted',
      fit: legacyFit,
      reference_accuracy: { value: right / reference.length, lower: 0, upper: 1, rows: reference.length },
      calibration_rows: reference.length,
    };
    await connection.run('UPDATE reference_calibrations SET calibration = $1 WHERE model_id = $2 AND version = 1', [
      JSON.stringify(legacy),
      'sums',
    ]);
    // Version 2 (the test before uploaded it) only has to be in the old form too.
    const stored = JSON.parse(
      (
        await connection.runAndReadAll('SELECT calibration FROM reference_calibrations WHERE version = 2')
      ).getRows()[0][0] as string
    );
    const { labelled, right: rightOfTwo } = stored.reference;
    const oldForm = {
      status: 'fitted',
      fit: stored.fits[0],
      reference_accuracy: { value: rightOfTwo / labelled, lower: 0, upper: 1, rows: labelled },
      calibration_rows: stored.calibration_rows,
    };
    await connection.run('UPDATE reference_calibrations SET calibration = $1 WHERE version = 2', [
      JSON.stringify(oldForm),
    ]);
    connection.closeSync();
    instance.closeSync();

    const reopened = await startServer(
      loadConfig(
        { DRIFTGUARD_TOKENS: 'read=read-token-0123456789abcdef' },
        { dbPath: t.dbPath, port: 0, host: '127.0.0.1' }
      ),
      { logger: silentLogger }
    );
    try {
      const response = await fetch(`${reopened.url}/api/v1/models/sums/summary?${WINDOW}&reference=1`, {
        headers: { authorization: 'Bearer read-token-0123456789abcdef' },
      });
      const after = (await response.json()) as Record<string, any>;
      expect(after.realized_accuracy.rows).toBe(before.realized_accuracy.rows);
      expect(after.realized_accuracy.value).toBeCloseTo(before.realized_accuracy.value, 12);
      // The old version stays readable: estimated under its single fit, without a calibration error it never had.
      expectFigure(after.estimated_accuracy, expectedAccuracy(reference, production, { fits: [legacyFit] }).estimated);
      expect(after.estimated_accuracy.calibration_sd).toBeNull();
      expect(after.estimate_actionable).toBe(false);
      expect(after.calibration).toMatchObject({
        status: 'fitted',
        cross_fitted: false,
        held_out: null,
        rows: reference.length,
      });
      expect(after.reference_accuracy).toMatchObject({ value: right / reference.length, rows: reference.length });
    } finally {
      await reopened.close();
    }
  });
});
