import type { Database } from './database';
import type { UploadRecord } from './formats/records';
import type { Model } from './models';

/**
 * Production rows read back as upload records, keyed by the model's own column and feature names,
 * so they can be stored again through the reference upload path. A label uploaded later by
 * prediction id wins over one sent with the prediction.
 */
export class ProductionExport {
  constructor(private readonly database: Database) {}

  /** The newest `maxRows` rows with a timestamp in [fromMs, toMs). */
  async records(model: Model, fromMs: number, toMs: number, maxRows: number): Promise<UploadRecord[]> {
    const rows = await this.database.rows<{
      prediction: string | null;
      probability: number | null;
      label: string | null;
      num: (number | null)[];
      cat: (string | null)[];
    }>(
      `SELECT p.prediction, p.probability, coalesce(l.label, p.label) AS label, p.num, p.cat
       FROM production_rows AS p
       LEFT JOIN labels AS l ON l.model_id = p.model_id AND l.prediction_id = p.prediction_id
       WHERE p.model_id = $1 AND p.ts_ms >= $2 AND p.ts_ms < $3
       ORDER BY p.ts_ms DESC, p.prediction_id LIMIT $4`,
      [model.id, BigInt(fromMs), BigInt(toMs), maxRows]
    );
    const { prediction, probability, label } = model.columns;
    return rows.map((row) => {
      const entries: [string, unknown][] = model.features.map((feature, index) => [
        feature.name,
        feature.kind === 'numeric' ? row.num[index] : row.cat[index],
      ]);
      if (prediction !== null) entries.push([prediction, row.prediction]);
      if (probability !== null) entries.push([probability, row.probability]);
      if (label !== null) entries.push([label, row.label]);
      // fromEntries defines own properties, so a feature named "__proto__" is a key like any other.
      return Object.fromEntries(entries);
    });
  }
}
