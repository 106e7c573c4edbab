import { Readable } from 'node:stream';
import {
  categoryList,
  countCategorical,
  countSortedNumeric,
  frozenEdgesFromSorted,
  FrozenEdges,
  NumericBinning,
  sortSample,
  StatsInputError,
} from '../stats';
import { HourlyAccuracySums } from './ingest/accuracy-sums';
import {
  fitOf,
  loadReferenceCalibration,
  readReferenceCalibration,
  ReferenceCalibration,
  saveReferenceCalibration,
} from './calibration';
import type { Connection, Database } from './database';
import { ConflictError, InvalidDataError, NotFoundError } from './errors';
import type { UploadFormat } from './ingest/parse/records';
import { HourlyCounts } from './ingest/count';
import type { ChangeCounter } from './changes';
import type { KeyedMutex } from './locks';
import { Model, requireModel } from './models';
import { MODEL_OUTPUT_KEY, ModelOutput, ModelOutputColumn, modelOutput } from './model-output';
import { RowLoader } from './ingest/staging-table';
import { featureColumn, productionRows, referenceRows } from './row-tables';
import { RowReader } from './ingest/validate';
import { isoOfMs } from './sql';
import { BatchLimits, stageUpload } from './ingest/stage';
import { UploadStream } from './ingest/parse/upload-stream';

/**
 * A feature's bins frozen with a reference version, stored as JSON. Numeric bins frozen before tail
 * and per-value bins existed have no `binning` and `range`: they are read as they were counted
 * (quantile cut points only), so stored versions keep working unchanged.
 */
export type FeatureBins =
  | {
      readonly kind: 'numeric';
      readonly cuts: number[];
      readonly counts: number[];
      readonly missing: number;
      readonly binning?: NumericBinning;
      readonly range?: FrozenEdges['range'];
    }
  | {
      readonly kind: 'categorical';
      readonly categories: string[];
      readonly counts: number[];
      readonly missing: number;
    };

export interface ReferenceVersion {
  readonly version: number;
  readonly created_at: string;
  readonly row_count: number;
  readonly format: string;
}

/** The model output's bins frozen with a reference version, and the column they were frozen from. */
export interface OutputBins {
  readonly column: ModelOutputColumn;
  readonly bins: FeatureBins;
}

/** A reference version with the bins frozen from it, by feature name. */
export interface ReferenceBinning extends ReferenceVersion {
  readonly features: Record<string, FeatureBins>;
  /**
   * The bins of the model's output (model-output.ts); null when the version has no output values
   * (not mapped, or missing in every row) or was stored before the output was monitored.
   */
  readonly output: OutputBins | null;
}

export interface UploadLimits extends BatchLimits {
  readonly maxBodyBytes: number;
  readonly maxStringLength: number;
}

const REBIN_PAGE_ROWS = 100_000;

interface VersionRow {
  version: number;
  created_ms: bigint;
  row_count: bigint;
  format: string;
}

function toVersion(row: VersionRow): ReferenceVersion {
  return {
    version: row.version,
    created_at: isoOfMs(row.created_ms),
    row_count: Number(row.row_count),
    format: row.format,
  };
}

/** The binning of `version`, or of the newest version when `version` is undefined; undefined when there is none. */
export async function loadBinning(
  connection: Connection,
  modelId: string,
  version?: number
): Promise<ReferenceBinning | undefined> {
  const row = await connection.first<VersionRow & Record<string, unknown>>(
    `SELECT * FROM reference_versions WHERE model_id = $model AND ($version::INTEGER IS NULL OR version = $version)
     ORDER BY version DESC LIMIT 1`,
    { model: modelId, version: version ?? null }
  );
  if (!row) return undefined;
  const bins = await connection.rows<{ feature: string; bins: string }>(
    'SELECT feature, bins FROM reference_bins WHERE model_id = $model AND version = $version',
    { model: modelId, version: row.version }
  );
  const output = bins.find((bin) => bin.feature === MODEL_OUTPUT_KEY);
  return {
    ...toVersion(row),
    features: Object.fromEntries(
      bins.filter((bin) => bin !== output).map((bin) => [bin.feature, JSON.parse(bin.bins) as FeatureBins])
    ),
    output: output ? (JSON.parse(output.bins) as OutputBins) : null,
  };
}

/**
 * Reference versions: each upload stores its rows, freezes cut points and categories from them and
 * re-bins the retained production rows, so drift against the new version covers history at once.
 */
export class ReferenceStore {
  constructor(
    private readonly database: Database,
    private readonly locks: KeyedMutex,
    private readonly limits: UploadLimits,
    private readonly changes: ChangeCounter
  ) {}

  /**
   * Stores an upload as the next reference version. `alongside` runs in the same transaction once
   * the version is stored, so what it writes (a retrain job's success) commits with the version or
   * not at all.
   */
  async upload(
    model: Model,
    format: UploadFormat,
    body: Readable,
    alongside?: (connection: Connection, version: number) => Promise<void>
  ): Promise<ReferenceBinning> {
    const upload = UploadStream.of(body, this.limits.maxBodyBytes);
    return this.changes
      .writing(model.id, () => this.store(model, format, upload, alongside))
      .finally(() => upload.destroy());
  }

  private store(
    model: Model,
    format: UploadFormat,
    body: UploadStream,
    alongside?: (connection: Connection, version: number) => Promise<void>
  ): Promise<ReferenceBinning> {
    return this.locks.run(model.id, () =>
      this.database.transaction(async (connection) => {
        if (body.errored) throw body.errored;
        await requireModel(connection, model.id);
        const latest = await connection.first<{ version: number | null }>(
          'SELECT max(version) AS version FROM reference_versions WHERE model_id = $model',
          { model: model.id }
        );
        const version = (latest?.version ?? 0) + 1;
        const rowCount = await this.storeRows(connection, model, version, format, body);
        const features = await this.freezeBins(connection, model, version);
        const output = await this.freezeOutputBins(connection, model, version);
        await connection.run(
          `INSERT INTO reference_versions (model_id, version, created_ms, row_count, format)
           VALUES ($model, $version, $created, $rows, $format)`,
          { model: model.id, version, created: BigInt(Date.now()), rows: BigInt(rowCount), format }
        );
        const frozen: Record<string, FeatureBins | OutputBins> = output
          ? { ...features, [MODEL_OUTPUT_KEY]: output }
          : features;
        for (const [feature, bins] of Object.entries(frozen)) {
          await connection.run(
            'INSERT INTO reference_bins (model_id, version, feature, bins) VALUES ($model, $version, $feature, $bins)',
            { model: model.id, version, feature, bins: JSON.stringify(bins) }
          );
        }
        const calibration = await saveReferenceCalibration(connection, model, version);
        await this.recountProduction(connection, model, features, output, version, calibration);
        await alongside?.(connection, version);
        return (await loadBinning(connection, model.id, version)) as ReferenceBinning;
      })
    );
  }

  async list(modelId: string): Promise<ReferenceVersion[]> {
    const rows = await this.database.rows<VersionRow & Record<string, unknown>>(
      'SELECT * FROM reference_versions WHERE model_id = $model ORDER BY version',
      { model: modelId }
    );
    return rows.map(toVersion);
  }

  /** The binning of a version (the newest when omitted); NotFound/Conflict when there is none. */
  async binning(modelId: string, version?: number): Promise<ReferenceBinning> {
    const binning = await this.database.withConnection((connection) => loadBinning(connection, modelId, version));
    if (binning) return binning;
    if (version !== undefined)
      throw new NotFoundError(`model ${JSON.stringify(modelId)} has no reference version ${version}`);
    throw new ConflictError(`model ${JSON.stringify(modelId)} has no reference data yet: upload a reference first`);
  }

  /** The calibration fitted on a version, or why there is none. */
  /** The version's calibration; on `connection`, to read one stored in a transaction still open there. */
  calibration(modelId: string, version: number, connection?: Connection): Promise<ReferenceCalibration> {
    return connection
      ? readReferenceCalibration(connection, modelId, version)
      : loadReferenceCalibration(this.database, modelId, version);
  }

  private async storeRows(
    connection: Connection,
    model: Model,
    version: number,
    format: UploadFormat,
    body: UploadStream
  ): Promise<number> {
    const reader = new RowReader(model, 'reference', this.limits.maxStringLength);
    const loader = await RowLoader.open(connection, { kind: 'reference', modelId: model.id, version }, model.features);
    try {
      let rowCount = 0;
      for await (const { rowsSoFar } of stageUpload(connection, format, body, reader, loader, this.limits)) {
        await loader.moveStaged();
        rowCount = rowsSoFar;
      }
      body.assertWhole();
      await loader.finish();
      return rowCount;
    } finally {
      loader.abandon();
    }
  }

  private async freezeBins(
    connection: Connection,
    model: Model,
    version: number
  ): Promise<Record<string, FeatureBins>> {
    const entries: [string, FeatureBins][] = [];
    for (const [index, feature] of model.features.entries()) {
      const rows = await connection.rows<{ v: number | string | null }>(
        `SELECT ${featureColumn(index)} AS v FROM ${referenceRows(model.id)} WHERE version = $version`,
        { version }
      );
      entries.push([
        feature.name,
        this.binsOf(
          feature,
          rows.map((row) => row.v),
          model.buckets
        ),
      ]);
    }
    // fromEntries defines own properties, so a feature named "__proto__" is a key like any other.
    return Object.fromEntries(entries);
  }

  /** The output's bins, frozen like a feature's; null when no reference row has an output value. */
  private async freezeOutputBins(connection: Connection, model: Model, version: number): Promise<OutputBins | null> {
    const output = modelOutput(model);
    if (!output) return null;
    const rows = await connection.rows<{ v: number | string | null }>(
      `SELECT ${output.valueSql} AS v FROM ${referenceRows(model.id)} WHERE version = $version`,
      { version }
    );
    const values = rows.map((row) => row.v);
    if (values.every((value) => value === null || value === '' || Number.isNaN(value))) return null;
    return { column: output.column, bins: this.binsOf(output.definition, values, model.buckets) };
  }

  private binsOf(feature: Model['features'][number], values: (number | string | null)[], buckets: number): FeatureBins {
    try {
      if (feature.kind === 'numeric') {
        const { sorted, missing } = sortSample(values as (number | null)[], 'reference');
        const { cuts, binning, range } = frozenEdgesFromSorted(sorted, buckets);
        return {
          kind: 'numeric',
          cuts,
          counts: countSortedNumeric(cuts, sorted, missing).counts,
          missing,
          binning,
          range,
        };
      }
      const categories = categoryList(values as (string | null)[]);
      const { counts, missing } = countCategorical(categories, values as (string | null)[]);
      return { kind: 'categorical', categories, counts, missing };
    } catch (error) {
      if (error instanceof StatsInputError) {
        const what = feature.name === MODEL_OUTPUT_KEY ? 'model output' : `feature ${JSON.stringify(feature.name)}`;
        throw new InvalidDataError(`reference ${what}: ${error.message}`);
      }
      throw error;
    }
  }

  /**
   * Recounts the stored production rows for a new version: numeric bins over its cut points and the
   * accuracy estimate under its calibration (categorical counts and realized accuracy depend on no version).
   * A numeric output is recounted with them, so every retained hour gets output counts for the new version.
   */
  private async recountProduction(
    connection: Connection,
    model: Model,
    features: Record<string, FeatureBins>,
    output: OutputBins | null,
    version: number,
    calibration: ReferenceCalibration
  ): Promise<void> {
    const cuts = model.features.map((feature) => {
      const bins = features[feature.name];
      return bins.kind === 'numeric' ? bins.cuts : null;
    });
    const counted = outputCounting(model, output);
    if (cuts.some((cut) => cut !== null) || counted?.cuts) {
      await new HourlyCounts(model.features, cuts, true, counted).add(
        connection,
        model.id,
        version,
        productionRows(model.id)
      );
    }
    const fit = fitOf(calibration);
    if (!fit) return;
    const accuracy = new HourlyAccuracySums(fit);
    const rows = productionRows(model.id);
    const extent = await connection.first<{ last: bigint | null }>(`SELECT max(rowid) AS last FROM ${rows}`);
    const last = Number(extent?.last ?? -1);
    // Paged by rowid so recounting months of rows holds one page in memory, not the table.
    for (let start = 0; start <= last; start += REBIN_PAGE_ROWS) {
      const page = await connection.columns<{
        ts: number[];
        prediction: (string | null)[];
        probability: (number | null)[];
      }>(`SELECT ts_ms::DOUBLE AS ts, prediction, probability FROM ${rows} WHERE rowid >= $from AND rowid < $to`, {
        from: BigInt(start),
        to: BigInt(start + REBIN_PAGE_ROWS),
      });
      accuracy.addRows(
        page.ts.map((timestampMs, row) => ({
          timestampMs,
          prediction: page.prediction[row],
          probability: page.probability[row],
          label: null,
        }))
      );
    }
    await accuracy.saveEstimate(connection, model.id, version);
  }
}

/**
 * How ingestion and re-binning count the model's output against a version's frozen output bins:
 * undefined when there are none, or when they were frozen from another output than the model's
 * columns and task now give (a column mapped or unmapped later), which they cannot count.
 */
export function outputCounting(
  model: Model,
  output: OutputBins | null
): { readonly signal: ModelOutput; readonly bins: FeatureBins; readonly cuts: number[] | null } | undefined {
  const signal = modelOutput(model);
  if (!signal || !output || output.column !== signal.column || output.bins.kind !== signal.definition.kind)
    return undefined;
  const { bins } = output;
  return { signal, bins, cuts: bins.kind === 'numeric' ? bins.cuts : null };
}
