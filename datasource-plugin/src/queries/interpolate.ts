import { ScopedVars } from '@grafana/data';
import { getTemplateSrv } from '@grafana/runtime';
import { DataQuery } from '@grafana/schema';

const NOT_INTERPOLATED = new Set(['refId', 'queryType', 'key']);
/** A multi-value feature variable becomes drift-server's comma-separated `features` list. */
const CSV_FIELDS = new Set(['feature']);

/** Replaces template variables in every string field of a query. */
export function interpolateQuery<T extends DataQuery>(query: T, scopedVars: ScopedVars = {}): T {
  const templateSrv = getTemplateSrv();
  const entries = Object.entries(query).map(([key, value]) =>
    typeof value === 'string' && !NOT_INTERPOLATED.has(key)
      ? [key, templateSrv.replace(value, scopedVars, CSV_FIELDS.has(key) ? 'csv' : undefined)]
      : [key, value]
  );
  return Object.fromEntries(entries) as T;
}
