import fc from 'fast-check';
import { neutraliseText, originalText } from '../../src/reports';
import { MAX_HISTOGRAM_BINS } from '../../src/reports/pdf-charts';
import { HOSTILE, Row, rows, toNdjson } from '../api/data';
import { startTestServer, TestServer, TOKENS } from '../api/harness';
import { parseCsv, pdfText, writeForReview } from './report-files';
import { HOUR_MS, DAY_MS } from '../../src/time';

const HYPERLINK = '=HYPERLINK("x"),"a,b"';
/** The test data's columns renamed to text a spreadsheet would run, or that starts with the quote the rule adds. */
const RENAMED: Record<string, string> = { income: HYPERLINK, age: '-2+3', region: '@SUM(A1)', [HOSTILE]: "'quoted" };
const FORMULA_START = /^[=+\-@\t\r]/;
const MODEL = 'formula-names';
const DAY_START = Date.UTC(2026, 0, 10);
const WINDOW = `from=${new Date(DAY_START).toISOString()}&to=${new Date(DAY_START + DAY_MS).toISOString()}`;

const renamed = (data: Row[]): Row[] =>
  data.map((row) => Object.fromEntries(Object.entries(row).map(([key, value]) => [RENAMED[key] ?? key, value])));

describe('CSV cell neutralisation', () => {
  it('gives back any text by dropping one leading quote, and never starts a cell with = + - @ tab or CR', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.string(), fc.constantFrom('=1+1', '+1', '-1', '@A1', '\t=1', '\r=1', "'", "''=x", '')),
        (text) => {
          const cell = neutraliseText(text);
          expect(originalText(cell)).toBe(text);
          expect(FORMULA_START.test(cell)).toBe(false);
        }
      )
    );
  });
});

describe('reports on a live server: formula-like feature names, a wide categorical, another baseline, jobs and alerts', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer();
    const post = async (path: string, body: string, type: string) => {
      const { status, body: answer } = await t.json(path, { method: 'POST', body, headers: { 'content-type': type } });
      if (status !== 201) throw new Error(`POST ${path}: ${status} ${JSON.stringify(answer)}`);
    };
    const features = [
      { name: HYPERLINK, kind: 'numeric', importance: 3 },
      { name: '-2+3', kind: 'numeric', importance: 1 },
      { name: '@SUM(A1)', kind: 'categorical', importance: 1 },
      { name: "'quoted", kind: 'numeric', importance: 1 },
    ];
    await post('/api/v1/models', JSON.stringify({ id: MODEL, name: 'Formula names', features }), 'application/json');
    await post(`/api/v1/models/${MODEL}/references`, toNdjson(renamed(rows(1500, 1))), 'application/x-ndjson');
    await post(
      `/api/v1/models/${MODEL}/predictions`,
      toNdjson(renamed(rows(1200, 2, { shift: 1, startMs: DAY_START, stepMs: 72_000 }))),
      'application/x-ndjson'
    );
    const { store } = t.server;
    const window = { fromMs: DAY_START, toMs: DAY_START + DAY_MS };
    const job = {
      modelId: MODEL,
      trigger: 'manual',
      requestedBy: 'risk-officer',
      scheduledForMs: DAY_START + HOUR_MS,
      window,
      referenceVersion: 1,
      alertFingerprint: null,
    } as const;
    await store.retrainJobs.createOrGetActive(
      { ...job, reason: 'income shifted after the campaign' },
      DAY_START + HOUR_MS
    );
    const alert = {
      modelId: MODEL,
      status: 'firing',
      severity: 'critical',
      labels: { model_id: MODEL },
      summary: null,
    } as const;
    const outcome = { action: 'manual_policy', recommendation: null, jobId: null } as const;
    await store.alerts.record(
      { ...alert, fingerprint: 'in-window', alertname: 'IncomePsiHigh', startsMs: DAY_START + 2 * HOUR_MS },
      outcome,
      DAY_START + 2 * HOUR_MS
    );
    await store.alerts.record(
      { ...alert, fingerprint: 'next-week', alertname: 'AgePsiHigh', startsMs: DAY_START + 7 * DAY_MS },
      outcome,
      DAY_START + 7 * DAY_MS
    );
  });
  afterAll(() => t?.stop());

  const download = async (path: string) => {
    const response = await t.call(`/api/v1/models/${MODEL}/${path}`, { token: TOKENS.read });
    expect(response.status).toBe(200);
    return response;
  };

  it('features CSV: names are quoted per RFC 4180 with a leading single quote, and the originals come back by dropping it', async () => {
    const text = await (await download(`report.csv?${WINDOW}&table=features`)).text();
    expect(text).toContain(`\r\n"'=HYPERLINK(""x""),""a,b""",numeric,3,`);
    const { records } = parseCsv(text);
    expect(records.map((record) => record.feature).sort()).toEqual([
      "''quoted",
      "'-2+3",
      '\'=HYPERLINK("x"),"a,b"',
      "'@SUM(A1)",
    ]);
    expect(records.map((record) => originalText(record.feature)).sort()).toEqual(Object.values(RENAMED).sort());
    const summary = (await t.json(`/api/v1/models/${MODEL}/summary?${WINDOW}`)).body;
    for (const record of records) {
      const served = summary.features.find(
        (feature: { feature: string }) => feature.feature === originalText(record.feature)
      );
      expect([record.feature, Number(record.psi)]).toEqual([record.feature, served.psi]);
    }
    // Harmless: the only cells that start like a formula are numbers (negative figures).
    const risky = records.flatMap((record) => Object.values(record)).filter((cell) => FORMULA_START.test(cell));
    expect(risky).toEqual(risky.filter((cell) => Number.isFinite(Number(cell))));
  });

  it('trends CSV: the per-feature PSI columns carry the names after psi:, nothing else changed', async () => {
    const { header, records } = parseCsv(await (await download(`report.csv?${WINDOW}&table=trends`)).text());
    expect(
      header
        .filter((name) => name.startsWith('psi:'))
        .map((name) => name.slice('psi:'.length))
        .sort()
    ).toEqual(Object.values(RENAMED).sort());
    expect(records).toHaveLength(1);
    expect(Number(records[0][`psi:${HYPERLINK}`])).toBeGreaterThan(0.2);
  });

  it('PDF: the names appear as written, and a report without business parameters says why it has no money figures', async () => {
    const { file } = writeForReview(
      'formula-names',
      Buffer.from(await (await download(`report.pdf?${WINDOW}`)).arrayBuffer())
    );
    const text = pdfText(file);
    expect(text).toContain(HYPERLINK);
    expect(text).toContain('@SUM(A1)');
    expect(text).toMatch(/No money figures: the model lacks business parameters/);
    expect(text).toMatch(/no money figures without business parameters/);
  });

  it('PDF against the previous period: says so, and the day before holds no rows to compare with', async () => {
    const { file } = writeForReview(
      'formula-names-previous-period',
      Buffer.from(await (await download(`report.pdf?${WINDOW}&reference=previous_period`)).arrayBuffer())
    );
    const text = pdfText(file).replace(/\s+/g, ' ');
    expect(text).toContain(
      'Baseline: previous period 2026-01-09 00:00 UTC to 2026-01-10 00:00 UTC, bins of reference version 1'
    );
    expect(text).toMatch(/Health score \(0-100\)/);
    expect(text).toMatch(/unknown/);
    expect(text).toContain('None: no feature has enough rows to be assessed.');
  });

  it('PDF: a categorical histogram with more categories than the chart holds shows those contributing most PSI, and says so', async () => {
    const post = (path: string, body: string, type: string) =>
      t.json(path, { method: 'POST', body, headers: { 'content-type': type } });
    const merchants = (count: number, categories: number, startMs?: number) =>
      Array.from({ length: count }, (_, index) => ({
        merchant: `merchant-${String((index * 7) % categories).padStart(2, '0')}`,
        ...(startMs === undefined
          ? {}
          : { prediction_id: `m${index}`, timestamp: new Date(startMs + index * 60_000).toISOString() }),
      }));
    expect(
      (
        await post(
          '/api/v1/models',
          JSON.stringify({ id: 'merchants', features: [{ name: 'merchant', kind: 'categorical' }] }),
          'application/json'
        )
      ).status
    ).toBe(201);
    expect(
      (await post('/api/v1/models/merchants/references', toNdjson(merchants(4000, 40)), 'application/x-ndjson')).status
    ).toBe(201);
    expect(
      (
        await post(
          '/api/v1/models/merchants/predictions',
          toNdjson(merchants(1200, 25, DAY_START)),
          'application/x-ndjson'
        )
      ).status
    ).toBe(201);
    const response = await t.call(`/api/v1/models/merchants/report.pdf?${WINDOW}`, { token: TOKENS.read });
    expect(response.status).toBe(200);
    const text = pdfText(writeForReview('many-categories', Buffer.from(await response.arrayBuffer())).file);
    expect(text).toContain(`The ${MAX_HISTOGRAM_BINS} of 40 categories contributing most PSI, in category order.`);
    // Categories 25–39 vanished from production: each contributes most, so each is drawn.
    for (let category = 25; category < 40; category += 1) expect(text).toContain(`merchant-${category}`);
  });

  it('OpenAPI: both report routes, their media types and the table choice are documented', async () => {
    const { paths } = (await t.json('/api/v1/openapi.json', { token: TOKENS.read })).body;
    const csv = paths['/models/{modelId}/report.csv'].get;
    const pdf = paths['/models/{modelId}/report.pdf'].get;
    expect(Object.keys(csv.responses[200].content)).toEqual(['text/csv']);
    expect(Object.keys(pdf.responses[200].content)).toEqual(['application/pdf']);
    expect(csv.parameters.find((parameter: { name: string }) => parameter.name === 'table').schema.enum).toEqual([
      'features',
      'trends',
    ]);
    expect(pdf.parameters.map((parameter: { name: string }) => parameter.name).sort()).toEqual([
      'from',
      'modelId',
      'reference',
      'to',
    ]);
    expect(csv.description).toMatch(/single quote/);
    expect(pdf.description).toMatch(/SHA-256/);
  });

  it('PDF: lists the retrain jobs and alerts of the window, not those outside it', async () => {
    const { file } = writeForReview(
      'formula-names-activity',
      Buffer.from(await (await download(`report.pdf?${WINDOW}`)).arrayBuffer())
    );
    const text = pdfText(file);
    // The server's job runner takes the job up at once (and fails it: the model has no trainer), so its status varies.
    expect(text).toMatch(/2026-01-10 01:00 +\w+ +manual +risk-officer +.+ +income shifted after the campaign/);
    expect(text).toMatch(/2026-01-10 02:00 +IncomePsiHigh +firing +critical +manual_policy/);
    expect(text).not.toContain('AgePsiHigh');
  });
});
