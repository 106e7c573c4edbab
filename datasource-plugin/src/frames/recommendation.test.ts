import { formattedValueToString, getValueFormat } from '@grafana/data';
import { METRIC_CONFIG } from './metricConfig';
import { currencyUnit } from './recommendation';

describe('currencyUnit', () => {
  it("uses Grafana's unit for a currency it knows, so the symbol shows", () => {
    expect(currencyUnit('eur')).toBe('currencyEUR');
    expect(getValueFormat(currencyUnit('EUR'))(1500, 0).prefix).toBe('€');
  });

  it('shows the code itself for a currency Grafana has no unit for', () => {
    expect(getValueFormat(currencyUnit('XAU'))(1500, 0).prefix).toBe('XAU ');
  });
});

describe('payback', () => {
  it('reads in days at any length, as drift-server\'s reasons give it, never in weeks', () => {
    const { unit, decimals } = METRIC_CONFIG.payback_days;
    const shown = (days: number) => formattedValueToString(getValueFormat(unit)(days, decimals));
    expect(shown(2.5)).toBe('2.5 days');
    expect(shown(10)).toBe('10.0 days');
    expect(shown(400)).toBe('400.0 days');
  });
});
