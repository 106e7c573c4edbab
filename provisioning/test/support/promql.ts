import { createMetricsRegistry } from '../../../drift-server/src/metrics';

/** Names a PromQL query may use: every DriftGuard metric, and a histogram's series. */
export async function knownSeriesNames(): Promise<Set<string>> {
  const metrics = await createMetricsRegistry().registry.getMetricsAsJSON();
  return new Set(
    metrics.flatMap((metric) =>
      String(metric.type) === 'histogram'
        ? ['_bucket', '_sum', '_count'].map((suffix) => `${metric.name}${suffix}`)
        : [metric.name]
    )
  );
}

export async function contractMetricNames(): Promise<string[]> {
  return (await createMetricsRegistry().registry.getMetricsAsJSON()).map((metric) => metric.name);
}

export function driftguardSeriesIn(expr: string): string[] {
  return [...expr.matchAll(/\bdriftguard_\w+/g)].map((match) => match[0]);
}

/** Sample values for the dashboard variables Prometheus queries use, so promtool can parse them. */
const VARIABLE_SAMPLES: Readonly<Record<string, string>> = {
  model: 'credit-risk',
  feature: 'income',
  __interval: '1m',
  __rate_interval: '2m',
  __range: '30d',
};

export function withSampleVariables(expr: string): string {
  return expr.replace(
    /\$\{(\w+)\}|\$(\w+)/g,
    (match, braced?: string, plain?: string) => VARIABLE_SAMPLES[(braced ?? plain) as string] ?? match
  );
}

/** The label names drift-server gives a metric's series (without those a scrape adds). */
export function labelNamesOf(name: string): string[] {
  const metric = createMetricsRegistry().registry.getSingleMetric(name) as unknown as
    { labelNames?: string[] } | undefined;
  if (!metric) throw new Error(`drift-server defines no metric ${name}`);
  return [...(metric.labelNames ?? [])];
}
