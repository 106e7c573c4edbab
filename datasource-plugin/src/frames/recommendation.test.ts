import { getValueFormat } from '@grafana/data';
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
