import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** The value below which `probability` of the sorted times fall (nearest rank). */
export function quantile(sorted: readonly number[], probability: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(probability * sorted.length))];
}

const round = (ms: number) => Math.round(ms * 10) / 10;

/** p50, p95 and max of the times, in ms to one decimal, with the number of runs. */
export function percentiles(times: readonly number[]): {
  p50_ms: number;
  p95_ms: number;
  max_ms: number;
  runs: number;
} {
  const sorted = [...times].sort((a, b) => a - b);
  return {
    p50_ms: round(quantile(sorted, 0.5)),
    p95_ms: round(quantile(sorted, 0.95)),
    max_ms: round(sorted[sorted.length - 1]),
    runs: sorted.length,
  };
}

/** Prints the results and keeps them as bench/results/<name>.json, beside any extra files given. */
export function publishResults(name: string, results: unknown, extraFiles: Record<string, Buffer | string> = {}): void {
  const output = JSON.stringify(results, null, 2);
  process.stdout.write(`${output}\n`);
  const directory = join(__dirname, 'results');
  mkdirSync(directory, { recursive: true });
  writeFileSync(join(directory, `${name}.json`), `${output}\n`);
  for (const [file, content] of Object.entries(extraFiles)) writeFileSync(join(directory, file), content);
}

/** Runs a benchmark's main and exits 0, or 1 with the stack on stderr. */
export function runBenchmark(main: () => Promise<void>): void {
  main().then(
    () => process.exit(0),
    (error: Error) => {
      process.stderr.write(`${error.stack}\n`);
      process.exit(1);
    }
  );
}
