import { classifySeverity, DEFAULT_THRESHOLDS, SeverityInput } from '../../src/stats';

const enoughRows = { reference_rows: 5000, production_rows: 5000 };

describe('classifySeverity', () => {
  it.each<[number, number, string]>([
    [0.05, 0.01, 'ok'],
    [0.1, 0.01, 'warning'],
    [0.19, 0.01, 'warning'],
    [0.2, 0.01, 'critical'],
    [0.9, 0.01, 'critical'],
  ])('PSI %s with psi_critical %s is %s', (psi, psiCritical, expected) => {
    expect(classifySeverity({ psi, psi_critical: psiCritical, ...enoughRows })).toBe(expected);
  });

  it('does not flag PSI that sampling noise explains (PSI ≤ psi_critical)', () => {
    expect(classifySeverity({ psi: 0.3, psi_critical: 0.35, ...enoughRows })).toBe('ok');
  });

  it('reports windows below the minimum rows as insufficient data, whatever the PSI', () => {
    const small: SeverityInput = { psi: 5, psi_critical: 0.1, reference_rows: 5000, production_rows: DEFAULT_THRESHOLDS.minRows - 1 };
    expect(classifySeverity(small)).toBe('insufficient_data');
    expect(classifySeverity({ ...small, production_rows: DEFAULT_THRESHOLDS.minRows })).toBe('critical');
  });

  it('honours custom thresholds and rejects inconsistent ones', () => {
    const input = { psi: 0.15, psi_critical: 0.01, ...enoughRows };
    expect(classifySeverity(input, { psiWarning: 0.05, psiCritical: 0.12, minRows: 10 })).toBe('critical');
    expect(() => classifySeverity(input, { psiWarning: 0.3, psiCritical: 0.2, minRows: 10 })).toThrow(/warning ≤ critical/);
    expect(() => classifySeverity(input, { psiWarning: 0.1, psiCritical: 0.2, minRows: 0 })).toThrow(/minimum rows/);
  });
});
