import { binCounts, categoryCounts } from '../../src/store';
import { DuckDBInstance } from '@duckdb/node-api';
import { HOSTILE, MODEL_ID, modelBody, rows, toCsv, toNdjson } from './data';
import { startTestServer, TestServer, TOKENS } from './harness';

const DAY_START = Date.UTC(2026, 1, 1);
const HOUR = 3_600_000;
const ndjson = { 'content-type': 'application/x-ndjson' };
const csv = { 'content-type': 'text/csv' };

describe('production ingestion', () => {
  let t: TestServer;
  const predictions = (body: string, headers: Record<string, string>, token = TOKENS.ingest) =>
    t.json(`/api/v1/models/${MODEL_ID}/predictions`, { method: 'POST', body, headers, token });
  const summary = () =>
    t.json(`/api/v1/models/${MODEL_ID}/summary?from=${DAY_START}&to=${DAY_START + 48 * HOUR}`, { token: TOKENS.read });
  /** Everything a rejected batch must leave untouched: served figures and every stored count. */
  const snapshot = async () => {
    const served = (await summary()).body;
    const stored = await binCounts(
      ['income', 'age', HOSTILE],
      await t.server.store.aggregates.numericCountColumns(MODEL_ID, 1, { fromMs: 0, toMs: 4e12, bucketMs: 4e12 }, [
        'income',
        'age',
        HOSTILE,
      ])
    );
    const categorical = await categoryCounts(
      ['region'],
      await t.server.store.aggregates.categoricalCountColumns(MODEL_ID, { fromMs: 0, toMs: 4e12, bucketMs: 4e12 }, [
        'region',
      ])
    );
    const volume = await t.server.store.aggregates.volume(MODEL_ID, { fromMs: 0, toMs: 4e12, bucketMs: 4e12 });
    const raw = (await t.server.store.rawValues.production(MODEL_ID, [0], 0, 4e12))[0];
    const sorted = <K>(counts: Map<string, Map<K, number>> | undefined) =>
      [...(counts ?? [])].map(([feature, bins]) => [feature, [...bins].sort()]).sort();
    return JSON.stringify({
      served,
      stored: sorted(stored.get(0)),
      categorical: sorted(categorical.get(0)),
      volume: [...volume],
      raw: raw.values.length,
    });
  };

  beforeAll(async () => {
    t = await startTestServer({
      DRIFTGUARD_MAX_BODY_BYTES: '100000',
      DRIFTGUARD_MAX_ROWS_PER_BATCH: '600',
      DRIFTGUARD_MAX_STRING_LENGTH: '64',
    });
    await t.json('/api/v1/models', {
      method: 'POST',
      body: JSON.stringify(modelBody()),
      headers: { 'content-type': 'application/json' },
    });
  });
  afterAll(() => t.stop());

  it('refuses predictions before any reference froze the bins (409)', async () => {
    const { status, body } = await predictions(toNdjson(rows(5, 1, { startMs: DAY_START })), ndjson);
    expect(status).toBe(409);
    expect(body.detail).toMatch(/upload a reference first/);
  });

  it('accepts a reference and batches in CSV, NDJSON and a JSON array', async () => {
    const reference = await t.json(`/api/v1/models/${MODEL_ID}/references`, {
      method: 'POST',
      body: toCsv(rows(500, 1)),
      headers: csv,
      token: TOKENS.ingest,
    });
    expect(reference.status).toBe(201);
    const first = await predictions(toCsv(rows(100, 2, { startMs: DAY_START, idPrefix: 'c' })), csv);
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({
      rows: 100,
      reference_version: 1,
      hours: 2,
      first_timestamp: new Date(DAY_START).toISOString(),
    });
    expect(
      (await predictions(toNdjson(rows(100, 3, { startMs: DAY_START + HOUR, idPrefix: 'n' })), ndjson)).status
    ).toBe(201);
    expect(
      (
        await predictions(JSON.stringify(rows(100, 4, { startMs: DAY_START + 2 * HOUR, idPrefix: 'j' })), {
          'content-type': 'application/json',
        })
      ).status
    ).toBe(201);
    expect((await summary()).body.total_predictions).toBe(300);
  });

  it('accepts timestamps as epoch milliseconds and zone-less ISO (UTC)', async () => {
    const [a, b] = rows(2, 5, { startMs: DAY_START + 3 * HOUR, idPrefix: 't' });
    a.timestamp = DAY_START + 3 * HOUR;
    b.timestamp = '2026-02-01 03:30:00';
    const { status, body } = await predictions(toNdjson([a, b]), ndjson);
    expect(status).toBe(201);
    expect(body.last_timestamp).toBe('2026-02-01T03:30:00.000Z');
    expect((await summary()).body.total_predictions).toBe(302);
  });

  const bad = rows(50, 7, { startMs: DAY_START + 5 * HOUR, idPrefix: 'x' });
  const withRow = (index: number, change: Record<string, unknown>) =>
    bad.map((row, position) => (position === index ? { ...row, ...change } : row));
  const withoutKey = (index: number, key: string) =>
    bad.map((row, position) =>
      position === index ? Object.fromEntries(Object.entries(row).filter(([name]) => name !== key)) : row
    );

  it.each([
    ['malformed CSV', toCsv(bad).replace('\n', '\n"unterminated,'), csv, /malformed CSV/],
    ['a CSV row with too many fields', toCsv(bad) + '1,2,3,4,5,6,7,8,9,10,11,12\n', csv, /malformed CSV/],
    [
      'text in a numeric column',
      toNdjson(withRow(30, { income: 'lots' })),
      ndjson,
      /row 31, column "income": expected a number, got "lots"/,
    ],
    [
      'a boolean in a numeric column',
      toNdjson(withRow(3, { age: true })),
      ndjson,
      /row 4, column "age": expected a number, got true/,
    ],
    [
      'an object as a category',
      toNdjson(withRow(3, { region: { a: 1 } })),
      ndjson,
      /row 4, column "region": expected text/,
    ],
    [
      'a probability outside [0, 1]',
      toNdjson(withRow(9, { probability: 1.5 })),
      ndjson,
      /probability must lie in \[0, 1\]/,
    ],
    ['an unknown feature column', toNdjson(withRow(20, { salary: 1 })), ndjson, /unknown column\(s\) "salary"/],
    [
      'an unknown CSV header',
      toCsv(withRow(0, { salary: 1 }).map((row) => ({ ...row, salary: 1 }))),
      csv,
      /unknown column\(s\) "salary"/,
    ],
    [
      'a missing timestamp',
      toNdjson(withRow(40, { timestamp: null })),
      ndjson,
      /row 41, column "timestamp": a timestamp is required/,
    ],
    [
      'an absent timestamp key',
      toNdjson(withoutKey(12, 'timestamp')),
      ndjson,
      /row 13, column "timestamp": a timestamp is required/,
    ],
    [
      'a CSV without the timestamp column',
      toCsv(bad.map(({ timestamp, ...row }) => (void timestamp, row))),
      csv,
      /lacks column\(s\) "timestamp"/,
    ],
    [
      'epoch seconds',
      toNdjson(withRow(2, { timestamp: 1_767_225_600 })),
      ndjson,
      /send epoch milliseconds, not seconds/,
    ],
    [
      'an unparseable timestamp',
      toNdjson(withRow(2, { timestamp: 'last tuesday' })),
      ndjson,
      /is not an ISO 8601 time/,
    ],
    ['a missing prediction id', toNdjson(withRow(5, { prediction_id: null })), ndjson, /prediction id is required/],
    ['an over-long category', toNdjson(withRow(5, { region: 'r'.repeat(65) })), ndjson, /longer than 64 characters/],
    ['invalid JSON on a line', toNdjson(bad) + '{"income": 1,\n', ndjson, /row 51 is not valid JSON/],
    [
      'a JSON body that is not an array',
      JSON.stringify(bad[0]),
      { 'content-type': 'application/json' },
      /must be an array of row objects/,
    ],
    [
      'a truncated JSON array',
      JSON.stringify(bad).slice(0, -3),
      { 'content-type': 'application/json' },
      /not closed|not valid JSON/,
    ],
    ['too many rows', toCsv(rows(601, 8, { startMs: DAY_START + 6 * HOUR })), csv, /more than 600 rows/],
  ])('rejects %s with 400 and leaves every count as before', async (_case, body, headers, detail) => {
    const before = await snapshot();
    const response = await predictions(body, headers);
    expect(response.status).toBe(400);
    expect(response.response.headers.get('content-type')).toBe('application/problem+json');
    expect(response.body).toMatchObject({ type: 'https://driftguard.dev/problems/invalid-data', status: 400 });
    expect(response.body.detail).toMatch(detail);
    expect(await snapshot()).toBe(before);
  });

  it('rejects an oversized body with 413, whether declared or streamed, and stores nothing', async () => {
    const before = await snapshot();
    const big = toNdjson(rows(590, 9, { startMs: DAY_START + 7 * HOUR }));
    expect(big.length).toBeGreaterThan(100_000);
    const declared = await predictions(big, ndjson);
    expect(declared.status).toBe(413);
    const encoder = new TextEncoder();
    const streamed = await fetch(`${t.server.url}/api/v1/models/${MODEL_ID}/predictions`, {
      method: 'POST',
      headers: { ...ndjson, authorization: `Bearer ${TOKENS.ingest}` },
      body: new ReadableStream({
        start(controller) {
          for (let offset = 0; offset < big.length; offset += 10_000)
            controller.enqueue(encoder.encode(big.slice(offset, offset + 10_000)));
          controller.close();
        },
      }),
      duplex: 'half',
    } as RequestInit);
    expect(streamed.status).toBe(413);
    expect(((await streamed.json()) as { detail: string }).detail).toMatch(/exceeds the limit of 100000 bytes/);
    expect(await snapshot()).toBe(before);
  });

  it('rejects an unsupported media type with 415', async () => {
    const { status, body } = await predictions('a\tb', { 'content-type': 'text/tab-separated-values' });
    expect(status).toBe(415);
    expect(body.detail).toMatch(/text\/csv/);
  });

  it('makes a retried batch with the same Idempotency-Key a no-op', async () => {
    const batch = toNdjson(rows(40, 10, { startMs: DAY_START + 8 * HOUR, idPrefix: 'i' }));
    const first = await predictions(batch, { ...ndjson, 'idempotency-key': 'batch-0042' });
    expect(first.status).toBe(201);
    const after = await snapshot();
    const retry = await predictions(batch, { ...ndjson, 'idempotency-key': 'batch-0042' });
    expect(retry.status).toBe(200);
    expect(retry.response.headers.get('idempotent-replayed')).toBe('true');
    expect(retry.body).toEqual(first.body);
    expect(await snapshot()).toBe(after);
    const other = await predictions(toNdjson(rows(3, 11, { startMs: DAY_START + 8 * HOUR })), {
      ...ndjson,
      'idempotency-key': 'batch-0042',
    });
    expect(other.status).toBe(422);
    expect(await snapshot()).toBe(after);
  });

  it('runs concurrent retries of one key once', async () => {
    const batch = toNdjson(rows(30, 12, { startMs: DAY_START + 9 * HOUR, idPrefix: 'k' }));
    const before = (await summary()).body.total_predictions;
    const results = await Promise.all(
      [1, 2, 3].map(() => predictions(batch, { ...ndjson, 'idempotency-key': 'concurrent-1' }))
    );
    expect(results.map((result) => result.status).sort()).toEqual([200, 200, 201]);
    expect((await summary()).body.total_predictions).toBe(before + 30);
  });

  it('stores labels that arrive later, joined by prediction id; the latest label wins', async () => {
    const labels = toCsv([
      { prediction_id: 'c1', label: 1 },
      { prediction_id: 'c2', label: 0 },
      { prediction_id: 'c1', label: 0 },
      { prediction_id: 'not-yet-predicted', label: 1 },
    ]);
    const response = await t.json(`/api/v1/models/${MODEL_ID}/labels`, {
      method: 'POST',
      body: labels,
      headers: { ...csv, 'idempotency-key': 'labels-1' },
      token: TOKENS.ingest,
    });
    expect(response.status).toBe(201);
    expect(response.body).toMatchObject({ rows: 4, matched_predictions: 2 });
    const missing = await t.json(`/api/v1/models/${MODEL_ID}/labels`, {
      method: 'POST',
      body: toNdjson([{ prediction_id: 'c3', label: null }]),
      headers: ndjson,
      token: TOKENS.ingest,
    });
    expect(missing.status).toBe(400);
    expect(missing.body.detail).toMatch(/a label is required/);
    await t.server.close();
    const instance = await DuckDBInstance.create(t.dbPath);
    const connection = await instance.connect();
    const stored = (
      await connection.runAndReadAll('SELECT prediction_id, label FROM labels ORDER BY prediction_id')
    ).getRows();
    expect(stored).toEqual([
      ['c1', '0'],
      ['c2', '0'],
      ['not-yet-predicted', '1'],
    ]);
    const tables = (
      await connection.runAndReadAll("SELECT count(*) FROM duckdb_tables() WHERE table_name = 'models'")
    ).getRows();
    expect(tables).toEqual([[1n]]);
    connection.closeSync();
    instance.closeSync();
  });
});

describe('hostile identifiers', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer();
  });
  afterAll(() => t.stop());

  it('refuses a hostile model id with 400 and keeps the models table', async () => {
    const { status, body } = await t.json('/api/v1/models', {
      method: 'POST',
      body: JSON.stringify(modelBody(HOSTILE)),
      headers: { 'content-type': 'application/json' },
    });
    expect(status).toBe(400);
    expect(body.detail).toMatch(/id: model ids match/);
    const path = await t.json(`/api/v1/models/${encodeURIComponent(HOSTILE)}`);
    expect(path.status).toBe(400);
    expect((await t.json('/api/v1/models')).body).toEqual({ models: [] });
  });

  it('reads a feature named __proto__ from CSV and JSON like any other', async () => {
    const model = { id: 'proto', features: [{ name: '__proto__', kind: 'numeric' }] };
    expect(
      (
        await t.json('/api/v1/models', {
          method: 'POST',
          body: JSON.stringify(model),
          headers: { 'content-type': 'application/json' },
        })
      ).status
    ).toBe(201);
    const values = Array.from({ length: 100 }, (_, index) => index);
    const csvBody = `__proto__\n${values.join('\n')}\n`;
    expect(
      (await t.json('/api/v1/models/proto/references', { method: 'POST', body: csvBody, headers: csv })).status
    ).toBe(201);
    const production = values
      .map((value, index) => `{"prediction_id": "p${index}", "timestamp": ${DAY_START}, "__proto__": ${value + 50}}`)
      .join('\n');
    expect(
      (
        await t.json('/api/v1/models/proto/predictions', {
          method: 'POST',
          body: production,
          headers: { 'content-type': 'application/x-ndjson' },
        })
      ).status
    ).toBe(201);
    const { body } = await t.json(`/api/v1/models/proto/features/__proto__?from=${DAY_START}&to=${DAY_START + HOUR}`);
    expect(body.stats.reference).toMatchObject({ count: 100, missing: 0, min: 0, max: 99 });
    expect(body.stats.production).toMatchObject({ count: 100, missing: 0, min: 50, max: 149 });
  });

  it('stores and queries a feature, a category and ids that look like SQL', async () => {
    const model = {
      ...modelBody('hostile'),
      columns: { prediction_id: `id'); DELETE FROM labels; --`, timestamp: 'ts"--' },
    };
    expect(
      (
        await t.json('/api/v1/models', {
          method: 'POST',
          body: JSON.stringify(model),
          headers: { 'content-type': 'application/json' },
        })
      ).status
    ).toBe(201);
    const reference = rows(200, 1).map((row) => ({ ...row, region: HOSTILE }));
    expect(
      (await t.json('/api/v1/models/hostile/references', { method: 'POST', body: toCsv(reference), headers: csv }))
        .status
    ).toBe(201);
    const production = rows(100, 2, { startMs: DAY_START }).map(({ prediction_id, timestamp, ...row }) => ({
      ...row,
      region: `'; DROP TABLE agg_numeric; --`,
      [`id'); DELETE FROM labels; --`]: prediction_id,
      'ts"--': timestamp,
    }));
    expect(
      (await t.json('/api/v1/models/hostile/predictions', { method: 'POST', body: toCsv(production), headers: csv }))
        .status
    ).toBe(201);
    const { body } = await t.json(
      `/api/v1/models/hostile/features/region?from=${DAY_START}&to=${DAY_START + 2 * HOUR}`
    );
    expect(body.drift.bins.map((bin: { label: string }) => bin.label)).toEqual([
      `'; DROP TABLE agg_numeric; --`,
      HOSTILE,
    ]);
    expect(body.drift.severity).toBe('critical');
  });
});
