import { createRandom } from '../../src/demo/random';
import {
  drawRows,
  Population,
  REFERENCE_POPULATION,
  reversedShareCosting,
  SIMULATED_BUSINESS,
  SimulatedRow,
} from '../../../bench/retrain-simulation';
import { startTestServer, TestServer } from './harness';

const json = { 'content-type': 'application/json' };
const ndjson = { 'content-type': 'application/x-ndjson' };
const DAY = 86_400_000;
/** The three days of production end here; each recommendation is asked for the last day. */
const END = Date.UTC(2026, 6, 4);
const LAST_DAY = `from=${new Date(END - DAY).toISOString()}&to=${new Date(END).toISOString()}`;
const ROWS_PER_DAY = 2_000;

/**
 * The cases through the HTTP API, on a calibrated model (labels drawn from its own
 * probabilities) whose inputs or concept move; each model is registered with the business figures
 * of bench/retrain-simulation.ts, under which a 1-point recoverable loss would pay back quickly.
 */
describe('recommendations the API serves for the cases the old rules got wrong', () => {
  let t: TestServer;

  const ndjsonOf = (rows: readonly Record<string, unknown>[]) => rows.map((row) => JSON.stringify(row)).join('\n');
  const production = (rows: readonly SimulatedRow[], day: number, prefix: string) =>
    rows.map(({ score, probability, label }, index) => ({
      prediction_id: `${prefix}-${day}-${index}`,
      timestamp: new Date(END - (3 - day) * DAY + Math.floor((index * DAY) / rows.length)).toISOString(),
      score,
      probability,
      label,
    }));

  async function model(id: string, days: (day: number) => Record<string, unknown>[]) {
    const definition = {
      id,
      name: id,
      features: [{ name: 'score', kind: 'numeric', importance: 1 }],
      columns: { prediction: 'prediction', probability: 'probability', label: 'label' },
      business: SIMULATED_BUSINESS,
    };
    expect(
      (await t.json('/api/v1/models', { method: 'POST', headers: json, body: JSON.stringify(definition) })).status
    ).toBe(201);
    const reference = drawRows(createRandom(1), 2_000, REFERENCE_POPULATION).map(({ score, probability, label }) => ({
      score,
      probability,
      label,
    }));
    expect(
      (await t.json(`/api/v1/models/${id}/references`, { method: 'POST', headers: ndjson, body: ndjsonOf(reference) }))
        .status
    ).toBe(201);
    for (let day = 0; day < 3; day += 1) {
      const rows = days(day);
      if (rows.length > 0)
        expect(
          (await t.json(`/api/v1/models/${id}/predictions`, { method: 'POST', headers: ndjson, body: ndjsonOf(rows) }))
            .status
        ).toBe(201);
    }
    return (await t.json(`/api/v1/models/${id}/recommendation?${LAST_DAY}`)).body;
  }

  const daysOf = (population: Population, prefix: string) => (day: number) =>
    production(drawRows(createRandom(100 + day), ROWS_PER_DAY, population), day, prefix);

  beforeAll(async () => {
    t = await startTestServer();
  });
  afterAll(() => t.stop());

  it('a calibrated model under pure covariate shift: the loss is priced as at risk, never as recoverable, and never retrain_now', async () => {
    const advice = await model('covariate-shift', daysOf({ scoreMean: 0, scoreSd: 0.8, reversedShare: 0 }, 'c'));
    expect(advice.recommendation).toBe('monitor');
    expect(advice.drop_is_material).toBe(true);
    expect(advice.revenue_at_risk_per_day).toBeGreaterThan(0);
    expect(advice.population_shift.established).toBe(true);
    expect(advice.concept_drift.established).toBe(false);
    expect(advice.recoverable_value).toBe(0);
    expect(advice.payback_days).toBeNull();
  });

  it('concept drift costing 5 points for three days: retrain_now, the loss recoverable', async () => {
    const drifted = { ...REFERENCE_POPULATION, reversedShare: reversedShareCosting(0.05, REFERENCE_POPULATION) };
    const advice = await model('concept-drift', daysOf(drifted, 'd'));
    expect(advice.recommendation).toBe('retrain_now');
    expect(advice.recoverable_confirmed).toBe(true);
    expect(advice.persistence).toEqual({ established_days: 3, days: 3, required: 2 });
    expect(advice.recoverable_per_day).toBeCloseTo(advice.recoverable_drop.value * ROWS_PER_DAY * 150, 6);
  });

  it('30 labels, none right, and no estimate: shown, not acted on', async () => {
    // The window's predictions carry no probability, so only the 30 labels speak.
    const rows = drawRows(createRandom(7), 30, REFERENCE_POPULATION).map(({ score, probability }, index) => ({
      prediction_id: `few-${index}`,
      timestamp: new Date(END - DAY + index * 60_000).toISOString(),
      score,
      prediction: (probability as number) >= 0.5 ? 1 : 0,
      label: (probability as number) >= 0.5 ? 0 : 1,
    }));
    const advice = await model('thirty-wrong', (day) => (day === 2 ? rows : []));
    expect(advice.realized_accuracy).toMatchObject({ value: 0, rows: 30, lower: 0 });
    expect(advice.realized_accuracy.upper).toBeGreaterThan(0.1);
    expect(advice.recommendation).not.toBe('retrain_now');
    expect(advice.revenue_at_risk_per_day).toBe(0);
    expect(advice.reasons.join(' ')).toMatch(/Only 30 labels in the window, fewer than the 200 needed to act on them/);
  });

  it('499 labels at 70 % against an estimate of about 78 %: concept drift is said, from the interval', async () => {
    const rows = drawRows(createRandom(8), ROWS_PER_DAY, REFERENCE_POPULATION);
    // Label 499 rows so that 349 are right (70 %), the rest of the day unlabelled.
    const labelled = rows.map(({ score, probability }, index) => {
      const predicted = (probability as number) >= 0.5 ? 1 : 0;
      const label = index >= 499 ? null : index < 349 ? predicted : 1 - predicted;
      return {
        prediction_id: `half-${index}`,
        timestamp: new Date(END - DAY + Math.floor((index * DAY) / rows.length)).toISOString(),
        score,
        probability,
        label,
      };
    });
    const advice = await model('few-labels-drift', (day) => (day === 2 ? labelled : []));
    expect(advice.realized_accuracy).toMatchObject({ rows: 499 });
    expect(advice.realized_accuracy.value).toBeCloseTo(349 / 499, 12);
    expect(advice.concept_drift.established).toBe(true);
    expect(advice.recommendation).toBe('monitor');
    expect(advice.reasons.join(' ')).toMatch(/concept drift, the link between inputs and outcomes changed/);
  });
});
