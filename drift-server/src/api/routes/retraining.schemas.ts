import { z } from '@hono/zod-openapi';
import { RETRAIN_JOB_STATUSES, RETRAIN_TRIGGERS } from '../../store';
import { boundsQuery, PRINTABLE } from '../schemas/common';

const instantInput = (description: string) =>
  z
    .union([z.string().min(1).max(64), z.number().int().min(0)])
    .optional()
    .openapi({ description: `${description}, ISO 8601 or epoch ms` });

export const RetrainJobCreateSchema = z
  .object({
    scheduled_for: instantInput('When the job becomes due (default: now)'),
    reason: z
      .string()
      .min(1)
      .max(1000)
      .regex(PRINTABLE, 'the reason must be printable text')
      .optional()
      .openapi({ description: 'Why retrain; shown to the trainer (default: "requested manually")' }),
    from: instantInput(
      'Start of the production window the trainer should learn from (default: `to` minus the configured window, 7 days)'
    ),
    to: instantInput('End of that window, exclusive (default: scheduled_for)'),
  })
  .strict()
  .openapi('RetrainJobCreate');

export const RetrainJobSchema = z
  .object({
    id: z.string().openapi({ description: 'Job id (UUID)' }),
    model_id: z.string(),
    status: z.enum(RETRAIN_JOB_STATUSES).openapi({
      description:
        'scheduled → dispatched (the trainer took it) → running → succeeded | failed; scheduled, dispatched and running are active and may be cancelled',
    }),
    trigger: z
      .enum(RETRAIN_TRIGGERS)
      .openapi({ description: 'manual: scheduled through the API; alert: by a Grafana alert under the auto policy' }),
    reason: z.string(),
    requested_by: z
      .string()
      .openapi({ description: 'Grafana user (X-Grafana-User) when Grafana forwarded one, else the token name' }),
    scheduled_for: z.string().openapi({ format: 'date-time' }),
    created_at: z.string().openapi({ format: 'date-time' }),
    updated_at: z.string().openapi({ format: 'date-time' }),
    started_at: z.string().nullable().openapi({ format: 'date-time', description: 'When the trainer took the job' }),
    finished_at: z.string().nullable().openapi({ format: 'date-time' }),
    attempts: z.number().int().openapi({ description: 'Deliveries tried so far' }),
    reference_version: z
      .number()
      .int()
      .nullable()
      .openapi({ description: 'Newest reference version when the job was requested' }),
    new_reference_version: z
      .number()
      .int()
      .nullable()
      .openapi({ description: 'Reference version the successful job created' }),
    window: z
      .object({ from: z.string(), to: z.string() })
      .openapi({ description: 'Production window [from, to) the trainer should learn from' }),
    message: z
      .string()
      .nullable()
      .openapi({ description: 'Latest news: retry plans, the trainer’s message, why it failed' }),
    alert_fingerprint: z
      .string()
      .nullable()
      .openapi({ description: 'Fingerprint of the Grafana alert that triggered the job' }),
  })
  .openapi('RetrainJob');

export const RetrainJobListQuery = z.object({
  status: z.enum(RETRAIN_JOB_STATUSES).optional(),
  ...boundsQuery({
    from: 'Only jobs created, started or finished at or after this time (ISO 8601 or epoch ms)',
    to: '… and before this time',
  }),
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(1000)
    .optional()
    .openapi({ description: 'At most this many jobs, newest first (default 100)' }),
});

export const RetrainJobListSchema = z.object({ jobs: z.array(RetrainJobSchema) }).openapi('RetrainJobList');

export const TrainerCallbackSchema = z
  .object({
    status: z
      .enum(['running', 'succeeded', 'failed'])
      .openapi({ description: 'running (repeatable, updates the message), succeeded or failed' }),
    message: z.string().max(2000).optional(),
    reference: z
      .union([
        z
          .object({
            format: z.enum(['ndjson', 'csv', 'json']),
            data: z
              .string()
              .min(1)
              .openapi({ description: 'The new reference rows, stored as a new reference version' }),
          })
          .strict(),
        z
          .object({
            url: z
              .url()
              .max(2048)
              .openapi({ description: 'Where the trainer put the new reference; recorded in the message' }),
          })
          .strict(),
      ])
      .optional()
      .openapi({ description: 'Only with succeeded' }),
  })
  .strict()
  .refine((report) => report.reference === undefined || report.status === 'succeeded', {
    message: 'reference is only accepted with status succeeded',
    path: ['reference'],
  })
  .openapi('TrainerCallback');
