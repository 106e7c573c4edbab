import { FieldConfig, MappingType, ValueMapping } from '@grafana/data';
import { SEVERITY_PALETTE } from 'driftguard-api-contract';

/** Value → text and colour of a Grafana value mapping, from one of the contract's palettes. */
export function paletteMapping(palette: Record<string, { label: string; color: string }>): ValueMapping {
  const options = Object.fromEntries(
    Object.entries(palette).map(([value, style], index) => [value, { text: style.label, color: style.color, index }])
  );
  return { type: MappingType.ValueToText, options };
}

/** Severity as coloured text, in the palette the DriftGuard panel and dashboards use too. */
export const SEVERITY_FIELD_CONFIG: FieldConfig = {
  displayNameFromDS: 'Severity',
  mappings: [paletteMapping(SEVERITY_PALETTE)],
  custom: { cellOptions: { type: 'color-text' } },
};
