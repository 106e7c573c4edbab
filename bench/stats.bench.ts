/**
 * Statistics benchmark: exact KS p-value for 10 000 vs 10 000 values, and the full metric set for
 * 1e6 vs 1e6 values of one feature, side by side with numpy/scipy computing the same set on the
 * same data (stats_numpy.py). Run: `npm run bench:stats` (needs python3-numpy and python3-scipy).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { createRandom } from '../drift-server/src/demo/random';
import { compareNumeric, ksTwoSample } from '../drift-server/src/stats';

/** Normal values with a share of NaN as missing values, from a seeded generator: every run measures the same data. */
function normalSample(size: number, mean: number, sd: number, missingShare: number, seed: number): Float64Array {
  const random = createRandom(seed);
  const values = new Float64Array(size);
  for (let i = 0; i < size; i += 1) {
    values[i] = random.uniform() < missingShare ? Number.NaN : Math.round((mean + sd * random.normal()) * 1e6) / 1e6;
  }
  return values;
}

function timeRuns<T>(runs: number, work: () => T): { medianMs: number; minMs: number; last: T } {
  const times: number[] = [];
  let last!: T;
  for (let run = 0; run < runs; run += 1) {
    const start = performance.now();
    last = work();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return { medianMs: times[Math.floor(times.length / 2)], minMs: times[0], last };
}

interface PythonTimes {
  ks_exact_ms: number;
  full_set_ms: number;
  psi: number;
  ks_pvalue_exact: number;
  numpy: string;
  scipy: string;
}

function runNumpy(files: Record<string, string>, runs: number): PythonTimes | string {
  const script = path.join(__dirname, 'stats_numpy.py');
  const result = spawnSync(
    'python3',
    [script, files.ksReference, files.ksProduction, files.reference, files.production, String(runs)],
    {
      encoding: 'utf8',
    }
  );
  if (result.status !== 0)
    return `numpy/scipy side did not run: ${(result.stderr || result.error?.message || '').trim()}`;
  return JSON.parse(result.stdout) as PythonTimes;
}

function main(): void {
  const runs = Number(process.env.BENCH_RUNS ?? 7);
  const ksReference = normalSample(10_000, 0, 1, 0, 1);
  const ksProduction = normalSample(10_000, 0.03, 1, 0, 2);
  const reference = normalSample(1_000_000, 0, 1, 0.01, 3);
  const production = normalSample(1_000_000, 0.05, 1.1, 0.02, 4);

  const dir = mkdtempSync(path.join(tmpdir(), 'driftguard-bench-'));
  const files = Object.fromEntries(
    Object.entries({ ksReference, ksProduction, reference, production }).map(([name, values]) => {
      const file = path.join(dir, `${name}.f64`);
      writeFileSync(file, Buffer.from(values.buffer));
      return [name, file];
    })
  );

  const ksArrays = [Array.from(ksReference), Array.from(ksProduction)];
  const ks = timeRuns(Math.max(runs, 31), () => ksTwoSample(ksArrays[0], ksArrays[1]));
  // Float64Array with NaN for missing values: the same input numpy gets.
  // numpy computes the contract's plain quantile cut points; frozen reference versions add tail bins beyond them.
  const full = timeRuns(runs, () => compareNumeric(reference, production, { edges: 'quantiles' }));
  const numpy = runNumpy(files, runs);
  rmSync(dir, { recursive: true, force: true });

  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  console.log(`machine: ${cpu}, ${cpus().length} cores, Node ${process.version}`);
  console.log(
    `KS exact p-value, 10 000 vs 10 000: median ${ks.medianMs.toFixed(2)} ms (min ${ks.minMs.toFixed(2)}), D = ${ks.last.statistic}, p = ${ks.last.pvalue} (${ks.last.method})`
  );
  console.log(
    `full metric set, 1e6 vs 1e6: median ${full.medianMs.toFixed(1)} ms (min ${full.minMs.toFixed(1)}), PSI = ${full.last.psi}, KS p = ${full.last.ks_pvalue}`
  );
  if (typeof numpy === 'string') {
    console.log(numpy);
    process.exitCode = 1;
    return;
  }
  console.log(
    `numpy ${numpy.numpy} / scipy ${numpy.scipy}: KS exact ${numpy.ks_exact_ms.toFixed(2)} ms, full set ${numpy.full_set_ms.toFixed(1)} ms`
  );
  console.log(
    `speed-up over numpy/scipy: KS exact ×${(numpy.ks_exact_ms / ks.medianMs).toFixed(2)}, full set ×${(numpy.full_set_ms / full.medianMs).toFixed(2)}`
  );
  const psiAgrees = Math.abs(numpy.psi - full.last.psi) <= 1e-9 * numpy.psi;
  const pAgrees =
    Math.abs(numpy.ks_pvalue_exact - ks.last.pvalue) <= 1e-4 ||
    Math.abs(numpy.ks_pvalue_exact - ks.last.pvalue) <= 0.01 * numpy.ks_pvalue_exact;
  console.log(
    `same answers: PSI ${psiAgrees ? 'yes' : `NO (${numpy.psi})`}, exact KS p ${pAgrees ? 'yes' : `NO (${numpy.ks_pvalue_exact})`}`
  );
  if (!psiAgrees || !pAgrees) process.exitCode = 1;
}

main();
