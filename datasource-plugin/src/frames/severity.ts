import { FieldConfig, MappingType } from '@grafana/data';
import { Severity } from 'driftguard-api-contract';

const SEVERITY_DISPLAY: Record<Severity, { text: string; color: string; index: number }> = {
  critical: { text: 'Critical', color: 'red', index: 0 },
  warning: { text: 'Warning', color: 'orange', index: 1 },
  ok: { text: 'OK', color: 'green', index: 2 },
  insufficient_data: { text: 'Insufficient data', color: 'blue', index: 3 },
};

/** Severity as coloured text; named colours resolve through the current theme. */
export const SEVERITY_FIELD_CONFIG: FieldConfig = {
  displayNameFromDS: 'Severity',
  mappings: [{ type: MappingType.ValueToText, options: SEVERITY_DISPLAY }],
  custom: { cellOptions: { type: 'color-text' } },
};

export function isBreach(severity: Severity): boolean {
  return severity === 'warning' || severity === 'critical';
}
