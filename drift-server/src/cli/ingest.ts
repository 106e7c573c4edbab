import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { extname } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Command, Option } from 'commander';
import { CliError } from './errors';
import { CliIo } from './io';
import { wholeNumber } from './options';

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
  retries: number;
}

/** Delay before the first resend; doubled for each further one. */
const RESEND_DELAY_MS = 500;

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

/** One POST of the file; a failure to connect or a connection dropped mid-body comes back as the error. */
async function send(url: string, file: string, headers: Record<string, string>): Promise<Response | Error> {
  try {
    return await fetch(url, {
      method: 'POST',
      headers,
      body: Readable.toWeb(createReadStream(file)) as ReadableStream<Uint8Array>,
      duplex: 'half',
    } as RequestInit);
  } catch (error) {
    const cause = (error as Error & { cause?: Error }).cause;
    return new Error(String(cause?.message ?? cause ?? (error as Error).message));
  }
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
    .option('--retries <n>', 'resends of a prediction or label batch after a dropped connection or a 5xx answer, with the same Idempotency-Key', wholeNumber(0, 10), 2)
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
      // A batch is stored only from a whole body, and its key makes a resend a no-op once stored; a reference has no key, so it is never resent.
      const resends = flags.kind === 'reference' ? 0 : flags.retries;
      let answer = await send(url, file, headers);
      for (let resend = 1; resend <= resends && (answer instanceof Error || answer.status >= 500); resend += 1) {
        const delay = RESEND_DELAY_MS * 2 ** (resend - 1);
        const why = answer instanceof Error ? answer.message : `HTTP ${answer.status}`;
        io.err(`${flags.kind} upload failed (${why}); sending it again in ${delay} ms with the same Idempotency-Key (${resend} of ${resends})\n`);
        await new Promise((resolve) => setTimeout(resolve, delay));
        answer = await send(url, file, headers);
      }
      if (answer instanceof Error) {
        const advice = flags.kind === 'reference' ? '; a reference is stored only when its whole body arrived: check GET /api/v1/models/{id}/references before sending it again' : '';
        throw new CliError(`cannot reach drift-server at ${flags.server}: ${answer.message}${advice}`, 1);
      }
      const response = answer;
      if (!response.ok) throw new CliError(`${flags.kind} upload refused (HTTP ${response.status}) — ${await problemText(response)}`, 1);
      const replayed = response.headers.get('idempotent-replayed') === 'true';
      if (replayed) io.err('already ingested earlier with the same idempotency key; nothing was written\n');
      io.out(`${JSON.stringify(await response.json(), null, 2)}\n`);
    });
}
