import { gzipSync } from 'node:zlib';
import { DuckDBInstance } from '@duckdb/node-api';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { HOSTILE, MODEL_ID, modelBody, rows, toCsv, toNdjson } from './data';
import { startTestServer, TestServer } from './harness';

const APRIL = Date.UTC(2026, 3, 1);
const WINDOW = `from=${Date.UTC(2026, 2, 1)}&to=${Date.UTC(2026, 5, 1)}`;
const ROW_LIMIT = 64 * 1024;
const QUOTED_HOSTILE = `"${HOSTILE.replaceAll('"', '""')}"`;

/** Rules every upload format shares: row length, nesting, UTF-8, text, timestamps, encodings. Each refusal is a 400 problem with a detail and stores nothing. */
describe('upload rules', () => {
  let t: TestServer;
  const post = (
    body: string | Buffer,
    contentType: string,
    headers: Record<string, string> = {},
    kind = 'predictions'
  ) =>
    t.json(`/api/v1/models/${MODEL_ID}/${kind}`, {
      method: 'POST',
      body,
      headers: { 'content-type': contentType, ...headers },
    });
  const stored = async () => ({
    predictions: (await t.json(`/api/v1/models/${MODEL_ID}/summary?${WINDOW}`)).body.total_predictions as number,
    references: (await t.json(`/api/v1/models/${MODEL_ID}/references`)).body.versions.length as number,
  });
  const refused = async (
    answer: Promise<{ status: number; body: any; response: Response }>,
    status: number,
    detail: RegExp
  ) => {
    const before = await stored();
    const { status: got, body, response } = await answer;
    expect([got, body?.detail]).toEqual([status, expect.stringMatching(detail)]);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    expect(await stored()).toEqual(before);
  };
  const production = (count: number, seed: number, prefix: string) =>
    rows(count, seed, { startMs: APRIL, idPrefix: prefix });

  beforeAll(async () => {
    t = await startTestServer({
      DRIFTGUARD_MAX_ROW_BYTES: String(ROW_LIMIT),
      DRIFTGUARD_AUTH_FAILURES_PER_MINUTE: '0',
    });
    await t.json('/api/v1/models', {
      method: 'POST',
      body: JSON.stringify(modelBody()),
      headers: { 'content-type': 'application/json' },
    });
    expect((await post(toCsv(rows(300, 1)), 'text/csv', {}, 'references')).status).toBe(201);
  });
  afterAll(() => t.stop());

  describe('a batch without a row is refused, not stored as an empty batch (#2)', () => {
    it.each([
      ['an empty CSV body', '', '', 'text/csv'],
      ['a CSV header alone', `${toCsv(production(1, 2, 'h')).split('\n')[0]}\n`, 'prediction_id,label\n', 'text/csv'],
      ['an empty NDJSON body', '', '', 'application/x-ndjson'],
      ['NDJSON of blank lines', '\n\n  \n', '\n\n  \n', 'application/x-ndjson'],
      ['an empty JSON array', '[]', '[]', 'application/json'],
    ])('%s', async (_case, predictions, labels, type) => {
      await refused(post(predictions, type), 400, /the upload holds no rows/);
      await refused(post(labels, type, {}, 'labels'), 400, /the upload holds no rows/);
    });
  });

  describe('one row-length limit for every format (#3, #4)', () => {
    const long = 'x'.repeat(ROW_LIMIT + 10);
    it('refuses a CSV record longer than the limit, quoted line breaks included, instead of dropping it', async () => {
      const batch = production(50, 3, 'csv-long');
      batch[20] = { ...batch[20], region: long };
      await refused(
        post(toCsv(batch), 'text/csv'),
        400,
        new RegExp(`CSV record 22 \\(the header is record 1\\) is longer than ${ROW_LIMIT} bytes`)
      );
      batch[20] = { ...batch[20], region: `a\n${long.slice(0, ROW_LIMIT / 2)}\n${long.slice(0, ROW_LIMIT / 2)}` };
      await refused(post(toCsv(batch), 'text/csv'), 400, /CSV record 22 .* is longer than/);
    });

    it('refuses a 32 MB CSV line under the default limit; before, DuckDB dropped it and 999 of 1 000 rows were stored', async () => {
      const server = await startTestServer();
      try {
        await server.json('/api/v1/models', {
          method: 'POST',
          body: JSON.stringify(modelBody()),
          headers: { 'content-type': 'application/json' },
        });
        await server.call(`/api/v1/models/${MODEL_ID}/references`, {
          method: 'POST',
          body: toCsv(rows(300, 1)),
          headers: { 'content-type': 'text/csv' },
        });
        const batch = rows(1000, 4, { startMs: APRIL });
        const csv = toCsv(batch);
        const lines = csv.split('\n');
        lines[500] = `${lines[500]}${'7'.repeat(32 * 1024 * 1024)}`;
        const { status, body } = await server.json(`/api/v1/models/${MODEL_ID}/predictions`, {
          method: 'POST',
          body: lines.join('\n'),
          headers: { 'content-type': 'text/csv' },
        });
        expect([status, body.detail]).toEqual([
          400,
          expect.stringMatching(/CSV record 501 .* is longer than 2097152 bytes/),
        ]);
        expect((await server.json(`/api/v1/models/${MODEL_ID}/summary?${WINDOW}`)).body.total_predictions).toBe(0);
      } finally {
        await server.stop();
      }
    });

    it('refuses a long NDJSON line as soon as it outgrows the limit, even a 40 MB one', async () => {
      const line = JSON.stringify({ ...production(1, 5, 'nd-long')[0], region: 'r'.repeat(40 * 1024 * 1024) });
      await refused(
        post(`${toNdjson(production(3, 6, 'nd-ok'))}${line}\n`, 'application/x-ndjson'),
        400,
        new RegExp(`line 4 is longer than ${ROW_LIMIT} bytes`)
      );
    });

    it('refuses a long JSON array element, even a 40 MB one', async () => {
      const batch = production(3, 7, 'js-long');
      const body = `[${batch.map((row) => JSON.stringify(row)).join(',')},${JSON.stringify({ ...batch[0], region: 'r'.repeat(40 * 1024 * 1024) })}]`;
      await refused(
        post(body, 'application/json'),
        400,
        new RegExp(`row 4 of the JSON array is longer than ${ROW_LIMIT} bytes`)
      );
    });

    it('refuses a Parquet row whose text is longer than the limit, and a nested Parquet column', async () => {
      const parquet = await parquetOf(
        t.directory,
        `SELECT 'p' || i AS prediction_id, TIMESTAMP '2026-04-01' + INTERVAL (i) MINUTE AS timestamp, 1.0 AS income, 40 AS age, CASE WHEN i = 7 THEN repeat('x', ${ROW_LIMIT + 1}) ELSE 'north' END AS region, 1.0 AS ${QUOTED_HOSTILE} FROM range(10) t(i)`
      );
      await refused(
        post(parquet, 'application/vnd.apache.parquet'),
        400,
        new RegExp(`row 8 of the Parquet file is longer than ${ROW_LIMIT} bytes`)
      );
      const nested = await parquetOf(
        t.directory,
        `SELECT 'p' || i AS prediction_id, TIMESTAMP '2026-04-01' AS timestamp, {'a': 1} AS income, 40 AS age, 'north' AS region, 1.0 AS ${QUOTED_HOSTILE} FROM range(3) t(i)`
      );
      await refused(
        post(nested, 'application/vnd.apache.parquet'),
        400,
        /Parquet column "income" has the nested type STRUCT/
      );
    });
  });

  it.each([
    [
      'NDJSON',
      'application/x-ndjson',
      (value: string) =>
        `${JSON.stringify({ ...production(1, 8, 'deep')[0], income: 0 }).replace('"income":0', `"income":${value}`)}\n`,
    ],
    [
      'a JSON array',
      'application/json',
      (value: string) =>
        `[${JSON.stringify({ ...production(1, 8, 'deep')[0], income: 0 }).replace('"income":0', `"income":${value}`)}]`,
    ],
  ])('refuses %s nested 10 000 deep with a 400, not a 500 (#7)', async (_format, type, body) => {
    await refused(
      post(body(`${'['.repeat(10_000)}${']'.repeat(10_000)}`), type),
      400,
      /nests objects or arrays more than 8 deep/
    );
    await refused(
      post(body('{"a":{"b":1}}'), type),
      400,
      /column "income": expected a number, got \{…\} \(an object\)/
    );
  });

  describe('one timestamp rule: [2000-01-01, 2100-01-01), real calendar dates (#7, #8)', () => {
    const withTimestamp = (timestamp: string | number) =>
      production(20, 9, `ts-${timestamp}`).map((row, index) => (index === 13 ? { ...row, timestamp } : row));
    it.each([
      [
        'epoch microseconds',
        Date.UTC(2026, 3, 1) * 1000,
        /row 14, column "timestamp": .* is not before 2100-01-01; send epoch milliseconds, not microseconds/,
      ],
      ['epoch nanoseconds', '1775001600000000000', /row 14, column "timestamp": .* is not before 2100-01-01/],
      ['a 13-digit epoch after 2100', '4200000000000', /row 14, column "timestamp": .* is not before 2100-01-01/],
      ['epoch seconds', 1775001600, /row 14, column "timestamp": .* is before 2000-01-01/],
      [
        '30 February',
        '2026-02-30T10:00:00Z',
        /row 14, column "timestamp": "2026-02-30T10:00:00Z" is not an ISO 8601 time \(a real calendar date\)/,
      ],
      ['29 February of a common year', '2026-02-29 10:00:00', /is not an ISO 8601 time/],
      ['hour 24', '2026-04-01T24:00:00Z', /is not an ISO 8601 time/],
      ['month 13', '2026-13-01T00:00:00Z', /is not an ISO 8601 time/],
      ['text that is no ISO 8601', 'April 1, 2026', /is not an ISO 8601 time/],
    ])('refuses %s in CSV, NDJSON and JSON', async (_case, timestamp, detail) => {
      const batch = withTimestamp(timestamp);
      await refused(post(toCsv(batch), 'text/csv'), 400, detail);
      await refused(post(toNdjson(batch), 'application/x-ndjson'), 400, detail);
      await refused(post(JSON.stringify(batch), 'application/json'), 400, detail);
    });

    it('accepts 29 February of a leap year, zones and the range edges', async () => {
      const batch = production(4, 10, 'ts-ok').map((row, index) => ({
        ...row,
        timestamp: [
          '2028-02-29T12:00:00Z',
          '2026-04-01T02:00:00+02:00',
          Date.UTC(2000, 0, 1),
          Date.UTC(2100, 0, 1) - 1,
        ][index],
      }));
      const { status, body } = await post(toNdjson(batch), 'application/x-ndjson');
      expect([status, body.first_timestamp, body.last_timestamp]).toEqual([
        201,
        '2000-01-01T00:00:00.000Z',
        '2099-12-31T23:59:59.999Z',
      ]);
    });
  });

  describe('text is UTF-8, without NUL or lone surrogates (#9)', () => {
    const csvWith = (id: Buffer) => {
      const csv = toCsv(production(5, 11, 'utf').map(({ prediction_id, ...rest }) => ({ prediction_id, ...rest })));
      const [header, first, ...rest] = csv.split('\n');
      return Buffer.concat([
        Buffer.from(`${header}\n`),
        id,
        Buffer.from(first.slice(first.indexOf(','))),
        Buffer.from(`\n${rest.join('\n')}`),
      ]);
    };
    it.each([
      ['Latin-1 bytes', Buffer.from('caf\xe9', 'latin1')],
      ['a truncated UTF-8 sequence', Buffer.from([0x61, 0xe2, 0x82])],
      ['an overlong encoding', Buffer.from([0xc0, 0xaf])],
      ['an encoded surrogate', Buffer.from([0xed, 0xa0, 0x80])],
    ])('refuses %s in a CSV body instead of storing U+FFFD', async (_case, id) => {
      await refused(post(csvWith(id), 'text/csv'), 400, /the body is not valid UTF-8 at byte \d+/);
    });

    it('refuses bytes that are not UTF-8 in NDJSON and JSON', async () => {
      const line = Buffer.from(JSON.stringify(production(1, 12, 'nd-utf')[0]).replace('nd-utf0', 'caf\xe9'), 'latin1');
      await refused(
        post(Buffer.concat([line, Buffer.from('\n')]), 'application/x-ndjson'),
        400,
        /row 1 is not valid UTF-8/
      );
      await refused(
        post(Buffer.concat([Buffer.from('['), line, Buffer.from(']')]), 'application/json'),
        400,
        /row 1 of the JSON array is not valid UTF-8/
      );
    });

    it.each([
      ['a NUL', 'id\\u0000x', /text holds a NUL character/],
      ['a lone high surrogate', 'id\\ud800x', /lone UTF-16 surrogate/],
      ['a lone low surrogate', 'id\\udc00', /lone UTF-16 surrogate/],
    ])('refuses an id holding %s', async (_case, id, detail) => {
      const line = JSON.stringify(production(1, 13, 'x')[0]).replace('"x0"', `"${id}"`);
      await refused(
        post(`${line}\n`, 'application/x-ndjson'),
        400,
        new RegExp(`row 1, column "prediction_id": .*${detail.source}`)
      );
      await refused(post(`[${line}]`, 'application/json'), 400, detail);
    });

    it('refuses a NUL byte in a CSV id, on the fast path as on the row reader', async () => {
      await refused(
        post(csvWith(Buffer.from('a\0b')), 'text/csv'),
        400,
        /column "prediction_id": text holds a NUL character/
      );
    });

    it('keeps distinct ids distinct: a well-formed non-ASCII id is stored as sent', async () => {
      const batch = production(2, 14, 'ok').map((row, index) => ({
        ...row,
        prediction_id: ['café', 'cafe\u0301'][index],
      }));
      expect((await post(toCsv(batch), 'text/csv')).status).toBe(201);
    });
  });

  it('reads a Parquet INT64 epoch-millisecond timestamp, as pandas writes it (#5)', async () => {
    const parquet = await parquetOf(
      t.directory,
      `SELECT 'pq' || i AS prediction_id, (${APRIL} + i * 60000)::BIGINT AS timestamp, 50000.0 + i AS income, 40::BIGINT AS age, 'north' AS region, 1.5 AS ${QUOTED_HOSTILE}, 0.3 AS probability FROM range(100) t(i)`
    );
    const { status, body } = await post(parquet, 'application/vnd.apache.parquet');
    expect([status, body.rows, body.first_timestamp]).toEqual([201, 100, new Date(APRIL).toISOString()]);
    const microseconds = await parquetOf(
      t.directory,
      `SELECT 'pq-us' || i AS prediction_id, (${APRIL} * 1000)::BIGINT AS timestamp, 1.0 AS income, 40 AS age, 'north' AS region, 1.5 AS ${QUOTED_HOSTILE} FROM range(3) t(i)`
    );
    await refused(
      post(microseconds, 'application/vnd.apache.parquet'),
      400,
      /row 1, column "timestamp": 1775001600000000 is not before 2100-01-01/
    );
  });

  describe('Content-Encoding (#13)', () => {
    it('accepts a gzip-encoded upload as its decoded rows, with the same Idempotency-Key fingerprint', async () => {
      const csv = toCsv(production(40, 15, 'gz'));
      const before = (await stored()).predictions;
      const first = await post(gzipSync(csv), 'text/csv', { 'content-encoding': 'gzip', 'idempotency-key': 'gz-1' });
      expect([first.status, first.body.rows]).toEqual([201, 40]);
      const replay = await post(csv, 'text/csv', { 'idempotency-key': 'gz-1' });
      expect([replay.status, replay.response.headers.get('idempotent-replayed')]).toEqual([200, 'true']);
      expect((await stored()).predictions).toBe(before + 40);
    });

    it('refuses a compression bomb with 413 once its decoded bytes pass the body limit', async () => {
      const server = await startTestServer({ DRIFTGUARD_MAX_BODY_BYTES: String(1024 * 1024) });
      try {
        await server.json('/api/v1/models', {
          method: 'POST',
          body: JSON.stringify(modelBody()),
          headers: { 'content-type': 'application/json' },
        });
        const bomb = gzipSync(Buffer.alloc(64 * 1024 * 1024, 0x20));
        expect(bomb.length).toBeLessThan(1024 * 1024);
        const { status, body } = await server.json(`/api/v1/models/${MODEL_ID}/references`, {
          method: 'POST',
          body: bomb,
          headers: { 'content-type': 'text/csv', 'content-encoding': 'gzip' },
        });
        expect([status, body.detail]).toEqual([413, 'request body exceeds the limit of 1048576 bytes']);
      } finally {
        await server.stop();
      }
    });

    it('refuses a body that is not the gzip it claims to be, and encodings it cannot decode', async () => {
      await refused(
        post(toCsv(production(3, 16, 'gz-bad')), 'text/csv', { 'content-encoding': 'gzip' }),
        400,
        /cannot be decoded as its Content-Encoding says/
      );
      await refused(
        post(toCsv(production(3, 16, 'br')), 'text/csv', { 'content-encoding': 'br' }),
        415,
        /Content-Encoding "br" is not supported/
      );
    });
  });
});

/** A Parquet file DuckDB writes from `select`, as its bytes. */
async function parquetOf(directory: string, select: string): Promise<Buffer> {
  const file = join(directory, `upload-${Math.random().toString(36).slice(2)}.parquet`);
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  await connection.run(`COPY (${select}) TO '${file}' (FORMAT parquet)`);
  connection.closeSync();
  instance.closeSync();
  return readFileSync(file);
}
