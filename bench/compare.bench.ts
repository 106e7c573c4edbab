/**
 * `drift-server compare` beside the pandas + numpy + scipy script that computes the same figures
 * (compare_pandas.py), both as whole processes including start-up, on seeded flights-shaped CSV
 * files (flights-data.ts: 0.5 M rows per side, a skewed integer delay with missing values, an
 * integer distance, a 223-category airport code), in alternated runs so the machine's changing
 * load hits both alike. Prints the medians, their ratio and how far the two sides' figures differ.
 * BENCH_BASELINE_BIN adds a third variant: another build's bin (say the code before the plain CSV
 * reader), run the same way in the same alternation.
 * Run: `npm run bench:compare -w drift-server` (BENCH_RUNS runs per variant, default 7; BENCH_ROWS
 * rows per side, default 500 000; builds first).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { agreement, PANDAS_SCRIPT, PYTHON } from './compare-pandas';
import { JANUARY, JUNE, writeFlightsCsv } from './flights-data';
import { percentiles, publishResults, runBenchmark } from './timing';

const RUNS = Number(process.env.BENCH_RUNS ?? 7);
const ROWS = Number(process.env.BENCH_ROWS ?? 500_000);
const SERVER = join(__dirname, '..', 'drift-server');
const BIN = join(SERVER, 'bin', 'drift-server.cjs');

runBenchmark(async () => {
  execFileSync('npm', ['run', 'build'], { cwd: SERVER, stdio: 'ignore' });
  const dir = mkdtempSync(join(tmpdir(), 'driftguard-compare-bench-'));
  try {
    const [reference, production] = [join(dir, 'january.csv'), join(dir, 'june.csv')];
    await writeFlightsCsv(reference, ROWS, JANUARY, 1);
    await writeFlightsCsv(production, ROWS, JUNE, 2);
    const compareArgs = (bin: string) => [
      process.execPath,
      bin,
      'compare',
      '--reference',
      reference,
      '--production',
      production,
      '--format',
      'json',
    ];
    const variants: Record<string, string[]> = {
      'drift-server compare': compareArgs(BIN),
      'pandas + numpy + scipy': [PYTHON, PANDAS_SCRIPT, reference, production],
    };
    if (process.env.BENCH_BASELINE_BIN)
      variants['drift-server compare (baseline build)'] = compareArgs(process.env.BENCH_BASELINE_BIN);
    const times: Record<string, number[]> = Object.fromEntries(Object.keys(variants).map((name) => [name, []]));
    const outputs: Record<string, string> = {};
    const load = [loadavg()[0]];
    for (let run = 0; run < RUNS; run += 1) {
      for (const [name, [command, ...args]] of Object.entries(variants)) {
        const started = performance.now();
        outputs[name] = execFileSync(command, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
        times[name].push(performance.now() - started);
      }
    }
    load.push(loadavg()[0]);
    const figures = Object.fromEntries(Object.entries(times).map(([name, runs]) => [name, percentiles(runs)]));
    const ours = JSON.parse(outputs['drift-server compare']);
    const baseline = process.env.BENCH_BASELINE_BIN
      ? JSON.parse(outputs['drift-server compare (baseline build)'])
      : null;
    publishResults('compare', {
      machine: { cpus: cpus().length, model: cpus()[0]?.model, node: process.version, load_average: load },
      rows_per_side: ROWS,
      csv_bytes_per_side: [statSync(reference).size, statSync(production).size],
      runs_per_variant: RUNS,
      figures,
      pandas_over_compare_p50: Number(
        (figures['pandas + numpy + scipy'].p50_ms / figures['drift-server compare'].p50_ms).toFixed(2)
      ),
      ...(baseline && {
        baseline_over_compare_p50: Number(
          (figures['drift-server compare (baseline build)'].p50_ms / figures['drift-server compare'].p50_ms).toFixed(2)
        ),
        pandas_over_baseline_p50: Number(
          (figures['pandas + numpy + scipy'].p50_ms / figures['drift-server compare (baseline build)'].p50_ms).toFixed(
            2
          )
        ),
        same_output_as_baseline: JSON.stringify(ours) === JSON.stringify(baseline),
      }),
      agreement_with_pandas: agreement(ours, JSON.parse(outputs['pandas + numpy + scipy'])),
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
