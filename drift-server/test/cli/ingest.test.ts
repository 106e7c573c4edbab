import { main } from '../../src/cli/main';
import { MODEL_ID, modelBody, rows, toCsv, toNdjson } from '../api/data';
import { startTestServer, TestServer, TOKENS } from '../api/harness';
import { tempDir, writeFile } from '../support/cli';

async function ingest(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(['node', 'drift-server', 'ingest', ...args], {
    out: (text) => void (out += text),
    err: (text) => void (err += text),
  });
  return { code, out, err };
}

describe('drift-server ingest', () => {
  let server: TestServer;
  const files = tempDir('driftguard-ingest-');

  const storedPredictions = async () =>
    (await server.json(`/api/v1/models/${MODEL_ID}/summary?from=${Date.UTC(2026, 9, 1)}&to=${Date.UTC(2026, 11, 1)}`))
      .body.total_predictions as number;

  beforeAll(async () => {
    server = await startTestServer();
    expect(
      (
        await server.json('/api/v1/models', {
          method: 'POST',
          body: JSON.stringify(modelBody()),
          headers: { 'content-type': 'application/json' },
        })
      ).status
    ).toBe(201);
  });
  afterAll(async () => {
    await server.stop();
    files.cleanup();
  });

  const target = () => ['--model', MODEL_ID, '--server', server.server.url, '--token', TOKENS.ingest];

  it('uploads a reference, then a prediction batch; running the same file again writes nothing', async () => {
    const reference = writeFile(files.dir, 'reference.csv', toCsv(rows(400, 1)));
    const uploaded = await ingest([reference, '--kind', 'reference', ...target()]);
    // One line, not every feature's bins.
    expect(uploaded).toEqual({
      code: 0,
      err: '',
      out: `Stored reference version 1 of ${MODEL_ID}: 400 rows, bins frozen for 4 features, calibration fitted for the label-free accuracy estimate\n`,
    });

    const batch = writeFile(
      files.dir,
      'batch.ndjson',
      toNdjson(rows(250, 2, { idPrefix: 'p', startMs: Date.UTC(2026, 10, 1) }))
    );
    const first = await ingest([batch, ...target()]);
    expect(first.code).toBe(0);
    expect(first.out).toMatch(
      new RegExp(
        `^Stored 250 predictions of ${MODEL_ID} from 2026-11-01T00:00:00.000Z to 2026-11-01T04:09:00.000Z \\(5 hours\\), counted on reference version 1; batch \\S+\n$`
      )
    );
    expect(await storedPredictions()).toBe(250);

    const again = await ingest([batch, '--json', ...target()]);
    expect(again.code).toBe(0);
    expect(again.err).toMatch(/already ingested earlier/);
    expect(JSON.parse(again.out)).toMatchObject({ rows: 250, reference_version: 1, hours: 5 });
    expect(await storedPredictions()).toBe(250);

    const labels = writeFile(files.dir, 'labels.csv', `prediction_id,label\np0,1\np1,0\nnot-yet,1\n`);
    expect((await ingest([labels, '--kind', 'labels', ...target()])).out).toMatch(
      new RegExp(
        `^Stored 3 labels of ${MODEL_ID}: 2 matched stored predictions, the others wait for theirs; batch \\S+\n$`
      )
    );
  });

  it('reports the server’s problem detail and exits 1 for a bad batch, leaving stored rows as they were', async () => {
    const before = await storedPredictions();
    const broken = rows(20, 3, { idPrefix: 'bad', startMs: Date.UTC(2026, 10, 2) }).map((row, index) =>
      index === 7 ? { ...row, income: 'lots' } : row
    );
    const file = writeFile(files.dir, 'broken.csv', toCsv(broken));
    const result = await ingest([file, ...target()]);
    expect(result.code).toBe(1);
    expect(result.err).toMatch(/predictions upload refused \(HTTP 4\d\d\) — .*income/);
    expect(await storedPredictions()).toBe(before);
  });

  it('refuses a token without scope ingest with the server’s reason', async () => {
    const file = writeFile(
      files.dir,
      'more.ndjson',
      toNdjson(rows(5, 4, { idPrefix: 'r', startMs: Date.UTC(2026, 10, 3) }))
    );
    const result = await ingest([file, '--model', MODEL_ID, '--server', server.server.url, '--token', TOKENS.read]);
    expect(result.code).toBe(1);
    expect(result.err).toMatch(/HTTP 403.*scope "ingest"/);
  });

  it('explains usage mistakes before sending anything', async () => {
    const unknownFormat = writeFile(files.dir, 'rows.txt', 'a,b\n1,2\n');
    expect((await ingest([unknownFormat, ...target()])).err).toMatch(/cannot tell the format of .*rows\.txt.*--format/);
    expect((await ingest([`${files.dir}/missing.csv`, ...target()])).err).toMatch(/cannot read .*missing\.csv/);
    const noToken = await ingest([
      unknownFormat,
      '--format',
      'csv',
      '--model',
      MODEL_ID,
      '--server',
      server.server.url,
    ]);
    expect(noToken).toMatchObject({ code: 2 });
    expect(noToken.err).toMatch(/no token/);
    const unreachable = await ingest([
      unknownFormat,
      '--format',
      'csv',
      '--model',
      MODEL_ID,
      '--server',
      'http://127.0.0.1:9',
      '--token',
      TOKENS.ingest,
      '--retries',
      '0',
    ]);
    expect(unreachable.code).toBe(1);
    expect(unreachable.err).toMatch(/cannot reach drift-server at http:\/\/127\.0\.0\.1:9/);
  });
});
