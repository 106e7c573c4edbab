/**
 * The multiclass accuracy estimate (one-vs-rest isotonic CBPE) against the realized accuracy of
 * labelled windows, with and without covariate shift (bench/multiclass-simulation.ts): how far the
 * estimate strays and how often its band covers the realized accuracy.
 *
 *   npm run bench:multiclass-estimate -w drift-server
 *   BENCH_RUNS=30 npm run bench:multiclass-estimate -w drift-server      (quick)
 */
import { cpus } from 'node:os';
import { checkEstimate, InputMean, REFERENCE_MEAN } from './multiclass-simulation';
import { publishResults, quantile, runBenchmark } from './timing';

const RUNS = Number(process.env.BENCH_RUNS ?? 200);
const WINDOW_ROWS = 2_000;

const CASES: ReadonlyArray<{ name: string; referenceRows: number; mean: InputMean }> = [
  { name: 'no shift', referenceRows: 5_000, mean: REFERENCE_MEAN },
  { name: 'shift (0.8, −0.6, 0.4) sd', referenceRows: 5_000, mean: [0.8, -0.6, 0.4] },
  { name: 'shift (1.5, 0, 0) sd', referenceRows: 5_000, mean: [1.5, 0, 0] },
  { name: 'shift (0, 1.5, −1) sd', referenceRows: 5_000, mean: [0, 1.5, -1] },
  { name: 'no shift, 1 000-row reference', referenceRows: 1_000, mean: REFERENCE_MEAN },
  { name: 'shift (0.8, −0.6, 0.4) sd, 1 000-row reference', referenceRows: 1_000, mean: [0.8, -0.6, 0.4] },
];

const round = (value: number, digits = 4) => Number(value.toFixed(digits));

async function main(): Promise<void> {
  const cases = CASES.map(({ name, referenceRows, mean }) => {
    const checks = Array.from({ length: RUNS }, (_, run) =>
      checkEstimate(10_007 * (run + 1), referenceRows, WINDOW_ROWS, mean)
    );
    const errors = checks.map((check) => check.estimated - check.realized);
    const absolute = errors.map(Math.abs).sort((a, b) => a - b);
    return {
      case: name,
      reference_rows: referenceRows,
      window_rows: WINDOW_ROWS,
      runs: RUNS,
      mean_realized_accuracy: round(checks.reduce((sum, check) => sum + check.realized, 0) / RUNS),
      mean_error: round(errors.reduce((sum, error) => sum + error, 0) / RUNS),
      mean_absolute_error: round(absolute.reduce((sum, error) => sum + error, 0) / RUNS),
      p95_absolute_error: round(quantile(absolute, 0.95)),
      max_absolute_error: round(absolute[absolute.length - 1]),
      within_3_points: round(absolute.filter((error) => error <= 0.03).length / RUNS, 3),
      band_coverage: round(checks.filter((check) => check.covered).length / RUNS, 3),
      normalised_mean_error: round(checks.reduce((sum, check) => sum + check.normalised - check.realized, 0) / RUNS),
    };
  });
  publishResults('multiclass-estimate', {
    command: 'npm run bench:multiclass-estimate -w drift-server',
    machine: `${cpus().length} × ${cpus()[0]?.model ?? 'unknown cpu'}, Node ${process.version}`,
    cases,
  });
}

runBenchmark(main);
