import { modelBody, Row, rows, toCsv, toNdjson } from './data';
import { startTestServer, TestServer } from './harness';

const ndjson = { 'content-type': 'application/x-ndjson' };
const csv = { 'content-type': 'text/csv' };
const json = { 'content-type': 'application/json' };
const HOUR = 3_600_000;
const START = Date.UTC(2026, 5, 1);
const WINDOW = `from=${new Date(START).toISOString()}&to=${new Date(START + 2 * HOUR).toISOString()}`;

/**
 * A binary classifier's labels and predictions are 1/0 or true/false: anything else used to be
 * stored, counted as missing and so silently dropped from realized accuracy, and a later `yes`
 * replaced a valid `1`. Now it refuses the whole batch, naming the row, and nothing changes.
 */
describe('labels outside a binary classifier’s label set refuse the batch', () => {
  let t: TestServer;
  const production = rows(120, 21, { startMs: START, stepMs: 60_000 });

  const post = (
    model: string,
    kind: 'predictions' | 'labels',
    body: string,
    headers: Record<string, string> = ndjson
  ) => t.json(`/api/v1/models/${model}/${kind}`, { method: 'POST', headers, body });
  /** Everything a refused batch could have changed. */
  const state = async (model = 'binary') => {
    const summary = (await t.json(`/api/v1/models/${model}/summary?${WINDOW}`)).body;
    const { total_predictions, realized_accuracy, estimated_accuracy } = summary;
    return { total_predictions, realized_accuracy, estimated_accuracy };
  };

  beforeAll(async () => {
    t = await startTestServer();
    expect(
      (await t.json('/api/v1/models', { method: 'POST', headers: json, body: JSON.stringify(modelBody('binary')) }))
        .status
    ).toBe(201);
    expect(
      (await t.json('/api/v1/models/binary/references', { method: 'POST', headers: csv, body: toCsv(rows(300, 20)) }))
        .status
    ).toBe(201);
    expect((await post('binary', 'predictions', toNdjson(production))).status).toBe(201);
  });
  afterAll(() => t.stop());

  it('refuses fraud/legit labels for a 0/1 model with 400 naming the row, storing none of the batch', async () => {
    const before = await state();
    const labels = [
      { prediction_id: production[0].prediction_id, label: 1 },
      { prediction_id: production[1].prediction_id, label: 'fraud' },
      { prediction_id: production[2].prediction_id, label: 'legit' },
    ];
    const { status, body, response } = await post('binary', 'labels', toCsv(labels), csv);
    expect(status).toBe(400);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    expect(body.detail).toBe(
      'row 2, column "label": "fraud" is not a label of binary classifier "binary"; labels are 1/0, true/false (any case) or 1.0/0.0'
    );
    expect(await state()).toEqual(before);
  });

  it('never lets a later invalid label replace a valid one', async () => {
    const id = production[5].prediction_id;
    const flipped = 1 - (production[5].label as number);
    expect((await post('binary', 'labels', toNdjson([{ prediction_id: id, label: String(flipped) }]))).status).toBe(
      201
    );
    const withValidLabel = await state();
    const { status, body } = await post('binary', 'labels', toNdjson([{ prediction_id: id, label: 'yes' }]));
    expect(status).toBe(400);
    expect(body.detail).toMatch(/^row 1, column "label": "yes" is not a label/);
    expect(await state()).toEqual(withValidLabel);
    // The valid label still counts: labelling the row back moves realized accuracy as before.
    expect((await post('binary', 'labels', toNdjson([{ prediction_id: id, label: production[5].label }]))).status).toBe(
      201
    );
    expect((await state()).realized_accuracy.value).not.toBe(withValidLabel.realized_accuracy.value);
  });

  it.each([
    ['NDJSON', ndjson, toNdjson],
    ['CSV', csv, toCsv],
  ] as const)(
    'refuses a prediction batch (%s) whose inline label or prediction is outside the set, at its row',
    async (_format, headers, encode) => {
      const before = await state();
      const batch = rows(5, 22, { startMs: START + 30 * 60_000, stepMs: 60_000, idPrefix: `bad-${_format}-` });
      const badLabel: Row[] = batch.map((row, index) => (index === 3 ? { ...row, label: 'legit' } : row));
      const refused = await post('binary', 'predictions', encode(badLabel), headers);
      expect(refused.status).toBe(400);
      expect(refused.body.detail).toMatch(
        /^row 4, column "label": "legit" is not a label of binary classifier "binary"/
      );
      const badPrediction: Row[] = batch.map((row, index) => (index === 1 ? { ...row, prediction: 'approve' } : row));
      const refusedPrediction = await post('binary', 'predictions', encode(badPrediction), headers);
      expect(refusedPrediction.status).toBe(400);
      expect(refusedPrediction.body.detail).toMatch(
        /^row 2, column "prediction": "approve" is not a prediction of binary classifier "binary"/
      );
      expect(await state()).toEqual(before);
    }
  );

  it('accepts every spelling of a binary outcome', async () => {
    const spelled = ['1', '0', 'true', 'FALSE', ' True ', '1.0', '0.0'].map((label, index) => ({
      prediction_id: production[20 + index].prediction_id,
      label,
    }));
    expect((await post('binary', 'labels', toNdjson(spelled))).status).toBe(201);
  });

  it('leaves the labels of other tasks uninterpreted', async () => {
    const model = { ...modelBody('multiclass'), task: 'multiclass_classification' };
    expect(
      (await t.json('/api/v1/models', { method: 'POST', headers: json, body: JSON.stringify(model) })).status
    ).toBe(201);
    expect(
      (
        await t.json('/api/v1/models/multiclass/references', {
          method: 'POST',
          headers: csv,
          body: toCsv(rows(50, 23)),
        })
      ).status
    ).toBe(201);
    const classes = production.slice(0, 3).map((row, index) => ({ ...row, label: ['cat', 'dog', 'bird'][index] }));
    expect((await post('multiclass', 'predictions', toNdjson(classes))).status).toBe(201);
  });
});
