/**
 * Verdict benchmark: the error rates of DriftGuard's drift verdicts on simulated models
 * (bench/verdict-simulation.ts) — false alarms and health without drift, detection of mean shifts
 * and of the data-quality cases — at 50, 200, 1 000 and 10 000 rows per window, 90 windows each,
 * beside the rule before this release; then the cost of deciding verdicts for a 90-day hourly
 * trend of 20 features beside computing the figures alone. Seeded: every run draws the same rows.
 * Also the shift test's level without drift, down to where a lone finding is decided.
 * Run: `npm run bench:verdicts` (BENCH_WINDOWS, BENCH_SIZES and BENCH_NULL_WINDOWS shorten it).
 */
import { cpus, loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { createRandom, streamSeed } from '../drift-server/src/demo/random';
import { Baseline, decideWindow, DEFAULT_THRESHOLDS, driftFromCounts } from '../drift-server/src/stats';
import { publishResults, runBenchmark } from './timing';
import {
  DATA_QUALITY_CASES,
  meanShift,
  NO_DRIFT,
  NULL_CASES,
  nullLevels,
  runScenario,
  ScenarioResult,
  simulatedModel,
  windowCounts,
} from './verdict-simulation';

const SEED = 20_261_201;
const WINDOWS = Number(process.env.BENCH_WINDOWS ?? 90);
const SIZES = (process.env.BENCH_SIZES ?? '50,200,1000,10000').split(',').map(Number);
const SHIFTS = [0.3, 0.4, 0.5];
/** Windows per case of the shift test's level under no drift: enough to see the level a lone finding needs. */
const NULL_WINDOWS = Number(process.env.BENCH_NULL_WINDOWS ?? 100_000);
/** Where Benjamini–Hochberg puts the only finding of a 20-feature model: the false-discovery rate over its 60 tests. */
const LONE_LEVEL = DEFAULT_THRESHOLDS.falseDiscoveryRate / 60;
const NULL_LEVELS = [0.05, 0.01, 0.001, LONE_LEVEL];
/** A 90-day hourly trend of the 20 features, at the demo's 3 000 rows a day (about 125 an hour). */
const TREND_INTERVALS = 2160;
const TREND_ROWS_PER_DAY = 3000;

const percent = (count: number, of: number) => `${((100 * count) / of).toFixed(1)} %`;
const health = (value: number | null) => (value === null ? '–' : value.toFixed(1));

interface Target {
  readonly what: string;
  readonly met: boolean;
  readonly measured: string;
}

function noDriftRows(results: ScenarioResult[]): string[] {
  return results.map(
    (result) =>
      `| ${result.rows.toLocaleString('en-US')} | ${percent(result.windowsFlagged, result.windows)} | ${percent(result.featureWindowsFlagged, result.windows * 20)} | ${health(result.minHealth)} | ${health(result.meanHealth)} | ${percent(result.previousRule.windowsFlagged, result.windows)} | ${percent(result.previousRule.featureWindowsFlagged, result.windows * 20)} | ${health(result.previousRule.minHealth)} |`
  );
}

function detectionRows(results: ScenarioResult[][]): string[] {
  return results.map((byScenario) => {
    const cells = byScenario.map(
      (result) =>
        `${percent(result.targetFlagged, result.windows)} (${percent(result.previousRule.targetFlagged, result.windows)})`
    );
    return `| ${byScenario[0].scenario} | ${cells.join(' | ')} |`;
  });
}

/** Rows of each hour of a 90-day trend at the demo's 3 000 rows a day, spread uniformly over the day as the demo spreads them. */
function hourlyRows(): number[] {
  const random = createRandom(streamSeed(SEED, -3));
  const rows: number[] = [];
  for (let day = 0; day < TREND_INTERVALS / 24; day += 1) {
    const hours = new Array<number>(24).fill(0);
    for (let row = 0; row < TREND_ROWS_PER_DAY; row += 1) hours[Math.floor(random.uniform() * 24)] += 1;
    rows.push(...hours);
  }
  return rows;
}

interface TrendCost {
  readonly first_run: { readonly figures_ms: number; readonly verdicts_ms: number };
  readonly figures_ms: number;
  readonly verdicts_ms: number;
  readonly ratio: number;
  readonly runs: number;
}

/**
 * The verdicts of a 90-day hourly trend beside the figures alone (PSI, KL, JS, psi_critical), on
 * the same counts. As the engine does per query: one baseline per feature (the frozen reference),
 * built afresh, for every interval; the noise levels stay remembered across queries, as in the
 * server's process, so the first run (cold) is reported apart from the medians.
 */
function trendCost(): TrendCost {
  const model = simulatedModel(SEED);
  const windows = hourlyRows().map(
    (rows, interval) => windowCounts(model, NO_DRIFT, model[0], rows, SEED, 7_000_000 + interval).counts
  );
  const labels = model.map((feature) => feature.reference.counts.map(String));
  const figures = () =>
    windows.forEach((counts) =>
      counts.forEach((feature, index) =>
        driftFromCounts(feature.reference, feature.production, labels[index], 'last', false)
      )
    );
  const verdicts = () => {
    const baselines = windows[0].map((feature) => new Baseline(feature.kind, feature.binning, feature.reference));
    windows.forEach((counts) => {
      counts.forEach((feature, index) =>
        driftFromCounts(feature.reference, feature.production, labels[index], 'last', false)
      );
      decideWindow(
        counts.map((feature, index) => baselines[index].tests(feature.production, DEFAULT_THRESHOLDS)),
        DEFAULT_THRESHOLDS
      );
    });
  };
  const time = (work: () => void) => {
    const start = performance.now();
    work();
    return performance.now() - start;
  };
  const firstRun = { figures_ms: Math.round(time(figures)), verdicts_ms: Math.round(time(verdicts)) };
  const runs = 7;
  const figureTimes: number[] = [];
  const verdictTimes: number[] = [];
  // Alternated, so a change in the machine's speed hits both alike.
  for (let run = 0; run < runs; run += 1) {
    figureTimes.push(time(figures));
    verdictTimes.push(time(verdicts));
  }
  const median = (times: number[]) => [...times].sort((a, b) => a - b)[Math.floor(runs / 2)];
  const figuresMs = median(figureTimes);
  const verdictsMs = median(verdictTimes);
  return {
    first_run: firstRun,
    figures_ms: Math.round(figuresMs),
    verdicts_ms: Math.round(verdictsMs),
    ratio: Math.round((verdictsMs / figuresMs) * 100) / 100,
    runs,
  };
}

const loadAverage = () =>
  loadavg()
    .map((load) => load.toFixed(2))
    .join(' ');

async function main(): Promise<void> {
  const started = performance.now();
  const startedAt = new Date().toISOString();
  const loadBefore = loadAverage();
  // First, so its first run is a fresh process's: nothing compiled, no noise level remembered.
  const cost = trendCost();
  const noDrift = SIZES.map((rows) => runScenario(SEED, NO_DRIFT, rows, WINDOWS));
  const shifts = SHIFTS.map((sds) => SIZES.map((rows) => runScenario(SEED, meanShift(sds), rows, WINDOWS)));
  const quality = DATA_QUALITY_CASES.map((scenario) => SIZES.map((rows) => runScenario(SEED, scenario, rows, WINDOWS)));
  const levels = NULL_CASES.map((nullCase) => nullLevels(SEED, nullCase, NULL_WINDOWS, NULL_LEVELS, LONE_LEVEL));

  const rate = (result: ScenarioResult) => result.targetFlagged / result.windows;
  const nonDecreasing = (results: ScenarioResult[]) =>
    results.every((result, index) => index === 0 || rate(result) >= rate(results[index - 1]));
  const half = shifts[SHIFTS.indexOf(0.5)];
  const targets: Target[] = [
    {
      what: 'no drift: windows with ≥ 1 drifted feature ≤ 5 % at every size',
      met: noDrift.every((result) => result.windowsFlagged / result.windows <= 0.05),
      measured: noDrift.map((result) => `${result.rows}: ${percent(result.windowsFlagged, result.windows)}`).join(', '),
    },
    {
      what: 'no drift: health never below 90',
      met: noDrift.every((result) => (result.minHealth ?? 100) >= 90),
      measured: noDrift.map((result) => `${result.rows}: min ${health(result.minHealth)}`).join(', '),
    },
    {
      what: '0.5 SD mean shift detected in ≥ 90 % of windows at ≥ 200 rows',
      met: half.filter((result) => result.rows >= 200).every((result) => rate(result) >= 0.9),
      measured: half.map((result) => `${result.rows}: ${percent(result.targetFlagged, result.windows)}`).join(', '),
    },
    ...shifts.map((results, index) => ({
      what: `detection of the ${SHIFTS[index]} SD shift non-decreasing in window size`,
      met: nonDecreasing(results),
      measured: results.map((result) => `${result.rows}: ${percent(result.targetFlagged, result.windows)}`).join(', '),
    })),
    ...quality.map((results) => ({
      what: `${results[0].scenario}: detected in 100 % of windows`,
      met: results.every((result) => result.targetFlagged === result.windows),
      measured: results.map((result) => `${result.rows}: ${percent(result.targetFlagged, result.windows)}`).join(', '),
    })),
  ];

  const header = `| | ${SIZES.map((rows) => `${rows.toLocaleString('en-US')} rows`).join(' | ')} |`;
  const divider = `|---|${SIZES.map(() => '---:').join('|')}|`;
  const tables = [
    '| rows per window | windows with ≥ 1 drifted feature | feature-windows drifted | min health | mean health | before: windows flagged | before: feature-windows | before: min health |',
    '|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...noDriftRows(noDrift),
    '',
    'Detection (share of windows in which the changed feature is drifted; the rule before this release in brackets):',
    '',
    header,
    divider,
    ...detectionRows(shifts),
    ...detectionRows(quality),
  ];
  const levelTable = [
    `| case | rows | ${NULL_LEVELS.map((level) => `p ≤ ${level.toPrecision(3)}`).join(' | ')} | lone finding (p ≤ ${LONE_LEVEL.toPrecision(3)}, psi_corrected ≥ 0.1) |`,
    `|---|---:|${NULL_LEVELS.map(() => '---:').join('|')}|---:|`,
    ...levels.map(
      (result) =>
        `| ${result.case} | ${result.rows.toLocaleString('en-US')} | ${result.rejected.map(({ share }) => share.toExponential(2)).join(' | ')} | ${result.loneFinding.toExponential(2)} |`
    ),
  ];
  const estimates = [noDrift, ...shifts].map(
    (results) =>
      `${results[0].scenario}: ${results.map((result) => `${result.rows} → ${result.targetPsiCorrected ? `${result.targetPsiCorrected.mean.toFixed(3)} ± ${result.targetPsiCorrected.sd.toFixed(3)}` : '–'}`).join('; ')}`
  );
  const findings = quality.map(
    (results) =>
      `${results[0].scenario}: ${results
        .map(
          (result) =>
            `${result.rows} → ${Object.entries(result.targetFindings)
              .map(([name, count]) => `${name} ${count}`)
              .join(', ')}`
        )
        .join('; ')}`
  );
  const machine = `${cpus()[0]?.model ?? 'unknown CPU'}, ${cpus().length} cores, Node ${process.version}`;
  process.stdout.write(`${tables.join('\n')}\n\nFindings named for the changed feature:\n${findings.join('\n')}\n\n`);
  process.stdout.write(
    `psi_corrected of the changed feature (mean ± standard deviation over the windows):\n${estimates.join('\n')}\n\n`
  );
  process.stdout.write(
    `The shift test without drift (${NULL_WINDOWS.toLocaleString('en-US')} windows per case; share of windows rejected at each level):\n${levelTable.join('\n')}\n\n`
  );
  process.stdout.write(
    `Targets:\n${targets.map((target) => `${target.met ? '✔' : '✘'} ${target.what}: ${target.measured}`).join('\n')}\n\n`
  );
  process.stdout.write(
    `Verdicts of a 90-day hourly trend (${TREND_INTERVALS} intervals × 20 features, ${TREND_ROWS_PER_DAY} rows a day): figures alone ${cost.figures_ms} ms, figures and verdicts ${cost.verdicts_ms} ms (×${cost.ratio}), medians of ${cost.runs} alternated; first run ${cost.first_run.figures_ms} and ${cost.first_run.verdicts_ms} ms\n`
  );
  const wallSeconds = Math.round((performance.now() - started) / 1000);
  const load = { before: loadBefore, after: loadAverage() };
  process.stdout.write(
    `machine: ${machine}; load average (1, 5, 15 min) ${load.before} before, ${load.after} after; started ${startedAt}; ${WINDOWS} windows per size; seed ${SEED}; ${wallSeconds} s\n`
  );
  publishResults('verdicts', {
    machine,
    load_average: load,
    started: startedAt,
    wall_seconds: wallSeconds,
    seed: SEED,
    windows: WINDOWS,
    no_drift: noDrift,
    null_levels: levels,
    shifts,
    data_quality: quality,
    trend_cost: cost,
    targets,
  });
}

runBenchmark(main);
