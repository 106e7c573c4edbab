import {
  addRegressionErrorSums,
  meanAbsoluteErrorOf,
  NO_REGRESSION_ERROR_SUMS,
  RegressedRow,
  regressionErrorSums,
  rootMeanSquaredErrorOf,
} from '../../src/stats/regression-error';
import { StatsInputError } from '../../src/stats/types';
import { createRandom } from '../../src/demo/random';
import { python } from '../support/scipy';

function rows(seed: number, size: number, errorSd = 2): RegressedRow[] {
  const random = createRandom(seed);
  return Array.from({ length: size }, () => {
    const label = 50 + 10 * random.normal();
    const prediction = label + errorSd * random.normal();
    return { prediction: random.uniform() < 0.1 ? null : prediction, label: random.uniform() < 0.2 ? null : label };
  });
}

describe('realized regression error, against scikit-learn and scipy', () => {
  it('MAE and RMSE are mean_absolute_error and √mean_squared_error; the bands are scipy t intervals', () => {
    const sample = rows(5, 2_500);
    const complete = sample.filter((one) => one.prediction !== null && one.label !== null);
    const expected = python<{ mae: number; rmse: number; mae_band: number[]; mse_band: number[] }>(
      `from sklearn.metrics import mean_absolute_error, mean_squared_error
y = np.array(data["y"]); p = np.array(data["p"]); e = p - y
def band(values):
    return list(stats.t.interval(0.95, len(values) - 1, loc=values.mean(), scale=stats.sem(values)))
emit({"mae": mean_absolute_error(y, p), "rmse": float(np.sqrt(mean_squared_error(y, p))),
      "mae_band": band(np.abs(e)), "mse_band": band(e ** 2)})`,
      { y: complete.map((one) => one.label), p: complete.map((one) => one.prediction) }
    );
    const sums = regressionErrorSums(sample);
    expect(sums.labelled).toBe(complete.length);
    const mae = meanAbsoluteErrorOf(sums);
    const rmse = rootMeanSquaredErrorOf(sums);
    expect(mae?.value).toBeCloseTo(expected.mae, 10);
    expect(mae?.lower).toBeCloseTo(expected.mae_band[0], 8);
    expect(mae?.upper).toBeCloseTo(expected.mae_band[1], 8);
    expect(rmse?.value).toBeCloseTo(expected.rmse, 10);
    expect(rmse?.lower).toBeCloseTo(Math.sqrt(expected.mse_band[0]), 8);
    expect(rmse?.upper).toBeCloseTo(Math.sqrt(expected.mse_band[1]), 8);
  });

  it('adds up over hours: the sums of two halves are the sums of the whole, and subtracting one half leaves the other', () => {
    const sample = rows(6, 1_000);
    const [first, second] = [regressionErrorSums(sample.slice(0, 400)), regressionErrorSums(sample.slice(400))];
    const whole = regressionErrorSums(sample);
    const added = addRegressionErrorSums(first, second);
    expect(added.labelled).toBe(whole.labelled);
    expect(added.absolute).toBeCloseTo(whole.absolute, 8);
    expect(added.quartic).toBeCloseTo(whole.quartic, 4);
    expect(addRegressionErrorSums(whole, first, -1).squared).toBeCloseTo(second.squared, 8);
  });

  it('gives no figure with fewer than two labelled rows, and refuses non-finite values', () => {
    expect(meanAbsoluteErrorOf(NO_REGRESSION_ERROR_SUMS)).toBeNull();
    expect(rootMeanSquaredErrorOf(regressionErrorSums([{ prediction: 1, label: 2 }]))).toBeNull();
    expect(() => regressionErrorSums([{ prediction: Number.NaN, label: 2 }])).toThrow(StatsInputError);
  });
});

describe('band coverage, simulated', () => {
  it('the 95 % bands cover the true MAE (σ√(2/π)) and RMSE (σ) in 90–99 % of 300-row windows', () => {
    const windows = 400;
    const sd = 2;
    let maeCovered = 0;
    let rmseCovered = 0;
    for (let seed = 0; seed < windows; seed += 1) {
      const random = createRandom(9_000 + seed);
      const sums = regressionErrorSums(
        Array.from({ length: 300 }, () => ({ prediction: sd * random.normal(), label: 0 }))
      );
      const mae = meanAbsoluteErrorOf(sums);
      const rmse = rootMeanSquaredErrorOf(sums);
      const trueMae = sd * Math.sqrt(2 / Math.PI);
      if (mae && mae.lower <= trueMae && trueMae <= mae.upper) maeCovered += 1;
      if (rmse && rmse.lower <= sd && sd <= rmse.upper) rmseCovered += 1;
    }
    for (const covered of [maeCovered, rmseCovered]) {
      expect(covered / windows).toBeGreaterThanOrEqual(0.9);
      expect(covered / windows).toBeLessThanOrEqual(0.99);
    }
  });
});
