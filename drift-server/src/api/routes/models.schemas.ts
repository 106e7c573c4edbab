import { z } from '@hono/zod-openapi';
import { MODEL_TASKS, RETRAIN_POLICIES } from '../../store';
import { FeatureBinsSchema, ModelIdParam, nullableReference, PRINTABLE, printableName } from '../schemas/common';

export const FeatureSchema = z
  .object({
    name: printableName('a feature name').openapi({
      description: 'Feature name; also the name of its column in uploads',
      example: 'income',
    }),
    kind: z
      .enum(['numeric', 'categorical'])
      .openapi({ description: 'numeric: binned at reference quantiles; categorical: one bin per category' }),
    importance: z
      .number()
      .min(0)
      .default(1)
      .openapi({ description: 'Weight of the feature in the model drift score (≥ 0)' }),
  })
  .strict()
  .openapi('Feature');

const columnFields = {
  prediction_id: printableName('a column name').openapi({
    description: 'Column with the prediction id labels are joined on (default prediction_id)',
  }),
  timestamp: printableName('a column name').openapi({
    description: 'Column with the prediction time, ISO 8601 or epoch ms (default timestamp)',
  }),
  prediction: printableName('a column name')
    .nullable()
    .openapi({ description: 'Column with the predicted class or value (default prediction)' }),
  probability: printableName('a column name')
    .nullable()
    .openapi({ description: 'Column with the predicted probability in [0, 1] (default probability)' }),
  label: printableName('a column name')
    .nullable()
    .openapi({ description: 'Column with the true label, in references and label uploads (default label)' }),
};

const amount = (description: string) => z.number().min(0).nullable().openapi({ description });

const businessFields = {
  currency: z.string().min(1).max(8).openapi({ description: 'Currency of the money amounts (default USD)' }),
  value_per_correct_prediction: amount('Value earned by one correct prediction'),
  cost_per_error: amount('Cost of one wrong prediction'),
  retrain_cost: amount('Cost of one retraining'),
  retrain_duration_days: amount('Days from deciding to retrain until the new model serves'),
  horizon_days: amount('Days over which retraining must pay back'),
  predictions_per_day: amount('Predictions per day, used until production volume is measured'),
  min_labelled_rows: z.number().int().min(1).nullable().optional().openapi({
    description:
      'Labelled rows a window needs before its realized accuracy is acted on (the concept-drift and recoverable-loss verdicts behind retrain_now); below it the figure is shown, not acted on. null or absent: 200',
  }),
};

export const ColumnsSchema = z.object(columnFields).openapi('ColumnMapping');

export const BusinessSchema = z.object(businessFields).openapi('BusinessParameters');

const ColumnsInput = z
  .object({
    prediction_id: columnFields.prediction_id.default('prediction_id'),
    timestamp: columnFields.timestamp.default('timestamp'),
    prediction: columnFields.prediction.default('prediction'),
    probability: columnFields.probability.default('probability'),
    label: columnFields.label.default('label'),
  })
  .strict();

const BusinessInput = z
  .object({
    currency: businessFields.currency.default('USD'),
    value_per_correct_prediction: businessFields.value_per_correct_prediction.default(null),
    cost_per_error: businessFields.cost_per_error.default(null),
    retrain_cost: businessFields.retrain_cost.default(null),
    retrain_duration_days: businessFields.retrain_duration_days.default(null),
    horizon_days: businessFields.horizon_days.default(null),
    predictions_per_day: businessFields.predictions_per_day.default(null),
    min_labelled_rows: businessFields.min_labelled_rows.default(null),
  })
  .strict();

const trainerFields = {
  url: z
    .url({ protocol: /^https?$/, message: 'the trainer url must be an http or https URL' })
    .max(2048)
    .openapi({
      description: 'Where jobs are POSTed, as JSON signed with X-DriftGuard-Signature (see docs/API.md, Retraining)',
      example: 'https://trainer.example.com/jobs',
    }),
  secret: z.string().min(16).max(512).regex(PRINTABLE, 'the secret must be printable text').openapi({
    description:
      'Write-only HMAC-SHA256 key (at least 16 characters) signing deliveries and verifying callbacks; reads show secret_configured instead',
  }),
  timeout_ms: z
    .number()
    .int()
    .min(100)
    .max(120_000)
    .openapi({ description: 'Per-attempt timeout of a delivery, 100–120 000 ms (default 10 000)' }),
  max_attempts: z.number().int().min(1).max(10).openapi({
    description:
      'Delivery attempts before the job fails, 1–10 (default 5); retried on network errors, timeouts and 5xx, never on 4xx',
  }),
  delay_ms: z
    .number()
    .int()
    .min(0)
    .max(600_000)
    .openapi({ description: 'Simulated trainer: wait before promoting, 0–600 000 ms (default 2000)' }),
};

const SimulatedTrainerSchema = z
  .object({ kind: z.literal('simulated'), delay_ms: trainerFields.delay_ms.default(2000) })
  .strict()
  .openapi('SimulatedTrainer', {
    description:
      "Built-in demo trainer: after delay_ms it promotes the job window's production rows (the newest 100 000) to a new reference version",
  });

const webhookTrainerInput = <S extends z.ZodType<string | undefined>>(secret: S) =>
  z
    .object({
      kind: z.literal('webhook'),
      url: trainerFields.url,
      secret,
      timeout_ms: trainerFields.timeout_ms.default(10_000),
      max_attempts: trainerFields.max_attempts.default(5),
    })
    .strict();

const policyField = z.enum(RETRAIN_POLICIES).openapi({
  description:
    'manual: jobs only when someone schedules one; auto: a firing Grafana alert naming the model schedules one when retraining pays',
});

const RetrainingInput = z
  .object({
    policy: policyField.default('manual'),
    trainer: z
      .discriminatedUnion('kind', [webhookTrainerInput(trainerFields.secret), SimulatedTrainerSchema])
      .nullable()
      .default(null)
      .openapi({
        description: 'Who retrains: a webhook, the simulated demo trainer, or null (jobs then fail at dispatch)',
      }),
  })
  .strict()
  .openapi('RetrainingInput');

const RetrainingUpdate = z
  .object({
    policy: policyField.optional(),
    trainer: z
      .discriminatedUnion('kind', [webhookTrainerInput(trainerFields.secret.optional()), SimulatedTrainerSchema])
      .nullable()
      .optional()
      .openapi({ description: 'Replaces the trainer; a webhook sent without secret keeps the stored secret' }),
  })
  .strict()
  .openapi('RetrainingUpdate');

const RetrainingSchema = z
  .object({
    policy: z.enum(RETRAIN_POLICIES),
    trainer: z
      .discriminatedUnion('kind', [
        z.object({
          kind: z.literal('webhook'),
          url: z.string(),
          timeout_ms: z.number().int(),
          max_attempts: z.number().int(),
          secret_configured: z
            .boolean()
            .openapi({ description: 'Whether a secret is stored; the secret itself is never returned' }),
        }),
        SimulatedTrainerSchema,
      ])
      .nullable(),
  })
  .openapi('Retraining');

const monitoringFields = {
  stale_after_minutes: z.number().int().min(1).max(10_080).nullable().openapi({
    description:
      'Minutes without a new prediction (by the predictions’ own timestamps) after which the model’s data is stale: exported as driftguard_model_stale_after_seconds, where the provisioned staleness alert compares it with the newest prediction’s age. null: 60',
  }),
};

const MonitoringSchema = z.object(monitoringFields).openapi('Monitoring');

const MonitoringInput = z.object({ stale_after_minutes: monitoringFields.stale_after_minutes.default(null) }).strict();

const bucketsField = z.number().int().min(2).max(100).openapi({
  description: 'Numeric bins per feature (quantiles at k/B of the reference), frozen per reference version',
});

export const ModelCreateSchema = z
  .object({
    id: ModelIdParam.openapi({ param: undefined }),
    name: printableName('a model name').optional().openapi({ description: 'Display name (defaults to the id)' }),
    task: z.enum(MODEL_TASKS).default('binary_classification'),
    features: z
      .array(FeatureSchema)
      .min(1)
      .openapi({ description: 'Monitored features; names, kinds and order are fixed after registration' }),
    columns: ColumnsInput.default(ColumnsInput.parse({})),
    business: BusinessInput.default(BusinessInput.parse({})),
    buckets: bucketsField.default(10),
    retraining: RetrainingInput.default(RetrainingInput.parse({})).openapi({
      description: 'Retrain policy and trainer (default: manual, no trainer)',
    }),
    monitoring: MonitoringInput.default(MonitoringInput.parse({})).openapi({
      description: 'What the alerts on the model’s data freshness watch for (default: stale after 60 minutes)',
    }),
  })
  .strict()
  .openapi('ModelCreate');

export const ModelUpdateSchema = z
  .object({
    name: printableName('a model name').optional(),
    task: z.enum(MODEL_TASKS).optional(),
    features: z
      .array(FeatureSchema)
      .min(1)
      .optional()
      .openapi({ description: 'Same names, kinds and order as registered; only importance may change' }),
    columns: ColumnsSchema.partial().strict().optional(),
    business: BusinessSchema.partial().strict().optional(),
    buckets: bucketsField.optional(),
    retraining: RetrainingUpdate.optional(),
    monitoring: MonitoringSchema.partial().strict().optional(),
  })
  .strict()
  .openapi('ModelUpdate');

export const ModelSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    task: z.enum(MODEL_TASKS),
    features: z.array(FeatureSchema),
    columns: ColumnsSchema,
    business: BusinessSchema,
    buckets: z.number().int(),
    retraining: RetrainingSchema,
    // Every read fills it in (models registered before it existed get the defaults); optional only because stored definitions may lack it.
    monitoring: MonitoringSchema.optional(),
    created_at: z.string().openapi({ format: 'date-time' }),
    updated_at: z.string().openapi({ format: 'date-time' }),
  })
  .openapi('Model');

export const ModelListSchema = z.object({ models: z.array(ModelSchema) }).openapi('ModelList');

export const FeatureListSchema = z
  .object({
    features: z.array(
      FeatureSchema.extend({
        reference_version: z.number().int().nullable(),
        bins: nullableReference(FeatureBinsSchema, 'Bins frozen by the newest reference version'),
      })
    ),
  })
  .openapi('FeatureList');
