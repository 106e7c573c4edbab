import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MODEL_ID, modelBody, rows, toCsv } from './data';
import { startTestServer, TestServer, TOKENS } from './harness';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const endMs = Math.floor(Date.now() / HOUR) * HOUR;
const read = { token: TOKENS.read };

/**
 * A deep dive over a window longer than the raw-row retention: PSI and the histogram come from
 * aggregates that keep every row, KS and statistics from the raw rows left. The response must say
 * which figure rests on which rows.
 */
describe('feature detail: raw-row coverage, figure by figure', () => {
  const directory = mkdtempSync(join(tmpdir(), 'driftguard-coverage-'));
  const dbPath = join(directory, 'coverage.duckdb');
  let t: TestServer;
  // 1200 rows 40 days ago, 1200 rows in the last day.
  const old = rows(1200, 2, { startMs: endMs - 40 * DAY, stepMs: 72_000, idPrefix: 'old' });
  const recent = rows(1200, 3, { shift: 1, startMs: endMs - DAY, stepMs: 72_000, idPrefix: 'new' });

  beforeAll(async () => {
    const loader = await startTestServer({}, { dbPath });
    const post = (path: string, body: string, type: string) =>
      loader.json(path, { method: 'POST', body, headers: { 'content-type': type } });
    expect((await post('/api/v1/models', JSON.stringify(modelBody()), 'application/json')).status).toBe(201);
    expect((await post(`/api/v1/models/${MODEL_ID}/references`, toCsv(rows(2000, 1)), 'text/csv')).status).toBe(201);
    expect(
      (await post(`/api/v1/models/${MODEL_ID}/predictions`, JSON.stringify([...old, ...recent]), 'application/json'))
        .status
    ).toBe(201);
    await loader.stop();
    // Restarted with a 30-day retention: the start-up sweep purges the old day's raw rows.
    t = await startTestServer({ DRIFTGUARD_RAW_RETENTION_DAYS: '30' }, { dbPath });
  });
  afterAll(async () => {
    await t?.stop();
    rmSync(directory, { recursive: true, force: true });
  });

  it('over 45 days: PSI on all 2 400 rows, KS and statistics on the 1 200 raw rows left, and a note saying so', async () => {
    const { status, body } = await t.json(
      `/api/v1/models/${MODEL_ID}/features/income?from=${endMs - 45 * DAY}&to=${endMs}`,
      read
    );
    expect(status).toBe(200);
    expect(body.drift.production_rows).toBe(2400);
    expect(body.raw_rows.production).toBe(1200);
    expect(body.coverage.complete).toBe(false);
    for (const figure of ['psi', 'kl', 'js', 'psi_critical', 'severity', 'bins']) {
      expect(body.coverage.figures[figure]).toEqual({ reference_rows: 2000, production_rows: 2400 });
    }
    for (const figure of ['ks_statistic', 'ks_pvalue', 'stats']) {
      expect(body.coverage.figures[figure]).toEqual({ reference_rows: 2000, production_rows: 1200 });
    }
    expect(body.stats.production.count + body.stats.production.missing).toBe(1200);
    expect(body.coverage.note).toContain("rest on 1,200 of the window's 2,400 production rows");
    expect(body.coverage.note).toContain('DRIFTGUARD_RAW_RETENTION_DAYS');
  });

  it('over the last day, where raw rows are all there: complete, every figure on the same rows, no note', async () => {
    const { body } = await t.json(`/api/v1/models/${MODEL_ID}/features/income?from=${endMs - DAY}&to=${endMs}`, read);
    expect(body.coverage.complete).toBe(true);
    expect(body.coverage.note).toBeNull();
    expect(new Set(Object.values(body.coverage.figures).map((rowsOf) => JSON.stringify(rowsOf)))).toEqual(
      new Set([JSON.stringify({ reference_rows: 2000, production_rows: 1200 })])
    );
  });

  it('a window cut at the deep-dive limit says so too', async () => {
    const limited = await startTestServer(
      { DRIFTGUARD_RAW_RETENTION_DAYS: '30', DRIFTGUARD_MAX_DEEP_DIVE_ROWS: '500' },
      { dbPath: join(directory, 'limited.duckdb') }
    );
    try {
      const post = (path: string, body: string, type: string) =>
        limited.json(path, { method: 'POST', body, headers: { 'content-type': type } });
      await post('/api/v1/models', JSON.stringify(modelBody()), 'application/json');
      await post(`/api/v1/models/${MODEL_ID}/references`, toCsv(rows(2000, 1)), 'text/csv');
      await post(`/api/v1/models/${MODEL_ID}/predictions`, JSON.stringify(recent), 'application/json');
      const { body } = await limited.json(
        `/api/v1/models/${MODEL_ID}/features/income?from=${endMs - DAY}&to=${endMs}`,
        read
      );
      expect(body.raw_rows).toEqual({ reference: 500, production: 500, truncated: true });
      expect(body.coverage.complete).toBe(false);
      expect(body.coverage.figures.ks_statistic).toEqual({ reference_rows: 500, production_rows: 500 });
      expect(body.coverage.figures.psi).toEqual({ reference_rows: 2000, production_rows: 1200 });
      expect(body.coverage.note).toContain('DRIFTGUARD_MAX_DEEP_DIVE_ROWS');
    } finally {
      await limited.stop();
    }
  });
});
