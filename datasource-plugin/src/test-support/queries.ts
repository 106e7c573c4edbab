import { CoreApp, DataFrame, DataQueryRequest, dateTime } from '@grafana/data';
import { DriftQuery } from '../types';
import { HOUR_MS } from './seed';

/** A dashboard's query request over [fromMs, toMs] with an hourly panel interval. */
export function queryRequest(targets: DriftQuery[], fromMs: number, toMs: number): DataQueryRequest<DriftQuery> {
  return {
    requestId: 'live',
    app: CoreApp.Dashboard,
    interval: '1h',
    intervalMs: HOUR_MS,
    range: { from: dateTime(fromMs), to: dateTime(toMs), raw: { from: dateTime(fromMs), to: dateTime(toMs) } },
    scopedVars: {},
    targets,
    timezone: 'utc',
    startTime: Date.now(),
  };
}

export function fieldValues(frame: DataFrame, name: string): unknown[] {
  const field = frame.fields.find((f) => f.name === name);
  if (!field) {
    throw new Error(`frame ${frame.name} has no field ${name}; it has ${frame.fields.map((f) => f.name).join(', ')}`);
  }
  return field.values;
}

export function fieldConfig(frame: DataFrame, name: string) {
  return frame.fields.find((f) => f.name === name)?.config;
}
