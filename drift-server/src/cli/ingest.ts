import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { extname } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Command, Option } from 'commander';
import { count } from '../number-format';
import { CliError } from './errors';
import { CliIo } from './io';
import { wholeNumber } from './options';
import { callServer, ServerCall, ServerFlags, withServerOptions } from './server-client';

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

interface IngestFlags extends ServerFlags {
  model: string;
  kind: Kind;
  format?: Format;
  idempotencyKey?: string;
  json?: boolean;
  retries: number;
}

function formatOf(file: string, flags: IngestFlags): Format {
  const format = flags.format ?? FORMAT_OF_EXTENSION[extname(file).toLowerCase()];
  if (!format)
    throw new CliError(
      `cannot tell the format of ${file} from its extension; pass --format ${Object.keys(MEDIA_TYPE_OF_FORMAT).join('|')}`
    );
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

interface ReferenceAnswer {
  version: number;
  row_count: number;
  features: Record<string, unknown>;
  calibration: { status: string; reason: string | null };
}
interface PredictionAnswer {
  batch_id: string;
  rows: number;
  reference_version: number;
  hours: number;
  first_timestamp: string | null;
  last_timestamp: string | null;
}
interface LabelAnswer {
  batch_id: string;
  rows: number;
  matched_predictions: number;
}

/** One line about what the server stored; --json prints its whole answer instead. */
function storedText(kind: Kind, model: string, answer: unknown): string {
  if (kind === 'reference') {
    const { version, row_count, features, calibration } = answer as ReferenceAnswer;
    const accuracy =
      calibration.status === 'fitted'
        ? 'calibration fitted for the label-free accuracy estimate'
        : `no calibration: ${calibration.reason}`;
    return `Stored reference version ${version} of ${model}: ${count(row_count)} rows, bins frozen for ${Object.keys(features).length} features, ${accuracy}`;
  }
  if (kind === 'predictions') {
    const batch = answer as PredictionAnswer;
    const span =
      batch.first_timestamp === null
        ? ''
        : ` from ${batch.first_timestamp} to ${batch.last_timestamp} (${batch.hours} hours)`;
    return `Stored ${count(batch.rows)} predictions of ${model}${span}, counted on reference version ${batch.reference_version}; batch ${batch.batch_id}`;
  }
  const labels = answer as LabelAnswer;
  return `Stored ${count(labels.rows)} labels of ${model}: ${count(labels.matched_predictions)} matched stored predictions, the others wait for theirs; batch ${labels.batch_id}`;
}

/** `drift-server ingest`: streams a file to a running drift-server, which holds the database. */
export function ingestCommand(io: CliIo, env: NodeJS.ProcessEnv = process.env): Command {
  const command = new Command('ingest')
    .description('Upload a prediction batch, labels or a new reference version from a file to a running drift-server')
    .argument('<file>', 'CSV, NDJSON (.ndjson/.jsonl), JSON array or Parquet file')
    .requiredOption('--model <id>', 'model id')
    .addOption(new Option('--kind <kind>', 'what the file holds').choices(Object.keys(KINDS)).default('predictions'))
    .addOption(
      new Option('--format <format>', 'file format (default: from the extension)').choices(
        Object.keys(MEDIA_TYPE_OF_FORMAT)
      )
    )
    .option(
      '--idempotency-key <key>',
      'batch key for predictions and labels (default: sha256 of the file, so a re-run is a no-op)'
    )
    .option(
      '--retries <n>',
      'resends of a prediction or label batch after a dropped connection or a 5xx answer, with the same Idempotency-Key',
      wholeNumber(0, 10),
      2
    )
    .option('--json', "print the server's whole answer as JSON (for a reference: every feature's frozen bins)");
  return withServerOptions(command, env, 'ingest').action(async (file: string, flags: IngestFlags) => {
    const format = formatOf(file, flags);
    const size = await fileSize(file);
    const headers: Record<string, string> = {
      'content-type': MEDIA_TYPE_OF_FORMAT[format],
      'content-length': String(size),
    };
    if (flags.kind !== 'reference') headers['idempotency-key'] = flags.idempotencyKey ?? (await contentKey(file));
    const isReference = flags.kind === 'reference';
    const response = await callServer(flags, `/models/${encodeURIComponent(flags.model)}/${KINDS[flags.kind]}`, {
      method: 'POST',
      headers,
      body: () => Readable.toWeb(createReadStream(file)) as ReadableStream<Uint8Array>,
      duplex: 'half',
      refused: `${flags.kind} upload refused`,
      scope: 'ingest',
      // A batch is stored only from a whole body, and its key makes a resend a no-op once stored; a reference has no key, so it is never resent.
      resends: isReference ? 0 : flags.retries,
      onResend: ({ why, delayMs, resend, resends }) =>
        io.err(
          `${flags.kind} upload failed (${why}); sending it again in ${delayMs} ms with the same Idempotency-Key (${resend} of ${resends})\n`
        ),
      unreachableAdvice: isReference
        ? '; a reference is stored only when its whole body arrived: check GET /api/v1/models/{id}/references before sending it again'
        : '',
    } as ServerCall);
    if (response.headers.get('idempotent-replayed') === 'true')
      io.err('already ingested earlier with the same idempotency key; nothing was written\n');
    const answer: unknown = await response.json();
    io.out(flags.json ? `${JSON.stringify(answer, null, 2)}\n` : `${storedText(flags.kind, flags.model, answer)}\n`);
  });
}
