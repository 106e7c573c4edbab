import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { DEFAULT_LIMITS } from '../../src/config';
import { Model, Store } from '../../src/store';
import { Connection, Database } from '../../src/store/database';
import { openMigrated } from '../../src/store/migrations';
import { readRecords } from '../../src/store/ingest/parse/records';
import { readStaged, RowLoader } from '../../src/store/ingest/staging-table';
import { RowReader, TypedRow } from '../../src/store/ingest/validate';
import { stageUpload } from '../../src/store/ingest/stage';
import { storeDefinition } from '../api/data';

const MAX_TEXT = 16;
const HEADER = 'prediction_id,timestamp,income,region,score,prediction,probability,label';

/** A CSV document of the test model with one row per entry (each entry is the row's fields after the id). */
function csvOf(rows: string[], options: { header?: string; newline?: string } = {}): string {
  const newline = options.newline ?? '\n';
  return [options.header ?? HEADER, ...rows.map((fields, index) => `p${index},${fields}`)].join(newline) + newline;
}

const row = (
  fields: Partial<Record<'timestamp' | 'income' | 'region' | 'score' | 'prediction' | 'probability' | 'label', string>>
) =>
  [
    fields.timestamp ?? '2026-02-01T10:00:00Z',
    fields.income ?? '100',
    fields.region ?? 'north',
    fields.score ?? '0.5',
    fields.prediction ?? '1',
    fields.probability ?? '0.75',
    fields.label ?? '0',
  ].join(',');

describe('CSV uploads staged by DuckDB', () => {
  const directory = mkdtempSync(join(tmpdir(), 'driftguard-csv-'));
  const dbPath = join(directory, 'csv.duckdb');
  let database: Database;
  let model: Model;

  beforeAll(async () => {
    const store = await Store.open({
      dbPath,
      connectionPoolSize: 1,
      duckdbMemoryLimit: '256MB',
      limits: DEFAULT_LIMITS,
      demoTokens: [],
    });
    await store.models.create(
      'csv',
      storeDefinition('csv', [
        { name: 'income', kind: 'numeric', importance: 1 },
        { name: 'region', kind: 'categorical', importance: 1 },
        { name: 'score', kind: 'numeric', importance: 1 },
      ])
    );
    model = await store.models.get('csv');
    await store.close();
    database = await openMigrated(dbPath, { poolSize: 1, memoryLimit: '256MB' });
  });
  afterAll(async () => {
    await database.close();
    rmSync(directory, { recursive: true, force: true });
  });

  /** What the row reader alone makes of the document: its typed rows, or its error message. */
  async function rowReaderResult(csv: string): Promise<TypedRow[] | string> {
    const reader = new RowReader(model, 'production', MAX_TEXT);
    const rows: TypedRow[] = [];
    try {
      for await (const records of readRecords('csv', Readable.from([csv]), {
        onColumns: (columns) => reader.checkColumns(columns),
        maxRowBytes: DEFAULT_LIMITS.maxRowBytes,
      })) {
        rows.push(...records.map((record) => reader.read(record)));
      }
      return rows;
    } catch (error) {
      return (error as Error).message;
    }
  }

  /**
   * Runs `work` with a fresh loader in a transaction that is always rolled back; resolves to what
   * `work` returned and the rows it read back from the staging table before they moved (what counting sees).
   */
  async function withLoader<T>(
    work: (
      loader: RowLoader,
      reader: RowReader,
      connection: Connection,
      readBack: (staging: string) => Promise<void>
    ) => Promise<T>
  ): Promise<{ result: T; staged: TypedRow[] }> {
    let result: T | undefined;
    const staged: TypedRow[] = [];
    const readBack = (connection: Connection) => async (staging: string) => {
      const select = `prediction_id, ts_ms::DOUBLE AS ts_ms, prediction, probability, label, ${model.features.map((_, index) => `f${index}`).join(', ')}`;
      for await (const page of readStaged<Record<string, (string | number | null)[]>>(connection, staging, select)) {
        page.prediction_id.forEach((predictionId, row) =>
          staged.push({
            predictionId: predictionId as string | null,
            timestampMs: page.ts_ms[row] as number | null,
            prediction: page.prediction[row] as string | null,
            probability: page.probability[row] as number | null,
            label: page.label[row] as string | null,
            num: model.features.map((feature, index) =>
              feature.kind === 'numeric' ? (page[`f${index}`][row] as number | null) : null
            ),
            cat: model.features.map((feature, index) =>
              feature.kind === 'categorical' ? (page[`f${index}`][row] as string | null) : null
            ),
          })
        );
      }
    };
    await database
      .transaction(async (connection) => {
        const loader = await RowLoader.open(
          connection,
          { kind: 'production', modelId: 'csv', batchId: 'b' },
          model.features
        );
        try {
          result = await work(loader, new RowReader(model, 'production', MAX_TEXT), connection, readBack(connection));
        } finally {
          loader.abandon();
        }
        throw new Error('rollback');
      })
      .catch((error: Error) => {
        if (error.message !== 'rollback') throw error;
      });
    return { result: result as T, staged };
  }

  /** What an upload through the staging path stages: typed rows, or the error message. */
  async function stagedResult(csv: string): Promise<TypedRow[] | string> {
    const { result, staged } = await withLoader(async (loader, reader, connection, readBack) => {
      try {
        let count = 0;
        for await (const { staging, rowsSoFar } of stageUpload(
          connection,
          'csv',
          Readable.from([csv]),
          reader,
          loader,
          DEFAULT_LIMITS
        )) {
          await readBack(staging);
          await loader.moveStaged();
          count = rowsSoFar;
        }
        await loader.finish();
        return count;
      } catch (error) {
        return (error as Error).message;
      }
    });
    if (typeof result === 'string') return result;
    expect(staged).toHaveLength(result);
    return staged;
  }

  /** Whether DuckDB's CSV reader takes the document itself (instead of handing it to the row reader). */
  async function fastPathTakes(csv: string): Promise<boolean> {
    const file = join(directory, 'upload.csv');
    writeFileSync(file, csv);
    const header = csv
      .replace(/^\uFEFF/, '')
      .split(/\r?\n/)[0]
      .split(',');
    const { result } = await withLoader((loader, reader) =>
      loader.stageCsv({
        file,
        header,
        reader,
        maxRows: DEFAULT_LIMITS.maxRowsPerBatch,
        maxRowBytes: DEFAULT_LIMITS.maxRowBytes,
      })
    );
    return result !== null;
  }

  const fast: [string, string][] = [
    ['plain values', csvOf([row({}), row({ income: '-12.5', score: '1e3' })])],
    [
      'numbers the row reader trims and signs',
      csvOf([
        row({ income: ' 2.5 ', score: '+.5' }),
        row({ income: '1.', score: '-0' }),
        row({ income: '1E-2', score: '007' }),
      ]),
    ],
    [
      'every missing-number spelling',
      csvOf(
        ['', 'NA', 'NaN', 'nan', 'null', 'NULL'].map((missing) =>
          row({ income: missing, score: missing, probability: missing })
        )
      ),
    ],
    ['missing text and labels', csvOf([row({ region: '', prediction: '', label: '' })])],
    [
      'timestamp forms',
      csvOf([
        row({ timestamp: '2026-02-01T10:00:00.123Z' }),
        row({ timestamp: '2026-02-01T10:00:00' }),
        row({ timestamp: '2026-02-01 10:00:00.5' }),
        row({ timestamp: '1769940000000' }),
        row({ timestamp: '2024-02-29T23:59:59Z' }),
      ]),
    ],
    [
      'quoted fields with commas, quotes and line breaks',
      csvOf([row({ region: '"a,b"' }), row({ region: '"say ""hi"""' }), row({ region: '"two\nlines"' })]),
    ],
    ['CRLF line endings', csvOf([row({}), row({ income: '3' })], { newline: '\r\n' })],
    ['a byte-order mark', `\uFEFF${csvOf([row({})])}`],
    ['a blank line between rows, skipped like the row reader skips it', `${HEADER}\np0,${row({})}\n\np1,${row({})}\n`],
    [
      'a header in another column order',
      'label,probability,prediction,score,region,income,timestamp,prediction_id\n1,0.25,0,7,south,9,2026-02-01T11:00:00Z,q1\n',
    ],
  ];

  it.each(fast)('stages %s itself, with exactly the row reader’s values', async (_, csv) => {
    expect(await fastPathTakes(csv)).toBe(true);
    const expected = await rowReaderResult(csv);
    expect(Array.isArray(expected)).toBe(true);
    expect(await stagedResult(csv)).toEqual(expected);
  });

  const handedOver: [string, string][] = [
    ['a tab the row reader trims', csvOf([row({ income: '\t4' })])],
    ['an underscore DuckDB would read as a digit separator', csvOf([row({ income: '1_000' })])],
    ['infinity', csvOf([row({ income: 'inf' })])],
    ['an overflowing exponent', csvOf([row({ score: '1e400' })])],
    ['text in a numeric column', csvOf([row({}), row({ income: 'lots' })])],
    ['a probability outside [0, 1]', csvOf([row({ probability: '1.5' })])],
    ['an impossible date', csvOf([row({ timestamp: '2026-02-30T00:00:00Z' })])],
    ['a time without seconds', csvOf([row({ timestamp: '2026-02-01T10:00' })])],
    ['a zone offset', csvOf([row({ timestamp: '2026-02-01T10:00:00+02:00' })])],
    ['12-digit epoch milliseconds', csvOf([row({ timestamp: '999999999999' })])],
    ['a time before 2000', csvOf([row({ timestamp: '1999-12-31T23:59:59Z' })])],
    ['a missing timestamp', csvOf([row({ timestamp: '' })])],
    ['text longer in bytes than the limit but not in characters', csvOf([row({ region: 'é'.repeat(MAX_TEXT) })])],
    ['text over the limit', csvOf([row({ region: 'r'.repeat(MAX_TEXT + 1) })])],
    ['a row with too many fields', `${csvOf([row({})])}p9,${row({})},extra\n`],
    ['an unterminated quote', `${HEADER}\np0,${row({ region: '"open' })}\n`],
  ];

  it.each(handedOver)('hands %s to the row reader, which decides', async (_, csv) => {
    expect(await fastPathTakes(csv)).toBe(false);
    expect(await stagedResult(csv)).toEqual(await rowReaderResult(csv));
  });

  // DuckDB's CSV reader fails the whole read, and with it the batch's transaction, on these.
  const lineEndings: [string, string, RegExp | null][] = [
    ['LF and CRLF line endings mixed', `${HEADER}\np0,${row({})}\r\np1,${row({ income: '3' })}\n`, null],
    ['CRLF line endings but a last LF', `${HEADER}\r\np0,${row({})}\r\np1,${row({})}\n`, null],
    ['a lone carriage return between rows', `${HEADER}\np0,${row({})}\rp1,${row({})}\n`, /malformed CSV/],
  ];

  it.each(lineEndings)('leaves %s to the row reader, whose result the upload gets', async (_, csv, error) => {
    const expected = await rowReaderResult(csv);
    if (error) expect(expected).toMatch(error);
    else expect(Array.isArray(expected) && expected.length).toBe(2);
    expect(await stagedResult(csv)).toEqual(expected);
  });
});
