import { Connection, Database, DatabaseOptions } from '../database';
import { recountAccuracySumsAtVersion5 } from './v5-accuracy-sums';
import { moveRowsToModelTables } from './v8-model-row-tables';

interface Migration {
  readonly version: number;
  readonly description: string;
  readonly statements: readonly string[];
  /** Fills new tables from data already stored, after the statements. */
  readonly backfill?: (connection: Connection) => Promise<void>;
}

/**
 * Append-only: a released migration never changes; a schema change is a new entry. A backfill reads
 * and writes the schema as it stands at its version with its own SQL (v5-*.ts, v8-*.ts), never
 * through live store code, which follows the newest schema. Times are epoch milliseconds (BIGINT)
 * so values bind and compare without time-zone conversions.
 */
const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    description: 'models, reference versions, production rows, hourly aggregates, labels, batches, tokens, audit log',
    statements: [
      `CREATE TABLE models (
         id VARCHAR PRIMARY KEY,
         definition VARCHAR NOT NULL,
         created_ms BIGINT NOT NULL,
         updated_ms BIGINT NOT NULL)`,
      `CREATE TABLE reference_versions (
         model_id VARCHAR NOT NULL,
         version INTEGER NOT NULL,
         created_ms BIGINT NOT NULL,
         row_count BIGINT NOT NULL,
         format VARCHAR NOT NULL,
         PRIMARY KEY (model_id, version))`,
      `CREATE TABLE reference_bins (
         model_id VARCHAR NOT NULL,
         version INTEGER NOT NULL,
         feature VARCHAR NOT NULL,
         bins VARCHAR NOT NULL,
         PRIMARY KEY (model_id, version, feature))`,
      `CREATE TABLE reference_rows (
         model_id VARCHAR NOT NULL,
         version INTEGER NOT NULL,
         prediction VARCHAR,
         probability DOUBLE,
         label VARCHAR,
         num DOUBLE[] NOT NULL,
         cat VARCHAR[] NOT NULL)`,
      `CREATE TABLE production_rows (
         model_id VARCHAR NOT NULL,
         batch_id VARCHAR NOT NULL,
         prediction_id VARCHAR NOT NULL,
         ts_ms BIGINT NOT NULL,
         prediction VARCHAR,
         probability DOUBLE,
         label VARCHAR,
         num DOUBLE[] NOT NULL,
         cat VARCHAR[] NOT NULL)`,
      `CREATE TABLE labels (
         model_id VARCHAR NOT NULL,
         prediction_id VARCHAR NOT NULL,
         label VARCHAR NOT NULL,
         received_ms BIGINT NOT NULL,
         PRIMARY KEY (model_id, prediction_id))`,
      `CREATE TABLE agg_volume (
         model_id VARCHAR NOT NULL,
         hour_ms BIGINT NOT NULL,
         n BIGINT NOT NULL,
         PRIMARY KEY (model_id, hour_ms))`,
      // bin -1 is the missing bin; numeric bins depend on the reference version's cut points.
      `CREATE TABLE agg_numeric (
         model_id VARCHAR NOT NULL,
         reference_version INTEGER NOT NULL,
         feature VARCHAR NOT NULL,
         hour_ms BIGINT NOT NULL,
         bin SMALLINT NOT NULL,
         n BIGINT NOT NULL,
         PRIMARY KEY (model_id, reference_version, feature, hour_ms, bin))`,
      // category '' is the missing bin (an empty CSV field and an empty string are both missing).
      `CREATE TABLE agg_categorical (
         model_id VARCHAR NOT NULL,
         feature VARCHAR NOT NULL,
         hour_ms BIGINT NOT NULL,
         category VARCHAR NOT NULL,
         n BIGINT NOT NULL,
         PRIMARY KEY (model_id, feature, hour_ms, category))`,
      `CREATE TABLE batches (
         id VARCHAR PRIMARY KEY,
         model_id VARCHAR NOT NULL,
         kind VARCHAR NOT NULL,
         idempotency_key VARCHAR,
         fingerprint VARCHAR NOT NULL,
         received_ms BIGINT NOT NULL,
         result VARCHAR NOT NULL)`,
      `CREATE INDEX batches_by_key ON batches (model_id, kind, idempotency_key)`,
      `CREATE TABLE tokens (
         id VARCHAR PRIMARY KEY,
         name VARCHAR NOT NULL,
         scopes VARCHAR NOT NULL,
         hash VARCHAR NOT NULL,
         created_ms BIGINT NOT NULL,
         revoked_ms BIGINT)`,
      `CREATE TABLE audit_log (
         at_ms BIGINT NOT NULL,
         request_id VARCHAR NOT NULL,
         actor VARCHAR NOT NULL,
         method VARCHAR NOT NULL,
         path VARCHAR NOT NULL,
         status INTEGER NOT NULL)`,
    ],
  },
  {
    version: 2,
    description: 'isotonic calibration and reference accuracy per reference version',
    statements: [
      // JSON: the fitted knots and the reference accuracy, or why no calibration could be fitted.
      `CREATE TABLE reference_calibrations (
         model_id VARCHAR NOT NULL,
         version INTEGER NOT NULL,
         calibration VARCHAR NOT NULL,
         PRIMARY KEY (model_id, version))`,
    ],
  },
  {
    version: 3,
    description: 'retrain jobs with delivery bookkeeping',
    statements: [
      // next_attempt_ms: when the runner may next deliver a scheduled job (the scheduled time, then
      // backoff times); claimed_by/claimed_ms: the runner delivering it right now, so no job is
      // delivered twice; trainer_kind: the trainer the job went to, for recovery after a restart.
      `CREATE TABLE retrain_jobs (
         id VARCHAR PRIMARY KEY,
         model_id VARCHAR NOT NULL,
         status VARCHAR NOT NULL,
         trigger_kind VARCHAR NOT NULL,
         reason VARCHAR NOT NULL,
         requested_by VARCHAR NOT NULL,
         scheduled_ms BIGINT NOT NULL,
         created_ms BIGINT NOT NULL,
         updated_ms BIGINT NOT NULL,
         started_ms BIGINT,
         finished_ms BIGINT,
         attempts INTEGER NOT NULL,
         reference_version INTEGER,
         new_reference_version INTEGER,
         window_from_ms BIGINT NOT NULL,
         window_to_ms BIGINT NOT NULL,
         message VARCHAR,
         alert_fingerprint VARCHAR,
         trainer_kind VARCHAR,
         next_attempt_ms BIGINT,
         last_error VARCHAR,
         claimed_by VARCHAR,
         claimed_ms BIGINT)`,
    ],
  },
  {
    version: 4,
    description: 'alerts received from Grafana; Grafana user and model of audit-log entries',
    statements: [
      // One row per distinct notification of an alert: Grafana re-sends a firing alert on every
      // repeat interval with the same fingerprint and start, which the unique key turns away.
      `CREATE TABLE alerts_received (
         id VARCHAR PRIMARY KEY,
         fingerprint VARCHAR NOT NULL,
         model_id VARCHAR,
         alertname VARCHAR NOT NULL,
         status VARCHAR NOT NULL,
         severity VARCHAR,
         summary VARCHAR,
         labels VARCHAR NOT NULL,
         starts_ms BIGINT NOT NULL,
         received_ms BIGINT NOT NULL,
         action VARCHAR NOT NULL,
         recommendation VARCHAR,
         job_id VARCHAR,
         UNIQUE (fingerprint, starts_ms, status))`,
      `CREATE INDEX alerts_received_by_model ON alerts_received (model_id, received_ms)`,
      `ALTER TABLE audit_log ADD COLUMN grafana_user VARCHAR`,
      `ALTER TABLE audit_log ADD COLUMN model_id VARCHAR`,
      // What a change made of the state, for changes no request made (the retrain job runner's).
      `ALTER TABLE audit_log ADD COLUMN action VARCHAR`,
    ],
  },
  {
    version: 5,
    description: 'hourly accuracy sums: the label-free estimate per reference version, realized accuracy from labels',
    statements: [
      `CREATE TABLE agg_estimate (
         model_id VARCHAR NOT NULL,
         reference_version INTEGER NOT NULL,
         hour_ms BIGINT NOT NULL,
         scored BIGINT NOT NULL,
         chance DOUBLE NOT NULL,
         chance_variance DOUBLE NOT NULL,
         PRIMARY KEY (model_id, reference_version, hour_ms))`,
      `CREATE TABLE agg_realized (
         model_id VARCHAR NOT NULL,
         hour_ms BIGINT NOT NULL,
         labelled BIGINT NOT NULL,
         "right" BIGINT NOT NULL,
         PRIMARY KEY (model_id, hour_ms))`,
    ],
    backfill: recountAccuracySumsAtVersion5,
  },
  {
    version: 6,
    description: 'daily rollups of the hourly numeric and categorical counts',
    statements: [
      `CREATE TABLE agg_numeric_daily (
         model_id VARCHAR NOT NULL,
         reference_version INTEGER NOT NULL,
         feature VARCHAR NOT NULL,
         day_ms BIGINT NOT NULL,
         bin SMALLINT NOT NULL,
         n BIGINT NOT NULL,
         PRIMARY KEY (model_id, reference_version, feature, day_ms, bin))`,
      `CREATE TABLE agg_categorical_daily (
         model_id VARCHAR NOT NULL,
         feature VARCHAR NOT NULL,
         day_ms BIGINT NOT NULL,
         category VARCHAR NOT NULL,
         n BIGINT NOT NULL,
         PRIMARY KEY (model_id, feature, day_ms, category))`,
      `INSERT INTO agg_numeric_daily (model_id, reference_version, feature, day_ms, bin, n)
       SELECT model_id, reference_version, feature, hour_ms // 86400000 * 86400000, bin, sum(n) FROM agg_numeric GROUP BY ALL`,
      `INSERT INTO agg_categorical_daily (model_id, feature, day_ms, category, n)
       SELECT model_id, feature, hour_ms // 86400000 * 86400000, category, sum(n) FROM agg_categorical GROUP BY ALL`,
    ],
  },
  {
    version: 7,
    description: 'hourly Σq of each fold of a cross-fitted calibration, for the calibration error in the estimate band',
    // Versions calibrated before (one fit, stored as such) have no folds: their hours get no rows here,
    // which is also why version 5's backfill, run before this table exists, never writes to it.
    statements: [
      `CREATE TABLE agg_estimate_folds (
         model_id VARCHAR NOT NULL,
         reference_version INTEGER NOT NULL,
         hour_ms BIGINT NOT NULL,
         fold SMALLINT NOT NULL,
         chance DOUBLE NOT NULL,
         PRIMARY KEY (model_id, reference_version, hour_ms, fold))`,
    ],
  },
  {
    version: 8,
    description:
      'raw rows in two typed tables per model (production_rows_<key>, reference_rows_<key>), one column per feature, instead of shared tables of feature lists',
    statements: [],
    backfill: moveRowsToModelTables,
  },
];

export const SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1].version;

export async function migrate(connection: Connection): Promise<void> {
  await connection.run(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY, description VARCHAR NOT NULL, applied_ms BIGINT NOT NULL)`);
  const applied = await connection.first<{ version: number | null }>(
    'SELECT max(version) AS version FROM schema_migrations'
  );
  const current = applied?.version ?? 0;
  if (current > SCHEMA_VERSION) {
    throw new Error(
      `database schema version ${current} is newer than this server (${SCHEMA_VERSION}); upgrade drift-server`
    );
  }
  for (const migration of MIGRATIONS) {
    if (migration.version <= current) continue;
    for (const statement of migration.statements) await connection.run(statement);
    await migration.backfill?.(connection);
    await connection.run(
      'INSERT INTO schema_migrations (version, description, applied_ms) VALUES ($version, $description, $applied)',
      { version: migration.version, description: migration.description, applied: BigInt(Date.now()) }
    );
  }
}

/** Opens the database file and brings its schema to SCHEMA_VERSION, in one transaction. */
export async function openMigrated(path: string, options: DatabaseOptions): Promise<Database> {
  const database = await Database.open(path, options);
  await database.transaction((connection) => migrate(connection));
  return database;
}
