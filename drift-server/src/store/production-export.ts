import type { Database } from './database';
import type { UploadRecord } from './ingest/parse/records';
import type { Model } from './models';
import { featureColumn, featureColumnName, productionRows } from './row-tables';

/**
 * Production rows read back as upload records, keyed by the model's own column and feature names,
 * so they can be stored again through the reference upload path. A label uploaded later by
 * prediction id wins over one sent with the prediction.
 */
export class ProductionExport {
  constructor(private readonly database: Database) {}

  /** The newest `maxRows` rows with a timestamp in [fromMs, toMs). */
  async records(model: Model, fromMs: number, toMs: number, maxRows: number): Promise<UploadRecord[]> {
    const features = model.features.map((_, index) => `, p.${featureColumn(index)}`).join('');
    const rows = await this.database.rows<Record<string, unknown>>(
      `SELECT p.prediction, p.probability, coalesce(l.label, p.label) AS label${features}
       FROM ${productionRows(model.id)} AS p
       LEFT JOIN labels AS l ON l.model_id = $model AND l.prediction_id = p.prediction_id
       WHERE p.ts_ms >= $from AND p.ts_ms < $to
       ORDER BY p.ts_ms DESC, p.prediction_id LIMIT $limit`,
      { model: model.id, from: BigInt(fromMs), to: BigInt(toMs), limit: maxRows }
    );
    const { prediction, probability, label } = model.columns;
    return rows.map((row) => {
      const entries: [string, unknown][] = model.features.map((feature, index) => [
        feature.name,
        row[featureColumnName(index)],
      ]);
      if (prediction !== null) entries.push([prediction, row.prediction]);
      if (probability !== null) entries.push([probability, row.probability]);
      if (label !== null) entries.push([label, row.label]);
      // fromEntries defines own properties, so a feature named "__proto__" is a key like any other.
      return Object.fromEntries(entries);
    });
  }
}
