/**
 * Retrain decisions measured as decisions: how often retrain_now comes without any drift, whether a
 * pure covariate shift on a calibrated model is ever called recoverable, how fast concept drift is
 * caught, and how often the label-free estimate's band covers the realized accuracy with a small
 * reference. Every decision is made by drift-server's own code (bench/retrain-simulation.ts); a
 * full-server run of a smaller case checks that the served recommendations are those decisions.
 *
 *   npm run bench:retrain-decisions -w drift-server
 *   BENCH_YEARS=3 BENCH_RUNS=20 npm run bench:retrain-decisions -w drift-server      (quick)
 */
import { cpus, tmpdir } from 'node:os';
import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { publishResults, runBenchmark } from './timing';
import {
  bandCovers,
  DayDecision,
  drawRows,
  expectedAccuracy,
  Population,
  REFERENCE_POPULATION,
  reversedShareCosting,
  simulate,
  SIMULATED_BUSINESS,
  SIMULATED_MODEL,
} from './retrain-simulation';
import { createRandom } from '../drift-server/src/demo/random';
import { silentLogger } from '../drift-server/src/logger';
import { loadConfig } from '../drift-server/src/config';
import { startServer } from '../drift-server/src/server';
import { accuracySums, estimatedAccuracyOf } from '../drift-server/src/stats/accuracy-estimate';
import { fitOf } from '../drift-server/src/store/calibration';
import { DAY_MS } from '../drift-server/src/time';

const YEARS = Number(process.env.BENCH_YEARS ?? 20);
const RUNS = Number(process.env.BENCH_RUNS ?? 200);
const REFERENCE_ROWS = 20_000;
const DAYS_PER_YEAR = 365;
const CONCEPT_DRIFT_POINTS = 0.05;
const TOKEN = 'bench-admin-token-0123456789';

const round = (value: number, digits = 3) => Number(value.toFixed(digits));

/** Days of a simulated year on which each recommendation came, and how many separate retrain_now episodes. */
function tally(days: readonly DayDecision[]) {
  const counts = { retrain_now: 0, schedule_retrain: 0, monitor: 0, no_action: 0 };
  let episodes = 0;
  let recoverableDays = 0;
  days.forEach((day, index) => {
    counts[day.costs.recommendation] += 1;
    if (day.costs.recommendation === 'retrain_now' && days[index - 1]?.costs.recommendation !== 'retrain_now')
      episodes += 1;
    if ((day.costs.recoverable_value ?? 0) > 0) recoverableDays += 1;
  });
  return { ...counts, retrain_now_episodes: episodes, days_with_recoverable_value: recoverableDays };
}

type Tally = ReturnType<typeof tally>;

function summariseYears(tallies: readonly Tally[]) {
  const total = (key: keyof Tally) => tallies.reduce((sum, one) => sum + one[key], 0);
  return {
    years: tallies.length,
    retrain_now_days_per_year: round(total('retrain_now') / tallies.length),
    max_retrain_now_days_in_a_year: Math.max(...tallies.map((one) => one.retrain_now)),
    years_with_any_retrain_now: tallies.filter((one) => one.retrain_now > 0).length,
    retrain_now_episodes_per_year: round(total('retrain_now_episodes') / tallies.length),
    schedule_retrain_days_per_year: round(total('schedule_retrain') / tallies.length),
    monitor_days_per_year: round(total('monitor') / tallies.length),
    days_with_recoverable_value_per_year: round(total('days_with_recoverable_value') / tallies.length),
  };
}

/** 365 days without drift of any kind, one simulated year per reference drawn. */
function noDrift(rowsPerDay: number, referenceRows: number, years: number) {
  const tallies = Array.from({ length: years }, (_, year) =>
    tally(
      simulate({
        seed: 1_000 * rowsPerDay + referenceRows + year,
        referenceRows,
        rowsPerDay,
        days: DAYS_PER_YEAR,
        population: () => REFERENCE_POPULATION,
      }).days
    )
  );
  return { rows_per_day: rowsPerDay, reference_rows: referenceRows, ...summariseYears(tallies) };
}

/** A calibrated model whose inputs move: its accuracy changes and retraining cannot help. */
function covariateShift(name: string, shifted: Population, rowsPerDay: number, years: number) {
  const tallies: Tally[] = [];
  let dropDays = 0;
  for (let year = 0; year < years; year += 1) {
    const { days } = simulate({
      seed: 7_000 + year,
      referenceRows: REFERENCE_ROWS,
      rowsPerDay,
      days: DAYS_PER_YEAR,
      population: () => shifted,
    });
    tallies.push(tally(days));
    dropDays += days.filter((day) => day.costs.drop_is_material).length;
  }
  return {
    shift: name,
    rows_per_day: rowsPerDay,
    reference_accuracy: round(expectedAccuracy(REFERENCE_POPULATION)),
    shifted_accuracy: round(expectedAccuracy(shifted)),
    share_of_days_with_the_drop_established: round(dropDays / (years * DAYS_PER_YEAR)),
    ...summariseYears(tallies),
  };
}

/** Concept drift costing `points` from day `start`: the first day (1 = the first drifted day) on which retrain_now comes. */
function conceptDrift(rowsPerDay: number, points: number, runs: number) {
  const start = 5;
  const days = 10;
  const reversed = { ...REFERENCE_POPULATION, reversedShare: reversedShareCosting(points, REFERENCE_POPULATION) };
  const firstDays: (number | null)[] = [];
  let falseBefore = 0;
  for (let run = 0; run < runs; run += 1) {
    const result = simulate({
      seed: 90_000 + 10 * rowsPerDay + run,
      referenceRows: REFERENCE_ROWS,
      rowsPerDay,
      days: start + days,
      population: (day) => (day >= start ? reversed : REFERENCE_POPULATION),
    });
    falseBefore += result.days.slice(0, start).filter((day) => day.costs.recommendation === 'retrain_now').length;
    const first = result.days.slice(start).findIndex((day) => day.costs.recommendation === 'retrain_now');
    firstDays.push(first === -1 ? null : first + 1);
  }
  const within = (limit: number) => round(firstDays.filter((day) => day !== null && day <= limit).length / runs);
  const histogram: Record<string, number> = {};
  for (const day of firstDays) {
    const key = day === null ? `not within ${days} days` : `day ${day}`;
    histogram[key] = (histogram[key] ?? 0) + 1;
  }
  return {
    rows_per_day: rowsPerDay,
    accuracy_points_lost: points,
    drifted_accuracy: round(expectedAccuracy(reversed)),
    runs,
    retrain_now_within_1_day: within(1),
    retrain_now_within_2_days: within(2),
    retrain_now_within_3_days: within(3),
    never_within_10_days: firstDays.filter((day) => day === null).length,
    first_retrain_now_day: histogram,
    retrain_now_before_the_drift: falseBefore,
  };
}

/** How often the estimate's 95 % band covers the day's realized accuracy: with the calibration error, and as the chance variation alone would. */
function bandCoverage(referenceRows: number, population: Population, name: string, references: number) {
  const days = 20;
  const rowsPerDay = 2_000;
  let covered = 0;
  let coveredBySamplingAlone = 0;
  let windows = 0;
  for (let seed = 0; seed < references; seed += 1) {
    const { days: decided } = simulate({
      seed: 50_000 + seed,
      referenceRows,
      rowsPerDay,
      days,
      population: () => population,
    });
    for (const { sums } of decided) {
      windows += 1;
      if (bandCovers(sums)) covered += 1;
      const estimated = estimatedAccuracyOf(sums);
      if (
        estimated &&
        Math.abs(sums.right / sums.labelled - estimated.value) <= 1.959963984540054 * estimated.sampling_sd
      )
        coveredBySamplingAlone += 1;
    }
  }
  return {
    reference_rows: referenceRows,
    production: name,
    references,
    windows,
    rows_per_window: rowsPerDay,
    coverage: round(covered / windows),
    coverage_of_the_chance_variation_alone: round(coveredBySamplingAlone / windows),
  };
}

/** Scoring cost: ten fold fits per row against the single fit before cross-fitting, same rows, one run. */
function scoringCost() {
  const { calibration } = simulate({
    seed: 3,
    referenceRows: REFERENCE_ROWS,
    rowsPerDay: 1,
    days: 1,
    population: () => REFERENCE_POPULATION,
  });
  const folds = fitOf(calibration);
  if (!folds) throw new Error('the simulated reference calibrates');
  const single = { fits: [folds.fits[0]] };
  const rows = drawRows(createRandom(4), 250_000, REFERENCE_POPULATION);
  // Alternated run by run, so a change in the machine's load falls on both alike.
  const tenFits: number[] = [];
  const oneFit: number[] = [];
  for (let run = 0; run < 15; run += 1) {
    for (const [times, calibration] of [
      [tenFits, folds],
      [oneFit, single],
    ] as const) {
      const started = performance.now();
      accuracySums(rows, calibration);
      times.push(performance.now() - started);
    }
  }
  const medianOf = (times: number[]) => times.sort((left, right) => left - right)[Math.floor(times.length / 2)];
  const [ten, one] = [medianOf(tenFits), medianOf(oneFit)];
  return {
    rows: rows.length,
    runs: tenFits.length,
    ten_fold_fits_ms: round(ten, 1),
    single_fit_ms: round(one, 1),
    ratio: round(ten / one, 2),
    per_million_rows_ms: round((ten / rows.length) * 1e6, 0),
  };
}

/**
 * The same decisions through the real server: a model with a 2 000-row reference, 14 days of 2 000
 * predictions with their labels (concept drift costing 5 points from day 8), and each day's
 * recommendation asked of GET /recommendation, against the decisions made here on the same rows.
 */
async function fullServerCrossCheck() {
  const days = 14;
  const rowsPerDay = 2_000;
  const drift = {
    ...REFERENCE_POPULATION,
    reversedShare: reversedShareCosting(CONCEPT_DRIFT_POINTS, REFERENCE_POPULATION),
  };
  const run = simulate({
    seed: 424_242,
    referenceRows: 2_000,
    rowsPerDay,
    days,
    population: (day) => (day >= 8 ? drift : REFERENCE_POPULATION),
    keepRows: true,
  });
  const directory = mkdtempSync(join(tmpdir(), 'driftguard-retrain-bench-'));
  const config = loadConfig(
    { DRIFTGUARD_TOKENS: `admin=${TOKEN}`, DRIFTGUARD_LOG_REQUESTS: 'false' },
    { port: 0, host: '127.0.0.1', dbPath: join(directory, 'bench.duckdb') }
  );
  const server = await startServer(config, { logger: silentLogger });
  const call = async (path: string, init: RequestInit = {}) => {
    const response = await fetch(`${server.url}/api/v1${path}`, {
      ...init,
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/x-ndjson', ...init.headers },
    });
    if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
    return response.json() as Promise<any>;
  };
  try {
    const {
      id: _id,
      created_at: _created,
      updated_at: _updated,
      retraining: _retraining,
      ...definition
    } = SIMULATED_MODEL;
    await call('/models', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ id: SIMULATED_MODEL.id, ...definition, business: SIMULATED_BUSINESS }),
    });
    const ndjson = (rows: readonly Record<string, unknown>[]) => rows.map((row) => JSON.stringify(row)).join('\n');
    await call(`/models/${SIMULATED_MODEL.id}/references`, {
      method: 'POST',
      body: ndjson((run.reference ?? []).map(({ score, probability, label }) => ({ score, probability, label }))),
    });
    const endMs = Math.floor(Date.now() / DAY_MS) * DAY_MS;
    const startMs = endMs - days * DAY_MS;
    const rows = run.rows ?? [];
    for (let day = 0; day < days; day += 1) {
      const body = rows[day].map(({ score, probability, label }, index) => ({
        prediction_id: `d${day}-${index}`,
        timestamp: new Date(startMs + day * DAY_MS + Math.floor((index * DAY_MS) / rowsPerDay)).toISOString(),
        score,
        probability,
        label,
      }));
      await call(`/models/${SIMULATED_MODEL.id}/predictions`, { method: 'POST', body: ndjson(body) });
    }
    let agreeing = 0;
    let largestMoneyGap = 0;
    const mismatches: string[] = [];
    for (let day = 0; day < days; day += 1) {
      const from = new Date(startMs + day * DAY_MS).toISOString();
      const to = new Date(startMs + (day + 1) * DAY_MS).toISOString();
      const served = await call(`/models/${SIMULATED_MODEL.id}/recommendation?from=${from}&to=${to}`);
      const local = run.days[day].costs;
      if (served.recommendation === local.recommendation) agreeing += 1;
      else mismatches.push(`day ${day}: served ${served.recommendation}, decided ${local.recommendation}`);
      largestMoneyGap = Math.max(
        largestMoneyGap,
        Math.abs(served.recoverable_per_day - (local.recoverable_per_day ?? 0))
      );
    }
    // What the verdicts add to a health query: the three daily buckets read beside the window's own,
    // alternated run by run so a change in the machine's load falls on both alike.
    const window = { fromMs: endMs - DAY_MS, toMs: endMs, bucketMs: DAY_MS };
    const reads = {
      windowOnly: () => server.store.aggregates.accuracy(SIMULATED_MODEL.id, 1, window),
      withDays: () =>
        Promise.all([
          server.store.aggregates.accuracy(SIMULATED_MODEL.id, 1, window),
          server.store.aggregates.accuracy(SIMULATED_MODEL.id, 1, { ...window, fromMs: endMs - 3 * DAY_MS }),
        ]),
    };
    const times = { windowOnly: [] as number[], withDays: [] as number[] };
    for (let run = 0; run < 41; run += 1) {
      for (const name of ['windowOnly', 'withDays'] as const) {
        const started = performance.now();
        await reads[name]();
        times[name].push(performance.now() - started);
      }
    }
    const median = (values: number[]) => values.sort((left, right) => left - right)[Math.floor(values.length / 2)];
    const windowOnly = median(times.windowOnly);
    const withDays = median(times.withDays);
    return {
      accuracy_read_window_only_ms: round(windowOnly, 2),
      accuracy_read_with_persistence_days_ms: round(withDays, 2),
      reference_rows: 2_000,
      rows_per_day: rowsPerDay,
      days_compared: days,
      same_recommendation: agreeing,
      mismatches,
      largest_recoverable_per_day_difference: largestMoneyGap,
      decided_by_day: run.days.map((day) => day.costs.recommendation),
    };
  } finally {
    await server.close();
    rmSync(directory, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const started = performance.now();
  const results = {
    machine: { cpus: cpus().length, cpu: cpus()[0]?.model, node: process.version },
    settings: {
      years: YEARS,
      runs: RUNS,
      reference_rows: REFERENCE_ROWS,
      reference_accuracy: round(expectedAccuracy(REFERENCE_POPULATION)),
      business: SIMULATED_BUSINESS,
    },
    no_drift: [500, 2_000, 10_000].map((rowsPerDay) => noDrift(rowsPerDay, REFERENCE_ROWS, YEARS)),
    no_drift_small_reference: [2_000, 10_000].map((rowsPerDay) => noDrift(rowsPerDay, 2_000, YEARS)),
    covariate_shift: [
      covariateShift(
        'towards the decision boundary, score sd 2 → 0.8',
        { scoreMean: 0, scoreSd: 0.8, reversedShare: 0 },
        2_000,
        YEARS
      ),
      covariateShift(
        'mildly towards the boundary, score sd 2 → 1.4',
        { scoreMean: 0, scoreSd: 1.4, reversedShare: 0 },
        10_000,
        Math.max(1, Math.round(YEARS / 2))
      ),
      covariateShift(
        'away from the boundary, score mean 0 → 1.5',
        { scoreMean: 1.5, scoreSd: 2, reversedShare: 0 },
        2_000,
        Math.max(1, Math.round(YEARS / 2))
      ),
    ],
    concept_drift: [
      conceptDrift(2_000, CONCEPT_DRIFT_POINTS, RUNS),
      conceptDrift(500, CONCEPT_DRIFT_POINTS, Math.max(1, Math.round(RUNS / 2))),
      conceptDrift(10_000, 0.02, Math.max(1, Math.round(RUNS / 4))),
    ],
    band_coverage: [
      bandCoverage(300, REFERENCE_POPULATION, 'like the reference', Math.max(1, Math.round(RUNS / 2))),
      bandCoverage(
        300,
        { scoreMean: 0, scoreSd: 0.8, reversedShare: 0 },
        'shifted towards the boundary (sd 0.8)',
        Math.max(1, Math.round(RUNS / 2))
      ),
      bandCoverage(2_000, REFERENCE_POPULATION, 'like the reference', Math.max(1, Math.round(RUNS / 4))),
    ],
    scoring_cost: scoringCost(),
    full_server: await fullServerCrossCheck(),
    seconds: 0,
  };
  results.seconds = round((performance.now() - started) / 1000, 1);
  publishResults('retrain-decisions', results);
}

runBenchmark(main);
