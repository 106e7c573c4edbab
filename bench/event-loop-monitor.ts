/**
 * Preloaded (`node --import`) into a benchmark's server process: how long its event loop went
 * without a turn (perf_hooks.monitorEventLoopDelay) and what garbage collection paused it, from
 * SIGUSR2 (sent as a phase starts) until the process exits, printed as one JSON line on stdout.
 * Outside the server's own code, so an older build measured beside this one gets the same probe.
 */
import { constants, monitorEventLoopDelay, PerformanceObserver } from 'node:perf_hooks';

const RESOLUTION_MS = 10;
const delay = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
delay.enable();
let gcPauses: number[] = [];
/** Mark-compact collections of the old generation, whose pause grows with the live heap. */
let majorPauses: number[] = [];
let peakHeapBytes = 0;
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) {
    gcPauses.push(entry.duration);
    if ((entry as unknown as { detail?: { kind?: number } }).detail?.kind === constants.NODE_PERFORMANCE_GC_MAJOR)
      majorPauses.push(entry.duration);
    peakHeapBytes = Math.max(peakHeapBytes, process.memoryUsage().heapUsed);
  }
}).observe({ entryTypes: ['gc'] });

process.on('SIGUSR2', () => {
  delay.reset();
  gcPauses = [];
  majorPauses = [];
  peakHeapBytes = 0;
});

/** The histogram holds whole intervals between its timer's turns; what exceeds the resolution is the delay. */
const ms = (nanoseconds: number) => Math.max(0, Math.round(nanoseconds / 1e5 - RESOLUTION_MS * 10) / 10);
process.on('exit', () => {
  const sorted = [...gcPauses].sort((a, b) => a - b);
  const gcQuantile = (probability: number) =>
    sorted.length === 0
      ? 0
      : Math.round(sorted[Math.min(sorted.length - 1, Math.floor(probability * sorted.length))] * 10) / 10;
  process.stdout.write(
    `${JSON.stringify({
      message: 'event loop',
      delay_p50_ms: ms(delay.percentile(50)),
      delay_p99_ms: ms(delay.percentile(99)),
      delay_max_ms: ms(delay.max),
      gc_pauses: sorted.length,
      gc_total_ms: Math.round(sorted.reduce((total, pause) => total + pause, 0)),
      gc_p99_ms: gcQuantile(0.99),
      gc_max_ms: gcQuantile(1),
      gc_major_pauses: majorPauses.length,
      gc_major_longest_ms: Math.round(Math.max(0, ...majorPauses) * 10) / 10,
      heap_used_peak_mb: Math.round(peakHeapBytes / 1048576),
    })}\n`
  );
});
