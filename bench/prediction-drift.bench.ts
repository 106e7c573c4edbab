/**
 * Prediction-drift benchmark: the error rates of the verdict on a model's output
 * (bench/prediction-drift-simulation.ts) — false alarms without drift and detection of moved score
 * distributions and class mixes — at 50, 200, 1 000 and 10 000 rows per window. Seeded: every run
 * draws the same rows. Run: `npm run bench:prediction-drift` (BENCH_WINDOWS, BENCH_SIZES shorten it).
 */
import { publishResults, runBenchmark } from './timing';
import {
  CLASS_NO_DRIFT,
  classShare,
  OutputResult,
  runOutputScenario,
  SCORE_NO_DRIFT,
  scoreShift,
} from './prediction-drift-simulation';

const SEED = 20_261_202;
const WINDOWS = Number(process.env.BENCH_WINDOWS ?? 1000);
const SIZES = (process.env.BENCH_SIZES ?? '50,200,1000,10000').split(',').map(Number);
const CHANGES = [
  SCORE_NO_DRIFT,
  scoreShift(0.25),
  scoreShift(0.5),
  scoreShift(0.75),
  scoreShift(1),
  CLASS_NO_DRIFT,
  classShare(0.35),
  classShare(0.45),
  classShare(0.55),
];

const cell = ({ flagged, windows, meanPsiCorrected }: OutputResult) =>
  `${((100 * flagged) / windows).toFixed(1)} % (${meanPsiCorrected === null ? '–' : meanPsiCorrected.toFixed(3)})`;

async function main(): Promise<void> {
  const results = CHANGES.map((change) => SIZES.map((rows) => runOutputScenario(SEED, change, rows, WINDOWS)));
  const header = `| output | ${SIZES.map((rows) => `${rows.toLocaleString('en-US')} rows`).join(' | ')} |`;
  const rule = `|---|${SIZES.map(() => '---').join('|')}|`;
  const lines = results.map((byRows) => `| ${byRows[0].change} | ${byRows.map(cell).join(' | ')} |`);
  process.stdout.write(
    `Windows whose output verdict is drifted (mean psi_corrected), ${WINDOWS} windows per cell, seed ${SEED}:\n${[header, rule, ...lines].join('\n')}\n\n`
  );
  publishResults('prediction-drift', { seed: SEED, windows: WINDOWS, results });
}

runBenchmark(main);
