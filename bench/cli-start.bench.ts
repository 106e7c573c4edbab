/**
 * CLI start-up benchmark: the built `drift-server` running `--help`, `ingest --help` and
 * `compare --help` (each loads only its own command), beside a process that loads every command's
 * module (what each run paid before commands were loaded lazily) and a bare `node` start, in
 * alternated runs so the machine's changing load hits every variant alike.
 * Run: `npm run bench:cli-start -w drift-server` (BENCH_RUNS sets the runs per variant; builds first).
 */
import { execFileSync } from 'node:child_process';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { percentiles, publishResults, runBenchmark } from './timing';

const RUNS = Number(process.env.BENCH_RUNS ?? 20);
const SERVER = join(__dirname, '..', 'drift-server');
const BIN = join(SERVER, 'bin', 'drift-server.cjs');
const COMMAND_MODULES = ['serve', 'compare', 'demo', 'report', 'model', 'ingest', 'token'];

const VARIANTS: Record<string, string[]> = {
  'node (bare start)': ['-e', '0'],
  'drift-server --help': [BIN, '--help'],
  'drift-server ingest --help': [BIN, 'ingest', '--help'],
  'drift-server compare --help': [BIN, 'compare', '--help'],
  'every command module loaded': [
    '-e',
    COMMAND_MODULES.map((name) => `require(${JSON.stringify(join(SERVER, 'dist', 'cli', `${name}.js`))})`).join(';'),
  ],
};

runBenchmark(async () => {
  execFileSync('npm', ['run', 'build'], { cwd: SERVER, stdio: 'ignore' });
  const times: Record<string, number[]> = Object.fromEntries(Object.keys(VARIANTS).map((name) => [name, []]));
  const load = [loadavg()[0]];
  for (let run = 0; run < RUNS; run += 1) {
    for (const [name, args] of Object.entries(VARIANTS)) {
      const started = performance.now();
      execFileSync(process.execPath, args, { stdio: 'ignore' });
      times[name].push(performance.now() - started);
    }
  }
  load.push(loadavg()[0]);
  const figures = Object.fromEntries(Object.entries(times).map(([name, runs]) => [name, percentiles(runs)]));
  const eager = figures['every command module loaded'].p50_ms;
  publishResults('cli-start', {
    machine: { cpus: cpus().length, model: cpus()[0]?.model, node: process.version, load_average: load },
    runs_per_variant: RUNS,
    figures,
    eager_over_lazy_p50: {
      '--help': Number((eager / figures['drift-server --help'].p50_ms).toFixed(2)),
      'ingest --help': Number((eager / figures['drift-server ingest --help'].p50_ms).toFixed(2)),
    },
  });
});
