import { defaultProbability, CREDIT_RISK_FEATURES } from '../../src/demo/credit-risk';
import { createRandom, streamSeed } from '../../src/demo/random';
import { ATTACK_START_DAY, demoScenario, REFERENCE_ROWS, ROWS_PER_DAY } from '../../src/demo/scenarios';

const mean = (values: readonly number[]) => values.reduce((sum, value) => sum + value, 0) / values.length;

describe('seeded random numbers', () => {
  it('repeat for a seed and differ between streams', () => {
    const draw = (seed: number) => Array.from({ length: 5 }, createRandom(seed).uniform);
    expect(draw(7)).toEqual(draw(7));
    expect(draw(streamSeed(7, 1))).not.toEqual(draw(streamSeed(7, 2)));
  });

  it('have the moments they claim', () => {
    const random = createRandom(11);
    const normals = Array.from({ length: 50_000 }, () => random.normal());
    const counts = Array.from({ length: 50_000 }, () => random.poisson(4));
    expect(mean(normals)).toBeCloseTo(0, 1);
    expect(mean(normals.map((value) => value * value))).toBeCloseTo(1, 1);
    expect(mean(counts)).toBeCloseTo(4, 1);
    const picks = Array.from({ length: 50_000 }, () =>
      random.pick([
        ['a', 3],
        ['b', 1],
      ] as const)
    );
    expect(picks.filter((pick) => pick === 'a').length / picks.length).toBeCloseTo(0.75, 1);
  });
});

describe('demo scenario data', () => {
  const baseline = demoScenario(1);

  it('gives rows keyed by the model’s columns, one chunk per day with sorted timestamps inside it', () => {
    const day = baseline.productionDay(5);
    const columns = [
      ...CREDIT_RISK_FEATURES.map((feature) => feature.name),
      'prediction_id',
      'timestamp',
      'prediction',
      'probability',
      'label',
    ];
    expect(day.rows).toHaveLength(ROWS_PER_DAY);
    expect(Object.keys(day.rows[0]).sort()).toEqual(columns.sort());
    const times = day.rows.map((row) => Date.parse(row.timestamp as string));
    expect(times).toEqual([...times].sort((left, right) => left - right));
    expect(times[0]).toBeGreaterThanOrEqual(Date.parse(day.from));
    expect(times[times.length - 1]).toBeLessThan(Date.parse(day.to));
    expect(Date.parse(day.from) - baseline.start.getTime()).toBe(5 * 86_400_000);
    expect(new Set(day.rows.map((row) => row.prediction_id)).size).toBe(ROWS_PER_DAY);
  });

  it('scores each row with the model and predicts default at probability ≥ 0.5', () => {
    for (const row of baseline.productionDay(0).rows.slice(0, 500)) {
      const { prediction_id, timestamp, prediction, probability, label, ...application } = row;
      expect(probability).toBeCloseTo(defaultProbability(application as never), 12);
      expect(prediction).toBe((probability as number) >= 0.5 ? 1 : 0);
      expect([0, 1]).toContain(label);
      expect(typeof prediction_id).toBe('string');
      expect(typeof timestamp).toBe('string');
    }
  });

  it('is deterministic, and the seed changes it', () => {
    expect(demoScenario(1).productionDay(42)).toEqual(baseline.productionDay(42));
    expect(demoScenario(1, { seed: 1 }).productionDay(42).rows[0]).not.toEqual(baseline.productionDay(42).rows[0]);
  });

  it('has a labelled reference whose labels follow the model’s probabilities (no concept drift)', () => {
    const reference = baseline.reference();
    expect(reference).toHaveLength(REFERENCE_ROWS);
    const defaultRate = mean(reference.map((row) => row.label as number));
    expect(defaultRate).toBeGreaterThan(0.25);
    expect(defaultRate).toBeLessThan(0.45);
    expect(Math.abs(mean(reference.map((row) => row.probability as number)) - defaultRate)).toBeLessThan(0.01);
  });

  it('has every employment type, some of them missing, and all loan purposes', () => {
    const rows = baseline.productionDay(1).rows;
    const employment = new Set(rows.map((row) => row.employment_type));
    expect(employment).toEqual(new Set(['employed', 'self_employed', 'retired', 'unemployed', null]));
    expect(new Set(rows.map((row) => row.loan_purpose)).size).toBe(5);
  });

  it('refuses days outside the scenario', () => {
    expect(() => baseline.productionDay(-1)).toThrow(RangeError);
    expect(() => baseline.productionDay(90)).toThrow(RangeError);
  });
});

describe('sudden drift scenario', () => {
  const baseline = demoScenario(1);
  const attack = demoScenario(2);
  const withoutIds = (rows: ReturnType<typeof baseline.productionDay>['rows']) =>
    rows.map(({ prediction_id, ...rest }) => rest);

  it('matches the baseline before the attack', () => {
    expect(withoutIds(attack.productionDay(ATTACK_START_DAY - 1).rows)).toEqual(
      withoutIds(baseline.productionDay(ATTACK_START_DAY - 1).rows)
    );
  });

  it('reports higher incomes and lower debt ratios from the attack on, while defaults happen at the true rate', () => {
    const before = baseline.productionDay(ATTACK_START_DAY).rows;
    const after = attack.productionDay(ATTACK_START_DAY).rows;
    after.forEach((row, index) => {
      expect(row.income as number).toBeGreaterThan(before[index].income as number);
      expect(row.debt_ratio as number).toBeLessThan(before[index].debt_ratio as number);
      // The same applicants, the same outcome draw: the attack changes what the model sees, not who defaults.
      expect(row.label).toBe(before[index].label);
    });
    // The model now underrates the risk: it sees fewer defaults coming than happen.
    expect(mean(after.map((row) => row.probability as number))).toBeLessThan(
      mean(after.map((row) => row.label as number)) - 0.1
    );
  });
});
