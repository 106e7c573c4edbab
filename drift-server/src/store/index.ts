import type { DemoToken, Limits } from '../config';
import { AlertStore } from './alerts';
import { AuditLog } from './audit';
import { ChangeCounter } from './changes';
import type { Database } from './database';
import { HEALTH_PROBE_INTERVAL_MS, HEALTH_PROBE_TIMEOUT_MS, HealthProbe, HealthState } from './health-probe';
import { openMigrated } from './migrations';
import { FreshnessQueries } from './freshness';
import { BatchRunner, ProductionIngestion } from './ingest';
import { KeyedMutex } from './locks';
import { ModelStore } from './models';
import { AggregateQueries, RawValueQueries } from './queries';
import { ReferenceStore } from './references';
import { hasRawRowsBefore, purgeRawRowsBefore } from './retention';
import { RetrainJobStore } from './retrain-jobs';
import { ProductionExport } from './production-export';
import { TokenStore } from './tokens';
import { DAY_MS } from '../time';

export * from './errors';
export * from './alerts';
export type { AuditEntry, AuditQuery, AuditRecord } from './audit';
export { binaryOutcome, classifiedRows, fitReferenceCalibration, MIN_CALIBRATION_ROWS } from './calibration';
export type { ReferenceCalibration, ReferenceCounts, StoredOutcomeColumns } from './calibration';
export type { UploadFormat } from './ingest/parse/records';
export { formatOfMediaType, SUPPORTED_MEDIA_TYPES } from './ingest/parse/records';
export { UploadStream } from './ingest/parse/upload-stream';
export type { UploadSource } from './ingest/parse/upload-stream';
export type { BatchOutcome } from './ingest';
export type { Freshness } from './freshness';
export type { Connection } from './database';
export type { LabelBatchResult, PredictionBatchResult } from './ingest';
export * from './models';
export { MODEL_OUTPUT_KEY, modelOutput } from './model-output';
export type { ModelOutput, ModelOutputColumn } from './model-output';
export type { FeatureBins, OutputBins, ReferenceBinning, ReferenceVersion } from './references';
export { outputCounting } from './references';
export { binCounts, categoryCounts } from './queries';
export type { BucketCounts, CategoryCountColumns, CountColumns, RawValues } from './queries';
export type { BucketedRange } from './resolution';
export { MISSING_BIN, MISSING_CATEGORY } from './ingest/count';
export * from './tokens';
export * from './retrain-jobs';
export { inSlices, TimeSlicer } from './time-slices';
export { KeyedMutex } from './locks';
export type { HealthState } from './health-probe';
export { SCHEMA_VERSION } from './migrations';

export interface StoreOptions {
  readonly dbPath: string;
  readonly connectionPoolSize: number;
  readonly duckdbMemoryLimit: string;
  readonly duckdbThreads?: number;
  readonly queryTimeoutMs?: number;
  readonly limits: Limits;
  readonly demoTokens: readonly DemoToken[];
}

/** Everything drift-server keeps, over one DuckDB database file. */
export class Store {
  readonly models: ModelStore;
  readonly references: ReferenceStore;
  readonly ingestion: ProductionIngestion;
  readonly aggregates: AggregateQueries;
  readonly rawValues: RawValueQueries;
  readonly freshness: FreshnessQueries;
  readonly tokens: TokenStore;
  readonly audit: AuditLog;
  readonly alerts: AlertStore;
  readonly retrainJobs: RetrainJobStore;
  readonly productionExport: ProductionExport;
  /** Bumped on every committed write, per model; lets query results be cached safely. */
  readonly changes = new ChangeCounter();

  private constructor(
    private readonly database: Database,
    private readonly probe: HealthProbe,
    options: StoreOptions
  ) {
    const locks = new KeyedMutex();
    this.models = new ModelStore(database, locks, this.changes, options.limits.maxFeatures);
    this.references = new ReferenceStore(database, locks, options.limits, this.changes);
    this.ingestion = new ProductionIngestion(
      new BatchRunner(database, locks, options.limits.maxBodyBytes, this.changes),
      options.limits
    );
    this.aggregates = new AggregateQueries(database);
    this.rawValues = new RawValueQueries(database, options.limits.maxDeepDiveRows);
    this.freshness = new FreshnessQueries(database);
    this.tokens = new TokenStore(database, options.demoTokens);
    this.audit = new AuditLog(database);
    this.alerts = new AlertStore(database);
    this.retrainJobs = new RetrainJobStore(database, locks);
    this.productionExport = new ProductionExport(database);
  }

  static async open(options: StoreOptions): Promise<Store> {
    const database = await openMigrated(options.dbPath, {
      poolSize: options.connectionPoolSize,
      memoryLimit: options.duckdbMemoryLimit,
      threads: options.duckdbThreads,
      queryTimeoutMs: options.queryTimeoutMs,
    });
    const probe = new HealthProbe(() => database.ping(), {
      intervalMs: HEALTH_PROBE_INTERVAL_MS,
      timeoutMs: HEALTH_PROBE_TIMEOUT_MS,
    });
    await probe.start();
    return new Store(database, probe, options);
  }

  async purgeRawRows(retentionDays: number, nowMs?: number): Promise<number> {
    const cutoffMs = (nowMs ?? Date.now()) - retentionDays * DAY_MS;
    // An hourly sweep with nothing to delete must not retire every cached result.
    if (!(await hasRawRowsBefore(this.database, cutoffMs))) return 0;
    return this.changes.writingAll(() => purgeRawRowsBefore(this.database, cutoffMs));
  }

  /**
   * Whether the database answers, from the background probe's last answer (never waiting for a
   * query of its own), and whether any statement has found the file damaged.
   */
  health(): HealthState {
    const state = this.probe.state();
    if (this.database.damaged === undefined) return state;
    return {
      healthy: false,
      detail: `the database file is damaged: ${this.database.damaged}`,
      checkedAgoMs: state.checkedAgoMs,
    };
  }

  /** Reads every stored block once, so a damaged file is refused at start; throws DuckDB's error naming the damage. */
  verify(): Promise<void> {
    return this.database.verify();
  }

  /** Checkpoints and closes the database; call once no request is in flight. */
  async close(): Promise<void> {
    await this.probe.stop();
    await this.database.close();
  }
}
