import { createDataFrame, DataFrame, FieldType } from '@grafana/data';
import { Severity, Trends } from '../api/types';
import { isBreach } from './severity';

interface Breach {
  feature: string;
  startMs: number;
  endMs: number;
  worst: Severity;
  maxPsi: number;
}

/** Consecutive intervals with severity warning or critical, per feature. */
export function driftBreaches(trends: Trends): Breach[] {
  const breaches: Breach[] = [];
  for (const series of trends.series) {
    let current: Breach | undefined;
    for (const point of series.points) {
      if (!isBreach(point.severity)) {
        current = undefined;
        continue;
      }
      const startMs = Date.parse(point.time);
      if (!current) {
        current = { feature: series.feature, startMs, endMs: startMs, worst: point.severity, maxPsi: 0 };
        breaches.push(current);
      }
      current.endMs = startMs + trends.interval_ms;
      current.worst = point.severity === 'critical' ? 'critical' : current.worst;
      current.maxPsi = Math.max(current.maxPsi, point.psi ?? 0);
    }
  }
  return breaches;
}

/** Region annotations (time, timeEnd, title, text, tags) that Grafana turns into annotation events. */
export function driftBreachAnnotationFrame(trends: Trends): DataFrame {
  const breaches = driftBreaches(trends);
  return createDataFrame({
    name: 'drift breaches',
    fields: [
      { name: 'time', type: FieldType.time, values: breaches.map((b) => b.startMs) },
      { name: 'timeEnd', type: FieldType.time, values: breaches.map((b) => b.endMs) },
      { name: 'title', type: FieldType.string, values: breaches.map((b) => `${b.feature}: ${b.worst} drift`) },
      {
        name: 'text',
        type: FieldType.string,
        values: breaches.map((b) => `PSI up to ${b.maxPsi.toFixed(3)} (${b.worst})`),
      },
      { name: 'tags', type: FieldType.other, values: breaches.map((b) => ['drift', b.worst, b.feature]) },
    ],
  });
}
