import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { extname } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Command, Option } from 'commander';
import { CliError } from './errors';
import { CliIo } from './io';

const KINDS = { predictions: 'predictions', labels: 'labels', reference: 'references' } as const;
type Kind = keyof typeof KINDS;

const MEDIA_TYPE_OF_FORMAT = {
  csv: 'text/csv',
  ndjson: 'application/x-ndjson',
  json: 'application/json',
  parquet: 'application/vnd.apache.parquet',
} as const;
type Format = keyof typeof MEDIA_TYPE_OF_FORMAT;

const FORMAT_OF_EXTENSION: Record<string, Format> = {
  '.csv': 'csv',
  '.ndjson': 'ndjson',
  '.jsonl': 'ndjson',
  '.json': 'json',
  '.parquet': 'parquet',
};

interface IngestFlags {
  model: string;
  kind: Kind;
  format?: Format;
  server: string;
  token?: string;
  idempotencyKey?: string;
}

function formatOf(file: string, flags: IngestFlags): Format {
  const format = flags.format ?? FORMAT_OF_EXTENSION[extname(file).toLowerCase()];
  if (!format) throw new CliError(`cannot tell the format of ${file} from its extension; pass --format ${Object.keys(MEDIA_TYPE_OF_FORMAT).join('|')}`);
  return format;
}

async function fileSize(file: string): Promise<number> {
  const info = await stat(file).catch(() => undefined);
  if (!info?.isFile()) throw new CliError(`cannot read ${file}: no such file`);
  return info.size;
}

/** Content-derived, so re-running the same file after a lost response is a no-op on the server. */
async function contentKey(file: string): Promise<string> {
  const hash = createHash('sha256');
  await pipeline(createReadStream(file), hash);
  return `sha256-${hash.digest('hex')}`;
}

async function problemText(response: Response): Promise<string> {
  const text = await response.text();
  try {
    const problem = JSON.parse(text) as { title?: string; detail?: string };
    return [problem.title, problem.detail].filter(Boolean).join(': ') || text;
  } catch {
    return text || response.statusText;
  }
}

/** `drift-server ingest`: streams a file to a running drift-server, which holds the database. */
export function ingestCommand(io: CliIo, env: NodeJS.ProcessEnv = process.env): Command {
  return new Command('ingest')
    .description('Upload a prediction batch, labels or a new reference version from a file to a running drift-server')
    .argument('<file>', 'CSV, NDJSON (.ndjson/.jsonl), JSON array or Parquet file')
    .requiredOption('--model <id>', 'model id')
    .addOption(new Option('--kind <kind>', 'what the file holds').choices(Object.keys(KINDS)).default('predictions'))
    .addOption(new Option('--format <format>', 'file format (default: from the extension)').choices(Object.keys(MEDIA_TYPE_OF_FORMAT)))
    .option('--server <url>', 'drift-server base URL (env DRIFTGUARD_URL)', env.DRIFTGUARD_URL ?? 'http://localhost:8080')
    .option('--token <token>', 'bearer token with scope ingest (env DRIFTGUARD_TOKEN)', env.DRIFTGUARD_TOKEN)
    .option('--idempotency-key <key>', 'batch key for predictions and labels (default: sha256 of the file, so a re-run is a no-op)')
    .action(async (file: string, flags: IngestFlags) => {
      if (!flags.token) throw new CliError('no token: pass --token or set DRIFTGUARD_TOKEN (a token with scope ingest)');
      const format = formatOf(file, flags);
      const size = await fileSize(file);
      const headers: Record<string, string> = {
        authorization: `Bearer ${flags.token}`,
        'content-type': MEDIA_TYPE_OF_FORMAT[format],
        'content-length': String(size),
      };
      if (flags.kind !== 'reference') headers['idempotency-key'] = flags.idempotencyKey ?? (await contentKey(file));
      const url = `${flags.server.replace(/\/+$/, '')}/api/v1/models/${encodeURIComponent(flags.model)}/${KINDS[flags.kind]}`;
      let response: Response;
      try {
        response = await fetch(url, {
          method: 'POST',
          headers,
          body: Readable.toWeb(createReadStream(file)) as ReadableStream<Uint8Array>,
          duplex: 'half',
        } as RequestInit);
      } catch (error) {
        throw new CliError(`cannot reach drift-server at ${flags.server}: ${(error as Error).cause ?? (error as Error).message}`, 1);
      }
      if (!response.ok) throw new CliError(`${flags.kind} upload refused (HTTP ${response.status}) — ${await problemText(response)}`, 1);
      const replayed = response.headers.get('idempotent-replayed') === 'true';
      if (replayed) io.err('already ingested earlier with the same idempotency key; nothing was written\n');
      io.out(`${JSON.stringify(await response.json(), null, 2)}\n`);
    });
}
