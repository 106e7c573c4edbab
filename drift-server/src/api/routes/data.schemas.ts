import { z } from '@hono/zod-openapi';
import { CalibrationSchema, FeatureBinsSchema } from '../schemas/common';

export const ReferenceVersionSchema = z
  .object({
    version: z.number().int().openapi({ description: 'Reference version, 1 for the first upload' }),
    created_at: z.string().openapi({ format: 'date-time' }),
    row_count: z.number().int(),
    format: z.string().openapi({ description: 'Upload format: csv, ndjson, json or parquet' }),
  })
  .openapi('ReferenceVersion');

export const ReferenceBinningSchema = ReferenceVersionSchema.extend({
  features: z
    .record(z.string(), FeatureBinsSchema)
    .openapi({ description: 'Bins frozen from this version, by feature name' }),
  calibration: CalibrationSchema.openapi({
    description:
      'Isotonic calibration of the probabilities, fitted on this version’s rows with labels and probabilities',
  }),
}).openapi('ReferenceBinning');

export const ReferenceListSchema = z.object({ versions: z.array(ReferenceVersionSchema) }).openapi('ReferenceList');

export const PredictionBatchSchema = z
  .object({
    batch_id: z.string(),
    rows: z.number().int(),
    reference_version: z
      .number()
      .int()
      .openapi({ description: 'Reference version whose frozen bins counted the batch' }),
    hours: z.number().int().openapi({ description: 'Distinct hours the rows fell into' }),
    first_timestamp: z.string().nullable(),
    last_timestamp: z.string().nullable(),
  })
  .openapi('PredictionBatch');

export const LabelBatchSchema = z
  .object({
    batch_id: z.string(),
    rows: z.number().int(),
    matched_predictions: z.number().int().openapi({
      description:
        'Distinct prediction ids of the batch found among stored production rows (within raw retention); the others are kept for predictions still to come',
    }),
  })
  .openapi('LabelBatch');
