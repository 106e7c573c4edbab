import { execFileSync } from 'node:child_process';
import { pValue, percent, significant, signedPoints } from '../../src/number-format';
import { chartAxis } from '../../src/reports/pdf-charts';
import { printable } from '../../src/reports/pdf-fonts';
import { toNdjson } from '../api/data';
import { startTestServer, TestServer, TOKENS } from '../api/harness';
import { pdfText, writeForReview } from './report-files';
import { DAY_MS } from '../../src/time';

describe('how report figures are written', () => {
  it.each([
    [7.3e-4, '< 0.001'],
    [0.00734, '0.00734'],
    [0.1234, '0.123'],
    [0.5, '0.500'],
    [4.3849, '4.38'],
    [123.45, '123'],
    [999.6, '1,000'],
    [12345.6, '12,346'],
    [0, '0'],
    [null, '–'],
  ])('significant(%p) is %p: three significant digits, never an exponent', (value, text) => {
    expect(significant(value)).toBe(text);
  });

  it('writes p-values below 0.001, and ones that underflowed to 0, as "< 0.001"', () => {
    expect([pValue(0), pValue(2.2e-16), pValue(0.0312), pValue(null)]).toEqual(['< 0.001', '< 0.001', '0.0312', '–']);
  });

  it('never writes "-0.0": a difference that rounds to zero has no sign', () => {
    expect([signedPoints(-0.0004), signedPoints(0.0004), signedPoints(-0.0123), signedPoints(0.25)]).toEqual([
      '0.0 points',
      '0.0 points',
      '-1.2 points',
      '+25.0 points',
    ]);
    expect([percent(0.0003), percent(0), percent(0.1234)]).toEqual(['< 0.1%', '0.0%', '12.3%']);
  });
});

describe('chart axes', () => {
  it('ticks a linear axis in steps of 1, 2 or 5 times a power of ten', () => {
    expect(chartAxis([4.38], {}).ticks).toEqual([0, 1, 2, 3, 4, 5]);
    expect(chartAxis([0.27, 0.2], {}).ticks).toEqual([0, 0.1, 0.2, 0.3]);
    expect(chartAxis([0.012], {}).ticks).toEqual([0, 0.005, 0.01, 0.015]);
    expect(chartAxis([55], { yRange: [0, 100] }).ticks).toEqual([0, 20, 40, 60, 80, 100]);
  });

  it('keeps the 0.1 and 0.2 lines well apart from zero on the log scale beside a PSI of 4.4', () => {
    const axis = chartAxis([0.002, 4.4, 0.1, 0.2], { scale: 'log' });
    expect(axis.ticks).toEqual([0.001, 0.01, 0.1, 1, 10]);
    expect(axis.position(0.1)).toBeCloseTo(0.5, 6);
    expect(axis.position(0.2) - axis.position(0.1)).toBeGreaterThan(0.07);
    expect(axis.position(0.0001)).toBe(0);
  });
});

describe('the text the PDF font can draw', () => {
  it('keeps Cyrillic, Greek and signs as written, and names what the font lacks by code point', () => {
    expect(printable('Доход ≥ 5 βάρος − χ²')).toBe('Доход ≥ 5 βάρος − χ²');
    expect(printable('收入\u0007')).toBe('[U+6536][U+5165][U+0007]');
  });
});

const MODEL = 'auditor';
const DAY_START = Date.UTC(2026, 0, 10);
const FEATURES = [
  { name: 'Доход', kind: 'numeric', importance: 3 },
  { name: 'βάρος', kind: 'numeric', importance: 1 },
  { name: '收入', kind: 'numeric', importance: 1 },
  { name: 'канал', kind: 'categorical', importance: 1 },
];

/** Deterministic rows: income ("Доход") shifts hard in production, "βάρος" goes missing more often, the rest stays. */
function rowsOf(count: number, production: boolean): Record<string, unknown>[] {
  return Array.from({ length: count }, (_, index) => {
    const wave = ((index * 7919) % 1000) / 1000;
    return {
      Доход: production ? 80_000 + wave * 30_000 : 30_000 + wave * 40_000,
      βάρος: index % (production ? 5 : 25) === 0 ? null : 50 + ((index * 31) % 40),
      收入: (index * 13) % 100,
      канал: ['веб', 'офис', 'телефон'][index % 3],
      prediction: wave > 0.5 ? 1 : 0,
      probability: wave,
      label: (index * 17) % 3 === 0 ? 1 : 0,
      ...(production
        ? { prediction_id: `p${index}`, timestamp: new Date(DAY_START + index * 60_000).toISOString() }
        : {}),
    };
  });
}

describe('the PDF as an auditor reads it', () => {
  let t: TestServer;
  let text: string;
  let pages: string[];
  let file: string;
  beforeAll(async () => {
    t = await startTestServer();
    const post = async (path: string, body: string, type: string) => {
      const { status, body: answer } = await t.json(path, { method: 'POST', body, headers: { 'content-type': type } });
      if (status !== 201) throw new Error(`POST ${path}: ${status} ${JSON.stringify(answer)}`);
    };
    await post(
      '/api/v1/models',
      JSON.stringify({ id: MODEL, name: 'Кредитный риск', features: FEATURES }),
      'application/json'
    );
    await post(`/api/v1/models/${MODEL}/references`, toNdjson(rowsOf(2000, false)), 'application/x-ndjson');
    await post(`/api/v1/models/${MODEL}/predictions`, toNdjson(rowsOf(1440, true)), 'application/x-ndjson');
    const window = `from=${new Date(DAY_START).toISOString()}&to=${new Date(DAY_START + DAY_MS).toISOString()}`;
    const response = await t.call(`/api/v1/models/${MODEL}/report.pdf?${window}`, { token: TOKENS.read });
    expect(response.status).toBe(200);
    ({ file, pages } = writeForReview('auditor', Buffer.from(await response.arrayBuffer())));
    text = pdfText(file);
  });
  afterAll(() => t?.stop());

  const pageText = (page: number) =>
    execFileSync('pdftotext', ['-layout', '-f', String(page), '-l', String(page), file, '-'], { encoding: 'utf8' });

  it('numbers every page "page N of M"', () => {
    const numbers = [...text.matchAll(/Generated \S+ · page (\d+) of (\d+)/g)].map((match) => [
      Number(match[1]),
      Number(match[2]),
    ]);
    expect(numbers).toEqual(pages.map((_, index) => [index + 1, pages.length]));
  });

  it('states the window on page 1 with its exclusive end', () => {
    expect(pageText(1).replace(/\s+/g, ' ')).toContain(
      'Window: 2026-01-10 00:00 UTC to 2026-01-11 00:00 UTC, end exclusive: rows from 2026-01-10 00:00 UTC up to but not including 2026-01-11 00:00 UTC (the last hour counted starts 2026-01-10 23:00 UTC; 1 day)'
    );
  });

  it('prints non-Latin names as written, and code points only for what the font lacks', () => {
    expect(text).toContain('Кредитный риск');
    for (const name of ['Доход', 'βάρος', 'канал', 'телефон']) expect(text).toContain(name);
    expect(text).toContain('[U+6536][U+5165]');
    expect(text).not.toContain('[U+0414]');
  });

  it('writes the feature table with one notation: no exponents, no 0.000, p-values under 0.001 as "< 0.001", and the missing shares', () => {
    // The footer's hex hash aside, which holds digit-e-digit runs.
    const table = pageText(2)
      .split('\n')
      .filter((line) => !line.includes('SHA-256'))
      .join('\n');
    expect(table).toMatch(/Test +Missing +Severity/);
    expect(table).toContain('Missing: share of rows without a value, baseline → window.');
    expect(table).not.toMatch(/\d\.?\d*e[-+]?\d/i);
    expect(table).not.toMatch(/\b0\.000\b/);
    const income = table.split('\n').find((line) => line.includes('Доход'))!;
    expect(income).toMatch(/D 1\.00, p < 0\.001/);
    expect(income).toMatch(/critical/);
    const weight = table.split('\n').find((line) => line.includes('βάρος'))!;
    expect(weight).toContain('4.0% → 20.0%');
  });

  it('draws the PSI trend on a log scale whose ticks read 0.001 to 10, with both threshold lines', () => {
    const trends = pageText(pages.findIndex((_, index) => pageText(index + 1).includes('Daily trends')) + 1);
    expect(trends).toMatch(/log scale/);
    for (const tick of ['0.001', '0.01', '0.1', '1', '10'])
      expect(trends).toMatch(new RegExp(`^\\s*${tick.replace('.', '\\.')}\\s*$`, 'm'));
    expect(trends).toContain('warning 0.1 (dashed)');
    expect(trends).toContain('critical 0.2 (dashed)');
  });
});
